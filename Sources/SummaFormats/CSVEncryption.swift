import BigNum
import Paillier
import Summa

/// Encrypts columns of a CSV file into a binary encrypted file, streaming: what `summa encrypt` does. Memory stays
/// bounded whatever the number of rows: the file is read twice (once to check every cell and find each column's
/// scale and the row count, once to encrypt) and ciphertexts are written as they are made.
public enum CSVEncryption {
    /// Blocks encrypted together: enough records for every core to take many, few enough to keep memory small.
    static let blocksPerBatch = 1024

    /// What was written.
    public struct Summary: Sendable {
        public let rows: Int
        public let columns: [PackedAggregate.Column]
        public let layout: PackingLayout
        public let records: Int
    }

    /// Encrypts `columns` of the CSV file at `csvPath` into a binary file at `outputPath` (written atomically: on
    /// any error nothing is left there and nothing replaced).
    /// - Parameters:
    ///   - scale: decimals of every column; nil for the most decimals in each column. A value with more decimals
    ///     than `scale` is an error naming its line, never silently rounded.
    ///   - squares: also encrypt x², for variances.
    ///   - packed: pack several values per ciphertext (values then need |mantissa| < 2^63); false for one value per
    ///     ciphertext.
    ///   - skipEmpty: leave empty cells out of their column (encrypted as zero, not counted) instead of failing.
    ///   - inputs: files the output must not overwrite.
    ///   - progress: called with (rows done, rows in all) as batches finish.
    public static func encrypt(
        csv csvPath: String, columns names: [String], to outputPath: String, with encryptor: Encryptor, scale: Int? = nil,
        squares: Bool = false, packed: Bool = true, skipEmpty: Bool = false, inputs: [String] = [],
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws(FormatError) -> Summary {
        let key = encryptor.publicKey
        let scan = try CSVRowReader(path: csvPath, columns: names, skipEmpty: skipEmpty).scan()
        let scales = scan.scales.map { scale ?? $0 }
        if let scale, scan.scales.contains(where: { $0 > scale }) {
            // Found before any encryption starts: read again up to the first such value, to name its line.
            let reader = try CSVRowReader(path: csvPath, columns: names, skipEmpty: skipEmpty)
            while let row = try reader.next() {
                if let index = row.values.firstIndex(where: { ($0?.scale ?? 0) > scale }) {
                    throw .csv(path: csvPath, line: row.line, reason: "column \(names[index]): \(row.values[index]!) has more than \(scale) decimals (raise --scale)")
                }
            }
        }
        let layout = try FormatError.catching { () throws(SummaError) in
            try PackingLayout(columnCount: names.count, squares: squares, keyBits: key.bits, packed: packed)
        }
        let limit = layout.maximumMantissa(publicKey: key)
        let columns = zip(names, zip(scales, scan.counts)).map { PackedAggregate.Column(name: $0, scale: $1.0, count: $1.1) }
        let writer = try EncryptedRecords.Writer(
            path: outputPath,
            header: EncryptedRecords(
                publicKey: key, columns: columns.map { EncryptedRecords.Column(name: $0.name, scale: $0.scale) },
                layout: layout),
            inputs: inputs)
        let reader = try CSVRowReader(path: csvPath, columns: names, skipEmpty: skipEmpty)
        var block: [BigInteger?] = []
        block.reserveCapacity(layout.valuesPerBlock * blocksPerBatch)
        var rows = 0
        var records = 0
        func flush() async throws(FormatError) {
            guard !block.isEmpty else { return }
            // The last block of the file is filled with missing rows, which hold zeros.
            let whole = (block.count + layout.valuesPerBlock - 1) / layout.valuesPerBlock * layout.valuesPerBlock
            block += Array(repeating: nil, count: whole - block.count)
            let encrypted = await encryptor.encrypt(blocks: block, layout: layout)
            try writer.append(encrypted)
            records += encrypted.count
            block.removeAll(keepingCapacity: true)
            progress?(rows, scan.rows)
        }
        while let row = try reader.next() {
            for (index, value) in row.values.enumerated() {
                guard let value else {
                    block.append(nil)
                    continue
                }
                let mantissa = try FormatError.catching { () throws(SummaError) in try value.rescaled(to: scales[index]).mantissa }
                guard mantissa.magnitude <= limit else {
                    let reason = layout.isPacked
                        ? "column \(names[index]): \(value) is too large to pack (|mantissa| must be below 2^\(PackingLayout.mantissaBits) at scale \(scales[index]); use --no-pack)"
                        : "column \(names[index]): \(value) is too large for the key's plaintext space"
                    throw .csv(path: csvPath, line: row.line, reason: reason)
                }
                block.append(mantissa)
            }
            rows += 1
            if block.count == layout.valuesPerBlock * blocksPerBatch { try await flush() }
        }
        try await flush()
        try writer.finish(rows: rows, counts: scan.counts)
        return Summary(rows: rows, columns: columns, layout: layout, records: records)
    }
}
