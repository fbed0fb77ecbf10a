import BigNum

/// What the key holder reads from decrypted totals laid out by an ``AnalysisPlan``: each value column's statistics,
/// a table per category (count, sums and means per level), a histogram per binned column with approximate
/// quantiles, and covariance and correlation per product. Every figure is computed exactly from the decrypted
/// integers and rounded once, half to even, to `digits` decimals.
public struct AnalysisReport: Sendable {
    /// One level of a category.
    public struct Level: Sendable, Equatable {
        public let name: String
        public let count: Int
        /// Per value column of the plan, its sum over the level's rows.
        public let sums: [FixedPoint]
        /// Per value column, its mean over the level's rows (nil for a level without rows).
        public let means: [FixedPoint?]
    }

    /// A category's table.
    public struct Group: Sendable, Equatable {
        public let category: String
        /// The plan's value columns, which ``Level/sums`` follow.
        public let values: [String]
        public let levels: [Level]
    }

    /// One bucket of a histogram.
    public struct Bucket: Sendable, Equatable {
        public let label: String
        public let count: Int
        public let sum: FixedPoint
    }

    /// An approximate quantile: the bucket it falls in and, for a bucket with two finite edges, the estimate from
    /// spreading the bucket's values evenly across it.
    public struct Quantile: Sendable, Equatable {
        /// The percentile, 1…99.
        public let percent: Int
        public let bucket: String
        public let estimate: FixedPoint?
    }

    public struct Histogram: Sendable, Equatable {
        public let column: String
        public let buckets: [Bucket]
        public let quantiles: [Quantile]
    }

    /// Covariance and correlation of two value columns.
    public struct Pair: Sendable, Equatable {
        public let first: String
        public let second: String
        /// Over the rows holding both; nil when the rows differ (empty cells) or there are none.
        public let covariance: FixedPoint?
        public let sampleCovariance: FixedPoint?
        /// Pearson's r; nil without the squares of both columns or when either is constant.
        public let correlation: FixedPoint?
    }

    public let values: [(name: String, statistics: ColumnStatistics)]
    public let groups: [Group]
    public let histograms: [Histogram]
    public let pairs: [Pair]

    /// The percentiles a histogram reports.
    public static let percentiles = [10, 25, 50, 75, 90]

    /// Lays out `totals` (every column of `plan`, by name) as the plan says.
    public init(plan: AnalysisPlan, totals: [String: ColumnTotals], digits: Int? = nil) throws(SummaError) {
        func total(_ name: String) throws(SummaError) -> ColumnTotals {
            guard let total = totals[name] else { throw .incompatible("column \(name) has no values in the aggregate") }
            return total
        }
        func count(_ name: String) throws(SummaError) -> Int {
            let sum = try total(name).sum
            guard sum.scale == 0, let count = sum.mantissa.intValue, count >= 0 else {
                throw .notComputable("column \(name) does not hold counts: the file was not written by summa encrypt")
            }
            return count
        }
        values = try plan.values.map { (name) throws(SummaError) in (name, try total(name).statistics(digits: digits)) }
        let scaleOf = Dictionary(uniqueKeysWithValues: values.map { ($0.name, $0.statistics.sum.scale) })
        let digitsOf = { (name: String) in digits ?? ColumnStatistics.defaultDigits(forScale: scaleOf[name] ?? 0) }
        groups = try plan.categories.map { (category) throws(SummaError) in
            let levels = try category.allLevels.map { (level) throws(SummaError) in
                let rows = try count(category.countName(level))
                let sums = try plan.values.map { (value) throws(SummaError) in try total(category.sumName(value, level)).sum }
                let means = zip(plan.values, sums).map { value, sum in
                    rows == 0 ? nil : (Rational(sum) / Rational(rows)).rounded(scale: digitsOf(value))
                }
                return Level(name: level, count: rows, sums: sums, means: means)
            }
            return Group(category: category.column, values: plan.values, levels: levels)
        }
        histograms = try plan.bins.map { (histogram) throws(SummaError) in
            let buckets = try histogram.buckets.map { (index) throws(SummaError) in
                Bucket(
                    label: histogram.label(index), count: try count(histogram.countName(index)),
                    sum: try total(histogram.sumName(index)).sum)
            }
            return Histogram(
                column: histogram.column, buckets: buckets,
                quantiles: Self.quantiles(histogram, counts: buckets.map(\.count), digits: digitsOf(histogram.column)))
        }
        pairs = try plan.products.map { (product) throws(SummaError) in
            let (x, y, xy) = (try total(product.first), try total(product.second), try total(product.name))
            let n = xy.count
            guard n > 0, x.count == n, y.count == n else {
                return Pair(first: product.first, second: product.second, covariance: nil, sampleCovariance: nil, correlation: nil)
            }
            let rows = Rational(n)
            // n·Σxy − Σx·Σy, over n² (population) or n(n − 1) (sample).
            let comoment = rows * Rational(xy.sum) - Rational(x.sum) * Rational(y.sum)
            let scale = digits ?? ColumnStatistics.defaultDigits(forScale: xy.sum.scale)
            var correlation: FixedPoint?
            if let xx = x.sumOfSquares, let yy = y.sumOfSquares {
                let spreadX = rows * Rational(xx) - Rational(x.sum) * Rational(x.sum)
                let spreadY = rows * Rational(yy) - Rational(y.sum) * Rational(y.sum)
                // Sums of real rows obey Cauchy–Schwarz; forged ones (a correlation of 214) do not.
                guard !spreadX.isNegative, !spreadY.isNegative, !(spreadX * spreadY < comoment * comoment) else {
                    throw .notComputable("the sums of \(product.name) contradict the sums of squares of its columns: the file was not written by summa encrypt")
                }
                if !spreadX.isZero, !spreadY.isZero {
                    correlation = comoment.dividedBySquareRoot(of: spreadX * spreadY, scale: digits ?? 6)
                }
            }
            return Pair(
                first: product.first, second: product.second, covariance: (comoment / (rows * rows)).rounded(scale: scale),
                sampleCovariance: n > 1 ? (comoment / (rows * Rational(n - 1))).rounded(scale: scale) : nil,
                correlation: correlation)
        }
    }

    /// The bucket holding the value of rank ⌈p·N/100⌉ for each percentile p, with a linear estimate inside buckets
    /// with two finite edges.
    static func quantiles(_ histogram: AnalysisPlan.Bins, counts: [Int], digits: Int) -> [Quantile] {
        // In big integers: noisy counts of a private release can be anything an Int holds, and their sum more.
        let total = counts.reduce(BigInteger(0)) { $0 + BigInteger($1) }
        guard total > 0 else { return [] }
        return percentiles.map { percent in
            let rank = Rational(BigInteger(percent) * total, 100)
            var before = BigInteger(0)
            var bucket = 0
            while bucket < counts.count - 1, Rational(before + BigInteger(counts[bucket])) < rank {
                before += BigInteger(counts[bucket])
                bucket += 1
            }
            var estimate: FixedPoint?
            if bucket > 0, bucket < histogram.edges.count, counts[bucket] > 0 {
                let low = Rational(histogram.edges[bucket - 1]), high = Rational(histogram.edges[bucket])
                let fraction = (rank - Rational(before)) / Rational(counts[bucket])
                estimate = (low + fraction * (high - low)).rounded(scale: digits)
            }
            return Quantile(percent: percent, bucket: histogram.label(bucket), estimate: estimate)
        }
    }
}
