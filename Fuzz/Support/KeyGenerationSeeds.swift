import Foundation
import KeyGeneration
import MultiParty

/// A key generation among the fuzz deal's five parties (256 bits, t = 3) in memory, every public value signed by its
/// party into the transcript a coordinator would write: the seed of FuzzKeyGeneration's transcript mode. Its key is
/// not the deal's, so the verifier reads it to its last line.
public enum KeyGenerationSeeds {
    public static let batchSize = 16

    /// Steps of one batch of candidates; the first batch begins at step 32.
    static let batchSteps = 32

    /// The step of a public values message; 0 for the other messages.
    public static func step(of envelope: Envelope) -> Int {
        guard case .values(let step, _)? = try? KeyGenerationBody(round: envelope.round, body: envelope.body) else { return 0 }
        return step
    }

    /// Whether a message is a dealer's published check of a dealing step (phases 17…30 of a batch).
    public static func isDealingCheck(_ envelope: Envelope) -> Bool { step(of: envelope) % batchSteps >= 17 }

    /// Runs key generations until one takes a candidate of batch `batches`, not earlier and not later:
    /// with one batch the transcript is 62 lines (62 kB) where a usual one of twenty batches has some 560 (540 kB),
    /// and the verifier checks every line in front of the one a mutation changed (an Ed25519 signature each) on
    /// every execution. About one batch in twenty has a candidate, so this costs what one usual key generation does.
    public static func transcript(batches: Int = 1) throws -> [Envelope] {
        struct OtherBatch: Error {}
        while true {
            do {
                let transcript = try transcriptUpTo(step: batchSteps * (batches + 1))
                if !transcript.contains(where: { step(of: $0) >= batchSteps * batches }) { continue }
                return transcript
            } catch is OtherBatch {
                continue
            }
        }

        func transcriptUpTo(step end: Int) throws -> [Envelope] {
            let key = Fixtures.publicKey
            let session = Fixtures.session
            let parameters = try KeyGenerationParameters(bits: 256, parties: 5, threshold: 3, batchSize: batchSize)
            var parties = Fixtures.deal.shares.map { share in
                KeyGenerationParty(
                    parameters: parameters, index: share.index, session: session, signingKeys: key.signingKeys,
                    coordinatorKey: key.coordinatorKey, signingKey: share.signingKeyBytes, allowInsecureKeySize: true)
            }
            var transcript = [Envelope(
                session: session, round: .keygenHello, sender: 0,
                body: KeyGenerationBody.hello(roster: "sha256:fuzz", bits: 256, parties: 5, threshold: 3, batchSize: batchSize).json)]
            for share in Fixtures.deal.shares {
                transcript.append(try Envelope(
                    session: session, round: .keygenKey, sender: share.index, body: KeyGenerationBody.key(Data(repeating: UInt8(share.index), count: 32)).json,
                    signingKey: share.signingKey))
            }
            let results = try KeyGenerationParty.runTogether(&parties) { sender, message in
                guard message.step < end else { throw OtherBatch() }
                if message.recipient == nil {
                    transcript.append(try Envelope(
                        session: session, round: .keygenPublic, sender: sender,
                        body: KeyGenerationBody.values(step: message.step, values: KeyGenerationWire.encode(message.values)).json,
                        signingKey: Fixtures.deal.shares[sender - 1].signingKey))
                }
                return message
            }
            let made = results[0].publicKey
            transcript.append(Envelope(session: session, round: .keygenResult, sender: 0, body: KeyGenerationBody.result(fingerprint: made.fingerprint).json))
            return transcript
        }
    }
}
