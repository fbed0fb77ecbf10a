import ArgumentParser
import MultiParty
import MultiPartyNIO
import Summa
import SummaFormats
import Threshold

struct PartyCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "party", abstract: "Take part in a multi-party sum with one key share.",
        discussion: "With --csv, contributes the column's sum and its row count, so the mean is over all rows.")

    @Option(help: ArgumentHelp("The coordinator's address.", valueName: "host:port"))
    var connect: Endpoint

    @Option(help: ArgumentHelp("This party's share file from `summa deal`.", valueName: "file"))
    var key: String

    /// Taken unconditionally, so that a negative value ("-0.56") is not read as an option.
    @Option(parsing: .unconditional, help: "The value to contribute (negative too: --value -12.50).")
    var value: String?

    @Option(help: ArgumentHelp("A CSV file whose column to contribute.", valueName: "file"))
    var csv: String?

    @Option(help: "The CSV column.")
    var column: String?

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
        guard (value == nil) != (csv == nil) else { throw ValidationError("give exactly one of --value and --csv") }
        if csv != nil && column == nil { throw ValidationError("--csv needs --column") }
        if let minInputs { try checkMinimumInputs(minInputs, parties: nil, allowingSingleInput: insecureTest.allowsInsecure) }
        try OptionBounds.sessionSeconds.check(timeout, option: "--timeout")
    }

    func execute() async throws {
        let share = try ThresholdFile.readShare(path: key)
        var contribution = FixedPoint.zero
        var count = 1
        if let value {
            contribution = try FixedPoint(parsing: value, field: "--value")
        } else if let csv, let column {
            // Summed as it streams: a column of any length holds one row in memory.
            let reader = try CSVRowReader(path: csv, columns: [column])
            count = 0
            while let row = try reader.next() {
                for case let value? in row.values {
                    contribution = contribution + value
                    count += 1
                }
            }
        }
        let machine = PartyMachine(
            share: share, value: contribution, count: count, minimumInputs: try minimumInputs(minInputs, key: share.publicKey))
        do {
            let result = try await PartyClient.run(
                machine: machine, host: connect.host, port: connect.port, timeout: .seconds(timeout))
            printResult(result, json: json)
        } catch {
            // A PartyFailure or a MultiPartyError: one line each, saying what happened.
            throw CommandFailure(description: "party \(share.index): \(error)")
        }
    }
}
