import BigNum

/// What a data owner makes computable from encrypted sums beyond each column's count, sum and sum of squares, by
/// encrypting derived columns next to the values: sums and counts per level of an encrypted category, counts and
/// sums per bucket of a histogram, cross products for covariance and regression, and values clipped to declared
/// bounds (for differentially private release).
///
/// Every derived column is an ordinary encrypted column, summed like the others: the aggregator learns nothing of
/// a row's level or bucket, since every row carries every level's and bucket's slots (zeros but one). The plan
/// itself (columns, levels, bucket edges, clipping bounds) is public: it travels in the file headers so that the key
/// holder's report can be laid out, and two files merge only under the same plan.
public struct AnalysisPlan: Sendable, Hashable {
    /// An encrypted category: each row contributes its values (and a count of 1) in the columns of its level only.
    public struct Category: Sendable, Hashable {
        public let column: String
        /// The public set of levels, in the order reports show them.
        public let levels: [String]
        /// Whether a value outside ``levels`` goes to a last level, ``otherLevel``, rather than being an error.
        public let other: Bool

        public init(column: String, levels: [String], other: Bool) {
            self.column = column
            self.levels = levels
            self.other = other
        }

        /// The name of the level that collects values outside the given ones.
        public static let otherLevel = "other"
        /// The levels with columns: the given ones, then ``otherLevel`` when asked for.
        public var allLevels: [String] { other ? levels + [Self.otherLevel] : levels }
        /// The name of the column counting the rows of `level`: "count|region=north".
        public func countName(_ level: String) -> String { "count|\(column)=\(level)" }
        /// The name of the column summing `value` over the rows of `level`: "amount|region=north".
        public func sumName(_ value: String, _ level: String) -> String { "\(value)|\(column)=\(level)" }
        /// The most levels a category may have: each costs a slot per value column in every row.
        public static let maximumLevels = 1000
    }

    /// A histogram of a value column: buckets (−∞, e₀), [e₀, e₁), …, [e_k, +∞), each with a count and a sum.
    public struct Bins: Sendable, Hashable {
        public let column: String
        /// Strictly increasing edges.
        public let edges: [FixedPoint]

        public init(column: String, edges: [FixedPoint]) {
            self.column = column
            self.edges = edges
        }

        /// The bucket of `value`: 0 below the first edge, i for [eᵢ₋₁, eᵢ), `edges.count` at or above the last.
        public func bucket(of value: FixedPoint) -> Int {
            var low = 0, high = edges.count
            while low < high {
                let middle = (low + high) / 2
                if value < edges[middle] { high = middle } else { low = middle + 1 }
            }
            return low
        }

        /// A bucket as text: "(-inf, 0)", "[0, 100)", "[10000, +inf)".
        public func label(_ bucket: Int) -> String {
            let low = bucket == 0 ? "(-inf" : "[\(edges[bucket - 1])"
            let high = bucket == edges.count ? "+inf)" : "\(edges[bucket]))"
            return "\(low), \(high)"
        }

        /// The buckets, by index: one below the first edge, one between each two, one at or above the last.
        public var buckets: ClosedRange<Int> { 0...edges.count }
        /// The name of the column counting the rows of `bucket`: "count|amount∈[0, 100)".
        public func countName(_ bucket: Int) -> String { "count|\(column)∈\(label(bucket))" }
        /// The name of the column summing the values of `bucket`: "amount|amount∈[0, 100)".
        public func sumName(_ bucket: Int) -> String { "\(column)|\(column)∈\(label(bucket))" }

        /// The most edges a histogram may have.
        public static let maximumEdges = 1000
    }

    /// Values of a column outside [lower, upper] are replaced by the nearer bound before anything is derived.
    public struct Clip: Sendable, Hashable {
        public let column: String
        public let lower: FixedPoint
        public let upper: FixedPoint

        public init(column: String, lower: FixedPoint, upper: FixedPoint) {
            self.column = column
            self.lower = lower
            self.upper = upper
        }

        /// The largest |value| a clipped value can have: a row's contribution to a sum is at most this.
        public var magnitude: FixedPoint { max(-lower, upper, -upper, lower) }
    }

    /// The product of two value columns (a column with itself is its square).
    public struct Product: Sendable, Hashable {
        public let first: String
        public let second: String

        public init(_ first: String, _ second: String) {
            self.first = first
            self.second = second
        }

