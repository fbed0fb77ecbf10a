/// What the coordinator's port lets a client hold, so that hostile clients cannot exhaust its memory: a bounded
/// number of connections, a deadline to authenticate (finish the TLS handshake with a roster key; until then
/// BoringSSL holds at most one handshake's bytes), and a largest frame after that.
public struct CoordinatorLimits: Sendable {
    /// Connections open at once; more are closed as they arrive.
    public var maximumConnections: Int
    /// The largest frame from a party.
    public var maximumFrame: Int
    /// How long a connection may stay open without authenticating.
    public var authenticationTimeout: Duration

    public init(maximumConnections: Int, maximumFrame: Int = 1 << 20, authenticationTimeout: Duration = .seconds(10)) {
        self.maximumConnections = maximumConnections
        self.maximumFrame = maximumFrame
        self.authenticationTimeout = authenticationTimeout
    }

    /// Room for every party of the roster to connect twice (a reconnect while its old connection is closing) plus
    /// a few strangers; frames up to `maximumFrame` (the key's ``Threshold/ThresholdPublicKey/sessionFrameLimit(values:ciphertexts:)``).
    public static func `default`(parties: Int, maximumFrame: Int = 1 << 20) -> CoordinatorLimits {
        CoordinatorLimits(maximumConnections: 2 * parties + 8, maximumFrame: maximumFrame)
    }
}
