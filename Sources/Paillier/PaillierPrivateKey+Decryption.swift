import BigNum

extension PaillierPrivateKey {
    /// Decrypts to the plaintext residue m in 0..<n, by CRT: m_p = L_p(c^(p−1) mod p²)·h_p mod p, likewise for q,
    /// then m = CRT(m_p, m_q). Both exponentiations use `mpz_powm_sec` (constant-time in the secret exponents).
    public func decrypt(_ ciphertext: PaillierCiphertext) -> BigInteger {
        let mp = decryptHalf(ciphertext.value, prime: p, primeSquared: pSquared, exponent: pMinusOne, h: hp)
        let mq = decryptHalf(ciphertext.value, prime: q, primeSquared: qSquared, exponent: qMinusOne, h: hq)
        return BigInteger.crt(mp, modulo: p, mq, modulo: q, pInverseModQ: pInverseModQ)
    }

    /// Like ``decrypt(_:)``, computing the two CRT halves on two cores, for latency.
    public func decryptConcurrently(_ ciphertext: PaillierCiphertext) async -> BigInteger {
        async let mp = decryptHalf(ciphertext.value, prime: p, primeSquared: pSquared, exponent: pMinusOne, h: hp)
        let mq = decryptHalf(ciphertext.value, prime: q, primeSquared: qSquared, exponent: qMinusOne, h: hq)
        return BigInteger.crt(await mp, modulo: p, mq, modulo: q, pInverseModQ: pInverseModQ)
    }

    /// Decrypts many ciphertexts on all cores, keeping their order.
    public func decrypt(batch ciphertexts: [PaillierCiphertext]) async -> [BigInteger] {
        await parallelMap(ciphertexts) { decrypt($0) }
    }

    @inlinable
    func decryptHalf(
        _ c: BigInteger, prime: BigInteger, primeSquared: BigInteger, exponent: BigInteger, h: BigInteger
    ) -> BigInteger {
        let u = c.modulo(primeSquared).power(secretExponent: exponent, modulo: primeSquared)
        // L_p(u) = (u − 1) / p, an exact division.
        return (u - 1).dividedExactly(by: prime).multiplied(by: h, modulo: prime)
    }

    /// Encrypts as the key owner, with a mask from ``randomMask()``: about 3× faster than the public key's
    /// standard encryption (or DJN's, faster still, under a fast key).
    public func encrypt(_ plaintext: BigInteger) -> PaillierCiphertext {
        publicKey.encrypt(plaintext, mask: randomMask())
    }

    /// A fresh mask: under a fast key the DJN fixed-base mask (about 3× cheaper again); otherwise one distributed
    /// exactly as rⁿ mod n² for r uniform in Z*ₙ, computed mod p² and q².
    ///
    /// rⁿ mod p² depends only on r mod p ((r(1 + kp))ⁿ ≡ rⁿ since p | n) and is uniform on the subgroup of order
    /// p − 1 of Z*_{p²} (q is prime to p − 1). So is yᵖ mod p² for y uniform in Z*_p, with an exponent half as
    /// long as n mod p(p − 1). Likewise mod q²; the halves are independent, and the CRT joins them. The exponents
    /// p and q are secret: `mpz_powm_sec`.
    public func randomMask() -> BigInteger {
        if publicKey.hasFastEncryption { return publicKey.randomMask() }
        let maskP = BigInteger.randomUnit(modulo: p).power(secretExponent: p, modulo: pSquared)
        let maskQ = BigInteger.randomUnit(modulo: q).power(secretExponent: q, modulo: qSquared)
        return BigInteger.crt(maskP, modulo: pSquared, maskQ, modulo: qSquared, pInverseModQ: pSquaredInverseModQSquared)
    }

    /// Encrypts many plaintexts on all cores as the key owner, keeping their order.
    public func encrypt(batch plaintexts: [BigInteger]) async -> [PaillierCiphertext] {
        await parallelMap(plaintexts) { encrypt($0) }
    }
}
