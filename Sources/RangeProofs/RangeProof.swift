import BigNum
import Foundation
import Paillier
import Summa
import Threshold

/// A zero-knowledge proof that every value packed in a party's ciphertexts lies exactly in its range, with no
/// slack, bound to the session, the sender and the ciphertexts (docs/design.md, "Range proofs").
///
/// For each value v in [lo, hi], with u = v − lo and W = hi − lo, the prover writes 4u(W − u) + 1 = x₁² + x₂² + x₃²
/// (possible exactly when 0 ≤ u ≤ W) and proves, in one Σ-protocol with one challenge e for all values:
/// - C = t^r·∏ g^(u, x₁, x₂, x₃) commits to them over the integers (4 bases per value, ``RangeCommitmentKey``);
/// - the ciphertexts cⱼ = (1 + Mⱼ·n)·hₛ^aⱼ hold Mⱼ = ∑ (u + lo)·2^(w·position): the same u, packed;
/// - T₀ and T₁ commit to the coefficients of e⁰ and e¹ of P(e) = 4·z_u·(e·W − z_u) + e² − ∑ z_k², whose e² coefficient
///   is 4u(W − u) + 1 − ∑ x_k², so that an identity P(e) = p₀ + e·p₁ for three challenges forces it to zero.
///
/// Responses are z = α + e·value for every committed value (α of bits(W) + 1 + λ + σ bits), z_r and z_τ for the
/// commitments' randomness and z_a = β + e·a for each ciphertext's mask exponent. The verifier checks
/// t^z_r·∏g^z = D·C^e, t^z_τ·∏gᵢ^(P(e) + K₀ + e·K₁) = T₀·T₁^e (K: public offsets that keep exponents non-negative)
/// and, for all ciphertexts at once by 128-bit coefficients γⱼ, (1 + n)^∑γⱼZⱼ·hₛ^∑γⱼz_a = ∏Aⱼ^γⱼ·(∏cⱼ^γⱼ)^e with
/// Zⱼ = ∑ (z_u + e·lo)·2^(w·position).
public struct RangeProof: Sendable, Equatable {
    /// C, the commitment to every (u, x₁, x₂, x₃), mod n.
    public let commitment: BigInteger
    /// D, the commitment to their masks α, mod n.
    public let maskCommitment: BigInteger
    /// T₀ and T₁, the commitments to P's coefficients (offset by K₀ and K₁), mod n.
    public let constantTerm: BigInteger
    public let linearTerm: BigInteger
    /// Aⱼ = (1 + Xⱼ·n)·hₛ^βⱼ mod n², one per ciphertext, with Xⱼ the packed α_u.
    public let ciphertextMasks: [BigInteger]
    /// z_a for each ciphertext.
    public let maskResponses: [BigInteger]
    /// (z_u, z_x₁, z_x₂, z_x₃) for each value, in order.
    public let valueResponses: [BigInteger]
    /// z_r = ρ + e·r and z_τ = τ₀ + e·τ₁.
    public let commitmentResponse: BigInteger
    public let termResponse: BigInteger

    public init(
        commitment: BigInteger, maskCommitment: BigInteger, constantTerm: BigInteger, linearTerm: BigInteger,
        ciphertextMasks: [BigInteger], maskResponses: [BigInteger], valueResponses: [BigInteger],
        commitmentResponse: BigInteger, termResponse: BigInteger
    ) {
        self.commitment = commitment
        self.maskCommitment = maskCommitment
        self.constantTerm = constantTerm
        self.linearTerm = linearTerm
        self.ciphertextMasks = ciphertextMasks
        self.maskResponses = maskResponses
        self.valueResponses = valueResponses
        self.commitmentResponse = commitmentResponse
        self.termResponse = termResponse
    }

    static var lambda: Int { RangeCommitmentKey.challengeBits }
    static var sigma: Int { RangeCommitmentKey.hidingBits }