        public var name: String { "\(first)*\(second)" }
    }

    /// What an encrypted column of the plan holds.
    public enum Derived: Sendable, Hashable {
        /// A value column as read (clipped if asked).
        case value(String)
        /// 1 for the rows of `level`, 0 for the others.
        case levelCount(category: String, level: String)
        /// The value for the rows of `level`, 0 for the others.
        case levelSum(value: String, category: String, level: String)
        /// 1 for the rows whose value falls in bucket `bucket`, 0 for the others.
        case bucketCount(column: String, bucket: Int)
        /// The value for the rows whose value falls in bucket `bucket`, 0 for the others.
        case bucketSum(column: String, bucket: Int)
        /// The product of two values of the row.
        case product(Product)
    }

    /// The value columns, read from the CSV file as decimals.
    public let values: [String]
    public let categories: [Category]
    public let bins: [Bins]
    public let products: [Product]
    public let clips: [Clip]
    /// Every encrypted column, with its name, in file order: the values, then per category its level counts and
    /// each value's level sums, then per histogram its bucket counts and sums, then the products.
    public let columns: [(name: String, derived: Derived)]

    /// A plan, checked: every column it refers to is a value column (a category's is a text column, not one of
    /// them), levels and edges are distinct and bounded, clip bounds ordered, and no derived name repeats another.
    public init(
        values: [String], categories: [Category] = [], bins: [Bins] = [], products: [Product] = [], clips: [Clip] = []
    ) throws(SummaError) {
        func requireValue(_ column: String, _ option: String) throws(SummaError) {
            guard values.contains(column) else {
                throw .incompatible("\(option) \(column): \(column) is not one of the encrypted value columns (add --column \(column))")
            }
        }
        for category in categories {
            guard !values.contains(category.column) else {
                throw .incompatible("--category \(category.column): a category column holds labels, so it cannot also be a value column")
            }
            guard !category.levels.isEmpty, category.allLevels.count <= Category.maximumLevels else {
                throw .incompatible("--category \(category.column): give 1 to \(Category.maximumLevels) levels")
            }
            guard Set(category.allLevels).count == category.allLevels.count else {
                throw .incompatible("--category \(category.column): a level is given twice (or is named \(Category.otherLevel) with --other)")
            }
        }
        guard Set(categories.map(\.column)).count == categories.count else {
            throw .incompatible("a --category is given twice")
        }
        for histogram in bins {
            try requireValue(histogram.column, "--bins")
            guard !histogram.edges.isEmpty, histogram.edges.count <= Bins.maximumEdges,
                zip(histogram.edges, histogram.edges.dropFirst()).allSatisfy({ $0 < $1 })
            else {
                throw .incompatible("--bins \(histogram.column): give 1 to \(Bins.maximumEdges) strictly increasing edges")
            }
        }
        guard Set(bins.map(\.column)).count == bins.count else { throw .incompatible("--bins is given twice for a column") }
        for product in products {
            try requireValue(product.first, "--products")
            try requireValue(product.second, "--products")
        }
        guard Set(products).count == products.count else { throw .incompatible("a product is given twice") }
        for clip in clips {
            try requireValue(clip.column, "--clip")
            guard clip.lower <= clip.upper else { throw .incompatible("--clip \(clip.column): the lower bound is above the upper") }
        }
        guard Set(clips.map(\.column)).count == clips.count else { throw .incompatible("--clip is given twice for a column") }
        var columns = values.map { (name: $0, derived: Derived.value($0)) }
        for category in categories {
            for level in category.allLevels {
                columns.append((category.countName(level), .levelCount(category: category.column, level: level)))
            }
            for value in values {
                for level in category.allLevels {
                    columns.append((category.sumName(value, level), .levelSum(value: value, category: category.column, level: level)))
                }
            }
        }
        for histogram in bins {
            columns += histogram.buckets.map { (histogram.countName($0), .bucketCount(column: histogram.column, bucket: $0)) }
            columns += histogram.buckets.map { (histogram.sumName($0), .bucketSum(column: histogram.column, bucket: $0)) }
        }
        columns += products.map { ($0.name, .product($0)) }
        var seen = Set<String>()
        if let repeated = columns.first(where: { !seen.insert($0.name).inserted }) {
            throw .incompatible("the derived column \(repeated.name) would repeat a column's name: rename the column")
        }
        self.values = values
        self.categories = categories
        self.bins = bins
        self.products = products
        self.clips = clips
        self.columns = columns
    }

