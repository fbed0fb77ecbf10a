import ArgumentParser
import Foundation
import MultiParty
import Summa
import SummaFormats
import Threshold

/// host:port, as given to --listen and --connect.
struct Endpoint: ExpressibleByArgument {
    let host: String
    let port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
            (0...65535).contains(port), colon > argument.startIndex
        else { return nil }
        host = String(argument[..<colon])
        self.port = port
    }
}

/// `--min-inputs` as given, or the key's default; within 1…ℓ.
func minimumInputs(_ given: Int?, key: ThresholdPublicKey) throws -> Int {
    let minimum = given ?? key.defaultMinimumInputs
    guard (1...key.partyCount).contains(minimum) else {
        throw CommandFailure(description: "--min-inputs must be from 1 to \(key.partyCount)")
    }
    return minimum
}

/// The result as `--json` or as lines.
func printResult(_ result: SessionResult, json: Bool) {
    if json {
        print(result.json.serialized, terminator: "")
        return
    }
    let list = { (parties: [Int]) in parties.isEmpty ? "none" : parties.map(String.init).joined(separator: ", ") }
    print("""
        sum: \(result.sum)
        mean: \(result.mean?.description ?? "undefined")
        count: \(result.count)
        contributors: \(list(result.contributors))
        blamed: \(list(result.blamed))
        """)
}

struct CoordinateCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinate", abstract: "Coordinate a multi-party sum: collect encrypted inputs, combine decryption shares.",
        discussion: "Sees only ciphertexts, proofs and the result. Exits 0 with the result, non-zero naming who failed.")

    @Option(help: ArgumentHelp("Address to listen on (port 0: any free port, printed on stderr).", valueName: "host:port"))
    var listen: Endpoint

    @Option(help: ArgumentHelp("The threshold public key from `summa deal`.", valueName: "file"))
    var key: String

    @Option(name: .customLong("min-inputs"), help: "Inputs needed to go on (default: the key's threshold, at least 2).")
    var minInputs: Int?

    @Option(help: "Seconds to wait for inputs, and for each later round.")
    var timeout = 30

    @Option(help: "Decimals of the inputs.")
    var scale = 2

    @Option(help: ArgumentHelp("Write every message, signed, as JSON lines (check it with `summa verify`).", valueName: "file"))
    var transcript: String?

    @Flag(help: "Print the result as one JSON object (numbers as decimal strings).")
    var json = false

    func execute() async throws {
        let publicKey = try ThresholdFile.readPublicKey(path: key)
        let minimum = try minimumInputs(minInputs, key: publicKey)
        let machine = CoordinatorMachine(
            key: publicKey, scale: scale, minimumInputs: minimum, inputDeadline: timeout, roundDeadline: timeout)
        let outcome = try await CoordinatorServer.run(machine: machine, host: listen.host, port: listen.port) { port in
            printError("listening on \(listen.host):\(port) for \(publicKey.partyCount) parties (\(publicKey.threshold) to decrypt)")
        }
        printError("\(outcome.bytesReceived) bytes received, \(outcome.bytesSent) bytes sent")
        if let transcript {
            try SummaFile.write(TranscriptVerifier.jsonLines(outcome.transcript), to: transcript)
        }
        if let result = outcome.result {
            printResult(result, json: json)
        } else if let failure = outcome.failure {
            let parties = failure.parties.isEmpty ? "" : " (parties \(failure.parties.map(String.init).joined(separator: ", ")))"
            throw CommandFailure(description: "the session failed: \(failure.reason)\(parties)")
        }
    }
}

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

    @Option(name: .customLong("min-inputs"), help: "Refuse sessions that decrypt a sum of fewer inputs (default: the key's threshold, at least 2).")
    var minInputs: Int?

    @Option(help: "Seconds to wait for the session to end.")
    var timeout = 300

    @Flag(help: "Print the result as one JSON object (numbers as decimal strings).")
    var json = false

    func validate() throws {
        guard (value == nil) != (csv == nil) else { throw ValidationError("give exactly one of --value and --csv") }
        if csv != nil && column == nil { throw ValidationError("--csv needs --column") }
    }

    func execute() async throws {
        let share = try ThresholdFile.readShare(path: key)
        var contribution = FixedPoint.zero
        var count = 1
        if let value {
            contribution = try FixedPoint(parsing: value, field: "--value")
        } else if let csv, let column {
            let values = try CSVColumns.read(path: csv, columns: [column]).columns[0].values
            contribution = values.reduce(FixedPoint.zero, +)
            count = values.count
        }
        let machine = PartyMachine(
            share: share, value: contribution, count: count, minimumInputs: try minimumInputs(minInputs, key: share.publicKey))
        do {
            let result = try await PartyClient.run(
                machine: machine, host: connect.host, port: connect.port, timeout: .seconds(timeout))
            printResult(result, json: json)
        } catch let failure as PartyFailure {
            throw CommandFailure(description: "party \(share.index): \(failure.reason)")
        } catch {
            throw CommandFailure(description: "party \(share.index): cannot reach the coordinator at \(connect.host):\(connect.port) (\(error))")
        }
    }
}

struct VerifyCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Re-check a session transcript offline: signatures, proofs, the combination.")

    @Argument(help: ArgumentHelp("The transcript (JSON lines).", valueName: "file"))
    var transcript: String

    @Option(help: ArgumentHelp("The threshold public key.", valueName: "file"))
    var key: String

    func execute() async throws {
        let publicKey = try ThresholdFile.readPublicKey(path: key)
        do {
            let report = try TranscriptVerifier.verify(try SummaFile.contents(atPath: transcript), key: publicKey)
            print("transcript verified: \(report.messages) messages; sum \(report.result.sum) of \(report.result.count)")
        } catch let problem as TranscriptVerifier.Problem {
            throw CommandFailure(description: "\(transcript): \(problem)")
        }
    }
}
