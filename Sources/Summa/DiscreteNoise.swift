import BigNum

/// Exact samplers of the discrete Laplace and discrete Gaussian distributions over the integers, from Canonne,
/// Kamath and Steinke, "The discrete Gaussian for differential privacy" (2020), Algorithms 1–3: integer and rational
/// arithmetic only, uniform integers from the generator, no floating point anywhere. (Floating-point Laplace noise
/// leaks through the gaps and rounding of doubles: Mironov, "On significance of the least significant bits for
/// differential privacy", CCS 2012.)
public enum DiscreteNoise {
    /// A sample of the discrete Laplace distribution, P(x) ∝ exp(−|x|/scale), scale = numerator/denominator > 0.
    public static func laplace(scaleNumerator t: BigInteger, scaleDenominator s: BigInteger, using generator: inout some RandomNumberGenerator)
        -> BigInteger
    {
        precondition(t > 0 && s > 0, "a positive scale")
        while true {
            let u = BigInteger.random(below: t, using: &generator)
            guard bernoulliExp(Rational(u, t), using: &generator) else { continue }
            var v = BigInteger(0)
            while bernoulliExp(.one, using: &generator) { v += 1 }
            let y = (u + t * v).quotientAndRemainder(flooringBy: s).quotient
            let negative = BigInteger.random(below: 2, using: &generator) == 1
            if negative && y.isZero { continue }
            return negative ? -y : y
        }
    }

    /// A sample of the discrete Gaussian distribution, P(x) ∝ exp(−x²/(2σ²)), σ² = numerator/denominator > 0.
    public static func gaussian(
        varianceNumerator a: BigInteger, varianceDenominator b: BigInteger, using generator: inout some RandomNumberGenerator
    ) -> BigInteger {
        precondition(a > 0 && b > 0, "a positive variance")
        let sigmaSquared = Rational(a, b)
        // t = ⌊σ⌋ + 1, and ⌊√x⌋ = ⌊√⌊x⌋⌋.
        let t = a.quotientAndRemainder(flooringBy: b).quotient.squareRoot() + 1
        let tRational = Rational(t)
        while true {
            let y = laplace(scaleNumerator: t, scaleDenominator: 1, using: &generator)
            let gap = Rational(y.magnitude) - sigmaSquared / tRational
            if bernoulliExp(gap * gap / (Rational(2) * sigmaSquared), using: &generator) { return y }
        }
    }

    /// Bernoulli(p) for a rational p in [0, 1].
    static func bernoulli(_ p: Rational, using generator: inout some RandomNumberGenerator) -> Bool {
        BigInteger.random(below: p.denominator, using: &generator) < p.numerator
    }

    /// Bernoulli(exp(−γ)) for a rational γ ≥ 0 (Algorithm 1).
    static func bernoulliExp(_ gamma: Rational, using generator: inout some RandomNumberGenerator) -> Bool {
        if Rational.one < gamma {
            // exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)).
            let whole = gamma.numerator.quotientAndRemainder(flooringBy: gamma.denominator).quotient
            var remaining = whole
            while remaining > 0 {
                guard bernoulliExp(.one, using: &generator) else { return false }
                remaining -= 1
            }
            return bernoulliExp(gamma - Rational(whole), using: &generator)
        }
        var k = BigInteger(1)
        while bernoulli(gamma / Rational(k), using: &generator) { k += 1 }
        return k.isOdd
    }
}

