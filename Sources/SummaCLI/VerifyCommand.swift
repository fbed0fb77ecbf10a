import ArgumentParser
import MultiParty
import SummaFormats
import Threshold

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
            let sums = report.result.sums.map(\.description).joined(separator: ", ")
            print("transcript verified: \(report.messages) messages; \(report.result.sums.count == 1 ? "sum" : "sums") \(sums) of \(report.result.count); \(report.result.rangesDescription)")
        } catch let problem as TranscriptVerifier.Problem {
            throw CommandFailure(description: "\(transcript): \(problem)")
        }
    }
}
