import BigNum

/// An exact signed decimal number: mantissa × 10^(−scale). "1234.56" is mantissa 123456 at scale 2.
///
/// Parsed from decimal text digit by digit, never through `Double`, so amounts stay exact to the last cent.
/// Equality and ordering are numeric: 1.5 and 1.50 are equal (and hash alike).
public struct FixedPoint: Sendable, Comparable, Hashable, CustomStringConvertible {
    /// The largest number of decimals a value may carry.
    public static let maximumScale = 512

    /// The integer m with value = m × 10^(−scale).
    public let mantissa: BigInteger
    /// The number of decimals, 0…``maximumScale``.
    public let scale: Int

    public init(mantissa: BigInteger, scale: Int) throws(SummaError) {
        guard (0...Self.maximumScale).contains(scale) else { throw .scaleOutOfRange(scale) }
        self.mantissa = mantissa
        self.scale = scale
    }

    init(unchecked mantissa: BigInteger, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// An integer value at scale 0.
    public init(_ integer: BigInteger) { self.init(unchecked: integer, scale: 0) }

    /// Parses an optional sign, digits, and optionally a point followed by more digits: "1234.56", "-0.5", "+7",
    /// "0.010" (scale 3). `field` names the source in errors.
    public init(parsing text: some StringProtocol, field: String = "value") throws(SummaError) {
        let bytes = Array(text.utf8)
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var digits: [UInt8] = []
        var scale = 0
        var seenPoint = false
        var digitsBeforePoint = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits.append(byte)
                if seenPoint { scale += 1 } else { digitsBeforePoint += 1 }
            } else {
                throw .invalidNumber(String(text), field: field)
            }
            index += 1
        }
        // Both sides of the point need digits: "1.", ".5" and "." are rejected as ambiguous.
        guard digitsBeforePoint > 0, !seenPoint || scale > 0 else { throw .invalidNumber(String(text), field: field) }
        guard scale <= Self.maximumScale else { throw .scaleOutOfRange(scale) }
        let magnitude = BigInteger(String(decoding: digits, as: UTF8.self))!
        self.init(unchecked: negative ? -magnitude : magnitude, scale: scale)
    }

    /// Zero at scale 0.
    public static let zero = FixedPoint(unchecked: 0, scale: 0)

    /// 10^k.
    static func powerOfTen(_ k: Int) -> BigInteger { BigInteger(10).power(k) }

    /// The same value with more decimals (exact). `scale` must not be below the current one.
    public func rescaled(to newScale: Int) throws(SummaError) -> FixedPoint {
        guard newScale >= scale, newScale <= Self.maximumScale else { throw .scaleOutOfRange(newScale) }
        return FixedPoint(unchecked: mantissa * Self.powerOfTen(newScale - scale), scale: newScale)
    }

    /// The scale a column of `values` is encrypted at: `scale` when given, else the most decimals in the column.
    public static func columnScale(of values: [FixedPoint], given scale: Int?) -> Int {
        scale ?? values.map(\.scale).max() ?? 0
    }

    /// The mantissa at a column's scale; a value with more decimals is an error naming `field`, never silently
    /// rounded.
    public func mantissa(atColumnScale columnScale: Int, field: String) throws(SummaError) -> BigInteger {
        guard scale <= columnScale else {
            throw .incompatible("\(field): \(self) has more than \(columnScale) decimals (raise --scale)")
        }
        return try rescaled(to: columnScale).mantissa
    }

    /// The value rounded to `newScale` decimals, half to even (banker's rounding), or rescaled when more decimals
    /// are asked for.
    public func rounded(toScale newScale: Int) throws(SummaError) -> FixedPoint {
        if newScale >= scale { return try rescaled(to: newScale) }
        return FixedPoint.quotient(mantissa, dividedBy: Self.powerOfTen(scale), scale: newScale)
    }

    /// numerator / denominator rounded half-to-even to an integer, for a positive denominator.
    package static func roundedQuotient(_ numerator: BigInteger, _ denominator: BigInteger) -> BigInteger {
        let (quotient, remainder) = numerator.quotientAndRemainder(flooringBy: denominator)
        let twice = remainder.shiftedLeft(1)
        if twice > denominator || (twice == denominator && quotient.isOdd) { return quotient + 1 }
        return quotient
    }

    /// The rational numerator / denominator as a `scale`-decimal value, rounded half to even (denominator > 0).
    static func quotient(_ numerator: BigInteger, dividedBy denominator: BigInteger, scale: Int) -> FixedPoint {
        FixedPoint(unchecked: roundedQuotient(numerator * powerOfTen(scale), denominator), scale: scale)
    }

    /// √(numerator / denominator) correctly rounded (half to even) to `scale` decimals; both non-negative.
    static func squareRoot(_ numerator: BigInteger, dividedBy denominator: BigInteger, scale: Int) -> FixedPoint {
        // r = ⌊√X⌋ with X = numerator·10^(2·scale)/denominator; round up when (r + ½)² < X, i.e.
        // (2r + 1)²·denominator < 4·numerator·10^(2·scale).
        let scaled = numerator * powerOfTen(2 * scale)
        var root = scaled.quotientAndRemainder(flooringBy: denominator).quotient.squareRoot()
        let twiceRootPlusOne = root.shiftedLeft(1) + 1
        let lhs = twiceRootPlusOne * twiceRootPlusOne * denominator
        let rhs = scaled.shiftedLeft(2)
        if lhs < rhs || (lhs == rhs && root.isOdd) { root += 1 }
        return FixedPoint(unchecked: root, scale: scale)
    }

    /// The exact decimal text: "-1234.56", "0.00", "7".
    public var description: String {
        let digits = mantissa.magnitude.description
        let sign = mantissa.isNegative ? "-" : ""
        guard scale > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        return sign + padded.dropLast(scale) + "." + padded.suffix(scale)
    }

    /// The value with trailing fractional zeros removed (1.500 → 1.5, 2.00 → 2).
    public var normalized: FixedPoint {
        var mantissa = self.mantissa
        var scale = self.scale
        let ten = BigInteger(10)
        while scale > 0, mantissa.isDivisible(by: ten) {
            mantissa = mantissa.dividedExactly(by: ten)
            scale -= 1
        }
        return FixedPoint(unchecked: mantissa, scale: scale)
    }

    /// Both values at the larger of their scales.
    static func aligned(_ lhs: FixedPoint, _ rhs: FixedPoint) -> (BigInteger, BigInteger, Int) {
        let scale = max(lhs.scale, rhs.scale)
        return (
            lhs.mantissa * powerOfTen(scale - lhs.scale), rhs.mantissa * powerOfTen(scale - rhs.scale), scale
        )
    }

    public static func == (lhs: FixedPoint, rhs: FixedPoint) -> Bool {
        let (a, b, _) = aligned(lhs, rhs)
        return a == b
    }

    public static func < (lhs: FixedPoint, rhs: FixedPoint) -> Bool {
        let (a, b, _) = aligned(lhs, rhs)
        return a < b
    }

    public func hash(into hasher: inout Hasher) {
        let canonical = normalized
        hasher.combine(canonical.mantissa)
        hasher.combine(canonical.scale)
    }

    /// Exact sum, at the larger scale.
    public static func + (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        let (a, b, scale) = aligned(lhs, rhs)
        return FixedPoint(unchecked: a + b, scale: scale)
    }

    /// Exact difference, at the larger scale.
    public static func - (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        let (a, b, scale) = aligned(lhs, rhs)
        return FixedPoint(unchecked: a - b, scale: scale)
    }

    /// Exact product, at the sum of the scales (so it may exceed ``maximumScale``: round it before storing).
    public static func * (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        FixedPoint(unchecked: lhs.mantissa * rhs.mantissa, scale: lhs.scale + rhs.scale)
    }

    public static prefix func - (operand: FixedPoint) -> FixedPoint {
        FixedPoint(unchecked: -operand.mantissa, scale: operand.scale)
    }
}

extension FixedPoint: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(BigInteger(value)) }
}
