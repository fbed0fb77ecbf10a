import BigNum

/// A Paillier private key: the primes p and q with the constants that CRT decryption and key-owner encryption
/// need, computed once. Its description and reflection never show a secret.
public struct PaillierPrivateKey: Sendable {
    /// The matching public key.
    public let publicKey: PaillierPublicKey
    /// The prime factors of n, p < q.
    public let p: BigInteger
    public let q: BigInteger
    let pSquared: BigInteger
    let qSquared: BigInteger
    let pMinusOne: BigInteger
    let qMinusOne: BigInteger
    /// h_p = L_p((1+n)^(p−1) mod p²)⁻¹ mod p, and h_q likewise.
    let hp: BigInteger
    let hq: BigInteger
    /// p⁻¹ mod q, to recombine m mod p and m mod q.
    let pInverseModQ: BigInteger
    /// (p²)⁻¹ mod q², to recombine masks mod p² and q² into one mod n².
    let pSquaredInverseModQSquared: BigInteger

    /// Makes a private key from its primes, checking them: p and q distinct probable primes with p·q = n. A
    /// fast-encryption base of the public key is checked exactly, which only the factors allow: hₛ must be an n-th
    /// residue, hₛ^(p−1) ≡ 1 (mod p²) and hₛ^(q−1) ≡ 1 (mod q²) (the n-th residues of Z*_{n²} are the subgroup of
    /// order φ(n); mod p² it is the one of order p − 1).
    public init(p: BigInteger, q: BigInteger, publicKey: PaillierPublicKey) throws(PaillierError) {
        guard p != q, p > 2, q > 2 else { throw .privateKeyFactorInvalid }
        guard p * q == publicKey.n else { throw .privateKeyDoesNotMatchPublicKey }
        guard p.isProbablePrime(), q.isProbablePrime() else { throw .privateKeyFactorInvalid }
        if let base = publicKey.fastEncryptionBase {
            for prime in [p, q] {
                let primeSquared = prime * prime
                guard base.modulo(primeSquared).power(secretExponent: prime - 1, modulo: primeSquared) == 1 else {
                    throw .fastEncryptionBaseNotNthResidue
                }
            }
        }
        self.init(trustedP: p, q: q, publicKey: publicKey)
    }

    init(trustedP first: BigInteger, q second: BigInteger, publicKey: PaillierPublicKey) {
        let (p, q) = first < second ? (first, second) : (second, first)
        self.publicKey = publicKey
        self.p = p
        self.q = q
        pSquared = p * p
        qSquared = q * q
        pMinusOne = p - 1
        qMinusOne = q - 1
        let n = publicKey.n
        func h(_ prime: BigInteger, _ primeSquared: BigInteger) -> BigInteger {
            // (1+n)^(p−1) mod p² = 1 + (p−1)·n mod p², so L_p of it is ((p−1)·n mod p²) / p.
            let lifted = ((prime - 1) * n).modulo(primeSquared).dividedExactly(by: prime)
            return lifted.inverse(modulo: prime)!  // L_p(…) = (p−1)·q mod p, a unit since p ≠ q
        }
        hp = h(p, pSquared)
        hq = h(q, qSquared)
        pInverseModQ = p.inverse(modulo: q)!
        pSquaredInverseModQSquared = pSquared.inverse(modulo: qSquared)!
    }
}

extension PaillierPrivateKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "PaillierPrivateKey(\(publicKey.bits) bits, \(publicKey.fingerprint), secrets redacted)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey], displayStyle: .struct) }
}

extension PaillierPrivateKey: Equatable {
    public static func == (lhs: PaillierPrivateKey, rhs: PaillierPrivateKey) -> Bool {
        lhs.publicKey == rhs.publicKey && lhs.p == rhs.p
    }
}