    public static func == (lhs: AnalysisPlan, rhs: AnalysisPlan) -> Bool {
        lhs.values == rhs.values && lhs.categories == rhs.categories && lhs.bins == rhs.bins
            && lhs.products == rhs.products && lhs.clips == rhs.clips
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(values)
        hasher.combine(categories)
        hasher.combine(bins)
        hasher.combine(products)
        hasher.combine(clips)
    }

    /// Whether the plan derives anything beyond the values themselves.
    public var derivesColumns: Bool { columns.count > values.count || !clips.isEmpty }

    /// The text columns the plan reads (the categories'), in order.
    public var labelColumns: [String] { categories.map(\.column) }

    /// The clipping bounds of `column`, if any.
    public func clip(of column: String) -> Clip? { clips.first { $0.column == column } }

    /// The scale of every encrypted column, given the scale of each value column: a level or bucket sum has its
    /// value's, a count 0, a product the sum of its factors'. A clipped column's scale covers its bounds' decimals.
    public func scales(values valueScales: [Int]) -> [Int] {
        let scale = Dictionary(uniqueKeysWithValues: zip(values, valueScales).map { name, scale in
            (name, max(scale, clip(of: name).map { max($0.lower.scale, $0.upper.scale) } ?? 0))
        })
        return columns.map { column in
            switch column.derived {
            case .value(let name), .levelSum(let name, _, _), .bucketSum(let name, _): scale[name]!
            case .levelCount, .bucketCount: 0
            case .product(let product): scale[product.first]! + scale[product.second]!
            }
        }
    }

    /// Which value columns a row clipped: what ``derive(values:labels:)`` reports besides the row.
    public struct Derivation {
        public let values: [FixedPoint?]
        /// Per value column, whether its value was clipped.
        public let clipped: [Bool]
    }

    /// One row's encrypted columns from its values (nil for an empty cell left out) and its category labels (in the
    /// order of ``categories``). A label outside a category's levels is an error naming it, or goes to the other
    /// level. An empty value is in no level's sum and no bucket, and its products are empty too; a row's level
    /// count is 1 whatever its values.
    public func derive(values row: [FixedPoint?], labels: [String]) throws(SummaError) -> Derivation {
        precondition(row.count == values.count && labels.count == categories.count, "one value per value column, one label per category")
        var clipped = Array(repeating: false, count: values.count)
        var value: [String: FixedPoint?] = [:]
        for (index, name) in values.enumerated() {
            var cell = row[index]
            if let current = cell, let bounds = clip(of: name) {
                if current < bounds.lower {
                    cell = bounds.lower
                    clipped[index] = true
                } else if current > bounds.upper {
                    cell = bounds.upper
                    clipped[index] = true
                }
            }
            value[name] = cell
        }
        var level: [String: String] = [:]
        for (category, label) in zip(categories, labels) {
            if category.levels.contains(label) {
                level[category.column] = label
            } else if category.other {
                level[category.column] = Category.otherLevel
            } else {
                let shown = label.isEmpty ? "an empty label" : "\"\(label.prefix(60))\""
                throw .incompatible("column \(category.column): \(shown) is not one of the levels \(category.levels.joined(separator: ", ")) (add it to --levels, or use --other)")
            }
        }
        var bucket: [String: Int] = [:]
        for histogram in bins {
            if let current = value[histogram.column] ?? nil { bucket[histogram.column] = histogram.bucket(of: current) }
        }
        let derived: [FixedPoint?] = columns.map { column in
            switch column.derived {
            case .value(let name): return value[name]!
            case .levelCount(let category, let name): return level[category] == name ? 1 : 0
            case .levelSum(let name, let category, let levelName):
                guard let current = value[name]! else { return nil }
                return level[category] == levelName ? current : .zero
            case .bucketCount(let name, let index):
                guard value[name]! != nil else { return nil }
                return bucket[name] == index ? 1 : 0
            case .bucketSum(let name, let index):
                guard let current = value[name]! else { return nil }
                return bucket[name] == index ? current : .zero
            case .product(let product):
                guard let first = value[product.first]!, let second = value[product.second]! else { return nil }
                return first * second
            }
        }
        return Derivation(values: derived, clipped: clipped)
    }
}
