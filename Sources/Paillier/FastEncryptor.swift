import BigNum

/// Damgård–Jurik–Nielsen encryption under any public key, python-paillier's included, with a base the encryptor
/// draws itself.
///
/// The fixed base of DJN need not come from the key's owner: anyone holding n can draw a unit x, take h = −x² mod n
/// and hₛ = hⁿ mod n², and encrypt as c = (1 + m·n)·hₛᵃ mod n² with a uniform exponent a of ⌈bits(n)/2⌉ bits,
/// through a fixed-base table of hₛ: about ten times cheaper than rⁿ mod n² at 2048 bits (Intel's
/// pailliercryptolib offers the same as `PublicKey::enableDJN()`). hₛ is an n-th residue, so the ciphertexts are
/// ordinary Paillier ciphertexts under the key: they decrypt, add and merge with any others, and nothing in them
/// shows which way they were made.
///
/// The base is drawn afresh from the system's CSPRNG for each encryptor and lives only in it: it is never written
/// into a file, and ``publicKey`` stays the key as given, with its own fingerprint. A key that already publishes a
/// base (`keygen --fast`) keeps using it.
///
/// Choosing this is the encryptor's decision, because semantic security then rests on an assumption beyond
/// Paillier's: that hₛᵃ with a short exponent a is indistinguishable from a uniform n-th residue (DJN's analysis is
/// for moduli of two safe-ish primes, p ≡ q ≡ 3 mod 4 with gcd(p − 1, q − 1) = 2; see docs/security.md).
public struct FastEncryptor: Sendable {
    /// The key the ciphertexts are under, as given: what files record.
    public let publicKey: PaillierPublicKey
    /// The same modulus with the base this encryptor drew (or the key's published one); it only encrypts.
    let encryptingKey: PaillierPublicKey

    /// An encryptor for `publicKey`, drawing a base unless the key publishes one. Drawing costs one exponentiation
    /// mod n²; the fixed-base table is built at the first encryption, or by ``prepare()``.
    public init(publicKey: PaillierPublicKey) {
        self.publicKey = publicKey
        encryptingKey = publicKey.hasFastEncryption
            ? publicKey
            : PaillierPublicKey(trustedModulus: publicKey.n, fastEncryptionBase: PaillierPublicKey.drawFastEncryptionBase(n: publicKey.n))
    }

    /// Whether the base is the key's own published one rather than one this encryptor drew.
    public var usesPublishedBase: Bool { publicKey.hasFastEncryption }

    /// Builds the fixed-base table now, so that the first encryption does not pay for it.
    public func prepare() {
        _ = encryptingKey.randomMask()
    }

    /// A fresh mask hₛᵃ mod n², for ``PaillierPublicKey/encrypt(_:mask:)`` under ``publicKey``.
    public func randomMask() -> BigInteger {
        encryptingKey.randomMask()
    }

    /// Encrypts m mod n under ``publicKey``.
    public func encrypt(_ plaintext: BigInteger) -> PaillierCiphertext {
        encryptingKey.encrypt(plaintext)
    }

    /// Encrypts many plaintexts on all cores, keeping their order.
    public func encrypt(batch plaintexts: [BigInteger]) async -> [PaillierCiphertext] {
        await encryptingKey.encrypt(batch: plaintexts)
    }
}
