import BigNum
import Foundation

/// Noise that the parties of a session add together, so that the decrypted sum of their vectors is differentially
/// private even to the key holders: each of the parties adds discrete Gaussian noise N_ℤ(0, σ²) to every coordinate
/// of its own vector before encrypting it (the distributed discrete Gaussian of Kairouz, Liu and Steinke, ICML 2021).
///
/// Neighbouring inputs differ by one party's vector. A vector clipped to L2 norm c (in the session's units: c·10^s
/// at s decimals) and rounded at random has ‖x‖₂ ≤ Δ₂ = c·10^s + √d for d coordinates, and, its entries being
/// integers, ‖x‖₁ ≤ Δ₁ = min(√d·Δ₂, Δ₂²). If at least k parties add their noise, the sum holds the sum of k
/// independent N_ℤ(0, σ²), which by their Theorem 1 satisfies ½ε̃²-concentrated DP with
///
///     ε̃ = min( √(Δ₂²/(kσ²) + ½·τ·Δ₁),  Δ₂/(√k·σ) + τ·√Δ₁ ),  τ = 10·Σ_{j=1}^{k−1} exp(−2π²σ²·j/(j+1)),
///
/// and ρ-zCDP gives (ρ + 2√(ρ·ln(1/δ)), δ)-DP (Bun and Steinke). ``calibrated(budget:clipUnits:dimension:honestParties:)``
/// finds the least σ meeting a target (ε, δ) by bisection; only this parameter is computed in floating point, and it
/// is rounded up to a multiple of 2⁻²⁰ (more noise, never less). Samples are exact (``DiscreteNoise``).
public struct DistributedNoise: Sendable, Equatable {
    /// σ², per party and coordinate, in units of the session's last decimal: numerator / 2²⁰.
    public let varianceNumerator: BigInteger
    /// The per-party standard deviation σ, for reading.
    public let sigma: Double
    /// The sensitivities the calibration used, in units.
    public let l2Sensitivity: Double
    public let l1Sensitivity: Double
    /// The fewest parties assumed to add their noise.
    public let honestParties: Int
    /// The guarantee reached: ½ε̃² = ρ.
    public let rho: Double

    /// The noise for a target (ε, δ)-DP of the sum (`budget`, which must have δ), vectors of `dimension` coordinates
    /// clipped to `clipUnits` (the L2 norm in units of the last decimal), with at least `honestParties` adding noise.
    /// The target ρ comes from the budget's zCDP conversion (δ's digits, rounded down); a budget that no σ below
    /// 10¹⁵ units meets is refused.
    public static func calibrated(
        budget: PrivacyBudget, clipUnits: Double, dimension: Int, honestParties: Int
    ) throws(SummaError) -> DistributedNoise {
        guard let allowed = try budget.zcdpBudget(), clipUnits > 0, clipUnits.isFinite, dimension > 0, honestParties > 0 else {
            throw .incompatible("distributed noise needs δ, a positive clipping norm, coordinates and honest parties")
        }
        let (epsilon, delta) = (budget.epsilon, budget.delta!)
        let l2 = clipUnits + Double(dimension).squareRoot()
        let l1 = min(Double(dimension).squareRoot() * l2, l2 * l2)
        let target = (Double(allowed.numerator.description) ?? 0) / (Double(allowed.denominator.description) ?? .infinity)
        func rho(_ sigma: Double) -> Double {
            let k = Double(honestParties)
            let variance: Double = sigma * sigma
            var tau: Double = 0
            for j in 1..<max(1, honestParties) {
                let fraction = Double(j) / Double(j + 1)
                tau += 10 * exp(-2 * Double.pi * Double.pi * variance * fraction)
            }
            let first: Double = (l2 * l2 / (k * variance) + 0.5 * tau * l1).squareRoot()
            let second: Double = l2 / (k.squareRoot() * sigma) + tau * l1.squareRoot()
            let e = min(first, second)
            return e * e / 2
        }
        var low = 0.5, high = max(1.0, l2)
        while rho(high) > target {
            high *= 2
            guard high < 1e15 else { throw .incompatible("no noise meets ε = \(epsilon), δ = \(delta) for these vectors") }
        }
        for _ in 0..<200 where high - low > high * 1e-12 {
            let middle = (low + high) / 2
            if rho(middle) > target { low = middle } else { high = middle }
        }
        // σ² rounded up to a multiple of 2⁻²⁰, with a margin for the doubles above.
        let units = (high * high * (1 + 1e-9) * 0x1p20).rounded(.up)
        guard units.isFinite, let numerator = BigInteger(String(format: "%.0f", units)) else {
            throw .incompatible("the noise for ε = \(epsilon) is beyond what can be drawn")
        }
        return DistributedNoise(
            varianceNumerator: numerator, sigma: (units / 0x1p20).squareRoot(), l2Sensitivity: l2,
            l1Sensitivity: l1, honestParties: honestParties, rho: rho((units / 0x1p20).squareRoot()))
    }

    /// One party's noise for `count` coordinates, in units.
    public func sample(count: Int, using generator: inout some RandomNumberGenerator) -> [BigInteger] {
        (0..<count).map { _ in
            DiscreteNoise.gaussian(varianceNumerator: varianceNumerator, varianceDenominator: BigInteger(1).shiftedLeft(20), using: &generator)
        }
    }
}
