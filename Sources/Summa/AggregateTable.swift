import Paillier

/// Named aggregates under one public key: what `summa sum`, `summa mean` and `summa stats` write.
///
/// A column's total may come in parts: an ``EncryptedAggregate`` per column (files of one ciphertext per value:
/// JSON and pheutil files) and packed sums (binary files), which hold every column of their layout. The parts of a
/// column add up when decrypted; ``columnNames`` says which columns the table reports.
public struct AggregateTable: Sendable {
    public let publicKey: PaillierPublicKey
    public let kind: AggregateKind
    /// The columns reported, in order.
    public let columnNames: [String]
    /// Sums of one ciphertext per column.
    public let columns: [(name: String, aggregate: EncryptedAggregate)]
    /// Sums of packed records, one per layout and scales among the inputs.
    public let packed: [PackedAggregate]
    /// The plan the columns were derived by at encryption (levels, buckets, products, clipping), when the table
    /// reports exactly its columns.
    public let analysis: AnalysisPlan?
    /// The kept columns the table is grouped by (`summa sum --by`); empty for one total per column.
    public let groupBy: [String]
    /// One table per group, by the texts of ``groupBy`` in order, sorted by key; empty without groups.
    public let groups: [(key: [String], table: AggregateTable)]

    public init(
        publicKey: PaillierPublicKey, kind: AggregateKind, columns: [(name: String, aggregate: EncryptedAggregate)],
        packed: [PackedAggregate] = [], columnNames: [String]? = nil, analysis: AnalysisPlan? = nil
    ) {
        self.publicKey = publicKey
        self.kind = kind
        self.columns = columns
        self.packed = packed
        let names = columnNames ?? columns.map(\.name)
        self.columnNames = names
        self.analysis = analysis.flatMap { $0.columns.map(\.name) == names ? $0 : nil }
        groupBy = []
        groups = []
    }

    /// A table grouped by `groupBy`: a table per key (each with the same columns), sorted by key.
    public init(
        publicKey: PaillierPublicKey, kind: AggregateKind, columnNames: [String], groupBy: [String],
        groups: [(key: [String], table: AggregateTable)]
    ) {
        self.publicKey = publicKey
        self.kind = kind
        self.columnNames = columnNames
        columns = []
        packed = []
        analysis = nil
        self.groupBy = groupBy
        self.groups = groups.sorted { $0.key.bytesPrecede($1.key) }
    }

    /// Whether the table holds a table per group.
    public var isGrouped: Bool { !groupBy.isEmpty }

    /// How many values each reported column counts, over all its parts (and groups); an error when the counts
    /// read from files add up beyond 2⁶³.
    public func counts() throws(SummaError) -> [(name: String, count: Int)] {
        if isGrouped {
            let perGroup = try groups.map { (group) throws(SummaError) in try group.table.counts() }
            return try columnNames.map { (name) throws(SummaError) in
                (name, try perGroup.map { counts in counts.first { $0.name == name }?.count ?? 0 }.countSum())
            }
        }
        return try columnNames.map { (name) throws(SummaError) in
            let single = columns.filter { $0.name == name }.map(\.aggregate.count)
            let packedCounts = packed.flatMap(\.columns).filter { $0.name == name }.map(\.count)
            return (name, try (single + packedCounts).countSum())
        }
    }
}

