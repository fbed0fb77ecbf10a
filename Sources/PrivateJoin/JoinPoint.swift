import Crypto
import Foundation

/// A point of P-256 as the join exchanges it: its x-coordinate, 32 bytes. A point and its negative share an
/// x-coordinate, and x(k·P) = x(k·(−P)), so x-coordinates alone carry the commutative encryption: a party lifts
/// x to the point of even y, multiplies, and keeps the product's x. Equal identifiers blinded by both parties' keys,
/// in either order, give equal points.
public struct JoinPoint: Hashable, Sendable {
    /// The x-coordinate as four big-endian words: hashing and comparing 32 bytes without an allocation per point.
    let words: (UInt64, UInt64, UInt64, UInt64)

    /// The encoded size.
    public static let byteCount = 32

    init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// The point whose x-coordinate is `bytes` (32 bytes, big-endian), checked to be on the curve: nil otherwise.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        let raw = Array(bytes)
        guard (try? P256.KeyAgreement.PublicKey(compressedRepresentation: [0x02] + raw)) != nil else { return nil }
        self.init(unchecked: raw[...])
    }

    /// A point from 32 bytes not checked on the curve: the curve arithmetic checks it when it is used
    /// (``JoinKey/blind(_:)``), and a point that is never used only ever fails to match.
    init(unchecked bytes: ArraySlice<UInt8>) {
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() { words[index / 8] = words[index / 8] << 8 | UInt64(byte) }
        self.words = (words[0], words[1], words[2], words[3])
    }

    /// The 32 bytes of the x-coordinate, big-endian.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(Self.byteCount)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return result
    }

    /// The point of even y with this x, as swift-crypto's key type (the curve arithmetic's input); nil when no
    /// point has this x (only a point read from a message can be such).
    var publicKey: P256.KeyAgreement.PublicKey? {
        try? P256.KeyAgreement.PublicKey(compressedRepresentation: [0x02] + bytes)
    }

    public static func == (lhs: JoinPoint, rhs: JoinPoint) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// The point for an identifier (already normalized, ``JoinIdentifier``): try-and-increment, the first counter
    /// c ≥ 0 for which SHA-256(domain ‖ c ‖ identifier) is the x-coordinate of a point. About two tries on average.
    ///
    /// swift-crypto exposes no hash-to-curve (RFC 9380); try-and-increment needs only its point decoding. Its number
    /// of tries depends on the identifier, a timing signal visible only on the machine that hashes its own list.
    public static func hashing(_ identifier: some Collection<UInt8>) -> JoinPoint {
        var counter: UInt32 = 0
        while true {
            var hasher = SHA256()
            hasher.update(data: Self.hashDomain)
            withUnsafeBytes(of: counter.bigEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: Array(identifier))
            let candidate = Array(hasher.finalize())
            if (try? P256.KeyAgreement.PublicKey(compressedRepresentation: [0x02] + candidate)) != nil {
                return JoinPoint(unchecked: candidate[...])
            }
            counter += 1
        }
    }

    static let hashDomain = Data("summa/join/hash-to-p256/v1\n".utf8)
}

/// A party's secret exponent of the commutative encryption: a P-256 scalar, wiped by swift-crypto when freed.
public struct JoinKey: @unchecked Sendable {
    let scalar: P256.KeyAgreement.PrivateKey

    /// A fresh random key (swift-crypto draws it from the system's generator).
    public init() { scalar = P256.KeyAgreement.PrivateKey() }

    /// A key from its 32 raw bytes: known-answer tests only.
    init(rawScalar: [UInt8]) throws { scalar = try P256.KeyAgreement.PrivateKey(rawRepresentation: rawScalar) }

    /// The key as a point: k·G, which the other party uses to make noise rows that match (``JoinConnector``).
    public var publicPoint: JoinPoint {
        JoinPoint(unchecked: Array(scalar.publicKey.compressedRepresentation.dropFirst())[...])
    }

    /// x(k·P); nil when `point` is not on the curve.
    public func blind(_ point: JoinPoint) -> JoinPoint? {
        // ECDH's shared secret is exactly the x-coordinate of k·P.
        guard let key = point.publicKey, let secret = try? scalar.sharedSecretFromKeyAgreement(with: key) else { return nil }
        return secret.withUnsafeBytes { JoinPoint(unchecked: Array($0)[...]) }
    }
}
