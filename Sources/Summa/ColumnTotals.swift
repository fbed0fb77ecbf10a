/// A column's decrypted totals: how many values, their exact sum and, when squares were encrypted, the exact sum
/// of their squares. Totals of parts of a column (files, shards, packed and unpacked sums) add up; the statistics
/// come from the whole.
public struct ColumnTotals: Sendable, Equatable {
    public let count: Int
    public let sum: FixedPoint
    public let sumOfSquares: FixedPoint?

    public init(count: Int, sum: FixedPoint, sumOfSquares: FixedPoint?) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    /// The totals of both parts. The sum of squares survives only when both parts have one.
    public func adding(_ other: ColumnTotals) throws(SummaError) -> ColumnTotals {
        let squares: FixedPoint? = if let mine = sumOfSquares, let theirs = other.sumOfSquares { mine + theirs } else { nil }
        return ColumnTotals(count: try count.addingCount(other.count), sum: sum + other.sum, sumOfSquares: squares)
    }

    /// Count, sum, mean and, with squares, variances and standard deviations, rounded to `digits` decimals.
    public func statistics(digits: Int? = nil) throws(SummaError) -> ColumnStatistics {
        try ColumnStatistics(count: count, sum: sum, sumOfSquares: sumOfSquares, digits: digits)
    }
}
