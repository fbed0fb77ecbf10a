import Paillier
import Summa

/// A least-squares fit from an aggregate, ready to print: what `summa regress` shows.
public struct RegressionReport: Sendable {
    public let regression: LinearRegression

    /// Decrypts the aggregate's totals with `key` and fits `response` on `regressors` (`LinearRegression`).
    public static func fit(
        _ table: AggregateTable, response: String, regressors: [String], key: PaillierPrivateKey, digits: Int
    ) async throws(FormatError) -> RegressionReport {
        try await FormatError.catching { () async throws(SummaError) in
            let totals = try await key.totalsByName(of: table)
            return RegressionReport(
                regression: try LinearRegression(response: response, regressors: regressors, totals: totals, digits: digits))
        }
    }

    /// A table of coefficients and standard errors, then R² and n.
    public var lines: [String] {
        let rows = [["term", "estimate", "std-error"]] + regression.coefficients.map {
            [$0.name, $0.estimate.description, $0.standardError?.description ?? "undefined (no residual degrees of freedom)"]
        }
        return ["# least squares: \(regression.response) on \(regression.coefficients.dropFirst().map(\.name).joined(separator: ", "))"]
            + DecryptedReport.table(rows)
            + ["r-squared: \(regression.rSquared?.description ?? "undefined (constant response)")", "rows: \(regression.count)"]
    }

    public var json: JSONValue {
        .object([
            ("response", .string(regression.response)),
            ("coefficients", .array(regression.coefficients.map { coefficient in
                .object([
                    ("term", .string(coefficient.name)), ("estimate", .string(coefficient.estimate.description)),
                    ("standardError", coefficient.standardError.map { .string($0.description) } ?? .null),
                ])
            })),
            ("rSquared", regression.rSquared.map { .string($0.description) } ?? .null), ("rows", .integer(regression.count)),
        ])
    }
}
