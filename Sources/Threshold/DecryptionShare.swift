import BigNum
import Foundation
import Paillier

/// Party i's share of the decryption of c: cᵢ = c^(2Δ·sᵢ) mod n², with a Chaum–Pedersen proof (Fiat–Shamir) that
/// log_{c⁴}(cᵢ²) = log_v(vᵢ), bound to a session id and to i.
public struct DecryptionShare: Sendable, Equatable {
    public let party: Int
    /// cᵢ.
    public let value: BigInteger
    /// The proof: challenge e and response z = r + e·Δ·sᵢ (over the integers).
    public let challenge: BigInteger
    public let response: BigInteger

    public init(party: Int, value: BigInteger, challenge: BigInteger, response: BigInteger) {
        self.party = party
        self.value = value
        self.challenge = challenge
        self.response = response
    }
}

extension KeyShare {
    /// This party's decryption share of `ciphertext` with its proof, bound to `session`.
    ///
    /// The proof's randomness r has |Δ·sᵢ| + |e| + 128 bits, so that z = r + e·Δ·sᵢ hides sᵢ statistically (a
    /// shorter r leaks it). Exponents with secrets (2Δ·sᵢ and r) go through `mpz_powm_sec`.
    public func decryptionShare(of ciphertext: PaillierCiphertext, session: Data) -> DecryptionShare {
        let key = publicKey
        let nSquared = key.nSquared
        let exponent = key.delta * secret
        let c = ciphertext.value
        let value = c.power(secretExponent: exponent.shiftedLeft(1), modulo: nSquared)
        let c4 = c.power(4, modulo: nSquared)
        let r = BigInteger.random(bits: exponent.bitWidth.roundedUpToByte + FiatShamir.challengeBits + 128)
        let a = c4.power(secretExponent: r, modulo: nSquared)
        let b = key.vPower(r, secret: true)
        let e = DecryptionShare.challenge(
            key: key, party: index, session: session, c4: c4, shareSquared: value.multiplied(by: value, modulo: nSquared),
            a: a, b: b)
        return DecryptionShare(party: index, value: value, challenge: e, response: r + e * exponent)
    }
}

extension DecryptionShare {
    static func challenge(
        key: ThresholdPublicKey, party: Int, session: Data, c4: BigInteger, shareSquared: BigInteger, a: BigInteger,
        b: BigInteger
    ) -> BigInteger {
        var hash = FiatShamir(domain: "summa/threshold/decryption-share/v1", session: session, party: party, modulus: key.n)
        for value in [c4, shareSquared, key.v, key.verificationKeys[party - 1], a, b] { hash.absorb(value) }
        return hash.challenge()
    }

    /// Checks the proof against vᵢ from the dealer's public key (never from the message): recomputes
    /// a = (c⁴)^z · (cᵢ²)^(−e) and b = v^z · vᵢ^(−e) and the challenge from them.
    public func verify(for ciphertext: PaillierCiphertext, key: ThresholdPublicKey, session: Data) throws(ThresholdError) {
        let verificationKey = try key.verificationKey(of: party)
        let nSquared = key.nSquared
        guard value > 0, value < nSquared, BigInteger.gcd(value, key.n) == 1 else {
            throw .invalidShareProof(party: party)
        }
        guard !response.isNegative, response.bitWidth <= 4 * key.n.bitWidth + 512,
            !challenge.isNegative, challenge.bitWidth <= FiatShamir.challengeBits
        else { throw .invalidShareProof(party: party) }
        let c4 = ciphertext.value.power(4, modulo: nSquared)
        let shareSquared = value.multiplied(by: value, modulo: nSquared)
        let a = c4.power(response, modulo: nSquared)
            .multiplied(by: shareSquared.power(challenge, modulo: nSquared).inverse(modulo: nSquared)!, modulo: nSquared)
        let b = key.vPower(response, secret: false)
            .multiplied(by: verificationKey.power(challenge, modulo: nSquared).inverse(modulo: nSquared)!, modulo: nSquared)
        let expected = Self.challenge(
            key: key, party: party, session: session, c4: c4, shareSquared: shareSquared, a: a, b: b)
        guard expected == challenge else { throw .invalidShareProof(party: party) }
    }
}

extension ThresholdPublicKey {
    /// Combines the first t shares that verify into the plaintext residue m ∈ Z_n:
    /// c′ = ∏ cᵢ^(2λᵢ) mod n² with λᵢ = Δ·∏_{j∈S∖{i}} j/(j − i), and m = L(c′)·(4Δ²)⁻¹ mod n.
    /// Invalid shares are skipped (the caller learns who from ``verifiedShares(_:for:session:)``).
    public func combine(_ shares: [DecryptionShare], for ciphertext: PaillierCiphertext, session: Data) throws(ThresholdError)
        -> BigInteger
    {
        try combine(verified: try verifiedShares(shares, for: ciphertext, session: session))
    }

    /// Combines the first t of shares whose proofs the caller has already checked (``DecryptionShare/verify(for:key:session:)``),
    /// one per party: a coordinator that verified each share on arrival need not verify them again.
    public func combine(verified shares: [DecryptionShare]) throws(ThresholdError) -> BigInteger {
        try Self.requireDistinctParties(shares.map(\.party))
        guard shares.count >= threshold else { throw .notEnoughShares(needed: threshold, valid: shares.map(\.party)) }
        return combine(values: shares.prefix(threshold).map { ($0.party, $0.value) })
    }

    /// m from t shares cᵢ of one ciphertext by distinct parties: c′ = ∏ cᵢ^(2λᵢ) mod n², m = L(c′)·(4Δ²)⁻¹ mod n.
    func combine(values shares: [(party: Int, value: BigInteger)]) -> BigInteger {
        let indices = shares.map(\.party)
        var product = BigInteger(1)
        for share in shares {
            let lambda = lagrangeCoefficient(for: share.party, among: indices)
            let base = lambda.isNegative ? share.value.inverse(modulo: nSquared)! : share.value
            product.formProduct(with: base.power(lambda.magnitude.shiftedLeft(1), modulo: nSquared), modulo: nSquared)
        }
        let l = (product - 1).dividedExactly(by: n)
        let fourDeltaSquared = (delta * delta).shiftedLeft(2)
        return l.multiplied(by: fourDeltaSquared.inverse(modulo: n)!, modulo: n)
    }

    /// The shares whose proofs verify, one per party, in the order given; throws on a party seen twice.
    public func verifiedShares(_ shares: [DecryptionShare], for ciphertext: PaillierCiphertext, session: Data)
        throws(ThresholdError) -> [DecryptionShare]
    {
        try Self.requireDistinctParties(shares.map(\.party))
        return shares.filter { (try? $0.verify(for: ciphertext, key: self, session: session)) != nil }
    }

    /// Throws on the first party that appears twice: its share would enter the Lagrange combination twice.
    static func requireDistinctParties(_ parties: [Int]) throws(ThresholdError) {
        var seen = Set<Int>()
        for party in parties where !seen.insert(party).inserted { throw .duplicateShare(party: party) }
    }

    /// λᵢ = Δ·∏_{j∈S∖{i}} j/(j − i): an integer, because Δ = ℓ! clears every denominator.
    func lagrangeCoefficient(for party: Int, among parties: [Int]) -> BigInteger {
        var numerator = delta
        var denominator = BigInteger(1)
        for j in parties where j != party {
            numerator *= BigInteger(j)
            denominator *= BigInteger(j - party)
        }
        return numerator / denominator  // exact
    }
}

extension Int {
    var roundedUpToByte: Int { (self + 7) / 8 * 8 }
}
