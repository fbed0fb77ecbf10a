import ArgumentParser
import MultiParty
import MultiPartyNIO
import Provenance
import Summa
import SummaFormats
import Threshold

struct PartyCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "party", abstract: "Take part in a multi-party sum with one key share.",
        discussion: """
            Contributes one value per --value, or with --csv each --column's sum and the row count, so that the means \
            are over all rows. The session sums as many values as its coordinator asked for; when it names them, the \
            columns must be those, in that order.
            """)

    @Option(help: ArgumentHelp("The coordinator's address.", valueName: "host:port"))
    var connect: Endpoint

    @Option(help: ArgumentHelp("This party's share file (from `summa deal`, or `summa party --keygen`).", valueName: "file"))
    var key: String?

    @Flag(help: "Generate a threshold key with the other parties of --roster instead of summing: writes this party's share (--out); nobody ever holds the whole key.")
    var keygen = false

    @Option(help: ArgumentHelp("With --keygen: the roster (summa roster) this party agreed to; its fingerprint must be the coordinator's.", valueName: "file"))
    var roster: String?

    @Option(help: ArgumentHelp("With --keygen: where to write this party's key share (created 0600).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp(
        "This party's own identity (summa identity), when the deal named it (deal --party-identity): it signs and authenticates.",
        valueName: "file"))
    var identity: String?

    /// Taken unconditionally, so that a negative value ("-0.56") is not read as an option.
    @Option(parsing: .unconditionalSingleValue, help: "A value to contribute (negative too: --value -12.50); repeat it for several.")
    var value: [String] = []

    @Option(help: ArgumentHelp("A CSV file whose columns to contribute.", valueName: "file"))
    var csv: String?

    @Option(help: "A CSV column to contribute; repeat it for several, in the session's order.")
    var column: [String] = []

    @Option(help: ArgumentHelp("A vector to contribute: a file of one number per line (a model update).", valueName: "file"))
    var vector: String?

    @Option(help: ArgumentHelp(
        "With --vector: scale the vector down to this L2 norm if it is longer, and round it to the session's decimals at random (unbiased).",
        valueName: "norm"))
    var clipNorm: String?

    @Flag(name: .customLong("require-noise"), help: "With --vector: refuse a session whose coordinator asks for no noise.")
    var requireNoise = false

    @Option(help: ArgumentHelp(
        "With --vector: refuse a session whose noise is for a larger ε than this (implies --require-noise).", valueName: "ε"))
    var epsilon: String?

    @Option(help: ArgumentHelp("With --vector: refuse a session whose noise is for a larger δ than this.", valueName: "δ"))
    var delta: String?

    @Option(
        name: .customLong("honest-parties"), parsing: .unconditional,
        help: "With --vector: refuse a session whose noise counts on more honest parties than this.")
    var honestParties: Int?

    @Option(
        name: .customLong("min-inputs"), parsing: .unconditional,
        help: "Refuse sessions that decrypt a sum of fewer inputs, 2…ℓ (default: the key's threshold, at least 2).")
    var minInputs: Int?

    @Option(parsing: .unconditional, help: "Seconds to wait for the session to end (\(OptionBounds.sessionSeconds.shown)).")
    var timeout = 300

    @OptionGroup var insecureTest: InsecureTestOption

    @Flag(help: "Print the result as one JSON object (numbers as decimal strings).")
    var json = false

    func validate() throws {
        if keygen {
            guard key == nil, value.isEmpty, csv == nil, vector == nil else {
                throw ValidationError("--keygen makes a share: give --roster, --identity and --out, no --key and no values")
            }
            guard roster != nil, identity != nil, out != nil else { throw ValidationError("--keygen needs --roster, --identity and --out") }
            try OptionBounds.sessionSeconds.check(timeout, option: "--timeout")
            return
        }
        guard key != nil else { throw ValidationError("give --key (or --keygen with --roster)") }
        guard roster == nil, out == nil else { throw ValidationError("--roster and --out are for --keygen") }
        guard [!value.isEmpty, csv != nil, vector != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("give one of --value, --csv and --vector")
        }
        if clipNorm != nil && vector == nil { throw ValidationError("--clip-norm needs --vector") }
        if (requireNoise || epsilon != nil || delta != nil || honestParties != nil) && vector == nil {
            throw ValidationError("--require-noise, --epsilon, --delta and --honest-parties need --vector")
        }
        _ = try noisePolicy()
        if csv != nil && column.isEmpty { throw ValidationError("--csv needs --column") }
        if csv == nil && !column.isEmpty { throw ValidationError("--column needs --csv") }
        try checkSessionColumns(column)
        guard value.count <= Message.Header.maximumPackedLength else {
            throw ValidationError("at most \(Message.Header.maximumLength) values per party")
        }
        if let minInputs { try checkMinimumInputs(minInputs, parties: nil, allowingSingleInput: insecureTest.allowsInsecure) }
        try OptionBounds.sessionSeconds.check(timeout, option: "--timeout")
    }

    /// What this party requires of the session's noise: nil unless --require-noise, --epsilon, --delta or
    /// --honest-parties is given.
    func noisePolicy() throws -> SessionNoise.Policy? {
        guard requireNoise || epsilon != nil || delta != nil || honestParties != nil else { return nil }
        do {
            return try SessionNoise.Policy(
                epsilon: try epsilon.map { try FixedPoint(parsing: $0, field: "--epsilon") },
                delta: try delta.map { try FixedPoint(parsing: $0, field: "--delta") }, honestParties: honestParties)
        } catch let error as SummaError {
            throw ValidationError("\(error)")
        }
    }

    func execute() async throws {
        guard let key else { return try await generateKey() }
        let share = try ThresholdFile.readShare(
            path: key, signingKey: try identity.map { (path) throws(ProvenanceError) in try Identity.read(path: path).signingKeyBytes })
        var values: [FixedPoint]
        var count = 1
        if let csv {
            // Summed as it streams: a file of any length holds one row in memory.
            let reader = try CSVRowReader(path: csv, columns: column)
            values = Array(repeating: .zero, count: column.count)
            count = 0
            while let row = try reader.next() {
                for (index, cell) in row.values.enumerated() { values[index] = values[index] + (cell ?? .zero) }
                count += 1
            }
        } else if let vector {
            values = try VectorFile.read(path: vector)
        } else {
            values = try value.map { try FixedPoint(parsing: $0, field: "--value") }
        }
        let machine = PartyMachine(
            share: share, values: values, names: column, count: count,
            minimumInputs: try minimumInputs(minInputs, key: share.publicKey),
            clipNorm: try clipNorm.map { try FixedPoint(parsing: $0, field: "--clip-norm") }, noisePolicy: try noisePolicy())
        do {
            let parties = share.publicKey.partyCount
            let result = try await PartyClient.run(
                machine: machine, host: connect.host, port: connect.port, timeout: .seconds(timeout)
            ) { header in
                // What this party's noise guarantees, as the coordinator announced it, computed here again.
                guard let noise = header.noise, let calibration = try? noise.calibration(length: header.length, scale: header.scale) else { return }
                printError(noise.description(calibration, parties: parties, scale: header.scale))
            }
            printResult(result, json: json)
        } catch {
            // A PartyFailure or a MultiPartyError: one line each, saying what happened.
            throw CommandFailure(description: "party \(share.index): \(error)")
        }
    }
}
