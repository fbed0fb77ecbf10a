import BigNum

extension PaillierPrivateKey {
    /// Generates a key pair: p and q random primes of exactly bits/2 bits with their two top bits set (so n has
    /// exactly `bits` bits), p ≠ q, gcd(n, (p−1)(q−1)) = 1.
    ///
    /// - Parameters:
    ///   - bits: the size of n; at least 2048 unless `allowInsecureKeySize` (for tests only).
    ///   - fastEncryption: also make a Damgård–Jurik–Nielsen base hₛ = (−x²)ⁿ mod n², so that encryption costs
    ///     a fixed-base exponentiation with a ⌈bits/2⌉-bit exponent instead of rⁿ. Its security rests on an extra
    ///     assumption (see README).
    public init(
        generatingBits bits: Int = PaillierPublicKey.defaultBits, fastEncryption: Bool = false,
        allowInsecureKeySize: Bool = false
    ) throws(PaillierError) {
        guard bits % 2 == 0, bits >= 128, bits <= PaillierPublicKey.maximumBits else {
            throw .unsupportedKeySize(bits: bits)
        }
        if !allowInsecureKeySize && bits < PaillierPublicKey.minimumSecureBits {
            throw .keyTooSmall(bits: bits, minimum: PaillierPublicKey.minimumSecureBits)
        }
        while true {
            let p = BigInteger.randomPrime(bits: bits / 2)
            let q = BigInteger.randomPrime(bits: bits / 2)
            let n = p * q
            guard p != q, n.bitWidth == bits, BigInteger.gcd(n, (p - 1) * (q - 1)) == 1 else { continue }
            var base: BigInteger? = nil
            if fastEncryption {
                let x = BigInteger.randomUnit(modulo: n)
                let h = n - x.multiplied(by: x, modulo: n)
                base = h.power(n, modulo: n * n)
            }
            self.init(trustedP: p, q: q, publicKey: PaillierPublicKey(trustedModulus: n, fastEncryptionBase: base))
            return
        }
    }
}
