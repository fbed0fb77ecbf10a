import BigNum
import Foundation

extension PaillierPublicKey {
    /// The plaintext m mod n, as a residue in 0..<n (negative values wrap to n − |m|).
    @inlinable
    public func residue(_ plaintext: BigInteger) -> BigInteger {
        plaintext.isNegative || plaintext >= n ? plaintext.modulo(n) : plaintext
    }

    /// (1 + n)ᵐ mod n² = 1 + m·n mod n²: the plaintext part of a ciphertext, without exponentiating g.
    @inlinable
    public func plaintextPart(_ plaintext: BigInteger) -> BigInteger {
        (residue(plaintext) * n + 1).modulo(nSquared)
    }

    /// A fresh random mask: rⁿ mod n² for r uniform in Z*ₙ, or hₛᵃ mod n² for a uniform ⌈bits/2⌉-bit a under a
    /// fast key. Multiplying a ciphertext by a mask re-randomizes it; masks can be made ahead of time.
    public func randomMask() -> BigInteger {
        if let base = fastEncryptionBase {
            let table = fastTable.table(base: base, modulus: nSquared, exponentBits: fastExponentBits)
            return table.power(BigInteger.random(bits: fastExponentBits))
        }
        return BigInteger.randomUnit(modulo: n).power(n, modulo: nSquared)
    }

    /// Encrypts m mod n: c = (1 + m·n) · mask mod n², using the fast base when the key has one.
    public func encrypt(_ plaintext: BigInteger) -> PaillierCiphertext {
        encrypt(plaintext, mask: randomMask())
    }

    /// Encrypts m mod n with a given mask (from ``randomMask()``, for instance made ahead of time). Each mask must
    /// be used once only: two ciphertexts with the same mask reveal the difference of their plaintexts.
    @inlinable
    public func encrypt(_ plaintext: BigInteger, mask: BigInteger) -> PaillierCiphertext {
        PaillierCiphertext(unchecked: plaintextPart(plaintext).multiplied(by: mask, modulo: nSquared))
    }

    /// Checks a ciphertext value from outside: 0 < c < n² and gcd(c, n) = 1.
    public func ciphertext(validating value: BigInteger) throws(PaillierError) -> PaillierCiphertext {
        guard value.signum > 0, value < nSquared else { throw .ciphertextOutOfRange }
        guard BigInteger.gcd(value, n) == 1 else { throw .ciphertextNotInvertible }
        return PaillierCiphertext(unchecked: value)
    }

    /// Encrypts many plaintexts on all cores, keeping their order.
    public func encrypt(batch plaintexts: [BigInteger]) async -> [PaillierCiphertext] {
        await parallelMap(plaintexts) { encrypt($0) }
    }
}
