import BigNum

extension PaillierPrivateKey {
    /// Generates a key pair: p and q random primes of exactly bits/2 bits with their two top bits set (so n has
    /// exactly `bits` bits), p ≠ q, gcd(n, (p−1)(q−1)) = 1.
    ///
    /// - Parameters:
    ///   - bits: the size of n; at least 2048 unless `allowInsecureKeySize` (for tests only).
    ///   - fastEncryption: also make a Damgård–Jurik–Nielsen base hₛ = (−x²)ⁿ mod n², so that encryption costs
    ///     a fixed-base exponentiation with a ⌈bits/2⌉-bit exponent instead of rⁿ. Its security rests on an extra
    ///     assumption (see docs/security.md).
    ///   - fastDecryption: make a fast-decryption key instead (Ma, Han and Lei; fast encryption too): l-bit
    ///     encryption exponents and decryption exponents of about l/2 bits, l = 448 at 2048 bits (see
    ///     ``PaillierPublicKey/shortExponentBits(forModulusBits:)`` and docs/security.md).
    ///   - allowInsecureKeySize: accept sizes below ``PaillierPublicKey/minimumSecureBits``; for tests only.
    public init(
        generatingBits bits: Int = PaillierPublicKey.defaultBits, fastEncryption: Bool = false,
        fastDecryption: Bool = false, allowInsecureKeySize: Bool = false
    ) throws(PaillierError) {
        guard bits % 2 == 0, bits >= 128, bits <= PaillierPublicKey.maximumBits else {
            throw .unsupportedKeySize(bits: bits)
        }
        if !allowInsecureKeySize && bits < PaillierPublicKey.minimumSecureBits {
            throw .keyTooSmall(bits: bits, minimum: PaillierPublicKey.minimumSecureBits)
        }
        if fastDecryption {
            self = Self.generateFastDecryption(bits: bits)
            return
        }
        while true {
            let p = BigInteger.randomPrime(bits: bits / 2)
            let q = BigInteger.randomPrime(bits: bits / 2)
            let n = p * q
            guard p != q, n.bitWidth == bits, BigInteger.gcd(n, (p - 1) * (q - 1)) == 1 else { continue }
            let base = fastEncryption ? PaillierPublicKey.drawFastEncryptionBase(n: n) : nil
            self.init(trustedP: p, q: q, publicKey: PaillierPublicKey(trustedModulus: n, fastEncryptionBase: base))
            return
        }
    }
}

extension PaillierPrivateKey {
    /// A fast-decryption key (Ma, Han and Lei, "Optimized Paillier's cryptosystem with fast encryption and
    /// decryption", ACSAC 2021), with l = ``PaillierPublicKey/shortExponentBits(forModulusBits:)``: p₀ and q₀ distinct
    /// primes of l/2 bits; p = 2·p₀·p₁ + 1 and q = 2·q₀·q₁ + 1 primes of bits/2 bits with p₁, q₁ odd, p₀, q₀, p₁, q₁
    /// pairwise coprime and gcd(n, (p − 1)(q − 1)) = 1; the base hₛ = (−y^(2β))ⁿ mod n² with β = p₁q₁ and y a random
    /// unit, whose order divides 2α with α = p₀q₀. Encryption takes l-bit exponents of hₛ; decryption exponentiates
    /// by 2p₀ mod p² and 2q₀ mod q².
    static func generateFastDecryption(bits: Int) -> PaillierPrivateKey {
        let l = PaillierPublicKey.shortExponentBits(forModulusBits: bits)
        while true {
            let p0 = BigInteger.randomPrime(bits: l / 2), q0 = BigInteger.randomPrime(bits: l / 2)
            let (p, p1) = BigInteger.randomPrime(bits: bits / 2, oneAboveMultipleOf: p0.shiftedLeft(1))
            let (q, q1) = BigInteger.randomPrime(bits: bits / 2, oneAboveMultipleOf: q0.shiftedLeft(1))
            let n = p * q
            let pairs = [(p0, q0), (p0, p1), (p0, q1), (q0, p1), (q0, q1), (p1, q1)]
            guard p0 != q0, p != q, n.bitWidth == bits, pairs.allSatisfy({ BigInteger.gcd($0, $1) == 1 }),
                  BigInteger.gcd(n, (p - 1) * (q - 1)) == 1
            else { continue }
            let nSquared = n * n
            let beta2 = (p1 * q1).shiftedLeft(1)
            while true {
                let y = BigInteger.randomUnit(modulo: n)
                let base = (n - y.power(secretExponent: beta2, modulo: n)).power(n, modulo: nSquared)
                guard (try? PaillierPublicKey.validateFastEncryptionBase(base, modulus: n)) != nil else { continue }
                let publicKey = PaillierPublicKey(trustedModulus: n, fastEncryptionBase: base, shortExponentBits: l)
                return PaillierPrivateKey(trustedP: p, q: q, subgroupOrders: SubgroupOrders(p: p0, q: q0), publicKey: publicKey)
            }
        }
    }

    /// The same key with a fresh Damgård–Jurik–Nielsen base, for instance to give fast encryption to a key made
    /// elsewhere (python-paillier's). Ciphertexts made under either key decrypt under both.
    public func addingFastEncryption() -> PaillierPrivateKey {
        PaillierPrivateKey(
            trustedP: p, q: q,
            publicKey: PaillierPublicKey(trustedModulus: publicKey.n, fastEncryptionBase: PaillierPublicKey.drawFastEncryptionBase(n: publicKey.n)))
    }
}
