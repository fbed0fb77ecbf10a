import BigNum
import Foundation
import Paillier
import Summa

extension DecryptedReport {
    /// Releases an aggregate with an analysis plan under differential privacy (``Summa/PrivateRelease``), noise
    /// drawn from the system's CSPRNG.
    static func release(
        _ table: AggregateTable, path: String, with key: PaillierPrivateKey, privacy: (epsilon: FixedPoint, delta: FixedPoint?),
        digits: Int?, check: TotalsCheck?, clips: [AnalysisPlan.Clip]?
    ) async throws(FormatError) -> DecryptedReport {
        guard table.publicKey.n == key.publicKey.n else {
            throw .number(.wrongPrivateKey(fileKey: table.publicKey.fingerprint, privateKey: key.publicKey.fingerprint))
        }
        guard let signedPlan = table.analysis else {
            throw .incompatible("\(path): the sums hold no clipping bounds: encrypt with --clip column=low:high for every column, then sum, to release with --epsilon")
        }
        let totals = try await checkedTotals(table, groupKey: nil, with: key, check: check)
        let release = try FormatError.catching { () throws(SummaError) in
            let plan = try clips.map { (clips) throws(SummaError) in
                try AnalysisPlan(
                    values: signedPlan.values, categories: signedPlan.categories, bins: signedPlan.bins,
                    products: signedPlan.products, clips: clips)
            } ?? signedPlan
            var generator = SecureRandomNumberGenerator()
            return try PrivateRelease(
                plan: plan, totals: Dictionary(uniqueKeysWithValues: totals), epsilon: privacy.epsilon, delta: privacy.delta, digits: digits, using: &generator)
        }
        return DecryptedReport(content: .release(release))
    }

    /// The value columns' statistics, then a table per category, a histogram per binned column, and the
    /// covariance and correlation of each product.
    /// Each value column's count, sum and mean, and with `spread` (`summa stats`) its variances too.
    func analysisLines(_ report: AnalysisReport, spread: Bool) -> [String] {
        var lines = report.values.flatMap { column in
            statisticFields(column.statistics).prefix(spread ? Int.max : 3).map { "\(column.name) \($0.0): \($0.1)" }
        }
        for group in report.groups {
            lines += ["", "# \(group.values.joined(separator: ", ")) by \(group.category)"]
            let header = [group.category, "count"] + group.values.flatMap { ["\($0) sum", "\($0) mean"] }
            let rows = group.levels.map { level in
                [level.name, String(level.count)]
                    + zip(level.sums, level.means).flatMap { [show($0), $1.map(show) ?? "undefined"] }
            }
            lines += Self.table([header] + rows)
        }
        for histogram in report.histograms {
            lines += ["", "# \(histogram.column) histogram"]
            lines += Self.table([["bucket", "count", "sum"]] + histogram.buckets.map { [$0.label, String($0.count), show($0.sum)] })
            for quantile in histogram.quantiles {
                lines.append("p\(quantile.percent): in \(quantile.bucket)" + (quantile.estimate.map { ", about \(show($0))" } ?? ""))
            }
        }
        for pair in report.pairs {
            let missing = "undefined (rows with empty cells, or none)"
            lines += [
                "", "# \(pair.first) and \(pair.second)",
                "covariance: \(pair.covariance.map(show) ?? missing)",
                "sample-covariance: \(pair.sampleCovariance.map(show) ?? missing)",
                "correlation: \(pair.correlation.map(show) ?? "unavailable (encrypt with --squares; undefined for a constant column)")",
            ]
        }
        return lines
    }

    /// What was released and how, then the released figures (counts, sums and means only).
    func releaseLines(_ release: PrivateRelease) -> [String] {
        let budget = release.delta.map { "ε = \(release.epsilon), δ = \($0)" } ?? "ε = \(release.epsilon)"
        var lines = [
            "# released with (\(budget))-differential privacy, neighbouring data differing by one row added or removed",
            "# \(release.mechanism) noise; the budget split evenly over \(release.families.count) families:",
        ]
        lines += release.families.map { "#   \($0.name): sensitivity \($0.sensitivity), \($0.noise)" }
        return lines + analysisLines(release.report, spread: false)
    }

