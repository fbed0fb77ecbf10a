import BigNum
import Paillier
import Summa

extension DecryptedReport {
    /// The values of a binary file, row by row, after checking its digest over the whole file (nothing is shown of
    /// a file that was altered). Packed records are unpacked, every digit checked against the layout's bound and
    /// every square against its value. `progress` is called with (records done, records in all) after each batch.
    static func decrypt(
        records file: EncryptedRecords.File, with key: PaillierPrivateKey, progress: (@Sendable (Int, Int) -> Void)?
    ) async throws(FormatError) -> DecryptedReport {
        let reader = try file.open()
        try reader.verifyDigest()
        let header = reader.header
        let layout = header.layout
        let bound = layout.maximumMantissa(publicKey: header.publicKey)
        var values = Array(repeating: [String](), count: header.columns.count)
        var nonZero = Array(repeating: 0, count: header.columns.count)
        // A grouped file's kept columns, shown first; its rows come group block by group block, each group's last
        // block padded with empty rows, as a file's last block is.
        var kept = Array(repeating: [String](), count: header.groupBy.count)
        let groups = reader.groups
        var rowsLeft = groups?.groups.map(\.rows) ?? [reader.rows]
        var blockIndex = 0
        let batch = max(1, 4096 / layout.recordsPerBlock) * layout.recordsPerBlock
        while let chunk = try reader.nextChunk(maximumRecords: batch) {
            let residues = await key.decrypt(batch: chunk)
            for start in stride(from: 0, to: residues.count, by: layout.recordsPerBlock) {
                let block = try FormatError.catching { () throws(SummaError) in
                    try Self.unpack(Array(residues[start..<start + layout.recordsPerBlock]), layout: layout, key: key.publicKey, bound: bound)
                }
                let group = groups.map { Int($0.blockGroups[blockIndex]) } ?? 0
                blockIndex += 1
                let rowsHere = min(layout.rowsPerBlock, rowsLeft[group])
                rowsLeft[group] -= rowsHere
                if let groups {
                    for (position, text) in groups.groups[group].key.enumerated() {
                        kept[position] += Array(repeating: text, count: rowsHere)
                    }
                }
                for (index, mantissa) in block.enumerated() {
                    let column = index % layout.columnCount
                    // A padding row holds nothing: a value hidden there would not show here, yet would count in a sum.
                    guard index / layout.columnCount < rowsHere else {
                        guard mantissa.isZero else { throw .paddingNotEmpty(path: file.path, column: header.columns[column].name) }
                        continue
                    }
                    if !mantissa.isZero { nonZero[column] += 1 }
                    let value = try FormatError.catching { () throws(SummaError) in
                        try FixedPoint(mantissa: mantissa, scale: header.columns[column].scale)
                    }
                    values[column].append(value.description)
                }
            }
            progress?(reader.recordsRead, reader.recordCount)
        }
        // Empty cells hold 0 and are not counted, so a column cannot hold more non-zero values than it counts.
        for (index, column) in header.columns.enumerated() where nonZero[index] > reader.counts[index] {
            throw .paddingNotEmpty(path: file.path, column: column.name)
        }
        let notes = zip(header.columns, reader.counts).compactMap { column, count in
            count < reader.rows
                ? "column \(column.name): \(reader.rows - count) empty cells left out at encryption are shown as 0" : nil
        }
        let columns = zip(header.groupBy, kept).map { (name: $0, values: $1) }
            + zip(header.columns, values).map { (name: $0.name, values: $1) }
        return DecryptedReport(
            content: .values(columns),
            notes: notes + (header.isGrouped ? ["rows are shown group by group, as the file holds them, not in the CSV file's order"] : []))
    }

    /// The values of one block from its records' residues, in row-major order; squares must match their values.
    static func unpack(_ residues: [BigInteger], layout: PackingLayout, key: PaillierPublicKey, bound: BigInteger)
        throws(SummaError) -> [BigInteger]
    {
        var values = Array(repeating: BigInteger(0), count: layout.valuesPerBlock)
        for (record, residue) in residues.enumerated() {
            let digits = try layout.digits(ofPlaintext: try key.decode(residue: residue), record: record)
            for (digit, index) in zip(digits, layout.valueIndices(record: record)) {
                if layout.holdsSquares(record: record) {
                    guard digit == values[index] * values[index] else {
                        throw .notComputable("a square does not match its value: the file was not written by summa encrypt")
                    }
                } else {
                    guard digit.magnitude <= bound else { throw .overflow }
                    values[index] = digit
                }
            }
        }
        return values
    }
}
