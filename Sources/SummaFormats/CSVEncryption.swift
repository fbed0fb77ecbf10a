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
        /// The plan the columns were derived by.
        public let plan: AnalysisPlan
        /// Per value column, how many of its values were clipped to their bounds: for the data owner only, since a
        /// count of outliers is itself information about the data.
        public let clipped: [Int]
        /// What the data owner should know, one line each: levels taken from the data, values clipped.
        public let notes: [String]
        /// The groups of the kept columns, when there are any.
        public let groups: [EncryptedRecords.Group]
    }

    /// What to derive from the CSV file besides its value columns (`AnalysisPlan`): a category given with no
    /// levels takes the levels found in the data, sorted.
    public struct Derivations: Sendable {
        public var categories: [AnalysisPlan.Category] = []
        public var bins: [AnalysisPlan.Bins] = []
        public var products: [AnalysisPlan.Product] = []
        public var clips: [AnalysisPlan.Clip] = []

        public init(
            categories: [AnalysisPlan.Category] = [], bins: [AnalysisPlan.Bins] = [], products: [AnalysisPlan.Product] = [],
            clips: [AnalysisPlan.Clip] = []
        ) {
            self.categories = categories
            self.bins = bins
            self.products = products
            self.clips = clips
        }
    }

    /// Encrypts `columns` of the CSV file at `csvPath` (and the columns `derivations` derive from them) into a
    /// binary file at `outputPath` (written atomically: on any error nothing is left there and nothing replaced).
    /// - Parameters:
    ///   - csvPath: the CSV file.
    ///   - names: its value columns.
    ///   - derivations: what to derive from them (categories, histograms, products, clipping).
    ///   - outputPath: the binary file to write.
    ///   - encryptor: who encrypts (a public key, the key owner, a fast base).
    ///   - scale: decimals of every value column; nil for the most decimals in each column. A value with more
    ///     decimals than `scale` is an error naming its line, never silently rounded.
    ///   - squares: also encrypt x², for variances.
    ///   - packed: pack several values per ciphertext (values then need |mantissa| < 2^63); false for one value per
    ///     ciphertext.
    ///   - skipEmpty: leave empty cells out of their column (encrypted as zero, not counted) instead of failing.
    ///   - keep: text columns kept in clear that group the rows (the aggregator sees them): each block then holds the
    ///     rows of one group, so that sums can be taken per group.
    ///   - inputs: files the output must not overwrite.
    ///   - progress: called with (rows done, rows in all) as batches finish.
    public static func encrypt(
        csv csvPath: String, columns names: [String], derivations: Derivations = Derivations(), to outputPath: String,
        with encryptor: Encryptor, scale: Int? = nil, squares: Bool = false, packed: Bool = true, skipEmpty: Bool = false,
        keep: [String] = [], inputs: [String] = [], progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws(FormatError) -> Summary {
        let key = encryptor.publicKey
        let labelColumns = derivations.categories.map(\.column) + keep
        if !keep.isEmpty && !(derivations.categories.isEmpty && derivations.bins.isEmpty && derivations.products.isEmpty && derivations.clips.isEmpty) {
            throw .incompatible("--keep groups plain columns: it does not combine with --category, --bins, --products or --clip (for groups the aggregator must not see, use --category)")
        }
        try EncryptedRecords.checkGroupBy(keep, columns: names) { reason in .incompatible(reason) }
        let scan = try CSVRowReader(path: csvPath, columns: names, labels: labelColumns, skipEmpty: skipEmpty).scan()
        var notes: [String] = []
        let categories = try zip(derivations.categories, scan.labels).map { (category, seen) throws(FormatError) in
            guard category.levels.isEmpty else { return category }
            guard let seen else {
                throw .csv(path: csvPath, line: 1, reason: "column \(category.column) has more than \(CSVRowReader.maximumLabels) distinct values: give its levels with --levels")
            }
            let levels = seen.sorted()
            notes.append("the levels of \(category.column) were taken from the data (\(levels.joined(separator: ", "))): give them with --levels so that they do not depend on it")
            return AnalysisPlan.Category(column: category.column, levels: levels, other: category.other)
        }
        let plan = try FormatError.catching { () throws(SummaError) in
            try AnalysisPlan(
                values: names, categories: categories, bins: derivations.bins, products: derivations.products,
                clips: derivations.clips)
        }
        if let scale {
            if let clip = plan.clips.first(where: { max($0.lower.scale, $0.upper.scale) > scale }) {
                throw .incompatible("--clip \(clip.column): the bounds have more than \(scale) decimals (raise --scale)")
            }
            if scan.scales.contains(where: { $0 > scale }) {
                // Found before any encryption starts: read again up to the first such value, to name its line.
                let reader = try CSVRowReader(path: csvPath, columns: names, skipEmpty: skipEmpty)
                while let row = try reader.next() {
                    for case let (index, value?) in row.values.enumerated() {
                        do throws(SummaError) {
                            _ = try value.mantissa(atColumnScale: scale, field: "column \(names[index])")
                        } catch {
                            throw .csvValue(path: csvPath, line: row.line, error)
                        }
                    }
                }
            }
        }
        let scales = plan.scales(values: scan.scales.map { scale ?? $0 })
        let columnNames = plan.columns.map(\.name)
        let layout = try FormatError.catching { () throws(SummaError) in
            try PackingLayout(columnCount: columnNames.count, squares: squares, keyBits: key.bits, packed: packed)
        }
        let limit = layout.maximumMantissa(publicKey: key)
        let writer = try EncryptedRecords.Writer(
            path: outputPath,
            header: EncryptedRecords(
                publicKey: key, columns: zip(columnNames, scales).map { EncryptedRecords.Column(name: $0, scale: $1) },
                layout: layout, analysis: plan.derivesColumns ? plan : nil, groupBy: keep),
            inputs: inputs)
        let reader = try CSVRowReader(path: csvPath, columns: names, labels: labelColumns, skipEmpty: skipEmpty)
        // Whole blocks waiting to be encrypted, with the group of each; and each group's block being filled.
        var batch: [BigInteger?] = []
        batch.reserveCapacity(layout.valuesPerBlock * blocksPerBatch)
        var batchGroups: [UInt32] = []
        var blockGroups: [UInt32] = []
        var pending: [[BigInteger?]] = []
        var groupOf: [[[UInt8]]: Int] = [:]
        var groups: [(key: [String], rows: Int, counts: [Int], blocks: Int)] = []
        var rows = 0
        var records = 0
        var counts = Array(repeating: 0, count: columnNames.count)
        var clipped = Array(repeating: 0, count: names.count)
        func flush() async throws(FormatError) {
            guard !batch.isEmpty else { return }
            let encrypted = await encryptor.encrypt(blocks: batch, layout: layout)
            try writer.append(encrypted)
            records += encrypted.count
            blockGroups += batchGroups
            batch.removeAll(keepingCapacity: true)
            batchGroups.removeAll(keepingCapacity: true)
            progress?(rows, scan.rows)
        }
        /// Moves group `group`'s block into the batch, filled with missing rows (zeros) if it is the group's last.
        func close(_ group: Int) {
            batch += pending[group] + Array(repeating: nil, count: layout.valuesPerBlock - pending[group].count)
            batchGroups.append(UInt32(group))
            groups[group].blocks += 1
            pending[group].removeAll(keepingCapacity: true)
        }
        while let row = try reader.next() {
            if let (name, text) = zip(labelColumns, row.labels).first(where: { $0.1.firstUnprintableScalar != nil }) {
                let scalar = text.firstUnprintableScalar!.value
                throw .csv(path: csvPath, line: row.line, reason: "column \(name) holds a control character (U+\(String(scalar, radix: 16, uppercase: true))), which would garble the tables that show it")
            }
            let derivation: AnalysisPlan.Derivation
            do {
                derivation = try plan.derive(values: row.values, labels: Array(row.labels.prefix(plan.categories.count)))
            } catch {
                throw .csv(path: csvPath, line: row.line, reason: error.description)
            }
            let groupKey = Array(row.labels.suffix(keep.count))
            let group: Int
            if let known = groupOf[groupKey.exactBytes] {
                group = known
            } else {
                guard groups.count < EncryptedRecords.maximumGroups else {
                    throw .csv(path: csvPath, line: row.line, reason: "more than \(EncryptedRecords.maximumGroups) groups of \(keep.joined(separator: ", ")): keep fewer columns")
                }
                group = groups.count
                groupOf[groupKey.exactBytes] = group
                groups.append((groupKey, 0, Array(repeating: 0, count: columnNames.count), 0))
                pending.append([])
            }
            for (index, wasClipped) in derivation.clipped.enumerated() where wasClipped { clipped[index] += 1 }
            for (index, value) in derivation.values.enumerated() {
                guard let value else {
                    pending[group].append(nil)
                    continue
                }
                counts[index] += 1
                groups[group].counts[index] += 1
                let mantissa = try FormatError.catching { () throws(SummaError) in try value.rescaled(to: scales[index]).mantissa }
                guard mantissa.magnitude <= limit else {
                    let reason = layout.isPacked
                        ? "column \(columnNames[index]): \(value) is too large to pack (|mantissa| must be below 2^\(PackingLayout.mantissaBits) at scale \(scales[index]); use --no-pack)"
                        : "column \(columnNames[index]): \(value) is too large for the key's plaintext space"
                    throw .csv(path: csvPath, line: row.line, reason: reason)
                }
                pending[group].append(mantissa)
            }
            rows += 1
            groups[group].rows += 1
            if pending[group].count == layout.valuesPerBlock { close(group) }
            if batch.count == layout.valuesPerBlock * blocksPerBatch { try await flush() }
        }
        for group in groups.indices where !pending[group].isEmpty {
            close(group)
            if batch.count == layout.valuesPerBlock * blocksPerBatch { try await flush() }
        }
        try await flush()
        let groupTable = groups.map { EncryptedRecords.Group(key: $0.key, rows: $0.rows, counts: $0.counts, blocks: $0.blocks) }
        try writer.finish(
            rows: rows, counts: counts,
            groups: keep.isEmpty ? nil : EncryptedRecords.Groups(groups: groupTable, blockGroups: blockGroups))
        for (name, count) in zip(names, clipped) where count > 0 {
            let bounds = plan.clip(of: name)!
            let values = count == 1 ? "1 value was" : "\(count) values were"
            notes.append("column \(name): \(values) clipped to [\(bounds.lower), \(bounds.upper)] (this count is for you only: do not share it)")
        }
        let columns = zip(columnNames, zip(scales, counts)).map { PackedAggregate.Column(name: $0, scale: $1.0, count: $1.1) }
        return Summary(
            rows: rows, columns: columns, layout: layout, records: records, plan: plan, clipped: clipped, notes: notes,
            groups: keep.isEmpty ? [] : groupTable)
    }
}
