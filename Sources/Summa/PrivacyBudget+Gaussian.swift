import BigNum
import Foundation

extension PrivacyBudget {
    /// The discrete Gaussian variances for figures in `families.count` families that share this budget's zCDP ρ
    /// equally: σᵢ² = Δᵢ²·k/(2ρ) for the family of sensitivity Δᵢ (an integer number of the figures' units), exact,
    /// as numerator and denominator; ``DiscreteNoise/gaussian(varianceNumerator:varianceDenominator:using:)`` draws
    /// from them. Needs δ.
    public func gaussianVariances(sensitivities: [BigInteger]) throws(SummaError) -> [(numerator: BigInteger, denominator: BigInteger)] {
        guard let rho = try zcdpBudget() else { throw .incompatible("Gaussian noise needs δ") }
        let k = BigInteger(sensitivities.count)
        return sensitivities.map { sensitivity in
            let variance = Rational(sensitivity * sensitivity * k) / (Rational(2) * rho)
            return (variance.numerator, variance.denominator)
        }
    }

    /// A bound T that a discrete Gaussian of variance σ² exceeds in magnitude with probability at most `tail`,
    /// given as ln(1/tail): T = ⌈σ·√(2·ln(2/tail))⌉ (the discrete Gaussian is σ-sub-Gaussian, Canonne, Kamath and
    /// Steinke, so P(|X| ≥ T) ≤ 2·exp(−T²/(2σ²))). Rounded up with a margin for the doubles it is computed in.
    public static func gaussianTailBound(
        varianceNumerator: BigInteger, varianceDenominator: BigInteger, logInverseTail: Double
    ) throws(SummaError) -> BigInteger {
        let variance = (Double(varianceNumerator.description) ?? .infinity) / (Double(varianceDenominator.description) ?? .infinity)
        let bound = (variance * 2 * (logInverseTail + log(2.0))).squareRoot() * (1 + 1e-9) + 1
        guard bound.isFinite, bound < 1e300, let integer = BigInteger(String(format: "%.0f", bound.rounded(.up))) else {
            throw .incompatible("the noise's bound is beyond what can be drawn")
        }
        return integer
    }
}
