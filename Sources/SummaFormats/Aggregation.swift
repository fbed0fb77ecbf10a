import BigNum
import Paillier
import Summa

/// Sums (and counts, and sums of squares) columns across files without any private key: what `summa sum`,
/// `summa mean` and `summa stats` do. Files must share one key; partial aggregates merge.
public enum Aggregation {
    /// The column name given to python-paillier ciphertexts, which carry none.
    public static let pheColumnName = "value"

    /// Aggregates `columns` (default: every column of the first file) over all `files`. A column that would sum
    /// python-paillier fractions with Summa's decimals is refused (``FormatError/binaryAndDecimalValues(binaryPath:decimalPath:column:)``):
    /// decrypted, a sum of pheutil values is shown as a double, as pheutil shows it, which would round the decimals.
    /// - Parameters:
    ///   - files: read files with their paths: Summa encrypted or aggregate files, or python-paillier ciphertexts.
    ///   - requested: the columns to aggregate, present in every file; nil for every column of the first file.
    ///   - kind: the statistic the aggregate is made for, which decides what decrypting it shows.
    ///   - pheKey: the public key python-paillier ciphertexts are under (they do not carry it).
    ///   - by: kept columns to group by (`summa sum --by`), each kept by every file; nil for totals over every group.
    public static func aggregate(
        _ files: [(path: String, file: SummaFile)], columns requested: [String]? = nil, kind: AggregateKind,
        pheKey: PaillierPublicKey? = nil, by: [String]? = nil
    ) throws(FormatError) -> AggregateTable {
        if let by { return try aggregate(files, columns: requested, kind: kind, pheKey: pheKey, groupedBy: by) }
        guard !files.isEmpty else { throw .incompatible("no input file given") }
        // Without --by, the groups of a grouped file are just parts of its total.
        let files = files.flatMap { part -> [(path: String, file: SummaFile)] in
            guard case .aggregate(let table) = part.file, table.isGrouped else { return [part] }
            return table.groups.map { (part.path, .aggregate($0.table)) }
        }
        guard let first = files.first else { throw .incompatible("the files hold no rows") }
        var parts: [Part] = []
        for (path, file) in files {
            switch file {
            case .encrypted(let table):
                let columns = try table.columns.map { (column) throws(FormatError) in
                    (name: column.name, aggregate: try FormatError.catching { () throws(SummaError) in try column.aggregate(publicKey: table.publicKey) })
                }
                parts.append(Part(path: path, key: table.publicKey, columns: columns))
            case .aggregate(let table):
                parts.append(Part(
                    path: path, key: table.publicKey, columns: table.columns, packed: table.packed, analysis: table.analysis))
            case .pheCiphertexts(let ciphertexts):
                guard let pheKey else {
                    throw .incompatible("\(path): python-paillier ciphertexts carry no key: give the public key with --key")
                }
                let numbers = try ciphertexts.numbers(publicKey: pheKey)
                let sum = try FormatError.catching { () throws(SummaError) in try EncryptedNumber.sum(numbers, publicKey: pheKey) }
                parts.append(Part(
                    path: path, key: pheKey, columns: [(pheColumnName, EncryptedAggregate(sum: sum, count: numbers.count, sumOfSquares: nil))],
                    fromPhe: true))
            case .publicKey, .privateKey, .thresholdPublicKey:
                throw .unrecognizedFile(path: path, reason: "holds \(file.kind), not ciphertexts")
            case .encryptedRecords:
                throw .incompatible("\(path): \(file.kind) are not supported here yet")
            }
        }
        let key = parts[0].key
        for part in parts.dropFirst() where part.key.n != key.n {
            throw .fileKeyMismatch(path: part.path, firstPath: first.path)
        }
        // A plan lays out reports over its columns: every part must have been encrypted under the same one.
        let analysis = parts[0].analysis
        if let other = parts.first(where: { $0.analysis != analysis }) {
            throw .incompatible("\(other.path) and \(parts[0].path) were encrypted with different --category, --bins, --products or --clip options: sum them separately")
        }
        if let requested { try FormatError.requireDistinctColumns(requested) }
        let names = requested ?? parts[0].names
        var columns: [(name: String, aggregate: EncryptedAggregate)] = []
        for name in names {
            var total: EncryptedAggregate?
            // The first part of each kind: python-paillier fractions (any file whose sum is not over a power of
            // ten), and Summa's decimals (a Summa file whose sum is). pheutil integers are exact either way.
            var binaryPath: String?
            var decimalPath: String?
            for part in parts {
                guard part.names.contains(name) else { throw .missingColumn(name, path: part.path, available: part.names) }
                guard let column = part.columns.first(where: { $0.name == name }) else { continue }
                if !column.aggregate.sum.denominator.isDecimal {
                    binaryPath = binaryPath ?? part.path
                } else if !part.fromPhe {
                    decimalPath = decimalPath ?? part.path
                }
                if let binaryPath, let decimalPath {
                    throw .binaryAndDecimalValues(binaryPath: binaryPath, decimalPath: decimalPath, column: name)
                }
                total = try total.map { (sum) throws(FormatError) in
                    try FormatError.catching { () throws(SummaError) in try sum.merged(with: column.aggregate) }
                } ?? column.aggregate
            }
            if let total { columns.append((name, total)) }
        }
        // Packed sums holding a requested column come along whole; those of one layout and scales multiply.
        var packed: [PackedAggregate] = []
        for part in parts.flatMap(\.packed) where part.columns.contains(where: { names.contains($0.name) }) {
            if let index = packed.firstIndex(where: { $0.canMerge(with: part) }) {
                packed[index] = try FormatError.catching { () throws(SummaError) in try packed[index].merged(with: part) }
            } else {
                packed.append(part)
            }
        }
        // pheutil fractions cannot be added to packed decimals without rounding, as with unpacked ones above.
        for (name, aggregate) in columns where !aggregate.sum.denominator.isDecimal {
            let holdsPacked = { (part: Part) in part.packed.contains { $0.columns.contains { $0.name == name } } }
            let holdsFractions = { (part: Part) in
                part.columns.contains { $0.name == name && !$0.aggregate.sum.denominator.isDecimal }
            }
            if let decimalPart = parts.first(where: holdsPacked), let binaryPart = parts.first(where: holdsFractions) {
                throw .binaryAndDecimalValues(binaryPath: binaryPart.path, decimalPath: decimalPart.path, column: name)
            }
        }
        return AggregateTable(publicKey: key, kind: kind, columns: columns, packed: packed, columnNames: names, analysis: analysis)
    }

