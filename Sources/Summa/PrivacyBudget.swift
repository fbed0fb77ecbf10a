import BigNum
import Foundation

/// A differential-privacy budget, ε and optionally δ, checked by one rule wherever a budget is read: the key holder's
/// `decrypt --epsilon`, the coordinator's `--epsilon`, a session header, and a party's own policy.
///
/// ε must lie in [``minimumEpsilon``, ``maximumEpsilon``] and δ in (0, 1). Both stay exact decimals. The one quantity
/// that is solved in floating point, the zCDP budget ρ of (ε, δ), is computed from ln(1/δ) taken from δ's *decimal
/// digits* (ln(1/δ) = s·ln 10 − ln m for δ = m·10⁻ˢ), never from δ as a `Double`: a δ such as 10⁻³¹⁰ is below the
/// smallest normal double, and a `Double` of it would make ln(1/δ) infinite and the noise vanish. ρ is then rounded
/// *down*, so that every error of the floating-point solve adds noise and never removes it.
public struct PrivacyBudget: Sendable, Equatable {
    public let epsilon: FixedPoint
    public let delta: FixedPoint?

    /// The largest ε accepted. Beyond it a "private" release is no protection worth stating.
    public static let maximumEpsilon: FixedPoint = 100
    /// The smallest ε accepted: 10⁻⁶. Below it the noise would dwarf any figure, and the arithmetic of what is derived
    /// from noisy figures (means, quantiles) would need numbers far beyond any data set.
    public static let minimumEpsilon = FixedPoint(unchecked: 1, scale: 6)

    /// Checks `epsilon` and `delta`.
    public init(epsilon: FixedPoint, delta: FixedPoint?) throws(SummaError) {
        guard epsilon >= Self.minimumEpsilon, epsilon <= Self.maximumEpsilon else {
            throw .incompatible("ε must be from \(Self.minimumEpsilon) to \(Self.maximumEpsilon), not \(epsilon)")
        }
        if let delta, !(delta > .zero && delta < 1) {
            throw .incompatible("δ must be above 0 and below 1, not \(delta)")
        }
        self.epsilon = epsilon
        self.delta = delta
    }

    /// ln(1/δ), from δ's digits: no underflow for any δ a decimal can write.
    public var logInverseDelta: Double? { delta.map { Self.logInverse($0) } }

    /// The zCDP budget ρ with ρ + 2√(ρ·ln(1/δ)) ≤ ε, so that ρ-zCDP implies (ε, δ)-DP (Bun and Steinke, 2016), as a
    /// multiple of 2⁻⁴⁰ rounded down with a relative margin of 10⁻⁹; nil without δ. Throws when ρ is below 2⁻⁴⁰,
    /// which no noise this library can draw meets.
    func zcdpBudget() throws(SummaError) -> Rational? {
        guard let delta, let logarithm = logInverseDelta else { return nil }
        let units = (Self.zcdpRho(epsilon: epsilonValue, logInverseDelta: logarithm) * 0x1p40 * (1 - 1e-9)).rounded(.down)
        guard units.isFinite, units >= 1, units < 0x1p62 else {
            throw .incompatible("ε = \(epsilon) with δ = \(delta) leaves no budget that noise can meet")
        }
        return Rational(BigInteger(Int(units)), BigInteger(1).shiftedLeft(40))
    }

    /// ε as a double: exact to 10⁻¹⁵ relative, and never subnormal (ε ≥ 10⁻⁶).
    public var epsilonValue: Double { Double(epsilon.description) ?? 0 }

    /// The ρ solving ε = ρ + 2√(ρ·L), L = ln(1/δ): ρ = (√(L + ε) − √L)², written as ε²/(√(L + ε) + √L)² so that no
    /// two nearly equal numbers are subtracted when L is large.
    static func zcdpRho(epsilon: Double, logInverseDelta logarithm: Double) -> Double {
        let denominator = (logarithm + epsilon).squareRoot() + logarithm.squareRoot()
        return (epsilon / denominator) * (epsilon / denominator)
    }

    /// ln(1/x) for 0 < x < 1 given as decimal digits: x = m·10⁻ˢ, so ln(1/x) = s·ln 10 − ln m, with ln m from m's
    /// leading 17 digits and its number of digits (m has at most 513 digits, far beyond a double's range).
    public static func logInverse(_ x: FixedPoint) -> Double {
        let digits = x.mantissa.magnitude.description
        let leading = Double(digits.prefix(17)) ?? 1
        let logMantissa = log(leading) + Double(max(0, digits.count - 17)) * log(10.0)
        return Double(x.scale) * log(10.0) - logMantissa
    }
}
