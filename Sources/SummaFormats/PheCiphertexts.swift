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

extension PheCiphertexts {
    /// pheutil's ciphertexts (a JSON array of `{"v", "e"}`) of one column of decimals, each brought to `scale` (default:
    /// the most decimals in the column; a value with more is an error) and encoded at pheutil's base-16 exponent
    /// before it is encrypted: the same values `EncryptedNumber.pheJSON()` writes, for one exponentiation per value
    /// where encrypting at the decimal scale and converting takes two. `progress` is called with (done, total).
    public static func encrypt(
        _ values: [FixedPoint], scale: Int?, with encryptor: Encryptor, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws(FormatError) -> JSONValue {
        let key = encryptor.publicKey
        let columnScale = FixedPoint.columnScale(of: values, given: scale)
        let encoding = PheEncoding(Denominator(decimalScale: columnScale))
        let residues = try FormatError.catching { () throws(SummaError) in
            try values.enumerated().map { (row, value) throws(SummaError) in
                let field = "value \(row + 1)"
                let mantissa = try value.mantissa(atColumnScale: columnScale, field: field)
                _ = try key.encode(mantissa: mantissa, field: field, limit: key.valueBound)
                return try key.encode(mantissa: encoding.mantissa(mantissa), field: field)
            }
        }
        var entries: [JSONValue] = []
        entries.reserveCapacity(residues.count)
        for start in stride(from: 0, to: residues.count, by: EncryptedTable.progressChunk) {
            let ciphertexts = await encryptor.encrypt(batch: Array(residues[start..<min(start + EncryptedTable.progressChunk, residues.count)]))
            entries += ciphertexts.map { .object([("v", .string($0.value.description)), ("e", .integer(-encoding.k))]) }
            progress?(entries.count, residues.count)
        }
        return .array(entries)
    }
}
