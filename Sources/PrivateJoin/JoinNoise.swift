import BigNum
import Foundation
import Summa

/// The noise that makes a join's output (ε, δ)-differentially private for one row added to or removed from either
/// list, drawn by the contributor (the side whose values are summed) before the recipient sees anything.
///
/// One row changes the intersection size by at most 1, one group's count by at most 1 and that group's sum of each
/// column by at most the column's clipping magnitude. The figures fall into k families (the size; the counts per
/// group, when groups are kept; each column's sums), which share the zCDP budget of (ε, δ/2) equally: a discrete
/// Gaussian with σᵢ² = Δᵢ²·k/(2ρ) per figure. Each draw is clamped to ±Tᵢ, its tail bound at probability
/// δₜ/N for N draws, δₜ = δ/(2(1 + e^ε)): clamping changes the output's distribution by at most δₜ in total
/// variation, which costs (1 + e^ε)·δₜ = δ/2 of δ. So the release is (ε, δ)-DP.
///
/// The sums' and counts' noise is added by the contributor to the masked totals it decrypts, whatever ciphertexts
/// the recipient combined. The size's noise cannot be added that way (the recipient counts matches itself), so it
/// rides on noise rows: `dummies` = 2T + 2 extra rows, of which T + 1 + Z match (Z the clamped draw) and the rest
/// match nothing; the recipient subtracts ``offset`` = T + 1 from the matches it counts.
public struct JoinNoise: Sendable {
    public let budget: PrivacyBudget
    /// Per family: its name and σ in the figures' units (a sum's in its column's, not its last decimal's), for reading.
    public let families: [(name: String, sigma: Double)]
    /// The noise rows sent, and how many of them match.
    public let dummies: Int
    public let matchingDummies: Int
    /// What the recipient subtracts from its count of matches.
    public let offset: Int
    /// Per slot of the layout, the noise added to its total, and the bound the noise lies within.
    public let slotNoise: [BigInteger]
    public let slotBounds: [BigInteger]

    /// The most noise rows: a budget that needs more is refused.
    public static let maximumDummies = 10_000_000

    /// Draws the noise for `columns` (each with its clip, at its scale) and `groups` kept groups (0 when none).
    public init(
        budget: PrivacyBudget, columns: [JoinList.Column], groups: Int, keep: String?,
        using generator: inout some RandomNumberGenerator
    ) throws(PrivateJoinError) {
        guard let delta = budget.delta else {
            throw .incompatible("a private join needs --delta: the intersection size's noise rides on a bounded number of noise rows")
        }
        var sensitivities: [BigInteger] = [1]
        var names = ["intersection size"]
        if groups > 0 {
            sensitivities.append(1)
            names.append("count per \(keep ?? "group")")
        }
        for column in columns {
            guard column.clip != nil else {
                throw .incompatible("column \(column.name) has no clipping bounds: give --clip \(column.name)=low:high to release it with --epsilon")
            }
            sensitivities.append(max(column.magnitude, 1))
            names.append("sum of \(column.name)")
        }
        do {
            // The Gaussian part gets δ/2.
            let half = try FixedPoint(mantissa: delta.mantissa * 5, scale: delta.scale + 1)
            let gaussian = try PrivacyBudget(epsilon: budget.epsilon, delta: half)
            let variances = try gaussian.gaussianVariances(sensitivities: sensitivities)
            let slotsPerGroup = columns.count + (groups > 0 ? 1 : 0)
            let draws = 1 + max(1, groups) * slotsPerGroup
            // ln(1/tail) for each draw's tail δₜ/N: ln(1/δ) + ln 2 + ln(1 + e^ε) + ln N.
            let epsilon = budget.epsilonValue
            let logInverseTail = PrivacyBudget.logInverse(delta) + log(2.0) + epsilon + log1p(exp(-epsilon)) + log(Double(draws))
            let bounds = try variances.map { (variance) throws(SummaError) in
                try PrivacyBudget.gaussianTailBound(
                    varianceNumerator: variance.numerator, varianceDenominator: variance.denominator, logInverseTail: logInverseTail)
            }
            func draw(_ family: Int) -> BigInteger {
                let value = DiscreteNoise.gaussian(
                    varianceNumerator: variances[family].numerator, varianceDenominator: variances[family].denominator,
                    using: &generator)
                return min(max(value, -bounds[family]), bounds[family])
            }
            guard let sizeBound = Int(exactly: bounds[0]), sizeBound < (Self.maximumDummies - 2) / 2 else {
                throw PrivateJoinError.incompatible("ε = \(budget.epsilon), δ = \(delta) would need more than \(Self.maximumDummies) noise rows")
            }
            let sizeNoise = Int(exactly: draw(0))!
            dummies = 2 * sizeBound + 2
            matchingDummies = sizeBound + 1 + sizeNoise
            offset = sizeBound + 1
            var slotNoise: [BigInteger] = []
            var slotBounds: [BigInteger] = []
            for _ in 0..<max(1, groups) {
                for column in columns.indices {
                    let family = 1 + (groups > 0 ? 1 : 0) + column
                    slotNoise.append(draw(family))
                    slotBounds.append(bounds[family])
                }
                if groups > 0 {
                    slotNoise.append(draw(1))
                    slotBounds.append(bounds[1])
                }
            }
            self.slotNoise = slotNoise
            self.slotBounds = slotBounds
            self.budget = budget
            let units = [1.0] + (groups > 0 ? [1.0] : []) + columns.map { pow(10.0, Double($0.scale)) }
            families = zip(names, zip(variances, units)).map { name, pair in
                let (variance, unit) = pair
                return (name, ((Double(variance.numerator.description) ?? .infinity) / (Double(variance.denominator.description) ?? 1)).squareRoot() / unit)
            }
        } catch let error as PrivateJoinError {
            throw error
        } catch let error as SummaError {
            throw .incompatible("\(error)")
        } catch {
            throw .incompatible("\(error)")
        }
    }
}
