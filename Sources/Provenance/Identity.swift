import Crypto
import Foundation
import SummaFormats

/// A signing identity: an Ed25519 key of a data owner's (or a party's) own, made by `summa identity`, and its name.
/// The secret half signs what its owner writes; the public half (``PublicIdentity``) is what others list as a signer
/// they trust. swift-crypto keeps the private key in memory that is wiped when freed.
///
/// `@unchecked Sendable`: the key is immutable once made, and swift-crypto's key types are not marked Sendable.
public struct Identity: @unchecked Sendable {
    public let name: String
    let signingKey: Curve25519.Signing.PrivateKey

    /// A new identity named `name` (1…64 printable characters).
    public init(name: String) throws(ProvenanceError) {
        try PublicIdentity.checkName(name, path: "--name", field: "name")
        self.name = name
        signingKey = Curve25519.Signing.PrivateKey()
    }

    init(name: String, signingKey: Curve25519.Signing.PrivateKey) {
        self.name = name
        self.signingKey = signingKey
    }

    /// The private key's 32 raw bytes, for the session code that signs with it (within this package only).
    package var signingKeyBytes: Data { signingKey.rawRepresentation }

    /// The public half, to hand to whoever checks this identity's signatures.
    public var publicIdentity: PublicIdentity { PublicIdentity(name: name, key: signingKey.publicKey) }

    /// An Ed25519 signature of `message`.
    func sign(_ message: Data) throws(ProvenanceError) -> Data {
        do { return try signingKey.signature(for: message) } catch {
            throw .file(.incompatible("signing failed: \(error)"))
        }
    }
}

/// The public half of an ``Identity``: its name and Ed25519 key. Two identities are the same when their keys are;
/// the name is a label its owner chose, shown beside the key's fingerprint.
public struct PublicIdentity: Sendable, Equatable, Hashable {
    public let name: String
    /// The key's 32 raw bytes (swift-crypto's key type is not Sendable).
    let keyBytes: Data

    public init(name: String, key: Curve25519.Signing.PublicKey) {
        self.name = name
        keyBytes = key.rawRepresentation
    }

    public var key: Curve25519.Signing.PublicKey { try! Curve25519.Signing.PublicKey(rawRepresentation: keyBytes) }

    /// The key's 32 raw bytes: what a threshold key's roster names.
    public var publicKeyBytes: Data { keyBytes }

    /// `ed25519:` and the first 16 bytes of SHA-256 over the raw key, in hex: what people compare out of band.
    public var fingerprint: String { IdentityFingerprint.of(keyBytes) }

    /// "bank-a (ed25519:…)".
    public var label: String { "\(name) (\(fingerprint))" }

    public static func == (lhs: PublicIdentity, rhs: PublicIdentity) -> Bool { lhs.keyBytes == rhs.keyBytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(keyBytes) }

    /// Whether `signature` is this identity's over `message`.
    func verifies(_ signature: Data, over message: Data) -> Bool { key.isValidSignature(signature, for: message) }

    /// Names are 1…64 characters, none of them a control character (they are shown in tables and logs).
    static func checkName(_ name: String, path: String, field: String) throws(ProvenanceError) {
        guard (1...64).contains(name.count), name.firstUnprintableScalar == nil else {
            throw .malformedIdentity(path: path, field: field, reason: "a name is 1…64 characters, without control characters")
        }
    }
}
