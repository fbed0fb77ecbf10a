internal import CGMP

extension BigInteger: SignedNumeric, AdditiveArithmetic {
    public static var zero: BigInteger { BigInteger() }

    public init?<T: BinaryInteger>(exactly source: T) {
        if let small = Int(exactly: source) {
            self.init(small)
        } else {
            self.init(String(source))
        }
    }

    public static func + (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        make { r in lhs.withUnsafeMPZ { a in rhs.withUnsafeMPZ { b in __gmpz_add(r, a, b) } } }
    }

    public static func - (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        make { r in lhs.withUnsafeMPZ { a in rhs.withUnsafeMPZ { b in __gmpz_sub(r, a, b) } } }
    }

    public static func * (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        make { r in lhs.withUnsafeMPZ { a in rhs.withUnsafeMPZ { b in __gmpz_mul(r, a, b) } } }
    }

    public static prefix func - (operand: BigInteger) -> BigInteger {
        make { r in operand.withUnsafeMPZ { __gmpz_neg(r, $0) } }
    }

    public static func += (lhs: inout BigInteger, rhs: BigInteger) {
        rhs.withUnsafeMPZ { b in lhs.withUnsafeMutableMPZ { a in __gmpz_add(a, a, b) } }
    }

    public static func -= (lhs: inout BigInteger, rhs: BigInteger) {
        rhs.withUnsafeMPZ { b in lhs.withUnsafeMutableMPZ { a in __gmpz_sub(a, a, b) } }
    }

    public static func *= (lhs: inout BigInteger, rhs: BigInteger) {
        rhs.withUnsafeMPZ { b in lhs.withUnsafeMutableMPZ { a in __gmpz_mul(a, a, b) } }
    }

    /// Truncating division (rounds toward zero, like `Int`). Traps on a zero divisor, like `Int`.
    public static func / (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        precondition(!rhs.isZero, "division by zero")
        return make { r in lhs.withUnsafeMPZ { a in rhs.withUnsafeMPZ { b in __gmpz_tdiv_q(r, a, b) } } }
    }

    /// Truncating remainder (takes the sign of the dividend, like `Int`).
    public static func % (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        precondition(!rhs.isZero, "division by zero")
        return make { r in lhs.withUnsafeMPZ { a in rhs.withUnsafeMPZ { b in __gmpz_tdiv_r(r, a, b) } } }
    }

    /// Floor division and the non-negative remainder for a positive divisor: `self = q·divisor + r`, `0 ≤ r < |divisor|`.
    public func quotientAndRemainder(flooringBy divisor: BigInteger) -> (quotient: BigInteger, remainder: BigInteger) {
        precondition(!divisor.isZero, "division by zero")
        var remainder = BigInteger()
        let quotient = BigInteger.make { q in
            withUnsafeMPZ { a in
                divisor.withUnsafeMPZ { d in remainder.withUnsafeMutableMPZ { r in __gmpz_fdiv_qr(q, r, a, d) } }
            }
        }
        return (quotient, remainder)
    }

    /// `self / divisor` when the division is known to be exact (faster than general division).
    public func dividedExactly(by divisor: BigInteger) -> BigInteger {
        BigInteger.make { r in withUnsafeMPZ { a in divisor.withUnsafeMPZ { d in __gmpz_divexact(r, a, d) } } }
    }

    /// Whether `divisor` divides `self`.
    public func isDivisible(by divisor: BigInteger) -> Bool {
        withUnsafeMPZ { a in divisor.withUnsafeMPZ { d in __gmpz_divisible_p(a, d) != 0 } }
    }

    /// `self` raised to a small power.
    public func power(_ exponent: Int) -> BigInteger {
        precondition(exponent >= 0, "negative exponent")
        return BigInteger.make { r in withUnsafeMPZ { __gmpz_pow_ui(r, $0, UInt(exponent)) } }
    }

    /// `self · 2^count` (count ≥ 0).
    public func shiftedLeft(_ count: Int) -> BigInteger {
        BigInteger.make { r in withUnsafeMPZ { __gmpz_mul_2exp(r, $0, UInt(count)) } }
    }

    /// `⌊self / 2^count⌋` (count ≥ 0).
    public func shiftedRight(_ count: Int) -> BigInteger {
        BigInteger.make { r in withUnsafeMPZ { __gmpz_fdiv_q_2exp(r, $0, UInt(count)) } }
    }

    /// ⌊√self⌋ for self ≥ 0.
    public func squareRoot() -> BigInteger {
        precondition(!isNegative, "square root of a negative number")
        return BigInteger.make { r in withUnsafeMPZ { __gmpz_sqrt(r, $0) } }
    }

    /// Whether self = aᵇ for some integers a and b > 1.
    public var isPerfectPower: Bool { withUnsafeMPZ { __gmpz_perfect_power_p($0) != 0 } }

    /// The Jacobi symbol (self / modulus) ∈ {−1, 0, 1} for an odd positive modulus: computable without the
    /// modulus's factors, unlike quadratic residuosity.
    public func jacobiSymbol(modulo modulus: BigInteger) -> Int {
        precondition(modulus.isOdd && modulus.signum > 0, "the Jacobi symbol needs an odd positive modulus")
        return withUnsafeMPZ { a in modulus.withUnsafeMPZ { m in Int(__gmpz_jacobi(a, m)) } }
    }

    /// The greatest common divisor (non-negative).
    public static func gcd(_ a: BigInteger, _ b: BigInteger) -> BigInteger {
        make { r in a.withUnsafeMPZ { x in b.withUnsafeMPZ { y in __gmpz_gcd(r, x, y) } } }
    }

    /// The least common multiple (non-negative).
    public static func lcm(_ a: BigInteger, _ b: BigInteger) -> BigInteger {
        make { r in a.withUnsafeMPZ { x in b.withUnsafeMPZ { y in __gmpz_lcm(r, x, y) } } }
    }
}
