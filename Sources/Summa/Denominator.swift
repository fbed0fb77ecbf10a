import BigNum

/// The exact denominator of an encrypted value: value = mantissa × 2^(−twos) × 5^(−fives).
///
/// A decimal scale s is (s, s). python-paillier's base-16 exponent e is (−4e, 0): keeping it as it is, instead of
/// converting it to decimal under encryption, means no ciphertext is ever multiplied by a huge 5^(4k) whose product
/// with an unknown mantissa could wrap around n. Conversion to decimal happens after decryption, exactly.
public struct Denominator: Hashable, Sendable, CustomStringConvertible {
    public let twos: Int
    public let fives: Int

    public init(twos: Int, fives: Int) {
        self.twos = twos
        self.fives = fives
    }

    /// 10^scale.
    public init(decimalScale scale: Int) { self.init(twos: scale, fives: scale) }

    /// python-paillier's 16^exponent.
    public init(pheExponent exponent: Int) { self.init(twos: -4 * exponent, fives: 0) }

    /// Whether this is 10^scale for some scale.
    public var isDecimal: Bool { twos == fives }

    /// The decimals needed to write such a value exactly: max(0, twos, fives).
    public var decimalScale: Int { max(0, twos, fives) }

    /// The smallest denominator both divide.
    public func union(_ other: Denominator) -> Denominator {
        Denominator(twos: max(twos, other.twos), fives: max(fives, other.fives))
    }

    /// The denominator of a product.
    public static func * (lhs: Denominator, rhs: Denominator) -> Denominator {
        Denominator(twos: lhs.twos + rhs.twos, fives: lhs.fives + rhs.fives)
    }

    /// 2^(target.twos − twos) · 5^(target.fives − fives): what a mantissa is multiplied by to reach `target`
    /// (which this denominator must divide).
    func factor(to target: Denominator) -> BigInteger {
        precondition(target.twos >= twos && target.fives >= fives)
        return BigInteger(2).power(target.twos - twos) * BigInteger(5).power(target.fives - fives)
    }

    /// The exact decimal value of mantissa / self.
    func value(of mantissa: BigInteger) -> FixedPoint {
        FixedPoint(unchecked: mantissa * factor(to: Denominator(decimalScale: decimalScale)), scale: decimalScale)
    }

    public var description: String { isDecimal ? "10^\(twos)" : "2^\(twos)·5^\(fives)" }
}
