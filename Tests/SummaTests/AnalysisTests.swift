import BigNum
import Foundation
import Testing

@testable import Summa

/// A seeded generator (SplitMix64), so that statistical tests are reproducible; releases use the system's CSPRNG.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func decimal(_ text: String) -> FixedPoint { try! FixedPoint(parsing: text) }

@Suite("Analysis plans: derived columns")
struct AnalysisPlanTests {
    static let plan = try! AnalysisPlan(
        values: ["amount", "fee"],
        categories: [.init(column: "region", levels: ["north", "south"], other: true)],
        bins: [.init(column: "amount", edges: [0, 100])], products: [.init("amount", "fee")],
        clips: [.init(column: "amount", lower: -50, upper: decimal("500.5"))])

    @Test func columnsAreNamedAndScaledAsDocumented() {
        #expect(Self.plan.columns.map(\.name) == [
            "amount", "fee", "count|region=north", "count|region=south", "count|region=other",
            "amount|region=north", "amount|region=south", "amount|region=other",
            "fee|region=north", "fee|region=south", "fee|region=other",
            "count|amount∈(-inf, 0)", "count|amount∈[0, 100)", "count|amount∈[100, +inf)",
            "amount|amount∈(-inf, 0)", "amount|amount∈[0, 100)", "amount|amount∈[100, +inf)", "amount*fee",
        ])
        // amount at 2 decimals (its clip bound has 1), fee at 3: counts 0, level and bucket sums their value's, the
        // product 5.
        #expect(Self.plan.scales(values: [2, 3]) == [2, 3, 0, 0, 0, 2, 2, 2, 3, 3, 3, 0, 0, 0, 2, 2, 2, 5])
        #expect(Self.plan.scales(values: [0, 0])[0] == 1)
    }

    @Test func aRowGoesToItsLevelAndBucketAndIsClipped() throws {
        let derived = try Self.plan.derive(values: [decimal("1000"), decimal("0.125")], labels: ["south"])
        #expect(derived.clipped == [true, false])
        let byName = Dictionary(uniqueKeysWithValues: zip(Self.plan.columns.map(\.name), derived.values))
        #expect(byName["amount"]! == decimal("500.5"))
        #expect(byName["count|region=south"]! == 1 && byName["count|region=north"]! == 0 && byName["count|region=other"]! == 0)
        #expect(byName["amount|region=south"]! == decimal("500.5") && byName["amount|region=north"]! == 0)
        #expect(byName["count|amount∈[100, +inf)"]! == 1 && byName["count|amount∈[0, 100)"]! == 0)
        #expect(byName["amount*fee"]! == decimal("62.5625"))
        // An edge belongs to the bucket above it; a label outside the levels goes to other.
        let edge = try Self.plan.derive(values: [decimal("100.00"), nil], labels: ["west"])
        let edgeByName = Dictionary(uniqueKeysWithValues: zip(Self.plan.columns.map(\.name), edge.values))
        #expect(edgeByName["count|amount∈[100, +inf)"]! == 1 && edgeByName["count|region=other"]! == 1)
        // An empty value is in no sum, no bucket and no product; the row still counts in its level.
        #expect(edgeByName["fee"]! == nil && edgeByName["fee|region=other"]! == nil && edgeByName["amount*fee"]! == nil)
        let empty = try Self.plan.derive(values: [nil, decimal("1")], labels: ["north"])
        let emptyByName = Dictionary(uniqueKeysWithValues: zip(Self.plan.columns.map(\.name), empty.values))
        #expect(emptyByName["count|amount∈[0, 100)"]! == nil && emptyByName["count|region=north"]! == 1)
    }

    @Test func aLabelOutsideTheLevelsIsAnErrorWithoutOther() throws {
        let strict = try AnalysisPlan(values: ["amount"], categories: [.init(column: "region", levels: ["north"], other: false)])
        #expect(throws: SummaError.incompatible("column region: \"west\" is not one of the levels north (add it to --levels, or use --other)")) {
            try strict.derive(values: [1], labels: ["west"])
        }
        #expect(throws: SummaError.self) { try strict.derive(values: [1], labels: [""]) }
    }

    @Test(arguments: [
        (["amount"], [AnalysisPlan.Category(column: "amount", levels: ["a"], other: false)], [AnalysisPlan.Bins](), [AnalysisPlan.Product](), [AnalysisPlan.Clip](),
         "--category amount: a category column holds labels, so it cannot also be a value column"),
        (["amount"], [.init(column: "region", levels: [], other: false)], [], [], [], "--category region: give 1 to 1000 levels"),
        (["amount"], [.init(column: "region", levels: ["a", "a"], other: false)], [], [], [],
         "--category region: a level is given twice (or is named other with --other)"),
        (["amount"], [.init(column: "region", levels: ["other"], other: true)], [], [], [],
         "--category region: a level is given twice (or is named other with --other)"),
        (["amount"], [], [.init(column: "amount", edges: [5, 5])], [], [], "--bins amount: give 1 to 1000 strictly increasing edges"),
        (["amount"], [], [.init(column: "fee", edges: [5])], [], [],
         "--bins fee: fee is not one of the encrypted value columns (add --column fee)"),
        (["amount"], [], [], [.init("amount", "fee")], [], "--products fee: fee is not one of the encrypted value columns (add --column fee)"),
        (["amount"], [], [], [], [.init(column: "amount", lower: 5, upper: 1)], "--clip amount: the lower bound is above the upper"),
        (["amount", "amount*fee", "fee"], [], [], [.init("amount", "fee")], [],
         "the derived column amount*fee would repeat a column's name: rename the column"),
    ])
    func badPlansAreRefusedNamingTheOption(
        values: [String], categories: [AnalysisPlan.Category], bins: [AnalysisPlan.Bins], products: [AnalysisPlan.Product],
        clips: [AnalysisPlan.Clip], message: String
    ) {
        #expect(throws: SummaError.incompatible(message)) {
            try AnalysisPlan(values: values, categories: categories, bins: bins, products: products, clips: clips)
        }
    }
}

