import ArgumentParser
import Foundation
import Paillier
import Summa
import SummaFormats

struct StatsCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Count, sum and mean; variance and standard deviation when squares are present.",
        discussion: """
            Without the private key, writes the encrypted statistics to --out for the key holder. With --private-key, \
            decrypts them at once and prints them.
            """)

    @OptionGroup var inputs: AggregateInputs

    @Option(help: ArgumentHelp("Where to write the encrypted statistics.", valueName: "file"))
    var out: String?

    @Option(name: .customLong("private-key"), help: ArgumentHelp("Decrypt and print the statistics.", valueName: "file"))
    var privateKey: String?

    @Option(parsing: .unconditional, help: "Decimals for mean, variance and standard deviation (default: the scale + 4).")
    var digits: Int?

    @Flag(help: "Print JSON (numbers as decimal strings).")
    var json = false

    func validate() throws {
        if out == nil && privateKey == nil { throw ValidationError("give --out (encrypted result) or --private-key (print it)") }
        try OptionBounds.decimals.check(digits, option: "--digits")
    }

    func execute() async throws {
        let inputPaths = inputs.paths + (privateKey.map { [$0] } ?? [])
        if let out { try SummaFile.checkOutput(out, inputs: inputPaths) }
        let (table, ledger) = try await inputs.aggregate(.stats)
        if let out { try inputs.write(table, ledger: ledger, to: out, inputs: inputPaths, verb: "statistics of") }
        if let privateKey {
            let key = try SummaFile.readPrivateKey(path: privateKey)
            let report = try await DecryptedReport.decrypt(.aggregate(table), path: "statistics", with: key, digits: digits)
            print(json ? report.json.serialized : report.lines.joined(separator: "\n"), terminator: json ? "" : "\n")
        }
    }
}
