import BigNum
import Summa

extension EncryptedNumber {
    /// The smallest base-16 exponent magnitude python-paillier's pheutil uses for fractions.
    static let pheFractionExponent = 32

    /// This number as pheutil's ciphertext `{"v": "<decimal>", "e": <exponent>}` (value = mantissa × 16^e).
    ///
    /// Exact when the denominator has no factor 5: integers (e ≤ 0) and values read from python-paillier. A decimal
    /// fraction has no exact base-16 form, so for scale s > 0 the ciphertext is multiplied by round(16^k / 10^s)
    /// with e = −k, k ≥ 32 chosen so that the relative error is below 2⁻⁶⁴: python-paillier decodes every value
    /// to a double anyway, and gets the double nearest the exact value.
    public func pheJSON() throws(FormatError) -> JSONValue {
        // value = M · 2^(−t) · 5^(−f) = M′ · 16^(−k)  ⇔  M′ = M · 2^(4k − t) · 5^(−f).
        let (t, f) = (denominator.twos, denominator.fives)
        let k: Int
        let factor: BigInteger
        if f <= 0 {
            k = t > 0 ? (t + 3) / 4 : -(-t / 4)  // the smallest k with 4k ≥ t
            factor = BigInteger(2).power(4 * k - t) * BigInteger(5).power(-f)
        } else {
            // 2^(4k − t) ≥ 2^64 · 5^f, with log2(5) < 2.33.
            k = max(Self.pheFractionExponent, (t + 64 + (233 * f + 99) / 100 + 3) / 4)
            factor = FixedPoint.roundedQuotient(BigInteger(2).power(4 * k - t), BigInteger(5).power(f))
        }
        let scaled = try FormatError.catching { () throws(SummaError) in try multiplied(by: FixedPoint(factor)).ciphertext }
        return .object([("v", .string(scaled.value.description)), ("e", .integer(-k))])
    }
}