@Suite("Analysis reports from exact totals")
struct AnalysisReportTests {
    /// Totals of the rows (north, 10.00, 0.10), (south, 20.50, 0.25), (north, −3.25, 0), (other, 60.00, 1.50), summed
    /// by hand.
    static func totals() throws -> [String: ColumnTotals] {
        let plan = AnalysisPlanTests.plan
        let rows: [([FixedPoint?], String)] = [
            ([decimal("10.00"), decimal("0.10")], "north"), ([decimal("20.50"), decimal("0.25")], "south"),
            ([decimal("-3.25"), decimal("0")], "north"), ([decimal("60.00"), decimal("1.50")], "east"),
        ]
        var totals: [String: ColumnTotals] = [:]
        for (values, label) in rows {
            let derived = try plan.derive(values: values, labels: [label])
            for (column, value) in zip(plan.columns, derived.values) {
                guard let value else { continue }
                let part = ColumnTotals(count: 1, sum: value, sumOfSquares: value * value)
                totals[column.name] = try totals[column.name].map { try $0.adding(part) } ?? part
            }
        }
        return totals
    }

    @Test func levelsHistogramsAndPairsAreExact() throws {
        let report = try AnalysisReport(plan: AnalysisPlanTests.plan, totals: try Self.totals())
        let group = try #require(report.groups.first)
        #expect(group.levels.map(\.name) == ["north", "south", "other"])
        #expect(group.levels.map(\.count) == [2, 1, 1])
        #expect(group.levels[0].sums == [decimal("6.75"), decimal("0.10")])
        #expect(group.levels[0].means.map { $0?.description } == ["3.375000", "0.050000"])
        let histogram = try #require(report.histograms.first)
        #expect(histogram.buckets.map(\.count) == [1, 3, 0])
        #expect(histogram.buckets.map(\.sum) == [decimal("-3.25"), decimal("90.50"), 0])
        // Ranks 0.4, 1, 2, 3, 3.6 of 4 values: the first two in (-inf, 0), the rest spread over [0, 100).
        #expect(histogram.quantiles.map(\.bucket) == ["(-inf, 0)", "(-inf, 0)", "[0, 100)", "[0, 100)", "[0, 100)"])
        #expect(histogram.quantiles.map { $0.estimate?.description } == [nil, nil, "33.333333", "66.666667", "86.666667"])
        let pair = try #require(report.pairs.first)
        // Σa = 87.25, Σf = 1.85, Σaf = 96.125, n = 4: (4·96.125 − 87.25·1.85)/16.
        #expect(pair.covariance == decimal("13.94296875"))
        #expect(pair.sampleCovariance == decimal("18.59062500"))
        #expect(pair.correlation == decimal("0.975648"))
    }

