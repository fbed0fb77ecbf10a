import Paillier
import Summa

extension Aggregation {
    /// Records multiplied per batch: a few MB, enough for every core to take many blocks.
    static let recordsPerBatch = 8192

    /// Sums a binary file's records as they stream from disk, on all cores: one product per record position of a
    /// block, checked against the file's digest at the end (so a truncated or altered file yields no sum). A packed
    /// file gives a packed sum; a file of one value per record gives a sum per column, as JSON files do. A file with
    /// kept columns gives a table per group (its blocks hold the rows of one group each). The result feeds
    /// ``aggregate(_:columns:kind:pheKey:by:)`` as an aggregate file would.
    /// - Parameters:
    ///   - file: the binary file, as ``SummaFile/read(path:allowInsecureKeySize:)`` read it.
    ///   - allowInsecureKeySize: accept a key below 2048 bits (tests).
    ///   - progress: called with (records done, records in all) as batches finish.
    public static func sum(
        records file: EncryptedRecords.File, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws(FormatError) -> AggregateTable {
        let reader = try file.open(allowInsecureKeySize: allowInsecureKeySize)
        let header = reader.header
        let layout = header.layout
        let key = header.publicKey
        let width = layout.recordsPerBlock
        let batch = max(1, recordsPerBatch / width) * width
        let blockGroups = reader.groups?.blockGroups
        var products: [Int: [PaillierCiphertext]] = [:]
        while let chunk = try reader.nextChunk(maximumRecords: batch) {
            let firstBlock = reader.recordsRead / width - chunk.count / width
            // The chunk's blocks by group (one group for a file without groups), each group's multiplied apart.
            var blocksOf: [Int: [Int]] = [:]
            for block in 0..<chunk.count / width { blocksOf[blockGroups.map { Int($0[firstBlock + block]) } ?? 0, default: []].append(block) }
            for (group, blocks) in blocksOf {
                let records = blocks.count == chunk.count / width
                    ? chunk : blocks.flatMap { chunk[$0 * width..<($0 + 1) * width] }
                let partial = await PackedAggregate.blockProducts(records, layout: layout, publicKey: key)
                products[group] = products[group].map { zip($0, partial).map(key.add) } ?? partial
            }
            progress?(reader.recordsRead, reader.recordCount)
        }
        let tables = try FormatError.catching { () throws(SummaError) in
            guard let groups = reader.groups?.groups else {
                return [try table(header, products: products[0], blocks: reader.recordCount / width, counts: reader.counts)]
            }
            return try groups.enumerated().map { (index, group) throws(SummaError) in
                try table(header, products: products[index], blocks: group.blocks, counts: group.counts)
            }
        }
        guard let groups = reader.groups?.groups else { return tables[0] }
        return AggregateTable(
            publicKey: key, kind: .sum, columnNames: header.columns.map(\.name), groupBy: header.groupBy,
            groups: zip(groups, tables).map { (key: $0.key, table: $1) })
    }

    /// The sum of `blocks` blocks whose records multiply to `products` (nil for none), with `counts` values per
    /// column.
    static func table(
        _ header: EncryptedRecords, products: [PaillierCiphertext]?, blocks: Int, counts: [Int]
    ) throws(SummaError) -> AggregateTable {
        let layout = header.layout
        let key = header.publicKey
        let records = products ?? Array(repeating: PaillierCiphertext(unchecked: 1), count: layout.recordsPerBlock)
        let columns = zip(header.columns, counts).map { PackedAggregate.Column(name: $0.name, scale: $0.scale, count: $1) }
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