    /// K₀ = 2^(2·(bits(W) + 1 + λ + σ) + 3) ≥ 4α_u² + ∑α_k², and K₁ = 2^(2·(bits(W) + 1) + λ + σ + 4) ≥ |p₁|.
    static func offsets(_ range: ValueRange) -> (BigInteger, BigInteger) {
        let bits = range.width.bitWidth + 1
        return (BigInteger(1).shiftedLeft(2 * (bits + lambda + sigma) + 3), BigInteger(1).shiftedLeft(2 * bits + lambda + sigma + 4))
    }

    /// Encrypts `values` (one per range of `statement`, each in its range) packed as the statement says, and
    /// proves them in range. Throws ``RangeProofError/valueOutOfRange(index:)`` for a value outside its range.
    public static func encrypt(
        _ values: [BigInteger], statement: RangeStatement, key: RangeCommitmentKey
    ) throws(RangeProofError) -> (ciphertexts: [BigInteger], proof: RangeProof) {
        precondition(values.count == statement.count, "one value per statement's value")
        let n = key.publicKey.n
        // Openings: (u, x₁, x₂, x₃) per value, with their masks α.
        var openings: [BigInteger] = []
        var masks: [BigInteger] = []
        openings.reserveCapacity(4 * values.count)
        masks.reserveCapacity(4 * values.count)
        var constants: [BigInteger] = [], linears: [BigInteger] = []
        for (index, value) in values.enumerated() {
            let range = statement.range(of: index)
            guard range.contains(value) else { throw .valueOutOfRange(index: index) }
            let u = value - range.lower, w = range.width
            let (x1, x2, x3) = ThreeSquares.decompose(4 * u * (w - u) + 1)
            let maskBits = w.bitWidth + 1 + lambda + sigma
            let alpha = (0..<4).map { _ in BigInteger.random(bits: maskBits) }
            openings += [u, x1, x2, x3]
            masks += alpha
            // p₀ = −4α_u² − ∑α_k², p₁ = 4α_u(W − 2u) − 2∑α_k·x_k, offset to be non-negative.
            let (k0, k1) = offsets(range)
            constants.append(k0 - 4 * alpha[0] * alpha[0] - alpha[1] * alpha[1] - alpha[2] * alpha[2] - alpha[3] * alpha[3])
            linears.append(k1 + 4 * alpha[0] * (w - 2 * u) - 2 * (alpha[1] * x1 + alpha[2] * x2 + alpha[3] * x3))
        }
        let bases = Array(key.bases(count: 4 * values.count))
        let valueBases = stride(from: 0, to: bases.count, by: 4).map { bases[$0] }
        let nBits = n.bitWidth
        let r = BigInteger.random(bits: nBits + sigma), rho = BigInteger.random(bits: nBits + lambda + 2 * sigma)
        let tau0 = BigInteger.random(bits: nBits + lambda + 2 * sigma), tau1 = BigInteger.random(bits: nBits + sigma)
        let commitment = key.randomnessPower(r).multiplied(by: BigInteger.product(of: bases, raisedTo: openings, modulo: n), modulo: n)
        let maskCommitment = key.randomnessPower(rho).multiplied(by: BigInteger.product(of: bases, raisedTo: masks, modulo: n), modulo: n)
        let constantTerm = key.randomnessPower(tau0).multiplied(
            by: BigInteger.product(of: valueBases, raisedTo: constants, modulo: n), modulo: n)
        let linearTerm = key.randomnessPower(tau1).multiplied(
            by: BigInteger.product(of: valueBases, raisedTo: linears, modulo: n), modulo: n)
        // The ciphertexts and their masks.
        var ciphertexts: [BigInteger] = [], exponents: [BigInteger] = []
        var ciphertextMasks: [BigInteger] = [], maskExponents: [BigInteger] = []
        for index in 0..<statement.ciphertextCount {
            let slots = statement.slots(of: index)
            let (ciphertext, exponent) = key.encrypt(
                key.publicKey.residue(PackingLayout.joined(Array(values[slots]), slotBits: statement.slotBits)))
            ciphertexts.append(ciphertext)
            exponents.append(exponent)
            let packedMasks = PackingLayout.joined(slots.map { masks[4 * $0] }, slotBits: statement.slotBits)
            let beta = BigInteger.random(bits: key.maskExponentBits + lambda + sigma)
            ciphertextMasks.append(key.publicKey.encrypt(key.publicKey.residue(packedMasks), mask: key.maskPower(beta)).value)
            maskExponents.append(beta)
        }
        let e = challenge(
            statement: statement, key: key, ciphertexts: ciphertexts,
            commitments: [commitment, maskCommitment, constantTerm, linearTerm], ciphertextMasks: ciphertextMasks)
        let proof = RangeProof(
            commitment: commitment, maskCommitment: maskCommitment, constantTerm: constantTerm, linearTerm: linearTerm,
            ciphertextMasks: ciphertextMasks,
            maskResponses: zip(maskExponents, exponents).map { $0 + e * $1 },
            valueResponses: zip(masks, openings).map { $0 + e * $1 },
            commitmentResponse: rho + e * r, termResponse: tau0 + e * tau1)
        return (ciphertexts, proof)
    }

