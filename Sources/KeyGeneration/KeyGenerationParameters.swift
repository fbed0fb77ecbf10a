import BigNum
import Threshold

/// Everything the parties of a dealer-free key generation derive alike from the key size, ℓ and t: the sieve
/// modulus M, the prime field of the BGW multiplications, the range every candidate prime lies in, and the bounds of
/// the masks and integer sharings (docs/design.md, "Dealer-free keys", derives each).
public struct KeyGenerationParameters: Sendable, Equatable {
    /// The size of n in bits (even); p and q have bits/2 bits each.
    public let bits: Int
    /// ℓ.
    public let parties: Int
    /// t: any t parties decrypt, and any t − 1 learn nothing.
    public let threshold: Int
    /// Candidate pairs per batch: one batch is one pass through the rounds.
    public let batchSize: Int

    /// κ: statistical security of every mask and integer sharing, in bits.
    public static let statisticalSecurity = 128
    /// Biprimality tests a modulus passes before it is accepted (each lets a non-biprime through with probability
    /// at most ½).
    public static let biprimalityRounds = 64
    /// The most batches a run tries before it gives up (each is hundreds of candidate pairs).
    public static let maximumBatches = 1000

    /// The odd primes in M: every candidate prime is a unit modulo each of them.
    public let sievePrimes: [UInt32]
    /// M = 4 · ∏ sievePrimes.
    public let sieveModulus: BigInteger
    /// ∏ sievePrimes.
    let oddSieveModulus: BigInteger
    /// P, the prime field of the shares that BGW multiplies: above every value revealed from them.
    public let fieldPrime: BigInteger
    /// Every candidate prime is offset + (Σ yᵢ) + M·(Σ zᵢ) with offset a multiple of M near 1.5·2^(bits/2 − 1).
    public let offset: BigInteger
    /// zᵢ is uniform in 0..<highBound, so that a candidate stays below 2^(bits/2).
    public let highBound: BigInteger
    /// Rᵢ, each party's mask of the sieve product, is uniform in 0..<maskBound = 2^κ·M^t (a multiple of 4).
    public let maskBound: BigInteger

    public init(bits: Int, parties: Int, threshold: Int, batchSize: Int? = nil) throws(KeyGenerationError) {
        guard bits % 2 == 0, (256...8192).contains(bits) else {
            throw .invalidParameters("a key of \(bits) bits: an even size from 256 to 8192")
        }
        guard (2...64).contains(parties), threshold >= 2, 2 * threshold - 1 <= parties else {
            throw .invalidParameters("\(parties) parties and threshold \(threshold): BGW needs 2 ≤ t and ℓ ≥ 2t − 1")
        }
        self.bits = bits
        self.parties = parties
        self.threshold = threshold
        self.batchSize = batchSize ?? (bits >= 1536 ? 1024 : 256)
        guard (1...16384).contains(self.batchSize) else { throw .invalidParameters("a batch of \(self.batchSize) candidates") }
        let kappa = Self.statisticalSecurity
        let half = bits / 2
        // M^t·2^κ·ℓ must stay below the field (P > 2^(bits + 2)) and M below p by ~96 bits of fresh high part.
        let modulusBits = min((bits - kappa - 16) / threshold, half - 96)
        var odd = BigInteger(1)
        var primes: [UInt32] = []
        for prime in BigInteger.smallPrimes {
            let next = odd * BigInteger(Int(prime))
            guard next.bitWidth + 2 <= modulusBits else { break }
            odd = next
            primes.append(prime)
        }
        guard !primes.isEmpty else { throw .invalidParameters("a key of \(bits) bits leaves no room to sieve") }
        sievePrimes = primes
        oddSieveModulus = odd
        sieveModulus = odd.shiftedLeft(2)
        fieldPrime = BigInteger(1).shiftedLeft(bits + 2).nextPrime()
        let m = sieveModulus
        // offset ≥ 1.5·2^(half − 1), a multiple of M; offset + ℓ·M·(highBound + 1) < 2^half.
        offset = (BigInteger(3).shiftedLeft(half - 2) + m - 1) / m * m
        highBound = BigInteger(1).shiftedLeft(half - 2) / (BigInteger(parties) * m) - 1
        maskBound = m.power(threshold).shiftedLeft(kappa)
    }

    /// Δ = ℓ!.
    public var delta: BigInteger { (1...parties).reduce(BigInteger(1)) { $0 * BigInteger($1) } }

    /// The longest integer any message of a run may carry, in bits: the key phase's integer shares, masks and
    /// share proofs, with room to spare.
    public var maximumValueBits: Int { 6 * bits + 2048 }

    /// Degree of a product of two sharings: 2t − 2, reconstructed from 2t − 1 points.
    var productDegree: Int { 2 * threshold - 2 }

    /// The bound on an integer sharing's coefficients for a secret of magnitude below `secretBound`:
    /// 2^κ·Δ·(ℓ + 1)^t·secretBound, so that t − 1 shares are statistically independent of the secret.
    func coefficientBound(secretBound: BigInteger) -> BigInteger {
        (secretBound * delta * BigInteger(parties + 1).power(threshold)).shiftedLeft(Self.statisticalSecurity)
    }
}
