import Foundation
import Logging

/// What a coordinator's state machine asks its transport to do.
public enum CoordinatorAction<Outcome: Sendable>: Sendable {
    case send(Int, Envelope)
    /// Drop this connection (garbage, a bad signature, another session); the protocol goes on.
    case close(Int, reason: String)
    /// Ask the transport to call ``CoordinatingMachine/deadlinePassed()`` after this many seconds.
    case startDeadline(seconds: Int)
    /// A line for the coordinator's log: parties, rounds and reasons, never a secret or a value.
    case log(Logger.Level, String)
    case finished(Outcome)
    case failed(reason: String, parties: [Int])
}

extension CoordinatorAction: Equatable where Outcome: Equatable {}

/// The coordinator's side of any protocol between roster parties (a sum session, a key generation), socket-free:
/// MultiPartyNIO's `CoordinatorServer` authenticates connections with TLS and feeds every machine the same events.
public protocol CoordinatingMachine: Sendable {
    associatedtype Outcome: Sendable
    /// The roster's Ed25519 keys in party order: a connection authenticated with key i − 1 is party i.
    var partyKeys: [Data] { get }
    /// Every envelope sent or accepted that the transcript keeps, in order.
    var transcript: [Envelope] { get }
    /// Opens the protocol (before any connection).
    mutating func start() -> [CoordinatorAction<Outcome>]
    /// A connection the transport authenticated as `party` (1…ℓ).
    mutating func connected(_ connection: Int, as party: Int) -> [CoordinatorAction<Outcome>]
    /// Bytes of one frame from a connection.
    mutating func received(_ payload: Data, from connection: Int) -> [CoordinatorAction<Outcome>]
    /// A connection ended.
    mutating func disconnected(_ connection: Int) -> [CoordinatorAction<Outcome>]
    /// The deadline last asked for passed.
    mutating func deadlinePassed() -> [CoordinatorAction<Outcome>]
    /// Whether a connection is bound to a party of the roster.
    func isAuthenticated(_ connection: Int) -> Bool
}

/// What a party's state machine asks its transport to do.
public enum PartyAction<Outcome: Sendable>: Sendable {
    case send(Envelope)
    case finished(Outcome)
    case failed(String)
}

extension PartyAction: Equatable where Outcome: Equatable {}

/// A party's side of any protocol with a coordinator, socket-free: MultiPartyNIO's `PartyClient` feeds it the
/// coordinator's frames and writes what it sends.
public protocol ParticipatingMachine: Sendable {
    associatedtype Outcome: Sendable
    /// One frame from the coordinator.
    mutating func received(_ payload: Data) -> [PartyAction<Outcome>]
}
