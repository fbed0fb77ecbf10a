import BigNum
import Paillier
import Summa

/// python-paillier ciphertexts as read: each value = mantissa × 16^exponent, the mantissa encrypted.
public struct PheCiphertexts: Sendable {
    public let entries: [(ciphertext: BigInteger, exponent: Int)]
    /// Whether the file was a JSON array (a column) rather than one object.
    public let isArray: Bool
    /// The file, for errors raised when a key is applied.
    public let path: String

    /// The largest |exponent| accepted: 16^−128 needs 512 decimals, `FixedPoint.maximumScale`.
    public static let maximumExponent = FixedPoint.maximumScale / 4

    /// The values as Summa numbers under `publicKey`, each ciphertext validated.
    ///
    /// Exact: the value m × 16^e keeps its denominator 2^(−4e) (see `Denominator`) and becomes a decimal only
    /// after decryption. python-paillier files carry no bound, so the bound is unknown: as in python-paillier, only
    /// the guard band at decryption catches an overflow of sums of such values.
    public func numbers(publicKey: PaillierPublicKey) throws(FormatError) -> [EncryptedNumber] {
        try entries.enumerated().map { (index, entry) throws(FormatError) in
            let field = isArray ? "[\(index)].v" : "v"
            let ciphertext: PaillierCiphertext
            do throws(PaillierError) {
                ciphertext = try publicKey.ciphertext(validating: entry.ciphertext)
            } catch {
                throw .invalidKey(path: path, field: field, error)
            }
            return EncryptedNumber(
                publicKey: publicKey, ciphertext: ciphertext, denominator: Denominator(pheExponent: entry.exponent), bound: nil)
        }
    }
}
