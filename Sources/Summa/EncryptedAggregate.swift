import BigNum
import Paillier

/// What travels from whoever sums to whoever decrypts: Enc(Σx), the count, and Enc(Σx²) when squares were
/// encrypted too. Partial aggregates (shards of a table, files from different machines) merge into one, so the
/// mean stays right.
public struct EncryptedAggregate: Sendable {
    public let sum: EncryptedNumber
    /// How many values were summed (in clear).
    public let count: Int
    /// Enc(Σx²) at twice the values' scale, when every part had squares.
    public let sumOfSquares: EncryptedNumber?

    public init(sum: EncryptedNumber, count: Int, sumOfSquares: EncryptedNumber?) {
        self.sum = sum
        self.count = count
        self.sumOfSquares = sumOfSquares
    }

    public var publicKey: PaillierPublicKey { sum.publicKey }

    /// The aggregate of a column of fresh values (and of their squares, when given, at twice the scale), each
    /// bounded by the key's ``Paillier/PaillierPublicKey/valueBound`` (its square by the bound squared).
    public init(
        values: [PaillierCiphertext], squares: [PaillierCiphertext]?, scale: Int, publicKey: PaillierPublicKey
    ) throws(SummaError) {
        try self.init(
            product: publicKey.sum(values), productOfSquares: squares.map(publicKey.sum), factors: values.count,
            count: values.count, scale: scale, publicKey: publicKey)
    }

    /// The aggregate of `count` values given the product of `factors` fresh ciphertexts (at least one per value:
    /// the extra ones, such as empty cells of a binary file, encrypt zero) and, when squares were encrypted, the
    /// product of their squares' ciphertexts. The bounds follow from `factors`.
    public init(
        product: PaillierCiphertext, productOfSquares: PaillierCiphertext?, factors: Int, count: Int, scale: Int,
        publicKey: PaillierPublicKey
    ) throws(SummaError) {
        let summed = BigInteger(factors)
        let valueBound = publicKey.valueBound
        let sum = EncryptedNumber(publicKey: publicKey, ciphertext: product, scale: scale, bound: nil)
        self.sum = EncryptedNumber(
            publicKey: publicKey, ciphertext: product, scale: scale,
            bound: try sum.checked(summed * valueBound, "summing \(factors) values"))
        self.count = count
        sumOfSquares = try productOfSquares.map { (squares) throws(SummaError) in
            EncryptedNumber(
                publicKey: publicKey, ciphertext: squares, scale: 2 * scale,
                bound: try sum.checked(summed * valueBound * valueBound, "summing \(factors) squares"))
        }
    }

    /// The aggregate of the union of both parts. Squares survive only when both parts have them.
    public func merged(with other: EncryptedAggregate) throws(SummaError) -> EncryptedAggregate {
        let squares: EncryptedNumber? =
            if let mine = sumOfSquares, let theirs = other.sumOfSquares { try mine.adding(theirs) } else { nil }
        return EncryptedAggregate(sum: try sum.adding(other.sum), count: try count.addingCount(other.count), sumOfSquares: squares)
    }

    /// The aggregate with fresh randomness in its ciphertexts.
    public func rerandomized() -> EncryptedAggregate {
        EncryptedAggregate(sum: sum.rerandomized(), count: count, sumOfSquares: sumOfSquares?.rerandomized())
    }
}
