import BigNum

/// Decrypted statistics of a column: exact sum and count; mean, variance and standard deviation rounded half to
/// even to `digits` decimals.
public struct ColumnStatistics: Sendable, Equatable {
    public let count: Int
    public let sum: FixedPoint
    /// Σx / count; nil for no values.
    public let mean: FixedPoint?
    /// Population variance Σ(x − mean)²/count; nil without squares or values.
    public let variance: FixedPoint?
    /// Sample variance Σ(x − mean)²/(count − 1); nil without squares or with fewer than two values.
    public let sampleVariance: FixedPoint?
    /// √(population variance).
    public let standardDeviation: FixedPoint?
    /// √(sample variance).
    public let sampleStandardDeviation: FixedPoint?
    /// Decimals of the rounded statistics.
    public let digits: Int

    /// The default number of decimals for means and variances: the values' scale plus four.
    public static func defaultDigits(forScale scale: Int) -> Int { scale + 4 }

    /// Computes the statistics from an exact sum, a count and, optionally, an exact sum of squares.
    public init(count: Int, sum: FixedPoint, sumOfSquares: FixedPoint?, digits: Int? = nil) throws(SummaError) {
        let digits = digits ?? Self.defaultDigits(forScale: sum.scale)
        guard (0...FixedPoint.maximumScale).contains(digits) else { throw .scaleOutOfRange(digits) }
        self.count = count
        self.sum = sum
        self.digits = digits
        let n = BigInteger(count)
        mean = count > 0 ? FixedPoint.quotient(sum.mantissa, dividedBy: n * FixedPoint.powerOfTen(sum.scale), scale: digits) : nil
        guard let squares = sumOfSquares, count > 0 else {
            (variance, sampleVariance, standardDeviation, sampleStandardDeviation) = (nil, nil, nil, nil)
            return
        }
        // Σ(x − x̄)² = Σx² − (Σx)²/N = (N·Σx² − (Σx)²)/N, all at scale 2s: numerator over N·10^(2s).
        let s = sum.scale
        let q = try squares.rescaled(to: 2 * s).mantissa
        let deviation = n * q - sum.mantissa * sum.mantissa
        guard !deviation.isNegative else {
            throw .notComputable("the sum of squares is smaller than the sum allows: the squares do not match the values")
        }
        let unit = FixedPoint.powerOfTen(2 * s)
        let populationDenominator = n * n * unit
        variance = FixedPoint.quotient(deviation, dividedBy: populationDenominator, scale: digits)
        standardDeviation = FixedPoint.squareRoot(deviation, dividedBy: populationDenominator, scale: digits)
        if count > 1 {
            let sampleDenominator = n * (n - 1) * unit
            sampleVariance = FixedPoint.quotient(deviation, dividedBy: sampleDenominator, scale: digits)
            sampleStandardDeviation = FixedPoint.squareRoot(deviation, dividedBy: sampleDenominator, scale: digits)
        } else {
            (sampleVariance, sampleStandardDeviation) = (nil, nil)
        }
    }
}
