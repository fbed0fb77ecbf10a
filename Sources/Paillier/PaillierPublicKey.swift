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
    /// hₛ = hⁿ mod n² with h = −x² mod n, for Damgård–Jurik–Nielsen encryption (or h = −y^(2β) for a
    /// fast-decryption key); nil for a standard key.
    public let fastEncryptionBase: BigInteger?
    /// For a fast-decryption key (Ma, Han and Lei), l: the bits of the encryption exponent, and of the order
    /// α = p₀q₀ of the base's subgroup that decryption exponentiates by; nil for other keys.
    public let shortExponentBits: Int?
    /// Identifies the key in files and commits to every public field of it. A standard key's is `sha256:` and the
    /// hex SHA-256 of n's big-endian bytes, as it has always been (a python-paillier key and a Summa key with the
    /// same n have the same fingerprint); a key with a fast-encryption base's covers the base too
    /// (``fingerprint(of:fastEncryptionBase:shortExponentBits:)``), so replacing hₛ changes it.
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

    /// Whether this is a fast-decryption key: its base has a subgroup of order about 2^l, so encryption takes l-bit
    /// exponents and the owner decrypts with exponents of about l/2 bits.
    @inlinable
    public var hasFastDecryption: Bool { shortExponentBits != nil }

    /// The size, in bits, of the secret exponent a in hₛᵃ for fast encryption: ⌈bits/2⌉, as DJN prescribe, or l
    /// for a fast-decryption key.
    public var fastExponentBits: Int { shortExponentBits ?? (bits + 1) / 2 }

    /// Makes a public key from n (and hₛ, and l) known to be well formed, such as one just generated.
    init(trustedModulus n: BigInteger, fastEncryptionBase: BigInteger?, shortExponentBits: Int? = nil) {
        self.n = n
        self.nSquared = n * n
        self.fastEncryptionBase = fastEncryptionBase
        self.shortExponentBits = shortExponentBits
        self.fingerprint = Self.fingerprint(of: n, fastEncryptionBase: fastEncryptionBase, shortExponentBits: shortExponentBits)
        self.maximumPlaintextMagnitude = n / 3 - 1
        self.fastTable = FastTableCache()
    }

    /// Moduli already found free of small factors, not perfect powers and not prime in this process.
    static let validatedModuli = ValidatedModuli()

    /// Validates a public key from outside (a file, a network message) before any use: n odd, of the declared
    /// size, at least ``minimumSecureBits`` unless `allowInsecureKeySize`, no prime factor below 2²⁰, not a perfect
    /// power, not prime; hₛ, if present, as in ``validateFastEncryptionBase(_:modulus:)``; l, if present, with a base,
    /// even, and from ``shortExponentBits(forModulusBits:)`` to ⌈bits/2⌉ (a shorter exponent would be weaker than n).
    public init(
        validatingModulus n: BigInteger, declaredBits: Int? = nil, fastEncryptionBase: BigInteger? = nil,
        shortExponentBits: Int? = nil, allowInsecureKeySize: Bool = false
    ) throws(PaillierError) {
        guard n.isOdd, n > 2 else { throw .modulusNotOdd }
        let bits = n.bitWidth
        if let declaredBits, declaredBits != bits { throw .modulusSizeMismatch(expected: declaredBits, actual: bits) }
        guard bits <= Self.maximumBits else { throw .unsupportedKeySize(bits: bits) }
        if !allowInsecureKeySize && bits < Self.minimumSecureBits {
            throw .keyTooSmall(bits: bits, minimum: Self.minimumSecureBits)
        }
        if !Self.validatedModuli.contains(n) {
            // Below 2²⁰ by one division and one gcd (BigInteger.smallPrimeFactor, about 1 ms at 3072 bits), then
            // the dearer tests: for a composite n, one exponentiation mod n (GMP's Baillie–PSW stops at its first
            // failing base; about 9 ms at 3072 bits), which is why a modulus that passed is remembered.
            if let factor = n.smallPrimeFactor { throw .modulusHasSmallFactor(factor) }
            guard !n.isPerfectPower else { throw .modulusIsPerfectPower }
            guard !n.isProbablePrime(rounds: 1) else { throw .modulusIsPrime }
            Self.validatedModuli.insert(n)
        }
        if let base = fastEncryptionBase { try Self.validateFastEncryptionBase(base, modulus: n) }
        if let shortExponentBits {
            guard fastEncryptionBase != nil else { throw .shortExponentWithoutBase }
            let range = Self.shortExponentBits(forModulusBits: bits)...(bits + 1) / 2
            guard shortExponentBits % 2 == 0, range.contains(shortExponentBits) else {
                throw .shortExponentOutOfRange(bits: shortExponentBits, allowed: range)
            }
        }
        self.init(trustedModulus: n, fastEncryptionBase: fastEncryptionBase, shortExponentBits: shortExponentBits)
    }

    /// l for a fast-decryption key of `bits` bits, and the least a key of that size may declare: four times the
    /// security level of n, as Ma, Han and Lei set it (the best attack they consider on the structure of p − 1 costs
    /// about 2^(l/4); Pollard's lambda in the base's subgroup, 2^(l/2)). 2048 bits (112-bit security): 448; 3072
    /// (128): 512; up to 7680 (192): 768; beyond: 1024. A size between two levels takes the higher one. Below 2048
    /// bits (test keys only), bits/4.
    public static func shortExponentBits(forModulusBits bits: Int) -> Int {
        switch bits {
        case ..<minimumSecureBits: max(32, bits / 4 / 2 * 2)
        case ...2048: 448
        case ...3072: 512
        case ...7680: 768
        default: 1024
        }
    }

    /// Checks a fast-encryption base hₛ from outside against its modulus n, as far as can be done without n's
    /// factors: hₛ in 1..<n², not ±1 (1 or n² − 1), a unit (gcd(hₛ, n) = 1), of order greater than 2 (hₛ² ≢ 1 mod
    /// n²), and not ±1 times a power of 1 + n (hₛ ≢ ±1 mod n, more generally hₛ² ≢ 1 mod n). Anyone can make a
    /// base that fails one of these from n alone, and each would make ciphertexts readable: −1 has order 2, so its
    /// masks are ±1; 1 + k·n makes the "mask" an encryption of k·a, whose low digits leave the plaintext exposed.
    ///
    /// Whether hₛ is an n-th residue, as a real base (−x²)ⁿ is, cannot be decided without the factors of n (that
    /// is the decisional composite residuosity problem Paillier rests on): a base that passes here may still be a
    /// unit that is not an n-th residue, whose masks decrypt to garbage. The key's fingerprint covers hₛ, so such a
    /// replacement is seen when the fingerprint is compared, and ``PaillierPrivateKey/init(p:q:subgroupOrders:publicKey:)``, which
    /// has the factors, checks n-th residuosity exactly.
    public static func validateFastEncryptionBase(_ base: BigInteger, modulus n: BigInteger) throws(PaillierError) {
        let nSquared = n * n
        guard base > 0, base < nSquared else { throw .fastEncryptionBaseOutOfRange }
        guard base != 1, base != nSquared - 1 else { throw .fastEncryptionBaseTrivial }
        guard BigInteger.gcd(base, n) == 1 else { throw .fastEncryptionBaseNotInvertible }
        guard base.multiplied(by: base, modulo: nSquared) != 1 else { throw .fastEncryptionBaseOfOrderTwo }
        // hₛ ≡ ±1 (mod n) means hₛ = ±(1 + n)ʲ: no n-th residue part at all. A square root of 1 mod n other than
        // ±1 would factor n, so only the owner of the key could have made a base that fails this and not the above.
        let reduced = base.modulo(n)
        guard reduced.multiplied(by: reduced, modulo: n) != 1 else { throw .fastEncryptionBaseNotNthResidue }
    }

    /// hₛ = hⁿ mod n² with h = −x² mod n for a unit x drawn from the system's CSPRNG (Damgård–Jurik–Nielsen).
    /// Drawn again in the (negligible) case that x² ≡ ±1 (mod n), whose base every reader would refuse.
    static func drawFastEncryptionBase(n: BigInteger) -> BigInteger {
        while true {
            let x = BigInteger.randomUnit(modulo: n)
            let h = n - x.multiplied(by: x, modulo: n)
            let base = h.power(n, modulo: n * n)
            if (try? validateFastEncryptionBase(base, modulus: n)) != nil { return base }
        }
    }

    /// The fingerprint of a standard key with modulus n: `sha256:` and the hex SHA-256 of n's big-endian bytes
    /// without leading zeros. python-paillier's keys have exactly this one, since they hold only n.
    public static func fingerprint(of n: BigInteger) -> String {
        KeyFingerprint.text(of: Array(SHA256.hash(data: n.bigEndianBytes())))
    }

    /// The domain label of fast keys' fingerprints.
    public static let fastFingerprintLabel = "summa/key-fingerprint/paillier-fast/v1"

    /// The domain label of fast-decryption keys' fingerprints.
    public static let fastDecryptionFingerprintLabel = "summa/key-fingerprint/paillier-fast-decryption/v1"

    /// The fingerprint of a key with modulus n and, if not nil, fast-encryption base hₛ and short exponent size l:
    /// for a standard key ``fingerprint(of:)``; for a fast key, a ``KeyFingerprint`` over (``fastFingerprintLabel``,
    /// n, hₛ); for a fast-decryption key, over (``fastDecryptionFingerprintLabel``, n, hₛ, l).
    public static func fingerprint(of n: BigInteger, fastEncryptionBase: BigInteger?, shortExponentBits: Int? = nil) -> String {
        guard let base = fastEncryptionBase else { return fingerprint(of: n) }
        var fingerprint = KeyFingerprint(label: shortExponentBits == nil ? fastFingerprintLabel : fastDecryptionFingerprintLabel)
        fingerprint.append(n)
        fingerprint.append(base)
        if let shortExponentBits { fingerprint.append(shortExponentBits) }
        return fingerprint.finalize()
    }

    /// The same key without the fast-encryption base (for peers that only know standard Paillier).
    public var withoutFastEncryption: PaillierPublicKey {
        PaillierPublicKey(trustedModulus: n, fastEncryptionBase: nil)
    }
}

