import BigNum
import Summa

extension EncryptedNumber {
    /// The smallest base-16 exponent magnitude python-paillier's pheutil uses for fractions.
    static let pheFractionExponent = 32

    /// This number as pheutil's ciphertext `{"v": "<decimal>", "e": <exponent>}` (value = mantissa × 16^e).
    ///
    /// The ciphertext is multiplied by `PheEncoding.factor` (one exponentiation): exact when the denominator has no
    /// factor 5, else within a relative 2⁻⁶⁴. ``PheCiphertexts/encrypt(_:scale:with:progress:)`` encodes values before
    /// encrypting them instead, which saves that exponentiation.
    public func pheJSON() throws(FormatError) -> JSONValue {
        let encoding = PheEncoding(denominator)
        let scaled = try FormatError.catching { () throws(SummaError) in try multiplied(by: FixedPoint(encoding.factor)).ciphertext }
        return .object([("v", .string(scaled.value.description)), ("e", .integer(-encoding.k))])
    }
}

/// How pheutil writes a value of a given denominator: value = M′ · 16^(−k), with M′ from the mantissa M.
///
/// value = M · 2^(−t) · 5^(−f) = M′ · 16^(−k)  ⇔  M′ = M · 2^(4k − t) · 5^(−f). Exact when f ≤ 0 (integers and values
/// read from python-paillier), with the smallest k such that 4k ≥ t. A decimal fraction (f > 0) has no exact base-16
/// form: k ≥ 32 is chosen so that 2^(4k − t) ≥ 2^64 · 5^f, and M′ is rounded, a relative error below 2⁻⁶⁴ (python-paillier
/// decodes every value to a double anyway, and gets the double nearest the exact value).
struct PheEncoding {
    /// The base-16 exponent is −k.
    let k: Int
    /// M′ = M · numerator / divisor.
    let numerator: BigInteger
    let divisor: BigInteger

    init(_ denominator: Denominator) {
        let (t, f) = (denominator.twos, denominator.fives)
        if f <= 0 {
            k = t > 0 ? (t + 3) / 4 : -(-t / 4)  // the smallest k with 4k ≥ t
            numerator = BigInteger(2).power(4 * k - t) * BigInteger(5).power(-f)
            divisor = 1
        } else {
            // 2^(4k − t) ≥ 2^64 · 5^f, with log2(5) < 2.33.
            k = max(EncryptedNumber.pheFractionExponent, (t + 64 + (233 * f + 99) / 100 + 3) / 4)
            numerator = BigInteger(2).power(4 * k - t)
            divisor = BigInteger(5).power(f)
        }
    }

    /// The factor an encrypted M is multiplied by: numerator / divisor, rounded.
    var factor: BigInteger { FixedPoint.roundedQuotient(numerator, divisor) }

    /// M′ for a known M, rounded once: what the plaintext is encoded as before it is encrypted.
    func mantissa(_ mantissa: BigInteger) -> BigInteger { FixedPoint.roundedQuotient(mantissa * numerator, divisor) }
}