    /// e: λ bits of SHA-256 over the statement, the key, the ciphertexts and the first message.
    static func challenge(
        statement: RangeStatement, key: RangeCommitmentKey, ciphertexts: [BigInteger], commitments: [BigInteger],
        ciphertextMasks: [BigInteger]
    ) -> BigInteger {
        var hash = FiatShamir(
            domain: "summa/range-proof/v1", session: statement.session, party: statement.sender, modulus: key.publicKey.n)
        hash.absorb(statement.context)
        hash.absorb(statement.slotBits)
        hash.absorb(statement.slotsPerCiphertext)
        hash.absorb(statement.count)
        hash.absorb(statement.ranges.count)
        for range in statement.ranges { hash.absorb(Data(range.description.utf8)) }
        for value in ciphertexts + commitments + ciphertextMasks { hash.absorb(value) }
        return hash.challenge().shiftedRight(256 - lambda)
    }

    /// Checks the proof for `ciphertexts` against `statement`.
    public func verify(
        _ ciphertexts: [BigInteger], statement: RangeStatement, key: RangeCommitmentKey
    ) throws(RangeProofError) {
        let n = key.publicKey.n, nSquared = key.publicKey.nSquared
        let count = statement.count
        guard ciphertexts.count == statement.ciphertextCount, ciphertextMasks.count == ciphertexts.count,
            maskResponses.count == ciphertexts.count
        else { throw .malformedProof("expected \(statement.ciphertextCount) ciphertexts, masks and mask responses") }
        guard valueResponses.count == 4 * count else { throw .malformedProof("expected \(4 * count) value responses") }
        for value in [commitment, maskCommitment, constantTerm, linearTerm] {
            guard value.signum > 0, value < n, BigInteger.gcd(value, n) == 1 else { throw .malformedProof("a commitment is not a unit mod n") }
        }
        for value in ciphertexts + ciphertextMasks {
            guard value.signum > 0, value < nSquared, BigInteger.gcd(value, n) == 1 else {
                throw .malformedProof("a ciphertext or mask is not a unit mod n²")
            }
        }
        let responseLimit = BigInteger(1).shiftedLeft(statement.responseBits)
        let maskLimit = BigInteger(1).shiftedLeft(key.maskExponentBits + Self.lambda + Self.sigma + 1)
        let randomnessLimit = BigInteger(1).shiftedLeft(RangeCommitmentKey.randomnessBits(n))
        guard valueResponses.allSatisfy({ !$0.isNegative && $0 < responseLimit }),
            maskResponses.allSatisfy({ !$0.isNegative && $0 < maskLimit }),
            !commitmentResponse.isNegative, commitmentResponse < randomnessLimit, !termResponse.isNegative,
            termResponse < randomnessLimit
        else { throw .malformedProof("a response is beyond its bound") }

        let e = Self.challenge(
            statement: statement, key: key, ciphertexts: ciphertexts,
            commitments: [commitment, maskCommitment, constantTerm, linearTerm], ciphertextMasks: ciphertextMasks)
        let bases = Array(key.bases(count: 4 * count))

        // t^z_r·∏g^z = D·C^e (mod n).
        let opened = key.randomnessPower(commitmentResponse).multiplied(
            by: BigInteger.product(of: bases, raisedTo: valueResponses, modulo: n), modulo: n)
        guard opened == BigInteger.product(of: [maskCommitment, commitment], raisedTo: [1, e], modulo: n) else {
            throw .proofDoesNotVerify
        }

        // t^z_τ·∏gᵢ^(P(e) + K₀ + e·K₁) = T₀·T₁^e (mod n).
        let eSquared = e * e
        var exponents: [BigInteger] = []
        exponents.reserveCapacity(count)
        for index in 0..<count {
            let range = statement.range(of: index)
            let z = valueResponses[4 * index..<4 * index + 4].map { $0 }
            let (k0, k1) = Self.offsets(range)
            let exponent = 4 * z[0] * (e * range.width - z[0]) + eSquared - z[1] * z[1] - z[2] * z[2] - z[3] * z[3] + k0 + e * k1
            guard !exponent.isNegative else { throw .proofDoesNotVerify }
            exponents.append(exponent)
        }
        let valueBases = stride(from: 0, to: bases.count, by: 4).map { bases[$0] }
        let terms = key.randomnessPower(termResponse).multiplied(
            by: BigInteger.product(of: valueBases, raisedTo: exponents, modulo: n), modulo: n)
        guard terms == BigInteger.product(of: [constantTerm, linearTerm], raisedTo: [1, e], modulo: n) else {
            throw .proofDoesNotVerify
        }

        // (1 + n)^∑γⱼZⱼ·hₛ^∑γⱼz_aⱼ = ∏Aⱼ^γⱼ·∏cⱼ^(γⱼ·e) (mod n²), γ = 1 for one ciphertext.
        let gammas = coefficients(count: ciphertexts.count, challenge: e, statement: statement, key: key)
        var packedSum = BigInteger(0), maskSum = BigInteger(0)
        for index in ciphertexts.indices {
            let shifted = statement.slots(of: index).map { valueResponses[4 * $0] + e * statement.range(of: $0).lower }
            packedSum += gammas[index] * PackingLayout.joined(shifted, slotBits: statement.slotBits)
            maskSum += gammas[index] * maskResponses[index]
        }
        let lhs = key.publicKey.plaintextPart(packedSum).multiplied(by: key.maskPower(maskSum), modulo: nSquared)
        let rhs = BigInteger.product(of: ciphertextMasks + ciphertexts, raisedTo: gammas + gammas.map { $0 * e }, modulo: nSquared)
        guard lhs == rhs else { throw .proofDoesNotVerify }
    }

    /// γⱼ: 128-bit coefficients from the challenge and every mask response (1 for a single ciphertext).
    func coefficients(count: Int, challenge e: BigInteger, statement: RangeStatement, key: RangeCommitmentKey) -> [BigInteger] {
        guard count > 1 else { return [1] }
        var hash = FiatShamir(
            domain: "summa/range-proof/batch/v1", session: statement.session, party: statement.sender, modulus: key.publicKey.n)
        hash.absorb(e)
        for response in maskResponses { hash.absorb(response) }
        let seed = hash.challenge()
        return (0..<count).map { index in
            var coefficient = FiatShamir(
                domain: "summa/range-proof/batch/coefficient/v1", session: statement.session, party: statement.sender,
                modulus: key.publicKey.n)
            coefficient.absorb(seed)
            coefficient.absorb(index)
            return coefficient.challenge().shiftedRight(128)
        }
    }
}
