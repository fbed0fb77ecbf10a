import BigNum

/// Shamir sharing among parties 1…ℓ, over the prime field Z_P (``field(_:)``) or over the integers
/// (``integers(delta:)``), with the Lagrange coefficients each reconstruction needs computed once.
///
/// Over the integers, coefficients are scaled by Δ = ℓ! so that they are integers: `reconstruct` returns Δ·f(0).
struct ShamirSharing: Sendable {
    /// The field's prime, or nil over the integers.
    let prime: BigInteger?
    let parties: Int
    /// Δ over the integers, 1 over the field.
    let scale: BigInteger

    static func field(_ prime: BigInteger, parties: Int) -> ShamirSharing {
        ShamirSharing(prime: prime, parties: parties, scale: 1)
    }

    static func integers(parties: Int, delta: BigInteger) -> ShamirSharing {
        ShamirSharing(prime: nil, parties: parties, scale: delta)
    }

    /// f(1)…f(ℓ) of a random polynomial of `degree` with f(0) = secret: coefficients uniform mod P, or, over the
    /// integers, uniform in 0..<coefficientBound and subtracted when `negative` (so that f(j) ≤ f(0)).
    func shares(of secret: BigInteger, degree: Int, coefficientBound: BigInteger? = nil, negative: Bool = false) -> [BigInteger] {
        let bound = prime ?? coefficientBound!
        let coefficients = [secret] + (0..<degree).map { _ in
            let coefficient = BigInteger.random(below: bound)
            return negative ? -coefficient : coefficient
        }
        return (1...parties).map { x in
            let value = coefficients.reversed().reduce(BigInteger.zero) { $0 * BigInteger(x) + $1 }
            return prime.map { value.modulo($0) } ?? value
        }
    }

    /// Coefficients λ with scale·f(target) = Σ λᵢ·f(i) over points 1…degree + 1, for any f of that degree.
    func coefficients(degree: Int, target: Int) -> [BigInteger] {
        (1...degree + 1).map { i in
            var numerator = scale
            var denominator = BigInteger(1)
            for j in 1...degree + 1 where j != i {
                numerator *= BigInteger(target - j)
                denominator *= BigInteger(i - j)
            }
            if let prime { return numerator.multiplied(by: denominator.modulo(prime).inverse(modulo: prime)!, modulo: prime) }
            return numerator / denominator  // exact: (i − 1)!(d + 1 − i)! divides d!, which divides Δ = ℓ!
        }
    }

    /// Reconstructs values from every party's share, checking that the shares at points degree + 2…ℓ lie on the
    /// polynomial the first degree + 1 define. Returns scale·f(0) for each value.
    struct Reconstruction: Sendable {
        let sharing: ShamirSharing
        let degree: Int
        let atZero: [BigInteger]
        /// Coefficients for each further point, to check it.
        let checks: [(point: Int, coefficients: [BigInteger])]

        init(_ sharing: ShamirSharing, degree: Int) {
            self.sharing = sharing
            self.degree = degree
            atZero = sharing.coefficients(degree: degree, target: 0)
            checks = (degree + 2 > sharing.parties ? [] : Array(degree + 2...sharing.parties)).map {
                ($0, sharing.coefficients(degree: degree, target: $0))
            }
        }

        /// scale·f(0) from shares f(1)…f(ℓ) (index j − 1), or nil when they do not lie on one polynomial.
        func value(_ shares: [BigInteger]) -> BigInteger? {
            for check in checks {
                let expected = combine(check.coefficients, shares)
                let actual = sharing.prime.map { shares[check.point - 1].modulo($0) } ?? shares[check.point - 1] * sharing.scale
                guard expected == actual else { return nil }
            }
            return combine(atZero, shares)
        }

        func combine(_ coefficients: [BigInteger], _ shares: [BigInteger]) -> BigInteger {
            var sum = BigInteger.zero
            for (coefficient, share) in zip(coefficients, shares) { sum += coefficient * share }
            return sharing.prime.map { sum.modulo($0) } ?? sum
        }
    }
}
