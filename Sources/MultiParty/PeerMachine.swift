import Foundation

/// One side of a two-party protocol (a private join), socket-free: the transport (MultiPartyNIO's `PeerLink`) pulls
/// what it should send, one message at a time so that a long stream is never held whole, and hands it each frame's
/// payload. Tests drive two machines against each other directly.
public protocol PeerMachine: Sendable {
    associatedtype Outcome: Sendable

    /// The next message to send now, or nil when there is nothing to send until the peer answers.
    mutating func nextMessage() async throws -> Envelope?
    /// Takes one frame's payload from the peer. Throws, with a one-line reason, when the protocol cannot go on.
    mutating func received(_ payload: Data) async throws
    /// Set once the protocol has ended for this side.
    var outcome: Outcome? { get }
    /// The message telling the peer why this side stopped (nil before the session is known).
    func abortMessage(reason: String) -> Envelope?
}
