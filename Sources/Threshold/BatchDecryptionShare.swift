import BigNum
import Foundation
import Paillier

/// Party i's decryption shares of several ciphertexts c₁…c_k, cᵢⱼ = cⱼ^(2Δ·sᵢ) mod n², with one Chaum–Pedersen proof
/// for all of them (packed results, several columns).
///
/// The k statements log_{cⱼ⁴}(cᵢⱼ²) = log_v(vᵢ) are folded into one by coefficients ρⱼ of 128 bits that Fiat–Shamir
/// draws from every ciphertext and every share: C = ∏ (cⱼ⁴)^ρⱼ, S = ∏ (cᵢⱼ²)^ρⱼ, and the proof shows
/// log_C(S) = log_v(vᵢ) exactly as ``DecryptionShare`` does for one. A party that gives a wrong cᵢⱼ for any j passes
/// only if its errors cancel under coefficients fixed after it chose them: with probability about 2⁻¹²⁸, since the
/// squares of Z*_{n²} for n of two safe primes have no element of small order (the small-exponent batch test of
/// Bellare, Garay and Rabin). The shares cost k exponentiations as before; the proof costs two simultaneous
/// exponentiations with 128-bit exponents and one proof, whatever k.
public struct BatchDecryptionShare: Sendable, Equatable {
    public let party: Int
    /// cᵢⱼ, in the order of the ciphertexts.
    public let values: [BigInteger]
    /// The proof: challenge e and response z = r + e·Δ·sᵢ (over the integers), for the folded statement.
    public let challenge: BigInteger
    public let response: BigInteger

    public init(party: Int, values: [BigInteger], challenge: BigInteger, response: BigInteger) {
        self.party = party
        self.values = values
        self.challenge = challenge
        self.response = response
    }

    /// The bits of each folding coefficient ρⱼ.
    static let coefficientBits = 128
}

extension KeyShare {
    /// This party's decryption shares of `ciphertexts` (at least one) with one proof for all, bound to `session`.
    /// Exponents with secrets (2Δ·sᵢ and r) go through `mpz_powm_sec`, as for a single share.
    public func decryptionShares(of ciphertexts: [PaillierCiphertext], session: Data) -> BatchDecryptionShare {
        precondition(!ciphertexts.isEmpty, "at least one ciphertext")
        let key = publicKey
        let nSquared = key.nSquared
        let exponent = key.delta * secret
        let values = ciphertexts.map { $0.value.power(secretExponent: exponent.shiftedLeft(1), modulo: nSquared) }
        let (c, s) = BatchDecryptionShare.fold(ciphertexts, values: values, key: key, party: index, session: session)
        let r = BigInteger.random(bits: exponent.bitWidth.roundedUpToByte + FiatShamir.challengeBits + 128)
        let a = c.power(secretExponent: r, modulo: nSquared)
        let b = key.vPower(r, secret: true)
        let e = BatchDecryptionShare.challenge(key: key, party: index, session: session, c: c, s: s, a: a, b: b)
        return BatchDecryptionShare(party: index, values: values, challenge: e, response: r + e * exponent)
    }
}

extension BatchDecryptionShare {
    /// C = ∏ (cⱼ⁴)^ρⱼ and S = ∏ (cᵢⱼ²)^ρⱼ, computed as (∏ cⱼ^ρⱼ)⁴ and (∏ cᵢⱼ^ρⱼ)², each one simultaneous
    /// exponentiation; ρⱼ from ``coefficients(_:values:key:party:session:)``.
    static func fold(
        _ ciphertexts: [PaillierCiphertext], values: [BigInteger], key: ThresholdPublicKey, party: Int, session: Data
    ) -> (c: BigInteger, s: BigInteger) {
        let nSquared = key.nSquared
        let rho = coefficients(ciphertexts, values: values, key: key, party: party, session: session)
        let c = BigInteger.product(of: ciphertexts.map(\.value), raisedTo: rho, modulo: nSquared).power(4, modulo: nSquared)
        let s = BigInteger.product(of: values, raisedTo: rho, modulo: nSquared).power(2, modulo: nSquared)
        return (c, s)
    }

