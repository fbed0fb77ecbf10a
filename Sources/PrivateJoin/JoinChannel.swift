import Crypto
import Foundation
import MultiParty

/// What both sides of a join share about its envelopes: the session id (the recipient draws it), the two identity
/// keys (the recipient's is sender 1, the contributor's sender 2) and this side's signing key. Every message is a
/// session envelope, signed by its sender, so that a join's messages cannot be taken for a session's or replayed
/// into another join.
struct JoinChannel: @unchecked Sendable {
    var session: Data
    let signingKey: Curve25519.Signing.PrivateKey
    /// [recipient, contributor]
    let roster: [Data]
    let sender: Int

    var peer: Int { 3 - sender }

    func seal(_ message: JoinMessage) -> Envelope {
        // Signing with a valid Ed25519 key cannot fail.
        try! Envelope(session: session, round: message.round, sender: sender, body: message.json, signingKey: signingKey)
    }

    /// The message in `payload`, after checking its session (unless `adopting`, for the first), sender and signature.
    mutating func open(_ payload: Data, adopting: Bool = false) throws(PrivateJoinError) -> JoinMessage {
        let envelope: Envelope
        do {
            envelope = try Envelope(parsing: payload, expectedSession: adopting ? nil : session)
            guard envelope.sender == peer else { throw MultiPartyError.unknownSender(envelope.sender) }
            try envelope.verifySignature(roster: roster)
        } catch {
            throw .protocolViolation("\(error)")
        }
        if adopting { session = envelope.session }
        let message = try JoinMessage(round: envelope.round, body: envelope.body)
        if case .abort(let reason) = message { throw .peerAborted(reason) }
        return message
    }
}
