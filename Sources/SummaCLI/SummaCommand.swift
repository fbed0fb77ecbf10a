import ArgumentParser
import Foundation
import MultiParty
import Summa
import SummaFormats
import Threshold

@main
struct SummaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summa",
        abstract: "Sums, means and statistics over encrypted numbers (Paillier).",
        discussion: """
            Encrypt CSV columns under a public key; anyone can then sum and average the ciphertexts without the key; \
            only the private key holder decrypts the results, exact to the last decimal.
            Keys and ciphertexts of python-paillier's pheutil are accepted wherever a key or ciphertext file is.
            """,
        version: "0.1.0",
        subcommands: [
            KeygenCommand.self, EncryptCommand.self, SumCommand.self, MeanCommand.self, StatsCommand.self,
            DecryptCommand.self, InspectCommand.self, DemoCommand.self, DealCommand.self, CoordinateCommand.self, PartyCommand.self, VerifyCommand.self,
            BenchCommand.self,
        ]
    )
}

/// An error already worded for the user: ArgumentParser prints "Error: " and this description, and exits 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

/// A subcommand whose library errors become one-line messages with a non-zero exit.
protocol SummaSubcommand: AsyncParsableCommand {
    func execute() async throws
}

extension SummaSubcommand {
    func run() async throws {
        do {
            try await execute()
        } catch let error as FormatError {
            throw CommandFailure(description: error.description)
        } catch let error as SummaError {
            throw CommandFailure(description: error.description)
        } catch let error as ThresholdError {
            throw CommandFailure(description: error.description)
        } catch let error as MultiPartyError {
            throw CommandFailure(description: error.description)
        }
    }
}

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

/// Reads every input file, naming the one at fault in errors.
func readFiles(_ paths: [String]) throws(FormatError) -> [(path: String, file: SummaFile)] {
    try paths.map { (path) throws(FormatError) in (path, try SummaFile.read(path: path)) }
}
