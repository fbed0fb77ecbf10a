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
    /// bounded by the key's ``PaillierPublicKey/valueBound`` (its square by the bound squared).
    public init(
        values: [PaillierCiphertext], squares: [PaillierCiphertext]?, scale: Int, publicKey: PaillierPublicKey
    ) throws(SummaError) {
        let count = BigInteger(values.count)
        let valueBound = publicKey.valueBound
        let sum = EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.sum(values), scale: scale, bound: nil)
        self.sum = EncryptedNumber(
            publicKey: publicKey, ciphertext: sum.ciphertext, scale: scale,
            bound: try sum.checked(count * valueBound, "summing \(values.count) values"))
        self.count = values.count
        sumOfSquares = try squares.map { (squares) throws(SummaError) in
            EncryptedNumber(
                publicKey: publicKey, ciphertext: publicKey.sum(squares), scale: 2 * scale,
                bound: try sum.checked(count * valueBound * valueBound, "summing \(values.count) squares"))
        }
    }

    /// The aggregate of the union of both parts. Squares survive only when both parts have them.
    public func merged(with other: EncryptedAggregate) throws(SummaError) -> EncryptedAggregate {
        let squares: EncryptedNumber? =
            if let mine = sumOfSquares, let theirs = other.sumOfSquares { try mine.adding(theirs) } else { nil }
        return EncryptedAggregate(sum: try sum.adding(other.sum), count: count + other.count, sumOfSquares: squares)
    }

    /// The aggregate with fresh randomness in its ciphertexts.
    public func rerandomized() -> EncryptedAggregate {
        EncryptedAggregate(sum: sum.rerandomized(), count: count, sumOfSquares: sumOfSquares?.rerandomized())
    }
}

/// Decrypted statistics of a column: exact sum and count; mean, variance and standard deviation rounded half to
/// even to `digits` decimals.
public struct Statistics: Sendable, Equatable {
    public let count: Int
    public let sum: FixedPoint
    /// Σx / count; nil for no values.
    public let mean: FixedPoint?
    /// Population variance Σ(x − mean)²/count; nil without squares or values.
    public let variance: FixedPoint?
    /// Sample variance Σ(x − mean)²/(count − 1); nil without squares or with fewer than two values.
    public let sampleVariance: FixedPoint?
    /// √(population variance).
    public let standardDeviation: FixedPoint?
    /// √(sample variance).
    public let sampleStandardDeviation: FixedPoint?
    /// Decimals of the rounded statistics.
    public let digits: Int

    /// The default number of decimals for means and variances: the values' scale plus four.
    public static func defaultDigits(forScale scale: Int) -> Int { scale + 4 }

    /// Computes the statistics from an exact sum, a count and, optionally, an exact sum of squares.
    public init(count: Int, sum: FixedPoint, sumOfSquares: FixedPoint?, digits: Int? = nil) throws(SummaError) {
        let digits = digits ?? Self.defaultDigits(forScale: sum.scale)
        guard (0...FixedPoint.maximumScale).contains(digits) else { throw .scaleOutOfRange(digits) }
        self.count = count
        self.sum = sum
        self.digits = digits
        let n = BigInteger(count)
        mean = count > 0 ? FixedPoint.quotient(sum.mantissa, dividedBy: n * FixedPoint.powerOfTen(sum.scale), scale: digits) : nil
        guard let squares = sumOfSquares, count > 0 else {
            (variance, sampleVariance, standardDeviation, sampleStandardDeviation) = (nil, nil, nil, nil)
            return
        }
        // Σ(x − x̄)² = Σx² − (Σx)²/N = (N·Σx² − (Σx)²)/N, all at scale 2s: numerator over N·10^(2s).
        let s = sum.scale
        let q = try squares.rescaled(to: 2 * s).mantissa
        let deviation = n * q - sum.mantissa * sum.mantissa
        guard !deviation.isNegative else {
            throw .notComputable("the sum of squares is smaller than the sum allows: the squares do not match the values")
        }
        let unit = FixedPoint.powerOfTen(2 * s)
        let populationDenominator = n * n * unit
        variance = FixedPoint.quotient(deviation, dividedBy: populationDenominator, scale: digits)
        standardDeviation = FixedPoint.squareRoot(deviation, dividedBy: populationDenominator, scale: digits)
        if count > 1 {
            let sampleDenominator = n * (n - 1) * unit
            sampleVariance = FixedPoint.quotient(deviation, dividedBy: sampleDenominator, scale: digits)
            sampleStandardDeviation = FixedPoint.squareRoot(deviation, dividedBy: sampleDenominator, scale: digits)
        } else {
            (sampleVariance, sampleStandardDeviation) = (nil, nil)
        }
    }
}

extension PaillierPrivateKey {
    /// Decrypts an aggregate to its statistics.
    public func decrypt(_ aggregate: EncryptedAggregate, digits: Int? = nil) throws(SummaError) -> Statistics {
        let sum = try decrypt(aggregate.sum)
        let squares = try aggregate.sumOfSquares.map { (s) throws(SummaError) in try decrypt(s) }
        return try Statistics(count: aggregate.count, sum: sum, sumOfSquares: squares, digits: digits)
    }
}
