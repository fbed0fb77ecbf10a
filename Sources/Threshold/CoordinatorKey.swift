import Crypto
import Foundation

/// The coordinator's secret: the Ed25519 private key whose public half is the threshold key's
/// ``ThresholdPublicKey/coordinatorKey``. The coordinator proves with it who it is when parties connect (it signs
/// the TLS handshake), so that a stranger can neither pose as the coordinator nor read a session's messages. It
/// decrypts nothing. Descriptions never show it.
public struct CoordinatorKey: Sendable {
    public let publicKey: ThresholdPublicKey
    /// The raw 32-byte Ed25519 private key.
    package let signingKeyBytes: Data

    /// A key from outside (a file): its public half must be the public key's coordinator key.
    public init(publicKey: ThresholdPublicKey, signingKey: Data) throws(ThresholdError) {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: signingKey),
            key.publicKey.rawRepresentation == publicKey.coordinatorKey
        else { throw .coordinatorKeyDoesNotMatch }
        self.init(trusted: publicKey, signingKey: signingKey)
    }

    init(trusted publicKey: ThresholdPublicKey, signingKey: Data) {
        self.publicKey = publicKey
        self.signingKeyBytes = signingKey
    }

    /// The Ed25519 key the coordinator authenticates with.
    public var signingKey: Curve25519.Signing.PrivateKey {
        try! Curve25519.Signing.PrivateKey(rawRepresentation: signingKeyBytes)  // checked at init
    }
}

extension CoordinatorKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "CoordinatorKey(\(publicKey.fingerprint), private key redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }
}
