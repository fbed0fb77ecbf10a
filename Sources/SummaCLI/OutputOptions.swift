import ArgumentParser
import Foundation

/// Options shared by commands that write a file.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Where to write the result.", valueName: "file"))
    var out: String
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case summa, phe
}

/// Prints to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