    @Test func aConstantColumnHasNoCorrelation() throws {
        let plan = try AnalysisPlan(values: ["a", "b"], products: [.init("a", "b")])
        let totals: [String: ColumnTotals] = [
            "a": .init(count: 2, sum: 2, sumOfSquares: 2), "b": .init(count: 2, sum: 3, sumOfSquares: 5),
            "a*b": .init(count: 2, sum: 3, sumOfSquares: nil),
        ]
        let report = try AnalysisReport(plan: plan, totals: totals)
        #expect(report.pairs[0].covariance == 0 && report.pairs[0].correlation == nil)
    }
}

@Suite("Least squares from sums")
struct LinearRegressionTests {
    struct Vector: Decodable {
        struct Total: Decodable { let count: Int; let sum: String; let sumOfSquares: String? }
        struct Coefficient: Decodable { let term: String; let estimate: String; let standardError: String }
        let name: String
        let response: String
        let regressors: [String]
        let digits: Int
        let totals: [String: Total]
        let coefficients: [Coefficient]
        let rSquared: String
    }

    /// Made by Tests/SummaTests/Fixtures/generate-regression.py: Python's fractions fit the rows themselves.
    static func vectors() throws -> [Vector] {
        let url = try #require(Bundle.module.url(forResource: "regression-vectors", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))
    }

    @Test func fitsMatchAnIndependentExactImplementation() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 3)
        for vector in vectors {
            let totals = vector.totals.mapValues {
                ColumnTotals(count: $0.count, sum: decimal($0.sum), sumOfSquares: $0.sumOfSquares.map(decimal))
            }
            let fit = try LinearRegression(response: vector.response, regressors: vector.regressors, totals: totals, digits: vector.digits)
            #expect(fit.coefficients.map(\.name) == vector.coefficients.map(\.term), "\(vector.name)")
            #expect(fit.coefficients.map(\.estimate.description) == vector.coefficients.map(\.estimate), "\(vector.name)")
            #expect(fit.coefficients.map { $0.standardError?.description } == vector.coefficients.map(\.standardError), "\(vector.name)")
            #expect(fit.rSquared?.description == vector.rSquared, "\(vector.name)")
        }
    }

    @Test func missingSumsAndDegenerateDataAreRefusedSayingWhatToDo() throws {
        let totals: [String: ColumnTotals] = [
            "y": .init(count: 3, sum: 6, sumOfSquares: 14), "x": .init(count: 3, sum: 6, sumOfSquares: 14),
            "z": .init(count: 3, sum: 12, sumOfSquares: 56), "x*z": .init(count: 3, sum: 28, sumOfSquares: nil),
            "x*y": .init(count: 3, sum: 14, sumOfSquares: nil), "y*z": .init(count: 3, sum: 28, sumOfSquares: nil),
            "w": .init(count: 3, sum: 6, sumOfSquares: nil), "w*y": .init(count: 3, sum: 14, sumOfSquares: nil),
            "v": .init(count: 2, sum: 6, sumOfSquares: 20), "v*y": .init(count: 2, sum: 14, sumOfSquares: nil),
        ]
        #expect(throws: SummaError.incompatible("regression needs the products of x and q: encrypt with --products x:q (or --products all)")) {
            try LinearRegression(response: "y", regressors: ["x", "q"], totals: totals.merging(["q": .init(count: 3, sum: 1, sumOfSquares: 1)]) { $1 })
        }
        #expect(throws: SummaError.incompatible("regression needs the squares of w: encrypt with --squares")) {
            try LinearRegression(response: "y", regressors: ["w"], totals: totals)
        }
        // z = 2x: collinear.
        #expect(throws: SummaError.notComputable("the regressors are collinear (XᵀX is singular): drop one of them")) {
            try LinearRegression(response: "y", regressors: ["x", "z"], totals: totals)
        }
        #expect(throws: SummaError.notComputable("columns y and v count different rows (empty cells): regression needs every row complete")) {
            try LinearRegression(response: "y", regressors: ["v"], totals: totals)
        }
        #expect(throws: SummaError.self) { try LinearRegression(response: "y", regressors: ["y"], totals: totals) }
        // y = x exactly: a perfect fit, with zero standard errors and R² = 1.
        let fit = try LinearRegression(response: "y", regressors: ["x"], totals: totals, digits: 3)
        #expect(fit.coefficients.map(\.estimate.description) == ["0.000", "1.000"])
        #expect(fit.coefficients.map { $0.standardError?.description } == ["0.000", "0.000"] && fit.rSquared?.description == "1.000")
    }

    /// A forged sum of products (Σxy = 1000 where Σx² = Σy² = 14): once the square root of a negative variance.
    @Test func sumsOfProductsThatNoRowsCouldGiveAreRefused() throws {
        let forged: [String: ColumnTotals] = [
            "y": .init(count: 3, sum: 6, sumOfSquares: 14), "x": .init(count: 3, sum: 6, sumOfSquares: 14),
            "x*y": .init(count: 3, sum: 1000, sumOfSquares: nil),
        ]
        #expect(throws: SummaError.notComputable("the sums of squares and products contradict each other: the file was not written by summa encrypt")) {
            try LinearRegression(response: "y", regressors: ["x"], totals: forged)
        }
        let plan = try AnalysisPlan(values: ["x", "y"], products: [.init("x", "y")])
        #expect(throws: SummaError.notComputable("the sums of x*y contradict the sums of squares of its columns: the file was not written by summa encrypt")) {
            try AnalysisReport(plan: plan, totals: forged)
        }
    }
}

