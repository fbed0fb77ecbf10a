import BigNum
import Crypto
import Foundation

/// Party i's secret: its share sᵢ = f(i) of the decryption exponent, and its Ed25519 signing key. Checked against
/// the public vᵢ when made, so a share from another deal is refused on load. Descriptions never show it.
public struct KeyShare: Sendable {
    public let publicKey: ThresholdPublicKey
    /// The party's index, 1…ℓ.
    public let index: Int
    /// sᵢ, in 0..<n·m.
    package let secret: BigInteger
    /// The raw 32-byte Ed25519 private key.
    package let signingKeyBytes: Data

    /// A share from outside (a file): checks the index, vᵢ = v^(Δ·sᵢ) mod n², and the signing key's public half
    /// against the roster.
    public init(publicKey: ThresholdPublicKey, index: Int, secret: BigInteger, signingKey: Data) throws(ThresholdError) {
        _ = try DealtShare(validating: publicKey, index: index, secret: secret)
        guard let signing = try? Curve25519.Signing.PrivateKey(rawRepresentation: signingKey),
            signing.publicKey.rawRepresentation == publicKey.signingKeys[index - 1]
        else { throw .shareDoesNotMatchKey(party: index) }
        self.init(trusted: publicKey, index: index, secret: secret, signingKey: signingKey)
    }

    init(trusted publicKey: ThresholdPublicKey, index: Int, secret: BigInteger, signingKey: Data) {
        self.publicKey = publicKey
        self.index = index
        self.secret = secret
        self.signingKeyBytes = signingKey
    }

    /// The Ed25519 key this party signs protocol messages with.
    public var signingKey: Curve25519.Signing.PrivateKey {
        try! Curve25519.Signing.PrivateKey(rawRepresentation: signingKeyBytes)  // checked at init
    }

    /// sᵢ, for writing the share file. Handle as a secret.
    public var secretShare: BigInteger { secret }
}

/// A share as a dealer hands it to a party that brings its own identity: everything of a ``KeyShare`` but the signing
/// key, which only its owner holds. ``KeyShare/init(dealt:signingKey:)`` joins them.
public struct DealtShare: Sendable {
    public let publicKey: ThresholdPublicKey
    /// The party's index, 1…ℓ.
    public let index: Int
    /// sᵢ. Handle as a secret.
    package let secret: BigInteger

    init(publicKey: ThresholdPublicKey, index: Int, secret: BigInteger) {
        self.publicKey = publicKey
        self.index = index
        self.secret = secret
    }

    /// A dealt share from outside (a file): checks the index and vᵢ = v^(Δ·sᵢ) mod n².
    public init(validating publicKey: ThresholdPublicKey, index: Int, secret: BigInteger) throws(ThresholdError) {
        let expected = try publicKey.verificationKey(of: index)
        guard secret.signum > 0, publicKey.v.power(secretExponent: publicKey.delta * secret, modulo: publicKey.nSquared) == expected else {
            throw .shareDoesNotMatchKey(party: index)
        }
        self.init(publicKey: publicKey, index: index, secret: secret)
    }

    /// sᵢ, for writing the share file. Handle as a secret.
    public var secretShare: BigInteger { secret }
}

extension DealtShare: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "DealtShare(party \(index) of \(publicKey.partyCount), secret redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["index": index], displayStyle: .struct) }
}

extension KeyShare {
    /// A dealt share joined with its owner's Ed25519 private key, checked as a share from a file is.
    public init(dealt: DealtShare, signingKey: Data) throws(ThresholdError) {
        try self.init(publicKey: dealt.publicKey, index: dealt.index, secret: dealt.secret, signingKey: signingKey)
    }
}

extension KeyShare: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "KeyShare(party \(index) of \(publicKey.partyCount), secret redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["index": index], displayStyle: .struct) }
}
