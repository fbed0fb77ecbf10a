import ArgumentParser
import Foundation
import Summa
import SummaFormats

struct RegressCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "regress", abstract: "Fit least squares from encrypted sums, decrypting only the sums.",
        discussion: """
            Sums the files (encrypted with --squares and --products over the columns named), decrypts n, Σx, Σy, \
            Σx·x and Σx·y with the private key, and fits y = b0 + b1·x1 + … exactly, then prints each coefficient \
            with its standard error, and R², rounded half to even to --digits.
            """)

    @OptionGroup var inputs: AggregateInputs

    @Option(name: .customLong("private-key"), help: ArgumentHelp("The private key that decrypts the sums.", valueName: "file"))
    var privateKey: String

    @Option(help: ArgumentHelp("The response column.", valueName: "column"))
    var y: String

    @Option(help: ArgumentHelp("A regressor column (repeat for several).", valueName: "column"))
    var x: [String]

    @Option(parsing: .unconditional, help: "Decimals of every figure (default 6).")
    var digits = 6

    @Flag(help: "Print JSON (numbers as decimal strings).")
    var json = false

    func validate() throws {
        if x.isEmpty { throw ValidationError("name at least one regressor with --x") }
        try checkColumns(x + [y])
        try OptionBounds.decimals.check(digits, option: "--digits")
    }

    func execute() async throws {
        let key = try SummaFile.readPrivateKey(path: privateKey)
        let (table, _) = try await inputs.aggregate(.stats)
        let fit = try await RegressionReport.fit(table, response: y, regressors: x, key: key, digits: digits)
        print(json ? fit.json.serialized : fit.lines.joined(separator: "\n"), terminator: json ? "" : "\n")
    }
}
