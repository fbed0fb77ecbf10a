import BigNum

/// What a party does to a vector (a model update) before it contributes it to a session: clip it to an L2 norm and
/// round it to the session's decimals at random, so that the rounding is unbiased (E[rounded] = value) and the
/// contribution of one party to every coordinate is bounded.
public enum VectorClipping {
    /// `values` scaled by min(1, norm/‖values‖₂), then each rounded to `scale` decimals up or down at random with
    /// the probabilities that make it unbiased. The factor uses √‖values‖² rounded up (to `scale` + 20 decimals), so
    /// the scaled vector's norm is at most `norm`; rounding can then add at most √k·10^(−scale) to it, k the length.
    public static func clipped(
        _ values: [FixedPoint], norm: FixedPoint, scale: Int, using generator: inout some RandomNumberGenerator
    ) throws(SummaError) -> [FixedPoint] {
        guard norm > .zero else { throw .incompatible("the clipping norm must be positive") }
        guard (0...FixedPoint.maximumScale).contains(scale) else { throw .scaleOutOfRange(scale) }
        let squares = values.reduce(Rational.zero) { $0 + Rational($1) * Rational($1) }
        var factor = Rational.one
        if Rational(norm) * Rational(norm) < squares {
            // ⌈√squares⌉ at 10^(−p): the floor of √(squares·10^(2p)), plus one unit.
            let precision = scale + 20
            let scaled = squares * Rational(FixedPoint.powerOfTen(2 * precision))
            let root = scaled.numerator.quotientAndRemainder(flooringBy: scaled.denominator).quotient.squareRoot() + 1
            factor = Rational(norm) / Rational(root, FixedPoint.powerOfTen(precision))
        }
        let unit = Rational(FixedPoint.powerOfTen(scale))
        return try values.map { (value) throws(SummaError) in
            let units = Rational(value) * factor * unit
            let floor = units.numerator.quotientAndRemainder(flooringBy: units.denominator).quotient
            let remainder = units.numerator - floor * units.denominator  // in 0..<denominator
            let up = BigInteger.random(below: units.denominator, using: &generator) < remainder
            return try FixedPoint(mantissa: up ? floor + 1 : floor, scale: scale)
        }
    }
}
