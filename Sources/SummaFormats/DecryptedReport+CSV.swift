import CSV
import Foundation
import Summa

extension DecryptedReport {
    /// The report as one CSV table (RFC 4180, through CSV.swift's writer), when it is one: values (a column per
    /// encrypted column), statistics (a row per column) or a grouped sum (a row per group). Nil for analyses and
    /// releases, which are several tables (`--json` gives those whole).
    public var csv: String? {
        let rows: [[String]]
        switch content {
        case .values(let columns):
            let count = columns.map(\.values.count).max() ?? 0
            rows = [columns.map(\.name)] + (0..<count).map { row in columns.map { row < $0.values.count ? $0.values[row] : "" } }
        case .statistics(_, let columns):
            let names = ["count", "sum", "mean", "variance", "std-dev", "sample-variance", "sample-std-dev"]
            rows = [["column"] + names] + columns.map { column in
                let s = column.statistics
                let figures: [FixedPoint?] = [s.sum, s.mean, s.variance, s.standardDeviation, s.sampleVariance, s.sampleStandardDeviation]
                return [column.name, String(s.count)] + figures.map { $0.map(show) ?? "" }
            }
        case .groups(let statistic, let groupBy, let groups):
            rows = groupRows(statistic, groupBy: groupBy, groups)
        case .analysis, .release:
            return nil
        }
        guard let writer = try? CSVWriter(stream: OutputStream.toMemory()) else { return nil }
        // Quoted too: cells with spaces at either end, which CSV readers (Summa's among them) trim otherwise.
        for row in rows {
            try? writer.write(row: row) { index in row[index].first?.isWhitespace == true || row[index].last?.isWhitespace == true }
        }
        writer.stream.close()
        guard let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return nil }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
