import ArgumentParser
import SummaFormats

struct InspectCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a file holds: kind, key fingerprint, columns, counts, scales; a threshold key's t and ℓ.",
        discussion: "Shows no secret and decrypts nothing.")

    @Argument(help: ArgumentHelp("Files to describe.", valueName: "file"))
    var files: [String]

    func execute() async throws {
        for (index, path) in files.enumerated() {
            if files.count > 1 { print((index > 0 ? "\n" : "") + path + ":") }
            print(try SummaFile.summary(ofFileAt: path).joined(separator: "\n"))
        }
    }
}