@Suite("Exact discrete noise")
struct DiscreteNoiseTests {
    /// Pearson's χ² of `samples` against the probabilities `pmf` gives each value in `range` (the two tails pooled
    /// into the end cells), and the degrees of freedom.
    static func chiSquared(_ samples: [Int], pmf: (Int) -> Double, range: ClosedRange<Int>) -> (statistic: Double, freedom: Int) {
        var observed = [Int: Int]()
        for sample in samples { observed[min(max(sample, range.lowerBound), range.upperBound), default: 0] += 1 }
        let total = Double(samples.count)
        let mass = range.map(pmf)
        let inside = mass.reduce(0, +)
        var statistic = 0.0
        for (offset, value) in range.enumerated() {
            var p = mass[offset]
            // The end cells also hold their tails: half of what lies outside each.
            if value == range.lowerBound || value == range.upperBound { p += (1 - inside) / 2 }
            let expected = p * total
            let difference = Double(observed[value, default: 0]) - expected
            statistic += difference * difference / expected
        }
        return (statistic, range.count - 1)
    }

    /// A χ² bound that a correct sampler exceeds with probability below 10⁻⁴ for these degrees of freedom (Wilson–
    /// Hilferty with z = 3.72).
    static func bound(freedom: Int) -> Double {
        let k = Double(freedom)
        let term = 1 - 2 / (9 * k) + 3.72 * (2 / (9 * k)).squareRoot()
        return k * term * term * term
    }

    @Test func laplaceMatchesItsDistribution() {
        var generator = SeededGenerator(state: 1)
        // Scale 5/2: P(x) = (1 − q)/(1 + q)·q^|x|, q = e^(−2/5).
        let samples = (0..<20_000).map { _ in
            DiscreteNoise.laplace(scaleNumerator: 5, scaleDenominator: 2, using: &generator).intValue!
        }
        let q = exp(-0.4)
        let pmf = { (x: Int) in (1 - q) / (1 + q) * pow(q, Double(abs(x))) }
        let fit = Self.chiSquared(samples, pmf: pmf, range: -10...10)
        #expect(fit.statistic < Self.bound(freedom: fit.freedom), "χ² = \(fit.statistic)")
        let mean = Double(samples.reduce(0, +)) / Double(samples.count)
        let variance = samples.map { Double($0) * Double($0) }.reduce(0, +) / Double(samples.count) - mean * mean
        let expectedVariance = 2 * q / ((1 - q) * (1 - q))
        #expect(abs(mean) < 5 * (expectedVariance / Double(samples.count)).squareRoot())
        #expect(abs(variance / expectedVariance - 1) < 0.05, "variance \(variance), expected \(expectedVariance)")
    }

