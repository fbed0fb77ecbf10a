/// Why a session could not start on the network, in one line. (What goes wrong once connected is a
/// ``PartyFailure`` or, at the coordinator, the outcome's failure.)
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The coordinator's key file is of another deal than the session's key.
    case coordinatorKeyOfAnotherDeal
    /// The coordinator cannot listen on its address (in use, not this machine's, not allowed).
    case cannotListen(address: String, reason: String)
    /// A party cannot reach the coordinator.
    case cannotConnect(address: String, reason: String)

    public var description: String {
        switch self {
        case .coordinatorKeyOfAnotherDeal: "the coordinator's key is of another deal than the session's public key"
        case .cannotListen(let address, let reason): "cannot listen on \(address): \(reason)"
        case .cannotConnect(let address, let reason): "cannot reach the coordinator at \(address): \(reason)"
        }
    }
}
