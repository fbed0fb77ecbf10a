import BigNum

/// Writing a number y ≡ 1 (mod 4) as a sum of three squares, which Legendre's theorem guarantees (y is not of the
/// form 4ᵃ(8b + 7)). A range proof needs it for y = 4u(W − u) + 1, which is a sum of three squares exactly when
/// 0 ≤ u ≤ W (Groth's observation): for u outside, y is negative.
///
/// Rabin and Shallit's method: pick an even x₁ < √y at random, so that p = y − x₁² ≡ 1 (mod 4); when p is a prime
/// (about one try in ln(y)/2) or a square, write p = x₂² + x₃² by Cornacchia's algorithm with a square root of −1
/// mod p. Small y, where few x₁ exist, are searched exhaustively.
enum ThreeSquares {
    /// (x₁, x₂, x₃) with x₁² + x₂² + x₃² = y, for y ≥ 1 and y ≡ 1 (mod 4).
    static func decompose(_ y: BigInteger) -> (BigInteger, BigInteger, BigInteger) {
        precondition(y.signum > 0 && y.modulo(4) == 1, "y ≡ 1 (mod 4)")
        let root = y.squareRoot()
        if y.bitWidth <= 24, let small = exhaustive(y) { return small }
        // x₁ even in [0, root]: half-range random draws.
        let evenCount = root.shiftedRight(1) + 1
        while true {
            let x1 = BigInteger.random(below: evenCount).shiftedLeft(1)
            let p = y - x1 * x1
            let pRoot = p.squareRoot()
            if pRoot * pRoot == p { return (x1, pRoot, 0) }
            guard p.isProbablePrime(rounds: 2), let (a, b) = twoSquares(prime: p) else { continue }
            return (x1, a, b)
        }
    }

    /// p = a² + b² for a prime p ≡ 1 (mod 4): s² ≡ −1 (mod p) from a non-residue c as c^((p−1)/4), then the
    /// Euclidean algorithm on (p, s) stops at the first remainder below √p (Cornacchia). Nil if p is not prime
    /// after all (the probable-prime test erred) or no non-residue turned up.
    static func twoSquares(prime p: BigInteger) -> (BigInteger, BigInteger)? {
        let quarter = (p - 1).shiftedRight(2)
        for c in 2..<200 {
            let s = BigInteger(c).power(quarter, modulo: p)
            guard s.multiplied(by: s, modulo: p) == p - 1 else { continue }
            let limit = p.squareRoot()
            var (a, b) = (p, s)
            while b > limit { (a, b) = (b, a % b) }
            let rest = p - b * b
            let other = rest.squareRoot()
            return other * other == rest ? (b, other) : nil
        }
        return nil
    }

    /// An exhaustive search over x₁ ≥ x₂ for small y.
    static func exhaustive(_ y: BigInteger) -> (BigInteger, BigInteger, BigInteger)? {
        guard let value = Int(exactly: y) else { return nil }
        var x1 = Int(Double(value).squareRoot()) + 1
        while x1 * x1 > value { x1 -= 1 }
        while x1 >= 0 {
            let rest = value - x1 * x1
            var x2 = Int(Double(rest).squareRoot()) + 1
            while x2 * x2 > rest { x2 -= 1 }
            while x2 >= 0 && 2 * x2 * x2 >= rest {
                let last = rest - x2 * x2
                var x3 = Int(Double(last).squareRoot())
                while x3 * x3 > last { x3 -= 1 }
                while (x3 + 1) * (x3 + 1) <= last { x3 += 1 }
                if x3 * x3 == last { return (BigInteger(x1), BigInteger(x2), BigInteger(x3)) }
                x2 -= 1
            }
            x1 -= 1
        }
        return nil
    }
}
