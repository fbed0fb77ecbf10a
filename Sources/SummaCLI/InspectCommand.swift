import ArgumentParser
import Provenance
import SummaFormats

struct InspectCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a file holds: kind, key fingerprint, columns, counts, scales; a threshold key's t and ℓ; who signed a statement.",
        discussion: "Shows no secret and decrypts nothing.")

    @Argument(help: ArgumentHelp("Files to describe.", valueName: "file"))
    var files: [String]

    func execute() async throws {
        for (index, path) in files.enumerated() {
            if files.count > 1 { print((index > 0 ? "\n" : "") + path + ":") }
            let lines = try InputStatement.summary(ofFileAt: path) ?? SummaFile.summary(ofFileAt: path)
            print(lines.joined(separator: "\n"))
        }
    }
}
