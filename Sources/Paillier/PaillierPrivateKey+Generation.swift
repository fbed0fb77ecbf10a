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
    ///   - allowInsecureKeySize: accept sizes below ``PaillierPublicKey/minimumSecureBits``; for tests only.
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
            let base = fastEncryption ? PaillierPublicKey.drawFastEncryptionBase(n: n) : nil
            self.init(trustedP: p, q: q, publicKey: PaillierPublicKey(trustedModulus: n, fastEncryptionBase: base))
            return
        }
    }
}

extension PaillierPrivateKey {
    /// The same key with a fresh Damgård–Jurik–Nielsen base, for instance to give fast encryption to a key made
    /// elsewhere (python-paillier's). Ciphertexts made under either key decrypt under both.
    public func addingFastEncryption() -> PaillierPrivateKey {
        PaillierPrivateKey(
            trustedP: p, q: q,
            publicKey: PaillierPublicKey(trustedModulus: publicKey.n, fastEncryptionBase: PaillierPublicKey.drawFastEncryptionBase(n: publicKey.n)))
    }
}
