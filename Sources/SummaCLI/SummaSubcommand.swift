import ArgumentParser
import KeyGeneration
import MultiParty
import Paillier
import PrivateJoin
import Provenance
import Summa
import SummaFormats
import Threshold

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
        } catch let error as ProvenanceError {
            throw CommandFailure(description: error.description)
        } catch let error as PrivateJoinError {
            throw CommandFailure(description: error.description)
        } catch let error as PaillierError {
            throw CommandFailure(description: error.description)
        } catch let error as KeyGenerationError {
            throw CommandFailure(description: error.description)
        }
    }
}
