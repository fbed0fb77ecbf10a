import BigNum
import Paillier

/// One encrypted column: a ciphertext per row, in row order, and optionally the encryptions of the squares.
public struct EncryptedColumn: Sendable {
    public let name: String
    /// Decimals of every value in the column (the squares have twice as many).
    public let scale: Int
    public let values: [PaillierCiphertext]
    /// Enc(x²) per row, at scale 2·scale, for variances; nil when not encrypted.
    public let squares: [PaillierCiphertext]?

    public init(name: String, scale: Int, values: [PaillierCiphertext], squares: [PaillierCiphertext]?) {
        self.name = name
        self.scale = scale
        self.values = values
        self.squares = squares
    }

    /// The column's aggregate (sum, count, sum of squares).
    public func aggregate(publicKey: PaillierPublicKey) throws(SummaError) -> EncryptedAggregate {
        try EncryptedAggregate(values: values, squares: squares, scale: scale, publicKey: publicKey)
    }

    /// The values as encrypted numbers.
    public func numbers(publicKey: PaillierPublicKey) -> [EncryptedNumber] {
        values.map { EncryptedNumber(publicKey: publicKey, ciphertext: $0, scale: scale, bound: publicKey.valueBound) }
    }
}

/// Encrypted columns under one public key: what `summa encrypt` writes.
public struct EncryptedTable: Sendable {
    public let publicKey: PaillierPublicKey
    public let columns: [EncryptedColumn]

    public init(publicKey: PaillierPublicKey, columns: [EncryptedColumn]) {
        self.publicKey = publicKey
        self.columns = columns
    }

    public func column(named name: String, path: String) throws(SummaError) -> EncryptedColumn {
        guard let column = columns.first(where: { $0.name == name }) else {
            throw .missingColumn(name, path: path, available: columns.map(\.name))
        }
        return column
    }
}

/// What an aggregate file holds: the statistic that was asked for (it decides what `summa decrypt` prints).
public enum Statistic: String, Sendable, CaseIterable {
    case sum, mean, stats
}

/// Named aggregates under one public key: what `summa sum`, `summa mean` and `summa stats` write.
public struct AggregateTable: Sendable {
    public let publicKey: PaillierPublicKey
    public let statistic: Statistic
    public let columns: [(name: String, aggregate: EncryptedAggregate)]

    public init(publicKey: PaillierPublicKey, statistic: Statistic, columns: [(name: String, aggregate: EncryptedAggregate)]) {
        self.publicKey = publicKey
        self.statistic = statistic
        self.columns = columns
    }
}
