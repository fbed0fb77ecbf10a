import BigNum
import Foundation
import Paillier
import Summa

/// What decrypting a file yields, ready to print as lines or as JSON: what `summa decrypt` shows.
public struct DecryptedReport: Sendable {
    public enum Content: Sendable {
        /// The values of each column, in row order.
        case values([(name: String, values: [String])])
        /// The statistics of each column, for the statistic the file asked for.
        case statistics(AggregateKind, [(name: String, statistics: ColumnStatistics)])
        /// An aggregate encrypted with an analysis plan: its value columns' statistics and its tables.
        case analysis(AggregateKind, AnalysisReport)
        /// A differentially private release of an aggregate's analysis: only noisy figures.
        case release(PrivateRelease)
        /// The statistics of each column per group of the kept columns, groups sorted by key.
        case groups(AggregateKind, groupBy: [String], [(key: [String], columns: [(name: String, statistics: ColumnStatistics)])])
    }

    public let content: Content
    /// Whether the values came from python-paillier, whose values are doubles by definition: they are then shown
    /// as the nearest double's shortest form, as pheutil prints them ("1234.56", not the 45-digit exact binary
    /// expansion of the double 1234.56). Summa's own values are always shown exactly.
    public let valuesAreDoubles: Bool
    /// What the reader should know about the values shown, one line each (for standard error).
    public let notes: [String]

    init(content: Content, valuesAreDoubles: Bool = false, notes: [String] = []) {
        self.content = content
        self.valuesAreDoubles = valuesAreDoubles
        self.notes = notes
    }

    func show(_ value: FixedPoint) -> String { valuesAreDoubles ? Self.pheDisplay(value) : value.description }

    /// Decrypts a file with `key`, checking that the file is under that key.
    /// - Parameters:
    ///   - file: the file to decrypt: encrypted columns, an aggregate or python-paillier ciphertexts.
    ///   - path: the file's path, for errors.
    ///   - key: the private key the file must be under.
    ///   - digits: decimals for means, variances and standard deviations (default: the values' scale + 4).
    ///   - privacy: release the aggregate with differential privacy at this budget (ε, and δ or nil for pure ε)
    ///     instead of exactly; only an aggregate with an analysis plan can be.
    ///   - progress: called with (records done, records in all) as a binary file's batches are decrypted.
    ///   - releaseClips: with `privacy`, the clipping bounds to calibrate the noise to, instead of the aggregate's
    ///     plan's (the key holder's, checked to be at least as wide as what the data owners signed).
    ///   - check: called with an aggregate's exact totals (of each group, with its key, in a grouped one) before
    ///     anything is laid out or released from them; what it throws ends the decryption.
    public static func decrypt(
        _ file: SummaFile, path: String, with key: PaillierPrivateKey, digits: Int? = nil,
        privacy: (epsilon: FixedPoint, delta: FixedPoint?)? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil,
        check: TotalsCheck? = nil, releaseClips: [AnalysisPlan.Clip]? = nil
    ) async throws(FormatError) -> DecryptedReport {
        if let privacy {
            guard case .aggregate(let table) = file else {
                throw .incompatible("\(path): only sums can be released with --epsilon: sum the file first (summa sum)")
            }
            guard !table.isGrouped else {
                throw .incompatible("\(path): groups of kept columns come from the data, so they cannot be released with --epsilon: encrypt the column with --category and --levels instead")
            }
            return try await release(table, path: path, with: key, privacy: privacy, digits: digits, check: check, clips: releaseClips)
        }
        func checkKey(_ publicKey: PaillierPublicKey) throws(FormatError) {
            guard publicKey.n == key.publicKey.n else {
                throw .number(.wrongPrivateKey(fileKey: publicKey.fingerprint, privateKey: key.publicKey.fingerprint))
            }
        }
        switch file {
        case .encrypted(let table):
            try checkKey(table.publicKey)
            var columns: [(name: String, values: [String])] = []
            for column in table.columns {
                let numbers = column.numbers(publicKey: table.publicKey)
                let values = try await FormatError.catching { () async throws(SummaError) in try await key.decrypt(batch: numbers) }
                columns.append((column.name, values.map(\.description)))
            }
            return DecryptedReport(content: .values(columns))
        case .aggregate(let table):
            try checkKey(table.publicKey)
            if table.isGrouped {
                var groups: [(key: [String], columns: [(name: String, statistics: ColumnStatistics)])] = []
                for group in table.groups {
                    let totals = try await checkedTotals(group.table, groupKey: group.key, with: key, check: check)
                    groups.append((group.key, try FormatError.catching { () throws(SummaError) in
                        try totals.map { (column) throws(SummaError) in (column.name, try column.totals.statistics(digits: digits)) }
                    }))
                }
                return DecryptedReport(content: .groups(table.kind, groupBy: table.groupBy, groups))
            }
            let totals = try await checkedTotals(table, groupKey: nil, with: key, check: check)
            if let plan = table.analysis {
                let report = try FormatError.catching { () throws(SummaError) in
                    try AnalysisReport(plan: plan, totals: Dictionary(uniqueKeysWithValues: totals), digits: digits)
                }
                return DecryptedReport(content: .analysis(table.kind, report))
            }
            let columns = try FormatError.catching { () throws(SummaError) in
                try totals.map { (column) throws(SummaError) in (column.name, try column.totals.statistics(digits: digits)) }
            }
            let fromPhe = table.columns.contains { !$0.aggregate.sum.denominator.isDecimal }
            return DecryptedReport(content: .statistics(table.kind, columns), valuesAreDoubles: fromPhe)
        case .pheCiphertexts(let ciphertexts):
            let numbers = try ciphertexts.numbers(publicKey: key.publicKey)
            let values = try await FormatError.catching { () async throws(SummaError) in try await key.decrypt(batch: numbers) }
            return DecryptedReport(content: .values([(Aggregation.pheColumnName, values.map(pheDisplay))]), valuesAreDoubles: true)
        case .publicKey, .privateKey, .thresholdPublicKey:
            throw .unrecognizedFile(path: path, reason: "holds \(file.kind), not ciphertexts")
        case .encryptedRecords(let records):
            try checkKey(records.header.publicKey)
            return try await decrypt(records: records, with: key, progress: progress)
        }
    }