    /// A table per key of the kept columns `by` (in that order): the groups of every file projected on `by`, those
    /// with the same texts aggregated together.
    static func aggregate(
        _ files: [(path: String, file: SummaFile)], columns requested: [String]?, kind: AggregateKind, pheKey: PaillierPublicKey?,
        groupedBy by: [String]
    ) throws(FormatError) -> AggregateTable {
        guard !by.isEmpty, Set(by).count == by.count else { throw .incompatible("give each --by column once") }
        guard let first = files.first else { throw .incompatible("no input file given") }
        // Keyed by the texts' bytes: canonically equivalent texts that differ in bytes are different groups.
        var parts: [[[UInt8]]: (key: [String], files: [(path: String, file: SummaFile)])] = [:]
        var names: [String]?
        var key: PaillierPublicKey?
        for (path, file) in files {
            guard case .aggregate(let table) = file, table.isGrouped else {
                throw .incompatible("\(path) keeps no columns in clear: encrypt it with --keep \(by[0]) to sum by it")
            }
            let positions = try by.map { (name) throws(FormatError) in
                guard let position = table.groupBy.firstIndex(of: name) else {
                    throw .incompatible("\(path) was not encrypted with --keep \(name) (it keeps \(table.groupBy.joined(separator: ", ")))")
                }
                return position
            }
            if let key, key.n != table.publicKey.n { throw .fileKeyMismatch(path: path, firstPath: first.path) }
            key = key ?? table.publicKey
            names = names ?? table.columnNames
            for group in table.groups {
                let projected = positions.map { group.key[$0] }
                parts[projected.exactBytes, default: (projected, [])].files.append((path, .aggregate(group.table)))
            }
        }
        let groups = try parts.values.map { (key, parts) throws(FormatError) in
            (key: key, table: try aggregate(parts, columns: requested, kind: kind, pheKey: pheKey))
        }
        return AggregateTable(
            publicKey: key!, kind: kind, columnNames: requested ?? names ?? [], groupBy: by, groups: groups)
    }

    /// What one input contributes: sums of one ciphertext per column and packed sums, under one key.
    struct Part {
        let path: String
        let key: PaillierPublicKey
        var columns: [(name: String, aggregate: EncryptedAggregate)] = []
        var packed: [PackedAggregate] = []
        var fromPhe = false
        var analysis: AnalysisPlan?

        /// Every column the input holds, in order.
        var names: [String] {
            var names = columns.map(\.name)
            for column in packed.flatMap(\.columns) where !names.contains(column.name) { names.append(column.name) }
            return names
        }
    }
}
