import BigNum
import Paillier

/// The sum of a file of packed records (or of several files with the same layout and scales): for each record
/// position of a block, the product of that record over every block, which encrypts the slot-wise sums. What
/// `summa sum` makes of a binary file; it decrypts to one ``ColumnTotals`` per column.
///
/// Its public bound is the number of blocks summed: every value slot then holds at most `blocks` values, so its
/// |sum| is at most `blocks` × the layout's largest mantissa (its square slots the same times that mantissa again).
/// A sum or merge whose bound would leave the slots' range is refused before it computes.
public struct PackedAggregate: Sendable {
    /// A column of the layout: its name, its scale, and how many values it holds (empty cells left out).
    public struct Column: Sendable, Hashable {
        public let name: String
        public let scale: Int
        public let count: Int

        public init(name: String, scale: Int, count: Int) {
            self.name = name
            self.scale = scale
            self.count = count
        }
    }

    public let publicKey: PaillierPublicKey
    public let layout: PackingLayout
    /// One per column of the layout, in order.
    public let columns: [Column]
    /// One per record of a block.
    public let records: [PaillierCiphertext]
    /// How many blocks were summed.
    public let blocks: Int

    /// Checks that the parts agree with the layout and that `blocks` keeps every slot inside its range.
    public init(
        publicKey: PaillierPublicKey, layout: PackingLayout, columns: [Column], records: [PaillierCiphertext], blocks: Int
    ) throws(SummaError) {
        guard columns.count == layout.columnCount, records.count == layout.recordsPerBlock else {
            throw .incompatible("a packed sum needs \(layout.columnCount) columns and \(layout.recordsPerBlock) records, not \(columns.count) and \(records.count)")
        }
        // blocks × rows per block overflows for a forged blocks (2⁶³ − 1): then no count can exceed it.
        let (capacity, overflow) = blocks.multipliedReportingOverflow(by: layout.rowsPerBlock)
        guard blocks >= 0, columns.allSatisfy({ $0.count >= 0 && (overflow || $0.count <= capacity) }) else {
            throw .incompatible("a packed sum counts more values than its \(blocks) blocks hold")
        }
        for record in 0..<layout.recordsPerBlock {
            let bound = Self.bound(record: record, blocks: blocks, layout: layout, publicKey: publicKey)
            if bound > Self.limit(record: record, layout: layout, publicKey: publicKey) {
                throw .boundExceeded(operation: "summing \(blocks) blocks of packed values")
            }
        }
        self.publicKey = publicKey
        self.layout = layout
        self.columns = columns
        self.records = records
        self.blocks = blocks
    }

    /// The public bound on |digit| of every slot of `record` after summing `blocks` blocks.
    static func bound(record: Int, blocks: Int, layout: PackingLayout, publicKey: PaillierPublicKey) -> BigInteger {
        let mantissa = layout.maximumMantissa(publicKey: publicKey)
        return BigInteger(blocks) * (layout.holdsSquares(record: record) ? mantissa * mantissa : mantissa)
    }

    /// The largest |digit| a slot of `record` can hold without carrying into the next: 2^(w−1) − 1, or the key's
    /// plaintext range when unpacked.
    static func limit(record: Int, layout: PackingLayout, publicKey: PaillierPublicKey) -> BigInteger {
        guard let bits = layout.slotBits(record: record) else { return publicKey.maximumPlaintextMagnitude }
        return BigInteger(1).shiftedLeft(bits - 1) - 1
    }

    /// Whether `other` sums the same kind of records: same key, layout, and column names and scales.
    public func canMerge(with other: PackedAggregate) -> Bool {
        other.publicKey.n == publicKey.n && other.layout == layout
            && other.columns.map { [$0.name, String($0.scale)] } == columns.map { [$0.name, String($0.scale)] }
    }

    /// The sum of both; they must satisfy ``canMerge(with:)``.
    public func merged(with other: PackedAggregate) throws(SummaError) -> PackedAggregate {
        guard canMerge(with: other) else { throw .incompatible("packed sums of different layouts or scales cannot be added") }
        return try PackedAggregate(
            publicKey: publicKey, layout: layout,
            columns: try zip(columns, other.columns).map { (mine, theirs) throws(SummaError) in
                Column(name: mine.name, scale: mine.scale, count: try mine.count.addingCount(theirs.count))
            },
            records: zip(records, other.records).map { publicKey.add($0, $1) }, blocks: try blocks.addingCount(other.blocks, "blocks"))
    }

    /// The per-position products of whole blocks of records (`records.count` a multiple of the layout's
    /// ``PackingLayout/recordsPerBlock``), on all cores.
    public static func blockProducts(
        _ records: [PaillierCiphertext], layout: PackingLayout, publicKey: PaillierPublicKey
    ) async -> [PaillierCiphertext] {
        let width = layout.recordsPerBlock
        precondition(records.count % width == 0, "whole blocks only")
        let blocks = records.count / width
        // Enough ranges for every core to take a few; each multiplies its blocks in place.
        let step = max(1, (blocks + 63) / 64)
        let ranges = stride(from: 0, to: blocks, by: step).map { $0..<min($0 + step, blocks) }
        let partials = await parallelMap(ranges, chunksPerCore: 1) { range in
            (0..<width).map { position in
                publicKey.sum(range.lazy.map { records[$0 * width + position] })
            }
        }
        return (0..<width).map { position in publicKey.sum(partials.lazy.map { $0[position] }) }
    }

    /// The totals of every column, given the residues the records decrypt to (by a private key or by threshold
    /// shares). Throws ``SummaError/overflow`` when a residue is not a sum this aggregate can hold.
    public func totals(ofDecryptedResidues residues: [BigInteger]) throws(SummaError) -> [ColumnTotals] {
        precondition(residues.count == records.count, "one residue per record")
        var sums = Array(repeating: BigInteger(0), count: layout.columnCount)
        var squares = Array(repeating: BigInteger(0), count: layout.columnCount)
        for (record, residue) in residues.enumerated() {
            let digits = try layout.digits(ofPlaintext: try publicKey.decode(residue: residue), record: record)
            let bound = Self.bound(record: record, blocks: blocks, layout: layout, publicKey: publicKey)
            for (digit, index) in zip(digits, layout.valueIndices(record: record)) {
                guard digit.magnitude <= bound else { throw .overflow }
                if layout.holdsSquares(record: record) {
                    squares[index % layout.columnCount] += digit
                } else {
                    sums[index % layout.columnCount] += digit
                }
            }
        }
        return try columns.enumerated().map { (index, column) throws(SummaError) in
            ColumnTotals(
                count: column.count, sum: try FixedPoint(mantissa: sums[index], scale: column.scale),
                sumOfSquares: layout.squares ? try FixedPoint(mantissa: squares[index], scale: 2 * column.scale) : nil)
        }
    }
}