    @Test func gaussianMatchesItsDistribution() {
        var generator = SeededGenerator(state: 2)
        // σ² = 9/2; P(x) ∝ e^(−x²/9).
        let samples = (0..<20_000).map { _ in
            DiscreteNoise.gaussian(varianceNumerator: 9, varianceDenominator: 2, using: &generator).intValue!
        }
        let norm = (-60...60).map { exp(-Double($0 * $0) / 9) }.reduce(0, +)
        let pmf = { (x: Int) in exp(-Double(x * x) / 9) / norm }
        let fit = Self.chiSquared(samples, pmf: pmf, range: -7...7)
        #expect(fit.statistic < Self.bound(freedom: fit.freedom), "χ² = \(fit.statistic)")
        let mean = Double(samples.reduce(0, +)) / Double(samples.count)
        let variance = samples.map { Double($0) * Double($0) }.reduce(0, +) / Double(samples.count) - mean * mean
        let exactVariance = (-60...60).map { Double($0 * $0) * pmf($0) }.reduce(0, +)
        #expect(abs(mean) < 5 * (exactVariance / Double(samples.count)).squareRoot())
        #expect(abs(variance / exactVariance - 1) < 0.05, "variance \(variance), expected \(exactVariance)")
    }

    @Test func largeParametersStayExact() {
        var generator = SeededGenerator(state: 3)
        // Scales far beyond 2⁶⁴ in their numerators (a sum of large amounts at many decimals) still sample.
        let scale = BigInteger(1).shiftedLeft(100)
        let sample = DiscreteNoise.laplace(scaleNumerator: scale, scaleDenominator: 3, using: &generator)
        #expect(sample.magnitude < scale.shiftedLeft(8))
        let variance = DiscreteNoise.gaussian(varianceNumerator: scale, varianceDenominator: 7, using: &generator)
        #expect(variance.magnitude < scale)
    }
}

@Suite("Differentially private release")
struct PrivateReleaseTests {
    static let plan = try! AnalysisPlan(
        values: ["amount"], categories: [.init(column: "region", levels: ["north", "south"], other: true)],
        bins: [.init(column: "amount", edges: [0, 100])], clips: [.init(column: "amount", lower: -50, upper: 500)])

    static func totals() throws -> [String: ColumnTotals] {
        var totals: [String: ColumnTotals] = [:]
        for index in 0..<1000 {
            let value = try FixedPoint(mantissa: BigInteger(index * 37 % 50_000 - 5_000), scale: 2)
            let derived = try plan.derive(values: [value], labels: [["north", "south", "west"][index % 3]])
            for (column, value) in zip(plan.columns, derived.values) {
                let part = ColumnTotals(count: 1, sum: value!, sumOfSquares: nil)
                totals[column.name] = try totals[column.name].map { try $0.adding(part) } ?? part
            }
        }
        return totals
    }

