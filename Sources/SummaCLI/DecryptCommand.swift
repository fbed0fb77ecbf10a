import ArgumentParser
import SummaFormats

struct DecryptCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt", abstract: "Decrypt values or results with the private key.",
        discussion: """
            Prints encrypted columns one value per line in row order, and sums, means and statistics exactly \
            (means and variances rounded half to even). A result that overflowed is an error, never a wrong number.
            """)

    @Option(help: ArgumentHelp("The private key file (Summa's or pheutil's).", valueName: "file"))
    var key: String

    @Argument(help: ArgumentHelp("The encrypted file.", valueName: "file"))
    var file: String

    @Flag(help: "Print JSON (numbers as decimal strings).")
    var json = false

    @Option(parsing: .unconditional, help: "Decimals for mean, variance and standard deviation (default: the scale + 4).")
    var digits: Int?

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        try OptionBounds.decimals.check(digits, option: "--digits")
    }

    func execute() async throws {
        let privateKey = try SummaFile.readPrivateKey(path: key)
        let encrypted = try SummaFile.read(path: file)
        let report = try await progress.meter("decrypting", unit: "records").tracking { update in
            try await DecryptedReport.decrypt(encrypted, path: file, with: privateKey, digits: digits, progress: update)
        }
        for note in report.notes { printError("note: \(note)") }
        if json {
            print(report.json.serialized, terminator: "")
        } else {
            print(report.lines.joined(separator: "\n"))
        }
    }
}