    /// A row per group: its key, the count (per column when they differ), and each column's sum and mean, and with
    /// `summa stats` its standard deviations: as aligned text lines.
    func groupLines(
        _ statistic: AggregateKind, groupBy: [String], _ groups: [(key: [String], columns: [(name: String, statistics: ColumnStatistics)])]
    ) -> [String] {
        Self.table(groupRows(statistic, groupBy: groupBy, groups))
    }

    /// The header and a row of cells per group, as ``groupLines(_:groupBy:_:)`` aligns them and `--csv` writes them.
    func groupRows(
        _ statistic: AggregateKind, groupBy: [String], _ groups: [(key: [String], columns: [(name: String, statistics: ColumnStatistics)])]
    ) -> [[String]] {
        let names = groups.first?.columns.map(\.name) ?? []
        let perColumnCounts = groups.contains { Set($0.columns.map(\.statistics.count)).count > 1 }
        var header = groupBy + (perColumnCounts ? [] : ["count"])
        for name in names {
            header += (perColumnCounts ? ["\(name) count"] : []) + ["\(name) sum", "\(name) mean"]
            if statistic == .stats { header += ["\(name) std-dev", "\(name) sample-std-dev"] }
        }
        let rows = groups.map { group in
            var cells = group.key + (perColumnCounts ? [] : [String(group.columns.first?.statistics.count ?? 0)])
            for column in group.columns {
                let s = column.statistics
                cells += (perColumnCounts ? [String(s.count)] : []) + [show(s.sum), s.mean.map(show) ?? "undefined"]
                if statistic == .stats {
                    let missing = s.variance == nil && s.count > 0 ? "unavailable" : "undefined"
                    cells += [s.standardDeviation.map(show) ?? missing, s.sampleStandardDeviation.map(show) ?? "undefined"]
                }
            }
            return cells
        }
        return [header] + rows
    }

    /// Rows of cells as aligned text columns.
    static func table(_ rows: [[String]]) -> [String] {
        let widths = rows.reduce(into: [Int]()) { widths, row in
            for (index, cell) in row.enumerated() {
                if index < widths.count { widths[index] = max(widths[index], cell.count) } else { widths.append(cell.count) }
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }

    /// The analysis as JSON: `columns` as for statistics, then `groups`, `histograms` and `pairs`.
    func analysisJSON(_ report: AnalysisReport) -> JSONValue {
        let text = { (value: FixedPoint?) in value.map { JSONValue.string(show($0)) } ?? .null }
        return .object([
            ("columns", statisticsJSON(report.values)),
            ("groups", .array(report.groups.map { group in
                .object([
                    ("category", .string(group.category)),
                    ("levels", .array(group.levels.map { level in
                        .object([
                            ("level", .string(level.name)), ("count", .integer(level.count)),
                            ("sums", .object(zip(group.values, level.sums).map { ($0, text($1)) })),
                            ("means", .object(zip(group.values, level.means).map { ($0, text($1)) })),
                        ])
                    })),
                ])
            })),
            ("histograms", .array(report.histograms.map { histogram in
                .object([
                    ("column", .string(histogram.column)),
                    ("buckets", .array(histogram.buckets.map {
                        .object([("bucket", .string($0.label)), ("count", .integer($0.count)), ("sum", text($0.sum))])
                    })),
                    ("quantiles", .array(histogram.quantiles.map {
                        .object([("percent", .integer($0.percent)), ("bucket", .string($0.bucket)), ("estimate", text($0.estimate))])
                    })),
                ])
            })),
            ("pairs", .array(report.pairs.map { pair in
                .object([
                    ("first", .string(pair.first)), ("second", .string(pair.second)), ("covariance", text(pair.covariance)),
                    ("sampleCovariance", text(pair.sampleCovariance)), ("correlation", text(pair.correlation)),
                ])
            })),
        ])
    }

    /// The release as JSON: `release` (mechanism, budget, families), then the released analysis.
    func releaseJSON(_ release: PrivateRelease) -> JSONValue {
        guard case .object(let members) = analysisJSON(release.report) else { return .null }
        return .object([
            ("release", .object([
                ("mechanism", .string(release.mechanism)), ("epsilon", .string(release.epsilon.description)),
                ("delta", release.delta.map { .string($0.description) } ?? .null),
                ("neighbouring", .string("one row added or removed")),
                ("families", .array(release.families.map {
                    .object([("name", .string($0.name)), ("sensitivity", .string($0.sensitivity.description)), ("noise", .string($0.noise))])
                })),
            ])),
        ] + members)
    }
}