extension PaillierPublicKey: Hashable {
    public static func == (lhs: PaillierPublicKey, rhs: PaillierPublicKey) -> Bool {
        lhs.n == rhs.n && lhs.fastEncryptionBase == rhs.fastEncryptionBase && lhs.shortExponentBits == rhs.shortExponentBits
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(n)
        hasher.combine(fastEncryptionBase)
        hasher.combine(shortExponentBits)
    }
}

extension PaillierPublicKey: CustomStringConvertible {
    public var description: String {
        let kind = hasFastDecryption ? ", fast decryption" : hasFastEncryption ? ", fast encryption" : ""
        return "PaillierPublicKey(\(bits) bits\(kind), \(fingerprint))"
    }
}

/// Moduli that passed the checks of ``PaillierPublicKey/init(validatingModulus:declaredBits:fastEncryptionBase:shortExponentBits:allowInsecureKeySize:)``
/// that depend on n alone (small factors, perfect power, primality), so that reading many files under one key tests
/// it once. Bounded: forgotten all at once past 256 entries.
final class ValidatedModuli: Sendable {
    private let moduli = Mutex<Set<BigInteger>>([])

    func contains(_ n: BigInteger) -> Bool { moduli.withLock { $0.contains(n) } }

    func insert(_ n: BigInteger) {
        moduli.withLock { set in
            if set.count >= 256 { set.removeAll() }
            set.insert(n)
        }
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
