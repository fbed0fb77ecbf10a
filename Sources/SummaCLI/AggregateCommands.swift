import ArgumentParser
import Foundation
import Paillier
import Summa
import SummaFormats

/// Inputs shared by sum, mean and stats: files to combine, columns, and the key python-paillier files need.
struct AggregateInputs: ParsableArguments {
    @Argument(help: ArgumentHelp("Encrypted files (Summa's, or pheutil ciphertexts with --key).", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("A column to include (repeat; default: all of the first file's).", valueName: "name"))
    var column: [String] = []

    @Option(help: ArgumentHelp("The public key of python-paillier ciphertext inputs.", valueName: "file"))
    var key: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one encrypted file") }
    }

    func aggregate(_ kind: AggregateKind) throws(FormatError) -> AggregateTable {
        let pheKey = try key.map { (path) throws(FormatError) in try SummaFile.readPublicKey(path: path) }
        return try Aggregation.aggregate(
            try readFiles(files), columns: column.isEmpty ? nil : column, kind: kind, pheKey: pheKey)
    }
}

struct SumCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "sum", abstract: "Sum encrypted columns, without the private key.",
        discussion: "Several files (shards, machines) are merged; they must share one key. The count travels along.")

    @OptionGroup var inputs: AggregateInputs

    @Option(help: "summa (default) or phe: one pheutil ciphertext object (needs a single column).")
    var format: OutputFormat = .summa

    @OptionGroup var output: OutputOptions

    func execute() async throws {
        let table = try inputs.aggregate(.sum)
        if format == .phe {
            guard table.columns.count == 1 else {
                throw CommandFailure(description: "--format phe writes one sum: choose a column with --column")
            }
            try SummaFile.write(try table.columns[0].aggregate.sum.pheJSON(), to: output.out)
        } else {
            try SummaFile.write(table.summaJSON, to: output.out)
        }
        printError("summed \(describe(table)) -> \(output.out)")
    }
}

struct MeanCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "mean", abstract: "Prepare encrypted means (sum and count), without the private key.",
        discussion: "`summa decrypt` of the output prints the mean, rounded half to even to the scale + 4 decimals.")

    @OptionGroup var inputs: AggregateInputs
    @OptionGroup var output: OutputOptions

    func execute() async throws {
        let table = try inputs.aggregate(.mean)
        try SummaFile.write(table.summaJSON, to: output.out)
        printError("mean of \(describe(table)) -> \(output.out)")
    }
}

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

    @Option(help: "Decimals for mean, variance and standard deviation (default: the scale + 4).")
    var digits: Int?

    @Flag(help: "Print JSON (numbers as decimal strings).")
    var json = false

    func validate() throws {
        if out == nil && privateKey == nil { throw ValidationError("give --out (encrypted result) or --private-key (print it)") }
    }

    func execute() async throws {
        let table = try inputs.aggregate(.stats)
        if let out {
            try SummaFile.write(table.summaJSON, to: out)
            printError("statistics of \(describe(table)) -> \(out)")
        }
        if let privateKey {
            let key = try SummaFile.readPrivateKey(path: privateKey)
            let report = try await DecryptedReport.decrypt(.aggregate(table), path: "statistics", with: key, digits: digits)
            print(json ? report.json.serialized : report.lines.joined(separator: "\n"), terminator: json ? "" : "\n")
        }
    }
}

func describe(_ table: AggregateTable) -> String {
    table.columns.map { "\($0.name) (\($0.aggregate.count) values)" }.joined(separator: ", ")
}
