import BigNum

/// A differentially private release of an analysis: every count and sum the key holder would print gets exact
/// discrete noise (``DiscreteNoise``) calibrated to the clipping bounds declared at encryption, and what is derived
/// from them (means, quantiles) is computed from the noisy figures only. No noise-free figure leaves it.
///
/// Neighbouring datasets differ by adding or removing one row. A row changes each value column's count by 1 and its
/// sum by at most the column's clipping magnitude max(|low|, |high|); within a category (or a histogram) it changes
/// one level's (bucket's) count and sums only. The released figures are grouped into *families* whose members one
/// row can change only one of: a column's count, a column's sum, a category's level counts, a category's level sums
/// of one column, a histogram's bucket counts, its bucket sums. Each of the k families gets an equal share of the
/// budget (basic composition across families, parallel composition inside one):
///
/// - pure ε: discrete Laplace with scale Δ/(ε/k) per figure, Δ the family's sensitivity;
/// - (ε, δ): the budget is ρ-zCDP with ε = ρ + 2√(ρ·ln(1/δ)), each family ρ/k, discrete Gaussian with σ² = Δ²/(2ρ/k)
///   (zCDP of the discrete Gaussian: Canonne, Kamath and Steinke; the conversion and composition of zCDP: Bun and Steinke, 2016).
public struct PrivateRelease: Sendable {
    /// One family of figures and its noise.
    public struct Family: Sendable, Equatable {
        public let name: String
        /// The most one row changes any figure of the family (a count's is 1).
        public let sensitivity: FixedPoint
        /// The noise, in the figures' units: "Laplace scale 540.00" or "Gaussian σ 9630.00".
        public let noise: String
    }

    /// The mechanism: "discrete Laplace" or "discrete Gaussian".
    public let mechanism: String
    public let epsilon: FixedPoint
    public let delta: FixedPoint?
    public let families: [Family]
    /// The released analysis, laid out from noisy totals: counts, sums, means, level tables, histograms.
    public let report: AnalysisReport

    /// Draws the release.
    /// - Parameters:
    ///   - plan: the plan of the aggregate; every value column must have clipping bounds.
    ///   - totals: the exact decrypted totals by column name (never shown).
    ///   - epsilon: the total ε, within ``PrivacyBudget``'s bounds.
    ///   - delta: nil for pure ε-DP (discrete Laplace), else in (0, 1) for (ε, δ) through zCDP (discrete Gaussian).
    ///   - digits: decimals of the means (default: each column's scale + 4).
    ///   - generator: where the noise's randomness comes from (the system's CSPRNG for a real release).
    public init(
        plan: AnalysisPlan, totals: [String: ColumnTotals], epsilon: FixedPoint, delta: FixedPoint?, digits: Int? = nil,
        using generator: inout some RandomNumberGenerator
    ) throws(SummaError) {
        let budget = try PrivacyBudget(epsilon: epsilon, delta: delta)
        for value in plan.values where plan.clip(of: value) == nil {
            throw .incompatible("column \(value) has no clipping bounds: encrypt it with --clip \(value)=low:high to release it with --epsilon")
        }
        func total(_ name: String) throws(SummaError) -> ColumnTotals {
            guard let total = totals[name] else { throw .incompatible("column \(name) has no values in the aggregate") }
            return total
        }
        // The families: the columns whose figure each releases, what that figure is, and Δ (a bound at a scale).
        var groups: [(name: String, columns: [String], figure: Figure, scale: Int, bound: FixedPoint)] = []
        for value in plan.values {
            let bound = plan.clip(of: value)!.magnitude
            groups.append(("\(value) count", [value], .rows, 0, 1))
            groups.append(("\(value) sum", [value], .sum, try total(value).sum.scale, bound))
        }
        for category in plan.categories {
            let levels = category.allLevels
            groups.append(("count per \(category.column)", levels.map(category.countName), .countColumn, 0, 1))
            for value in plan.values {
                groups.append((
                    "\(value) sum per \(category.column)", levels.map { category.sumName(value, $0) }, .sum,
                    try total(value).sum.scale, plan.clip(of: value)!.magnitude))
            }
        }
        for histogram in plan.bins {
            groups.append(("count per \(histogram.column) bucket", histogram.buckets.map(histogram.countName), .countColumn, 0, 1))
            groups.append((
                "\(histogram.column) sum per bucket", histogram.buckets.map(histogram.sumName), .sum,
                try total(histogram.column).sum.scale, plan.clip(of: histogram.column)!.magnitude))
        }
        let k = BigInteger(groups.count)
        // The zCDP budget ρ of (ε, δ), rounded down (less budget, more noise). Only this parameter is solved in
        // floating point, from δ's digits; every sample is exact.
        let rho = try budget.zcdpBudget()
        var noisy = totals
        var families: [Family] = []
        for group in groups {
            // Δ in units of the column's last decimal (its scale covers the bound's decimals).
            let sensitivity = try group.bound.rescaled(to: group.scale).mantissa
            let parameter: Rational
            if let rho {
                parameter = Rational(sensitivity * sensitivity * k) / (Rational(2) * rho)  // σ² = Δ²·k/(2ρ)
            } else {
                parameter = Rational(sensitivity * k) / Rational(epsilon)  // scale Δ·k/ε
            }
            for column in group.columns {
                let exact = try total(column)
                let noise = rho == nil
                    ? DiscreteNoise.laplace(scaleNumerator: parameter.numerator, scaleDenominator: parameter.denominator, using: &generator)
                    : DiscreteNoise.gaussian(varianceNumerator: parameter.numerator, varianceDenominator: parameter.denominator, using: &generator)
                let current = noisy[column] ?? exact
                switch group.figure {
                case .rows:
                    // Clamped at 0 (post-processing): a count below zero means nothing.
                    let count = BigInteger(exact.count) + noise
                    noisy[column] = ColumnTotals(count: count.isNegative ? 0 : count.intValue ?? Int.max, sum: current.sum, sumOfSquares: nil)
                case .sum, .countColumn:
                    var mantissa = exact.sum.mantissa + noise
                    if group.figure == .countColumn && mantissa.isNegative { mantissa = 0 }
                    noisy[column] = ColumnTotals(
                        count: current.count, sum: try FixedPoint(mantissa: mantissa, scale: exact.sum.scale), sumOfSquares: nil)
                }
            }
            let unit = Rational(FixedPoint.powerOfTen(group.scale))
            let noise = rho == nil
                ? "Laplace scale \((parameter / unit).rounded(scale: group.scale + 2))"
                : "Gaussian σ \((parameter / (unit * unit)).squareRoot(scale: group.scale + 2))"
            families.append(Family(name: group.name, sensitivity: try group.bound.rescaled(to: group.scale), noise: noise))
        }
        mechanism = rho == nil ? "discrete Laplace" : "discrete Gaussian"
        self.epsilon = epsilon
        self.delta = budget.delta
        self.families = families
        // Covariances are not released: their sensitivity would need bounds on products too.
        let released = try AnalysisPlan(values: plan.values, categories: plan.categories, bins: plan.bins, clips: plan.clips)
        report = try AnalysisReport(plan: released, totals: noisy, digits: digits)
    }

    /// What a family's figures are.
    enum Figure { case rows, sum, countColumn }
}
