import BigNum

/// An exact fraction of big integers, kept in lowest terms with a positive denominator: what regression and the
/// analyses compute in, so that every reported figure is the exact one rounded once, half to even, at the end.
struct Rational: Sendable, Equatable, Comparable {
    let numerator: BigInteger
    let denominator: BigInteger

    init(_ numerator: BigInteger, _ denominator: BigInteger = 1) {
        precondition(!denominator.isZero, "a zero denominator")
        let divisor = BigInteger.gcd(numerator, denominator)
        let sign: BigInteger = denominator.isNegative ? -1 : 1
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    /// A decimal's exact value.
    init(_ value: FixedPoint) { self.init(value.mantissa, FixedPoint.powerOfTen(value.scale)) }

    init(_ value: Int) { self.init(BigInteger(value)) }

    static let zero = Rational(0)
    static let one = Rational(1)

    var isZero: Bool { numerator.isZero }
    var isNegative: Bool { numerator.isNegative }

    static func + (lhs: Rational, rhs: Rational) -> Rational {
        Rational(lhs.numerator * rhs.denominator + rhs.numerator * lhs.denominator, lhs.denominator * rhs.denominator)
    }
    static func - (lhs: Rational, rhs: Rational) -> Rational { lhs + (-rhs) }
    static prefix func - (operand: Rational) -> Rational { Rational(-operand.numerator, operand.denominator) }
    static func * (lhs: Rational, rhs: Rational) -> Rational {
        Rational(lhs.numerator * rhs.numerator, lhs.denominator * rhs.denominator)
    }
    static func / (lhs: Rational, rhs: Rational) -> Rational {
        Rational(lhs.numerator * rhs.denominator, lhs.denominator * rhs.numerator)
    }
    static func < (lhs: Rational, rhs: Rational) -> Bool {
        lhs.numerator * rhs.denominator < rhs.numerator * lhs.denominator
    }

    /// Rounded half to even to `scale` decimals.
    func rounded(scale: Int) -> FixedPoint { FixedPoint.quotient(numerator, dividedBy: denominator, scale: scale) }

    /// √self (self ≥ 0) rounded half to even to `scale` decimals.
    func squareRoot(scale: Int) -> FixedPoint { FixedPoint.squareRoot(numerator, dividedBy: denominator, scale: scale) }

    /// self / √other (other > 0), rounded to `scale` decimals: sign(self)·√(self²/other).
    func dividedBySquareRoot(of other: Rational, scale: Int) -> FixedPoint {
        let magnitude = (self * self / other).squareRoot(scale: scale)
        return isNegative ? -magnitude : magnitude
    }
}
