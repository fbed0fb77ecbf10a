import BigNum
import Paillier

extension EncryptedTable {
    /// How many values one progress step covers.
    public static let progressChunk = 2048

    /// Encrypts columns of exact decimals on all cores. Each column is brought to one scale: `scale` when given
    /// (a value with more decimals is an error, never silently rounded), else the most decimals in the column.
    /// With `squares`, x² is encrypted too (at twice the scale) for variances. `progress` is called with
    /// (done, total) as chunks finish.
    public static func encrypt(
        _ columns: [(name: String, values: [FixedPoint])], with encryptor: Encryptor, scale: Int? = nil,
        squares: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws(SummaError) -> EncryptedTable {
        let key = encryptor.publicKey
        var plan: [(name: String, scale: Int, residues: [BigInteger])] = []
        for column in columns {
            let columnScale = FixedPoint.columnScale(of: column.values, given: scale)
            var residues: [BigInteger] = []
            residues.reserveCapacity(column.values.count * (squares ? 2 : 1))
            for (row, value) in column.values.enumerated() {
                let field = "column \(column.name), value \(row + 1)"
                let mantissa = try value.mantissa(atColumnScale: columnScale, field: field)
                residues.append(try key.encode(mantissa: mantissa, field: field, limit: key.valueBound))
            }
            if squares {
                for (row, value) in column.values.enumerated() {
                    let square = try (value * value).rescaled(to: 2 * columnScale)
                    residues.append(try key.encode(
                        mantissa: square.mantissa, field: "column \(column.name), square of value \(row + 1)",
                        limit: key.valueBound * key.valueBound))
                }
            }
            plan.append((column.name, columnScale, residues))
        }
        let all = plan.flatMap(\.residues)
        var ciphertexts: [PaillierCiphertext] = []
        ciphertexts.reserveCapacity(all.count)
        for start in stride(from: 0, to: all.count, by: progressChunk) {
            ciphertexts += await encryptor.encrypt(batch: Array(all[start..<min(start + progressChunk, all.count)]))
            progress?(ciphertexts.count, all.count)
        }
        var offset = 0
        let encrypted = plan.map { entry in
            let count = squares ? entry.residues.count / 2 : entry.residues.count
            let values = Array(ciphertexts[offset..<offset + count])
            let squareValues = squares ? Array(ciphertexts[offset + count..<offset + 2 * count]) : nil
            offset += entry.residues.count
            return EncryptedColumn(name: entry.name, scale: entry.scale, values: values, squares: squareValues)
        }
        return EncryptedTable(publicKey: key, columns: encrypted)
    }
}
