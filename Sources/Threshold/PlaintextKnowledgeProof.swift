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

    /// Checks the proofs of one sender's ciphertexts together (an input of several values): each proof's values are
    /// checked as ``verify(_:key:sender:session:)`` checks them, then the k equations (1+n)^zᵢ·wᵢⁿ = aᵢ·cᵢ^eᵢ are
    /// folded by 128-bit coefficients ρᵢ that Fiat–Shamir draws from every ciphertext and proof:
    /// (1+n)^(Σρᵢzᵢ)·(∏wᵢ^ρᵢ)ⁿ = ∏aᵢ^ρᵢ·∏cᵢ^(ρᵢeᵢ). One n-th power and two simultaneous exponentiations with short
    /// exponents replace k n-th powers. A set with a false equation passes only if its errors cancel under
    /// coefficients fixed after them (about 2⁻¹²⁸), or if they are elements of order 2, which are n-th powers (n is
    /// odd: u = uⁿ) and so change nothing a prover could not have put in its wᵢ: the batch proves what the single
    /// proofs do (Bellare, Garay and Rabin's small-exponent test).
    public static func verify(
        batch items: [(ciphertext: PaillierCiphertext, proof: PlaintextKnowledgeProof)], key: PaillierPublicKey, sender: Int,
        session: Data
    ) throws(ThresholdError) {
        guard items.count > 1 else {
            for item in items { try item.proof.verify(item.ciphertext, key: key, sender: sender, session: session) }
            return
        }
        let n = key.n, nSquared = key.nSquared
        var coefficientHash = FiatShamir(domain: "summa/threshold/plaintext-knowledge-batch/v1", session: session, party: sender, modulus: n)
        coefficientHash.absorb(items.count)
        var challenges: [BigInteger] = []
        challenges.reserveCapacity(items.count)
        for (ciphertext, proof) in items {
            guard proof.commitment > 0, proof.commitment < nSquared, BigInteger.gcd(proof.commitment, n) == 1,
                !proof.z.isNegative, proof.z < n, proof.w > 0, proof.w < nSquared, BigInteger.gcd(proof.w, n) == 1,
                ciphertext.value > 0, ciphertext.value < nSquared
            else { throw .invalidPlaintextProof(party: sender) }
            challenges.append(challenge(key: key, sender: sender, session: session, ciphertext: ciphertext.value, commitment: proof.commitment))
            for value in [ciphertext.value, proof.commitment, proof.z, proof.w] { coefficientHash.absorb(value) }
        }
        let seed = coefficientHash.challenge()
        let bound = BigInteger(1).shiftedLeft(128)
        let rho = (0..<items.count).map { index in
            var hash = FiatShamir(domain: "summa/threshold/plaintext-knowledge-batch/coefficient/v1", session: session, party: sender, modulus: n)
            hash.absorb(seed)
            hash.absorb(index)
            return hash.challenge() % bound
        }
        let zSum = zip(rho, items).reduce(BigInteger(0)) { $0 + $1.0 * $1.1.proof.z }.modulo(n)
        let w = BigInteger.product(of: items.map(\.proof.w), raisedTo: rho, modulo: nSquared)
        let lhs = key.encrypt(zSum, mask: w.power(n, modulo: nSquared)).value
        let rhs = BigInteger.product(
            of: items.map(\.proof.commitment) + items.map(\.ciphertext.value),
            raisedTo: rho + zip(rho, challenges).map { $0 * $1 }, modulo: nSquared)
        guard lhs == rhs else { throw .invalidPlaintextProof(party: sender) }
    }
}
