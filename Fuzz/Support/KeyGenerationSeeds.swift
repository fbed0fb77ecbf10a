import Foundation
import KeyGeneration
import MultiParty

/// A key generation among the fuzz deal's five parties (256 bits, t = 3) in memory, every public value signed by its
/// party into the transcript a coordinator would write: the seed of FuzzKeyGeneration's transcript mode. Its key is
/// not the deal's, so the verifier reads it to its last line.
public enum KeyGenerationSeeds {
    public static let batchSize = 16

    public static func transcript() throws -> [Envelope] {
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
