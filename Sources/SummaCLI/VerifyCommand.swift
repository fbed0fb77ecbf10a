import ArgumentParser
import Foundation
import MultiParty
import SummaFormats
import Threshold

struct VerifyCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Re-check a session or key generation transcript offline: signatures, proofs, the combination.")

    @Argument(help: ArgumentHelp("The transcript (JSON lines).", valueName: "file"))
    var transcript: String

    @Option(help: ArgumentHelp("The threshold public key.", valueName: "file"))
    var key: String

    func execute() async throws {
        let publicKey = try ThresholdFile.readPublicKey(path: key)
        let data = try SummaFile.contents(atPath: transcript)
        if TranscriptVerifier.isKeyGeneration(data) { return try verifyKeyGeneration(data, key: publicKey) }
        do {
            let report = try TranscriptVerifier.verify(data, key: publicKey)
            let sums = report.result.sums.map(\.description).joined(separator: ", ")
            print("transcript verified: \(report.messages) messages; \(report.result.sums.count == 1 ? "sum" : "sums") \(sums) of \(report.result.count); \(report.result.rangesDescription)")
        } catch {
            throw CommandFailure(description: "\(transcript): \(error)")
        }
    }

    /// A key generation's transcript (`coordinate --keygen --transcript`), against the key it made.
    func verifyKeyGeneration(_ data: Data, key publicKey: ThresholdPublicKey) throws {
        let report: TranscriptVerifier.KeyGenerationReport
        do {
            report = try TranscriptVerifier.verifyKeyGeneration(data, key: publicKey)
        } catch {
            throw CommandFailure(description: "\(transcript): \(error)")
        }
        print("transcript verified: \(report.messages) messages; key generation of \(publicKey.fingerprint) (\(publicKey.threshold) of \(publicKey.partyCount), \(publicKey.n.bitWidth) bits) in \(report.batches) batches, \(report.biprimalityCandidates) biprimality candidates, checked by its test decryption")
    }
}
