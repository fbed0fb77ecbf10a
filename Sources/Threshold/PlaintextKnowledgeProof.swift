import BigNum
import Foundation
import Paillier

/// A proof that the sender knows the plaintext (and randomness) of its ciphertext, bound to a session id and the
/// sender's index, so nobody can copy or scale another party's input as their own.
///
/// For c = (1+n)ᵐ·rⁿ: a = (1+n)ˣ·sⁿ for random x ∈ Z_n, s ∈ Z*_n; e = H(session, sender, n, c, a);
/// z = x + e·m mod n; w = s·rᵉ·(1+n)^⌊(x+e·m)/n⌋ mod n². Verify (1+n)ᶻ·wⁿ = a·cᵉ (mod n²).
public struct PlaintextKnowledgeProof: Sendable, Equatable {
    public let commitment: BigInteger
    public let z: BigInteger
    public let w: BigInteger

    public init(commitment: BigInteger, z: BigInteger, w: BigInteger) {
        self.commitment = commitment
        self.z = z
        self.w = w
    }

    /// Encrypts `plaintext` (a residue mod n) and proves knowledge of it.
    public static func encrypt(
        _ plaintext: BigInteger, key: PaillierPublicKey, sender: Int, session: Data
    ) -> (ciphertext: PaillierCiphertext, proof: PlaintextKnowledgeProof) {
        let n = key.n, nSquared = key.nSquared
        let m = key.residue(plaintext)
        let r = BigInteger.randomUnit(modulo: n)
        let c = key.encrypt(m, mask: r.power(n, modulo: nSquared))
        let x = BigInteger.random(below: n)
        let s = BigInteger.randomUnit(modulo: n)
        let a = key.encrypt(x, mask: s.power(n, modulo: nSquared)).value
        let e = challenge(key: key, sender: sender, session: session, ciphertext: c.value, commitment: a)
        let total = x + e * m
        let (carry, z) = total.quotientAndRemainder(flooringBy: n)
        // (1+n)^carry = 1 + carry·n mod n².
        let w = s.multiplied(by: r.power(e, modulo: nSquared), modulo: nSquared)
            .multiplied(by: (carry * n + 1).modulo(nSquared), modulo: nSquared)
        return (c, PlaintextKnowledgeProof(commitment: a, z: z, w: w))
    }

    static func challenge(key: PaillierPublicKey, sender: Int, session: Data, ciphertext: BigInteger, commitment: BigInteger)
        -> BigInteger
    {
        var hash = FiatShamir(domain: "summa/threshold/plaintext-knowledge/v1", session: session, party: sender, modulus: key.n)
        hash.absorb(ciphertext)
        hash.absorb(commitment)
        return hash.challenge()
    }

    /// Checks the proof for `ciphertext` from `sender` in `session`.
    public func verify(_ ciphertext: PaillierCiphertext, key: PaillierPublicKey, sender: Int, session: Data)
        throws(ThresholdError)
    {
        let n = key.n, nSquared = key.nSquared
        guard commitment > 0, commitment < nSquared, BigInteger.gcd(commitment, n) == 1,
            !z.isNegative, z < n, w > 0, w < nSquared, BigInteger.gcd(w, n) == 1,
            ciphertext.value > 0, ciphertext.value < nSquared
        else { throw .invalidPlaintextProof(party: sender) }
        let e = Self.challenge(key: key, sender: sender, session: session, ciphertext: ciphertext.value, commitment: commitment)
        let lhs = key.encrypt(z, mask: w.power(n, modulo: nSquared)).value
        let rhs = commitment.multiplied(by: ciphertext.value.power(e, modulo: nSquared), modulo: nSquared)
        guard lhs == rhs else { throw .invalidPlaintextProof(party: sender) }
    }
}
