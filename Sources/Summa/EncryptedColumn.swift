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
