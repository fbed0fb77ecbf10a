import BigNum
import Crypto
import Synchronization

/// A Paillier public key with generator g = n + 1, optionally with a Damgård–Jurik–Nielsen fast-encryption base.
///
/// Encrypting needs only this key; so do the homomorphic operations (adding ciphertexts, adding plaintexts,
/// multiplying by a scalar), which is what lets someone without the private key sum encrypted columns.
public struct PaillierPublicKey: Sendable {
    /// The smallest key size accepted outside of tests.
    public static let minimumSecureBits = 2048
    /// The default key size: about 128-bit security, as python-paillier's default.
    public static let defaultBits = 3072
    /// The largest key size accepted from outside.
    public static let maximumBits = 16384

    /// The modulus n = p·q.
    public let n: BigInteger
    /// n², the ciphertext modulus.
    public let nSquared: BigInteger
    /// hₛ = hⁿ mod n² with h = −x² mod n, for Damgård–Jurik–Nielsen encryption; nil for a standard key.
    public let fastEncryptionBase: BigInteger?
    /// Identifies the key in files: `sha256:` and the hex SHA-256 of the modulus' big-endian bytes (so a
    /// python-paillier key and a Summa key with the same n have the same fingerprint).
    public let fingerprint: String

    /// ⌊n/3⌋ − 1: the largest |m| of a signed plaintext (python-paillier's rule); between it and n − it lies the
    /// guard band in which a decrypted residue is an overflow. Stored: every homomorphic operation checks against it.
    public let maximumPlaintextMagnitude: BigInteger

    /// The fixed-base table for hₛ, built on first fast encryption and shared by copies of this key.
    let fastTable: FastTableCache

    /// The number of bits of n.
    @inlinable
    public var bits: Int { n.bitWidth }

    /// Whether encryption uses the Damgård–Jurik–Nielsen fixed base.
    @inlinable
    public var hasFastEncryption: Bool { fastEncryptionBase != nil }

    /// The size, in bits, of the secret exponent a in hₛᵃ for fast encryption: ⌈bits/2⌉, as DJN prescribe.
    public var fastExponentBits: Int { (bits + 1) / 2 }

    /// Makes a public key from n (and hₛ) known to be well formed, such as one just generated.
    init(trustedModulus n: BigInteger, fastEncryptionBase: BigInteger?) {
        self.n = n
        self.nSquared = n * n
        self.fastEncryptionBase = fastEncryptionBase
        self.fingerprint = Self.fingerprint(of: n)
        self.maximumPlaintextMagnitude = n / 3 - 1
        self.fastTable = FastTableCache()
    }

    /// Validates a public key from outside (a file, a network message) before any use: n odd, of the declared
    /// size, at least ``minimumSecureBits`` unless `allowInsecureKeySize`, not a perfect power, no prime factor
    /// below 2¹⁶; hₛ, if present, a unit below n².
    public init(
        validatingModulus n: BigInteger, declaredBits: Int? = nil, fastEncryptionBase: BigInteger? = nil,
        allowInsecureKeySize: Bool = false
    ) throws(PaillierError) {
        guard n.isOdd, n > 2 else { throw .modulusNotOdd }
        let bits = n.bitWidth
        if let declaredBits, declaredBits != bits { throw .modulusSizeMismatch(expected: declaredBits, actual: bits) }
        guard bits <= Self.maximumBits else { throw .unsupportedKeySize(bits: bits) }
        if !allowInsecureKeySize && bits < Self.minimumSecureBits {
            throw .keyTooSmall(bits: bits, minimum: Self.minimumSecureBits)
        }
        if let factor = n.smallPrimeFactor { throw .modulusHasSmallFactor(factor) }
        guard !n.isPerfectPower else { throw .modulusIsPerfectPower }
        self.init(trustedModulus: n, fastEncryptionBase: fastEncryptionBase)
        if let base = fastEncryptionBase {
            guard base > 1, base < nSquared, BigInteger.gcd(base, n) == 1 else { throw .fastEncryptionBaseInvalid }
        }
    }

    /// The fingerprint of a modulus, as in ``fingerprint``.
    public static func fingerprint(of n: BigInteger) -> String {
        let digest = SHA256.hash(data: n.bigEndianBytes())
        return "sha256:" + digest.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// The same key without the fast-encryption base (for peers that only know standard Paillier).
    public var withoutFastEncryption: PaillierPublicKey {
        PaillierPublicKey(trustedModulus: n, fastEncryptionBase: nil)
    }
}

extension PaillierPublicKey: Hashable {
    public static func == (lhs: PaillierPublicKey, rhs: PaillierPublicKey) -> Bool {
        lhs.n == rhs.n && lhs.fastEncryptionBase == rhs.fastEncryptionBase
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(n)
        hasher.combine(fastEncryptionBase)
    }
}

extension PaillierPublicKey: CustomStringConvertible {
    public var description: String {
        "PaillierPublicKey(\(bits) bits\(hasFastEncryption ? ", fast encryption" : ""), \(fingerprint))"
    }
}

/// Holds the fixed-base table of a fast key once built; a class so that copies of the key share it.
final class FastTableCache: Sendable {
    let table = Mutex<FixedBaseTable?>(nil)

    func table(base: BigInteger, modulus: BigInteger, exponentBits: Int) -> FixedBaseTable {
        table.withLock { cached in
            if let cached { return cached }
            let built = FixedBaseTable(base: base, modulus: modulus, exponentBits: exponentBits)
            cached = built
            return built
        }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
