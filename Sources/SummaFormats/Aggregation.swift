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
    public static func aggregate(
        _ files: [(path: String, file: SummaFile)], columns requested: [String]? = nil, kind: AggregateKind,
        pheKey: PaillierPublicKey? = nil
    ) throws(FormatError) -> AggregateTable {
        guard let first = files.first else { throw .incompatible("no input file given") }
        var parts: [(path: String, key: PaillierPublicKey, columns: [(name: String, aggregate: EncryptedAggregate)], fromPhe: Bool)] = []
        for (path, file) in files {
            switch file {
            case .encrypted(let table):
                let columns = try table.columns.map { (column) throws(FormatError) in
                    (name: column.name, aggregate: try FormatError.catching { () throws(SummaError) in try column.aggregate(publicKey: table.publicKey) })
                }
                parts.append((path, table.publicKey, columns, false))
            case .aggregate(let table):
                parts.append((path, table.publicKey, table.columns, false))
            case .pheCiphertexts(let ciphertexts):
                guard let pheKey else {
                    throw .incompatible("\(path): python-paillier ciphertexts carry no key: give the public key with --key")
                }
                let numbers = try ciphertexts.numbers(publicKey: pheKey)
                let sum = try FormatError.catching { () throws(SummaError) in try EncryptedNumber.sum(numbers, publicKey: pheKey) }
                parts.append((path, pheKey, [(pheColumnName, EncryptedAggregate(sum: sum, count: numbers.count, sumOfSquares: nil))], true))
            case .publicKey, .privateKey, .thresholdPublicKey:
                throw .unrecognizedFile(path: path, reason: "holds \(file.kind), not ciphertexts")
            }
        }
        let key = parts[0].key
        for part in parts.dropFirst() where part.key.n != key.n {
            throw .fileKeyMismatch(path: part.path, firstPath: first.path)
        }
        if let requested { try FormatError.requireDistinctColumns(requested) }
        let names = requested ?? parts[0].columns.map(\.name)
        let columns = try names.map { (name) throws(FormatError) in
            var total: EncryptedAggregate?
            // The first part of each kind: python-paillier fractions (any file whose sum is not over a power of
            // ten), and Summa's decimals (a Summa file whose sum is). pheutil integers are exact either way.
            var binaryPath: String?
            var decimalPath: String?
            for part in parts {
                guard let column = part.columns.first(where: { $0.name == name }) else {
                    throw .missingColumn(name, path: part.path, available: part.columns.map(\.name))
                }
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
            return (name: name, aggregate: total!)
        }
        return AggregateTable(publicKey: key, kind: kind, columns: columns)
    }
}
