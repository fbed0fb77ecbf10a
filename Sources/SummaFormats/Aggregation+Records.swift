import Paillier
import Summa

extension Aggregation {
    /// Records multiplied per batch: a few MB, enough for every core to take many blocks.
    static let recordsPerBatch = 8192

    /// Sums a binary file's records as they stream from disk, on all cores: one product per record position of a
    /// block, checked against the file's digest at the end (so a truncated or altered file yields no sum). A packed
    /// file gives a packed sum; a file of one value per record gives a sum per column, as JSON files do. The
    /// result feeds ``aggregate(_:columns:kind:pheKey:)`` as an aggregate file would.
    /// - Parameter progress: called with (records done, records in all) as batches finish.
    public static func sum(
        records file: EncryptedRecords.File, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws(FormatError) -> AggregateTable {
        let reader = try file.open()
        let header = reader.header
        let layout = header.layout
        let key = header.publicKey
        let width = layout.recordsPerBlock
        let batch = max(1, recordsPerBatch / width) * width
        var products: [PaillierCiphertext]?
        while let chunk = try reader.nextChunk(maximumRecords: batch) {
            let partial = await PackedAggregate.blockProducts(chunk, layout: layout, publicKey: key)
            products = products.map { zip($0, partial).map(key.add) } ?? partial
            progress?(reader.recordsRead, reader.recordCount)
        }
        let records = products ?? Array(repeating: PaillierCiphertext(unchecked: 1), count: width)
        let blocks = reader.recordCount / width
        let columns = zip(header.columns, reader.counts).map {
            PackedAggregate.Column(name: $0.name, scale: $0.scale, count: $1)
        }
        return try FormatError.catching { () throws(SummaError) in
            guard layout.isPacked else {
                // One value per record: record j of a block is column j, record C + j its square.
                let sums = try columns.enumerated().map { (index, column) throws(SummaError) in
                    (name: column.name, aggregate: try EncryptedAggregate(
                        product: records[index], productOfSquares: layout.squares ? records[layout.columnCount + index] : nil,
                        factors: blocks, count: column.count, scale: column.scale, publicKey: key))
                }
                return AggregateTable(publicKey: key, kind: .sum, columns: sums, analysis: header.analysis)
            }
            let packed = try PackedAggregate(publicKey: key, layout: layout, columns: columns, records: records, blocks: blocks)
            return AggregateTable(
                publicKey: key, kind: .sum, columns: [], packed: [packed], columnNames: columns.map(\.name),
                analysis: header.analysis)
        }
    }
}
