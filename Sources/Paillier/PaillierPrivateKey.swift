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
    /// For a fast-decryption key, p₀ and q₀; nil for other keys.
    public let subgroupOrders: SubgroupOrders?
    /// For a fast-decryption key, the short exponents 2p₀ and 2q₀ with their h_p and h_q (as above, for these
    /// exponents); nil for other keys.
    let shortExponents: (p: BigInteger, hp: BigInteger, q: BigInteger, hq: BigInteger)?

    /// The secret structure of a fast-decryption key (Ma, Han and Lei): p = 2·p₀·p₁ + 1 and q = 2·q₀·q₁ + 1 with
    /// p₀, q₀ primes of l/2 bits, so that the base, of order dividing 2·p₀ mod p² and 2·q₀ mod q², is cleared by an
    /// exponent of about l/2 bits where a standard key needs p − 1.
    public struct SubgroupOrders: Sendable, Equatable {
        /// p₀, the prime of l/2 bits with p ≡ 1 (mod 2p₀).
        public let p: BigInteger
        /// q₀, likewise for q.
        public let q: BigInteger

        public init(p: BigInteger, q: BigInteger) {
            self.p = p
            self.q = q
        }
    }

    /// Makes a private key from its primes, checking them: p and q distinct probable primes with p·q = n. A
    /// fast-encryption base of the public key is checked exactly, which only the factors allow: hₛ must be an n-th
    /// residue, hₛ^(p−1) ≡ 1 (mod p²) and hₛ^(q−1) ≡ 1 (mod q²) (the n-th residues of Z*_{n²} are the subgroup of
    /// order φ(n); mod p² it is the one of order p − 1).
    ///
    /// A fast-decryption key also needs its `subgroupOrders` (given in the order of `p` and `q`), checked: p₀ and q₀
    /// distinct primes of l/2 bits, p ≡ 1 (mod 2p₀), q ≡ 1 (mod 2q₀), and hₛ^(2p₀) ≡ 1 (mod p²), hₛ^(2q₀) ≡ 1
    /// (mod q²). Other keys must not be given them.
    public init(
        p: BigInteger, q: BigInteger, subgroupOrders: SubgroupOrders? = nil, publicKey: PaillierPublicKey
    ) throws(PaillierError) {
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
        guard (subgroupOrders != nil) == publicKey.hasFastDecryption else { throw .subgroupOrderInvalid }
        if let orders = subgroupOrders, let base = publicKey.fastEncryptionBase, let bits = publicKey.shortExponentBits {
            for (prime, order) in [(p, orders.p), (q, orders.q)] {
                guard order.bitWidth == bits / 2, (prime - 1).modulo(order.shiftedLeft(1)) == 0, order.isProbablePrime()
                else { throw .subgroupOrderInvalid }
                let primeSquared = prime * prime
                guard base.modulo(primeSquared).power(secretExponent: order.shiftedLeft(1), modulo: primeSquared) == 1 else {
                    throw .fastDecryptionBaseOutsideSubgroup
                }
            }
            guard orders.p != orders.q else { throw .subgroupOrderInvalid }
        }
        self.init(trustedP: p, q: q, subgroupOrders: subgroupOrders, publicKey: publicKey)
    }

    init(trustedP first: BigInteger, q second: BigInteger, subgroupOrders given: SubgroupOrders? = nil, publicKey: PaillierPublicKey) {
        let (p, q) = first < second ? (first, second) : (second, first)
        let orders = given.map { first < second ? $0 : SubgroupOrders(p: $0.q, q: $0.p) }
        self.publicKey = publicKey
        self.p = p
        self.q = q
        pSquared = p * p
        qSquared = q * q
        pMinusOne = p - 1
        qMinusOne = q - 1
        let n = publicKey.n
        func h(_ prime: BigInteger, _ primeSquared: BigInteger, _ exponent: BigInteger) -> BigInteger {
            // (1+n)^e mod p² = 1 + e·n mod p², so L_p of it is (e·n mod p²) / p.
            let lifted = (exponent * n).modulo(primeSquared).dividedExactly(by: prime)
            return lifted.inverse(modulo: prime)!  // L_p(…) = e·q mod p, a unit since p ≠ q and p ∤ e
        }
        hp = h(p, pSquared, pMinusOne)
        hq = h(q, qSquared, qMinusOne)
        pInverseModQ = p.inverse(modulo: q)!
        pSquaredInverseModQSquared = pSquared.inverse(modulo: qSquared)!
        subgroupOrders = orders
        if let orders {
            let (ep, eq) = (orders.p.shiftedLeft(1), orders.q.shiftedLeft(1))
            shortExponents = (ep, h(p, p * p, ep), eq, h(q, q * q, eq))
        } else {
            shortExponents = nil
        }
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
        lhs.publicKey == rhs.publicKey && lhs.p == rhs.p && lhs.subgroupOrders == rhs.subgroupOrders
    }
}
