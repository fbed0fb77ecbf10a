import BigNum

/// The closed range [lower, upper] a value must lie in, as integers (mantissas at a session's scale).
public struct ValueRange: Sendable, Hashable, CustomStringConvertible {
    public let lower: BigInteger
    public let upper: BigInteger

    /// The range [lower, upper], or nil when lower > upper.
    public init?(lower: BigInteger, upper: BigInteger) {
        guard lower <= upper else { return nil }
        self.lower = lower
        self.upper = upper
    }

    /// The symmetric range [−bound, bound] of a vector's coordinates.
    public init(symmetric bound: BigInteger) {
        precondition(!bound.isNegative, "a bound is non-negative")
        lower = -bound
        upper = bound
    }

    /// W = upper − lower: a value v is in range when u = v − lower lies in [0, W].
    public var width: BigInteger { upper - lower }

    /// The larger of |lower| and |upper|: the packing bound of values in this range.
    public var magnitude: BigInteger { Swift.max(lower.magnitude, upper.magnitude) }

    public func contains(_ value: BigInteger) -> Bool { lower <= value && value <= upper }

    public var description: String { "\(lower):\(upper)" }
}