    /// ρⱼ: the low 128 bits of a Fiat–Shamir hash of (a hash of every ciphertext and every share, j).
    static func coefficients(
        _ ciphertexts: [PaillierCiphertext], values: [BigInteger], key: ThresholdPublicKey, party: Int, session: Data
    ) -> [BigInteger] {
        var statement = FiatShamir(domain: "summa/threshold/batch-decryption-share/statement/v1", session: session, party: party, modulus: key.n)
        statement.absorb(ciphertexts.count)
        for ciphertext in ciphertexts { statement.absorb(ciphertext.value) }
        for value in values { statement.absorb(value) }
        let seed = statement.challenge()
        let bound = BigInteger(1).shiftedLeft(coefficientBits)
        return (0..<ciphertexts.count).map { index in
            var coefficient = FiatShamir(domain: "summa/threshold/batch-decryption-share/coefficient/v1", session: session, party: party, modulus: key.n)
            coefficient.absorb(seed)
            coefficient.absorb(index)
            return coefficient.challenge() % bound
        }
    }

    static func challenge(
        key: ThresholdPublicKey, party: Int, session: Data, c: BigInteger, s: BigInteger, a: BigInteger, b: BigInteger
    ) -> BigInteger {
        var hash = FiatShamir(domain: "summa/threshold/batch-decryption-share/v1", session: session, party: party, modulus: key.n)
        for value in [c, s, key.v, key.verificationKeys[party - 1], a, b] { hash.absorb(value) }
        return hash.challenge()
    }

    /// Checks every share and the proof against vᵢ from the dealer's public key: one share per ciphertext, each a
    /// unit below n²; then a = C^z · S^(−e) and b = v^z · vᵢ^(−e) and the challenge recomputed from them.
    public func verify(for ciphertexts: [PaillierCiphertext], key: ThresholdPublicKey, session: Data) throws(ThresholdError) {
        let verificationKey = try key.verificationKey(of: party)
        let nSquared = key.nSquared
        guard !ciphertexts.isEmpty, values.count == ciphertexts.count,
            values.allSatisfy({ $0 > 0 && $0 < nSquared && BigInteger.gcd($0, key.n) == 1 })
        else { throw .invalidShareProof(party: party) }
        guard !response.isNegative, response.bitWidth <= 4 * key.n.bitWidth + 512,
            !challenge.isNegative, challenge.bitWidth <= FiatShamir.challengeBits
        else { throw .invalidShareProof(party: party) }
        let (c, s) = Self.fold(ciphertexts, values: values, key: key, party: party, session: session)
        let a = c.power(response, modulo: nSquared)
            .multiplied(by: s.power(challenge, modulo: nSquared).inverse(modulo: nSquared)!, modulo: nSquared)
        let b = key.vPower(response, secret: false)
            .multiplied(by: verificationKey.power(challenge, modulo: nSquared).inverse(modulo: nSquared)!, modulo: nSquared)
        guard Self.challenge(key: key, party: party, session: session, c: c, s: s, a: a, b: b) == challenge else {
            throw .invalidShareProof(party: party)
        }
    }
}

extension ThresholdPublicKey {
    /// The batches whose proofs verify for `ciphertexts`, one per party, in the order given; throws on a party
    /// seen twice.
    public func verifiedBatches(_ batches: [BatchDecryptionShare], for ciphertexts: [PaillierCiphertext], session: Data)
        throws(ThresholdError) -> [BatchDecryptionShare]
    {
        try Self.requireDistinctParties(batches.map(\.party))
        return batches.filter { (try? $0.verify(for: ciphertexts, key: self, session: session)) != nil }
    }

    /// The plaintext residue of every ciphertext from the first t batches that verify (invalid ones skipped).
    public func combine(_ batches: [BatchDecryptionShare], for ciphertexts: [PaillierCiphertext], session: Data)
        throws(ThresholdError) -> [BigInteger]
    {
        try combine(verified: try verifiedBatches(batches, for: ciphertexts, session: session))
    }

    /// The plaintext residue of each ciphertext from the first t of batches whose proofs the caller has checked,
    /// one per party, all of the same length.
    public func combine(verified batches: [BatchDecryptionShare]) throws(ThresholdError) -> [BigInteger] {
        try Self.requireDistinctParties(batches.map(\.party))
        guard batches.count >= threshold else { throw .notEnoughShares(needed: threshold, valid: batches.map(\.party)) }
        let chosen = Array(batches.prefix(threshold))
        let count = chosen[0].values.count
        guard chosen.allSatisfy({ $0.values.count == count }) else { throw .invalidShareProof(party: chosen.first { $0.values.count != count }!.party) }
        return (0..<count).map { index in combine(values: chosen.map { ($0.party, $0.values[index]) }) }
    }
}