    @Test func everyReleasedFigureIsNoisyAndTheBudgetIsSplitOverFamilies() throws {
        let totals = try Self.totals()
        var generator = SeededGenerator(state: 4)
        let release = try PrivateRelease(plan: Self.plan, totals: totals, epsilon: 1, delta: nil, using: &generator)
        #expect(release.mechanism == "discrete Laplace")
        #expect(release.families.map(\.name) == [
            "amount count", "amount sum", "count per region", "amount sum per region", "count per amount bucket",
            "amount sum per bucket",
        ])
        // Six families at ε/6: a count's Laplace scale is 6, a sum's 6 × 500.00.
        #expect(release.families[0].noise == "Laplace scale 6.00" && release.families[1].noise == "Laplace scale 3000.0000")
        #expect(release.families[1].sensitivity == decimal("500.00"))
        // Every sum differs from the exact one (the chance that noise of scale 300,000 units is 0 is about 10⁻⁶).
        let value = release.report.values[0].statistics
        #expect(value.sum != totals["amount"]!.sum)
        for (level, name) in zip(release.report.groups[0].levels, ["north", "south", "other"]) {
            #expect(level.sums[0] != totals["amount|region=\(name)"]!.sum)
        }
        for bucket in release.report.histograms[0].buckets {
            #expect(bucket.sum != totals["amount|amount∈\(bucket.label)"]!.sum)
        }
        // The same seed draws the same release; another draws another.
        var again = SeededGenerator(state: 4)
        let repeated = try PrivateRelease(plan: Self.plan, totals: totals, epsilon: 1, delta: nil, using: &again)
        #expect(repeated.report.values[0].statistics == value)
        var other = SeededGenerator(state: 5)
        let different = try PrivateRelease(plan: Self.plan, totals: totals, epsilon: 1, delta: nil, using: &other)
        #expect(different.report.values[0].statistics.sum != value.sum)
    }

    @Test func gaussianReleaseCalibratesThroughZCDP() throws {
        var generator = SeededGenerator(state: 6)
        let release = try PrivateRelease(
            plan: Self.plan, totals: try Self.totals(), epsilon: 1, delta: decimal("0.000001"), using: &generator)
        #expect(release.mechanism == "discrete Gaussian")
        // ρ = (√(ln 10⁶ + 1) − √(ln 10⁶))² ≈ 0.0174685; a count's σ² = 6/(2ρ) ≈ 171.73, σ ≈ 13.10.
        #expect(release.families[0].noise == "Gaussian σ 13.10")
    }

    @Test func columnsWithoutBoundsAndBadBudgetsAreRefused() throws {
        let unbounded = try AnalysisPlan(values: ["amount", "fee"], clips: [.init(column: "amount", lower: 0, upper: 1)])
        var generator = SeededGenerator(state: 7)
        let totals: [String: ColumnTotals] = ["amount": .init(count: 1, sum: 1, sumOfSquares: nil), "fee": .init(count: 1, sum: 1, sumOfSquares: nil)]
        #expect(throws: SummaError.incompatible("column fee has no clipping bounds: encrypt it with --clip fee=low:high to release it with --epsilon")) {
            try PrivateRelease(plan: unbounded, totals: totals, epsilon: 1, delta: nil, using: &generator)
        }
        #expect(throws: SummaError.incompatible("ε must be from 0.000001 to 100, not 0")) {
            try PrivateRelease(plan: Self.plan, totals: totals, epsilon: 0, delta: nil, using: &generator)
        }
        #expect(throws: SummaError.incompatible("δ must be above 0 and below 1, not 1")) {
            try PrivateRelease(plan: Self.plan, totals: totals, epsilon: 1, delta: 1, using: &generator)
        }
    }
}

@Suite("Vectors clipped and rounded at random")
struct VectorClippingTests {
    @Test func aLongVectorIsScaledToTheNormAndAShortOneKept() throws {
        var generator = SeededGenerator(state: 8)
        // (3, 4) has norm 5: clipped to 1 it is (0.6, 0.8), exactly representable at 2 decimals.
        let clipped = try VectorClipping.clipped([3, 4], norm: 1, scale: 2, using: &generator)
        // The factor is 1/⌈5⌉ at 22 decimals, a hair below 1/5: each value rounds down or up by at most a unit.
        #expect(["0.59", "0.60"].contains(clipped[0].description) && ["0.79", "0.80"].contains(clipped[1].description))
        let short = try VectorClipping.clipped([decimal("0.25"), decimal("-0.5")], norm: 10, scale: 2, using: &generator)
        #expect(short == [decimal("0.25"), decimal("-0.50")])
        // The norm after rounding exceeds the clip by at most √k units.
        let long = (0..<400).map { try! FixedPoint(mantissa: BigInteger($0 * 7 % 1000 - 500), scale: 3) }
        let result = try VectorClipping.clipped(long, norm: 2, scale: 2, using: &generator)
        let norm = result.map { Double($0.description)! }.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(norm <= 2 + 20 * 0.01)
        #expect(throws: SummaError.self) { try VectorClipping.clipped([1], norm: 0, scale: 2, using: &generator) }
    }

    @Test func roundingIsUnbiased() throws {
        var generator = SeededGenerator(state: 9)
        // 0.0037 at 2 decimals: 0.01 with probability 0.37, else 0.00.
        var ups = 0
        for _ in 0..<10_000 {
            let rounded = try VectorClipping.clipped([decimal("0.0037")], norm: 1, scale: 2, using: &generator)
            if rounded[0] == decimal("0.01") { ups += 1 } else { #expect(rounded[0] == 0) }
        }
        // Binomial(10,000, 0.37): standard deviation about 48; five of them.
        #expect(abs(ups - 3_700) < 5 * 48, "\(ups) of 10,000 rounded up")
    }
}