    /// A check of an aggregate's exact totals before anything is shown of them: the group's key (nil for a table
    /// without groups) and each reported column's totals, in order.
    public typealias TotalsCheck = @Sendable (_ groupKey: [String]?, _ totals: [(name: String, totals: ColumnTotals)]) throws(SummaError) -> Void

    /// The exact totals of `table`, passed through `check` first.
    static func checkedTotals(
        _ table: AggregateTable, groupKey: [String]?, with key: PaillierPrivateKey, check: TotalsCheck?
    ) async throws(FormatError) -> [(name: String, totals: ColumnTotals)] {
        try await FormatError.catching { () async throws(SummaError) in
            let totals = try await key.totals(of: table)
            try check?(groupKey, totals)
            return totals
        }
    }

    /// The nearest double's shortest form, as python-paillier prints its values.
    static func pheDisplay(_ value: FixedPoint) -> String {
        guard value.scale > 0 else { return value.description }
        let double = Double(value.description) ?? .nan
        if double.isFinite, double == double.rounded(), abs(double) < 1e15 { return String(Int64(double)) }
        return "\(double)"
    }

    /// One line per value, or `name: value` lines for statistics; several columns are separated by headers.
    public var lines: [String] {
        switch content {
        case .values(let columns):
            if columns.count == 1 { return columns[0].values }
            return columns.flatMap { ["# \($0.name)"] + $0.values }
        case .analysis(let statistic, let report):
            return analysisLines(report, spread: statistic == .stats)
        case .release(let release):
            return releaseLines(release)
        case .groups(let statistic, let groupBy, let groups):
            return groupLines(statistic, groupBy: groupBy, groups)
        case .statistics(let statistic, let columns):
            return statisticsLines(statistic, columns)
        }
    }

    /// Each column's statistic, as the aggregate asked for: the bare figure for a single column, else
    /// `name statistic: figure` lines.
    func statisticsLines(_ statistic: AggregateKind, _ columns: [(name: String, statistics: ColumnStatistics)]) -> [String] {
        columns.flatMap { column -> [String] in
            let prefix = columns.count > 1 ? "\(column.name) " : ""
            let s = column.statistics
            switch statistic {
            case .sum: return [prefix.isEmpty ? show(s.sum) : "\(prefix)sum: \(show(s.sum))"]
            case .mean:
                let mean = s.mean.map(show) ?? Self.withoutValues
                return [prefix.isEmpty ? mean : "\(prefix)mean: \(mean)"]
            case .stats:
                return statisticFields(s).map { "\(prefix)\($0.0): \($0.1)" }
            }
        }
    }

    /// What a statistic of a column without values shows.
    static let withoutValues = "undefined (no values: the files summed hold no rows of this column)"

    /// Every statistic of a column, or why it is missing: with no values nothing but the count and sum is defined,
    /// whether or not squares were encrypted, so advising --squares then would send the user the wrong way.
    func statisticFields(_ s: ColumnStatistics) -> [(String, String)] {
        let missing = s.count == 0 ? Self.withoutValues : "unavailable (encrypt with --squares)"
        let sample = s.variance == nil ? missing : "undefined (one value)"
        return [
            ("count", String(s.count)), ("sum", show(s.sum)),
            ("mean", s.mean.map(show) ?? Self.withoutValues),
            ("variance", s.variance.map(show) ?? missing),
            ("std-dev", s.standardDeviation.map(show) ?? missing),
            ("sample-variance", s.sampleVariance.map(show) ?? sample),
            ("sample-std-dev", s.sampleStandardDeviation.map(show) ?? sample),
        ]
    }

    /// The report as JSON: numbers as decimal strings.
    public var json: JSONValue {
        switch content {
        case .values(let columns):
            return .object(columns.map { ($0.name, .array($0.values.map(JSONValue.string))) })
        case .statistics(_, let columns): return statisticsJSON(columns)
        case .analysis(_, let report): return analysisJSON(report)
        case .release(let release): return releaseJSON(release)
        case .groups(_, let groupBy, let groups):
            return .object([
                ("groupBy", .array(groupBy.map { .string($0) })),
                ("groups", .array(groups.map { group in
                    .object([("key", .object(zip(groupBy, group.key).map { ($0, .string($1)) })), ("columns", statisticsJSON(group.columns))])
                })),
            ])
        }
    }

    /// `{"<column>": {"count", "sum", "mean", …}}`, statistics as decimal strings or null.
    func statisticsJSON(_ columns: [(name: String, statistics: ColumnStatistics)]) -> JSONValue {
        .object(columns.map { column in
            let s = column.statistics
            var members: [(String, JSONValue)] = [("count", .integer(s.count)), ("sum", .string(show(s.sum)))]
            let optional: [(String, FixedPoint?)] = [
                ("mean", s.mean), ("variance", s.variance), ("stdDev", s.standardDeviation),
                ("sampleVariance", s.sampleVariance), ("sampleStdDev", s.sampleStandardDeviation),
            ]
            for (name, value) in optional { members.append((name, value.map { .string(show($0)) } ?? .null)) }
            return (column.name, .object(members))
        })
    }
}
