import ArgumentParser
import BigNum
import Foundation
import Logging
import MultiParty
import MultiPartyNIO
import Provenance
import Summa
import SummaFormats
import Threshold

struct CoordinateCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinate", abstract: "Coordinate a multi-party sum: collect encrypted inputs, combine decryption shares.",
        discussion: """
            Sees only ciphertexts, proofs and the result. Parties connect over TLS: the coordinator proves it holds \
            the deal's coordinator key, each party its roster key. Exits 0 with the result, non-zero naming who failed.
            """)

    @Option(help: ArgumentHelp("Address to listen on (port 0: any free port, printed on stderr).", valueName: "host:port"))
    var listen: Endpoint

    @Option(help: ArgumentHelp(
        "The coordinator's key file from `summa deal` (coordinator.json), or with --identity the key's public.json.",
        valueName: "file"))
    var key: String?

    @Flag(help: "Generate a threshold key with the parties of --roster instead of running a session: nobody ever holds it (writes --out).")
    var keygen = false

    @Option(help: ArgumentHelp("With --keygen: the roster (summa roster) naming the parties, the coordinator, t and the key size.", valueName: "file"))
    var roster: String?

    @Option(help: ArgumentHelp("With --keygen: where to write the new public key (public.json).", valueName: "file"))
    var out: String?

    @Option(parsing: .unconditional, help: "With --keygen: candidate pairs tried per round trip (\(OptionBounds.keyGenerationBatch.shown); default 1024 at 1536 bits and up, else 256).")
    var batch: Int?

    @Option(help: ArgumentHelp(
        "The coordinator's own identity (summa identity), when the deal named it (deal --coordinator-identity).",
        valueName: "file"))
    var identity: String?

    @Option(
        name: .customLong("min-inputs"), parsing: .unconditional,
        help: "Inputs needed to go on, 2…ℓ (default: the key's threshold, at least 2).")
    var minInputs: Int?

    @Option(parsing: .unconditional, help: "Seconds to wait for inputs, and for each later round (\(OptionBounds.sessionSeconds.shown)).")
    var timeout = 30

    @Option(parsing: .unconditional, help: "Decimals of the inputs (\(OptionBounds.decimals.shown)).")
    var scale = 2

    @Option(help: "Name a value of every input (its column); repeat it for several, in order.")
    var column: [String] = []

    @Option(parsing: .unconditional, help: "Values in every input, unnamed (\(OptionBounds.sessionLength.shown), or up to \(OptionBounds.packedSessionLength.upperBound) with --bound; default 1).")
    var length: Int?

    @Option(help: ArgumentHelp(
        "The largest |value| a party may contribute (at --scale): inputs are then packed, many values per ciphertext (vectors).",
        valueName: "decimal"))
    var bound: String?

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "The range every party must prove its values in, lower:upper at --scale: once for every value, or name=lower:upper per --column (columns without one: ±--bound). Packs the inputs; with --bound alone every value is proven within ±bound.",
        valueName: "[name=]lower:upper"))
    var range: [String] = []

    @Flag(help: "With --bound: no range proofs (each input proves only that its party knows its plaintexts; the output says so).")
    var noRangeProofs = false

    @Option(help: ArgumentHelp(
        "Make the sums (ε, δ)-differentially private with noise every party adds (vectors: with --delta, --clip-norm).",
        valueName: "ε"))
    var epsilon: String?

    @Option(help: ArgumentHelp("With --epsilon: δ.", valueName: "δ"))
    var delta: String?

    @Option(help: ArgumentHelp("With --epsilon: the L2 norm every party's vector is clipped to.", valueName: "norm"))
    var clipNorm: String?

    @Option(
        name: .customLong("honest-parties"), parsing: .unconditional,
        help: "With --epsilon: the fewest parties counted on to add their noise (default: the minimum number of inputs).")
    var honestParties: Int?

    @Option(help: ArgumentHelp("Write every message, signed, as JSON lines (check it with `summa verify`).", valueName: "file"))
    var transcript: String?

    @Flag(help: "Print the result as one JSON object (numbers as decimal strings).")
    var json = false

    @Option(name: .customLong("log-level"), help: "What to log on stderr, one line per event: trace, debug, info (connections), notice (rounds), warning (refusals, blame), error, critical.")
    var logLevel = Logger.Level.notice

    @OptionGroup var insecureTest: InsecureTestOption

    /// Refuses now what the parties would refuse in the header (a scale or deadline out of their bounds) and a
    /// session of a single input, before anyone connects.
    func validate() throws {
        if keygen {
            guard key == nil else { throw ValidationError("--keygen makes the key: give --roster, --identity and --out, not --key") }
            guard roster != nil, identity != nil, out != nil else { throw ValidationError("--keygen needs --roster, --identity (the coordinator's) and --out") }
            if let batch { try OptionBounds.keyGenerationBatch.check(batch, option: "--batch") }
            try OptionBounds.sessionSeconds.check(timeout, option: "--timeout")
            return
        }
        guard key != nil else { throw ValidationError("give --key (or --keygen with --roster)") }
        guard roster == nil, out == nil, batch == nil else { throw ValidationError("--roster, --out and --batch are for --keygen") }
        if let minInputs { try checkMinimumInputs(minInputs, parties: nil, allowingSingleInput: insecureTest.allowsInsecure) }
        try OptionBounds.sessionSeconds.check(timeout, option: "--timeout")
        try OptionBounds.decimals.check(scale, option: "--scale")
        try checkSessionColumns(column)
        if let length {
            guard column.isEmpty else { throw ValidationError("give --column or --length, not both") }
            try (bound == nil && range.isEmpty ? OptionBounds.sessionLength : OptionBounds.packedSessionLength).check(length, option: "--length")
        }
        _ = try valueBound()
        if noRangeProofs, bound == nil { throw ValidationError("--no-range-proofs is for sessions with --bound: without one no range is declared") }
        if !range.isEmpty {
            guard !noRangeProofs else { throw ValidationError("give --range or --no-range-proofs, not both") }
            guard epsilon == nil else {
                throw ValidationError("--range with --epsilon: noisy values are proven within ±--bound, which leaves room for the noise")
            }
            _ = try sessionRanges(length: length ?? max(1, column.count), bound: valueBound())
        }
        if epsilon != nil || delta != nil || clipNorm != nil || honestParties != nil {
            guard epsilon != nil, delta != nil, clipNorm != nil else {
                throw ValidationError("--epsilon needs --delta and --clip-norm (and packs the inputs: give --length)")
            }
            if let honestParties { try checkMinimumInputs(honestParties, parties: nil, allowingSingleInput: true) }
        }
    }

    /// `--bound` as a mantissa at `--scale`: positive, with no more decimals than the scale, below 2⁶³.
    func valueBound() throws -> BigInteger? {
        guard let bound else { return nil }
        let value = try FixedPoint(parsing: bound, field: "--bound")
        let refused = ValidationError("--bound must be positive, with at most --scale decimals, and below 2^63 at that scale")
        guard value > .zero, value.scale <= scale else { throw refused }
        let mantissa = try value.rescaled(to: scale).mantissa
        guard mantissa <= Message.Header.maximumValueBound else { throw refused }
        return mantissa
    }

    /// The ranges every input is proven in (`--range`, or ±`bound`; none with `--no-range-proofs`) and the bound the
    /// session packs with.
    func sessionRanges(length: Int, bound: BigInteger?) throws -> SessionRanges {
        do {
            return try SessionRanges(parsing: noRangeProofs ? [] : range, names: column, length: length, scale: scale, bound: noRangeProofs ? nil : bound)
        } catch {
            throw ValidationError("--range \(error)")
        }
    }

    /// The noise `--epsilon`, `--delta` and `--clip-norm` ask every party to add (nil without them), the value
    /// bound (`--bound`, or one with room for the clipped values and their noise), and the line that states the
    /// guarantee.
    func sessionNoise(length: Int, minimumInputs: Int, key: ThresholdPublicKey) throws
        -> (noise: SessionNoise?, valueBound: BigInteger?, accounting: String?)
    {
        let given = try valueBound()
        guard let epsilon, let delta, let clipNorm else { return (nil, given, nil) }
        let noise: SessionNoise
        let calibration: DistributedNoise
        do {
            noise = try SessionNoise(
                epsilon: try FixedPoint(parsing: epsilon, field: "--epsilon"), delta: try FixedPoint(parsing: delta, field: "--delta"),
                clipNorm: try FixedPoint(parsing: clipNorm, field: "--clip-norm"), honestParties: honestParties ?? minimumInputs)
            try noise.check(parties: key.partyCount, minimumInputs: minimumInputs)
            calibration = try noise.calibration(length: length, scale: scale)
        } catch {
            throw CommandFailure(description: "--epsilon: \(error)")
        }
        // Room for the clipped values and their noise: the norm, and twelve standard deviations (a value beyond
        // them comes with probability below 10⁻³⁰).
        let needed = try noise.clipNorm.rescaled(to: scale).mantissa + BigInteger(Int((12 * calibration.sigma).rounded(.up)) + 1)
        if let given, given < needed {
            throw CommandFailure(description: "--bound \(bound!) leaves no room for the noise: use at least \(try FixedPoint(mantissa: needed, scale: scale)), or leave --bound out")
        }
        return (noise, given ?? needed, noise.description(calibration, parties: key.partyCount, scale: scale))
    }

    /// The coordinator's key: its file from the deal, or the deal's public key and the coordinator's own identity,
    /// which must be the one the deal names.
    func coordinatorKey(_ key: String) throws -> CoordinatorKey {
        guard let identity else { return try ThresholdFile.readCoordinatorKey(path: key) }
        let publicKey = try ThresholdFile.readPublicKey(path: key)
        let signing = try Identity.read(path: identity)
        do {
            return try CoordinatorKey(publicKey: publicKey, signingKey: signing.signingKeyBytes)
        } catch {
            throw CommandFailure(description: "\(identity): not the coordinator identity the deal \(key) names")
        }
    }

    func execute() async throws {
        guard let key else { return try await generateKey() }
        // Checked now: a bad path found after the session would lose its transcript.
        let inputs = [key] + (identity.map { [$0] } ?? [])
        if let transcript { try SummaFile.checkOutput(transcript, inputs: inputs) }
        let identity = try coordinatorKey(key)
        let publicKey = identity.publicKey
        let minimum = try minimumInputs(minInputs, key: publicKey)
        let length = length ?? max(1, column.count)
        let (noise, noiseBound, accounting) = try sessionNoise(length: length, minimumInputs: minimum, key: publicKey)
        let ranges = try sessionRanges(length: length, bound: noiseBound)
        let valueBound = noRangeProofs ? noiseBound : ranges.valueBound
        if let valueBound, SessionPacking(length: length, valueBound: valueBound, parties: publicKey.partyCount, keyBits: publicKey.paillierKey.bits) == nil {
            throw CommandFailure(description: "--\(bound == nil ? "range" : "bound \(bound!)"): slots for the sum of \(publicKey.partyCount) such values do not fit a \(publicKey.paillierKey.bits)-bit key")
        }
        let machine = CoordinatorMachine(
            key: publicKey, scale: scale, minimumInputs: minimum, inputDeadline: timeout, roundDeadline: timeout,
            length: length, names: column, valueBound: valueBound, noise: noise, ranges: ranges.ranges)
        var logger = Logger(label: "summa.coordinator") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        let outcome = try await CoordinatorServer.run(
            machine: machine, identity: identity, host: listen.host, port: listen.port, logger: logger
        ) { port in
            printError("listening on \(listen.host):\(port) for \(publicKey.partyCount) parties (\(publicKey.threshold) to decrypt)")
            if let accounting { printError(accounting) }
        }
        printError("\(outcome.bytesReceived) bytes received, \(outcome.bytesSent) bytes sent")
        if let transcript {
            try SummaFile.write(TranscriptVerifier.jsonLines(outcome.transcript), to: transcript, inputs: inputs)
        }
        if let result = outcome.result {
            printResult(result, json: json)
        } else if let failure = outcome.failure {
            let parties = failure.parties.isEmpty ? "" : " (parties \(failure.parties.map(String.init).joined(separator: ", ")))"
            throw CommandFailure(description: "the session failed: \(failure.reason)\(parties)")
        }
    }
}
