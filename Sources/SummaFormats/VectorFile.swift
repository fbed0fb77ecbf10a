import Foundation
import Summa

/// A vector as `summa party --vector` reads it: a UTF-8 text file of one decimal per line (a model update), blank
/// lines at the end ignored. At most ``maximumLength`` values.
public enum VectorFile {
    /// The most values a vector file holds: a packed session's longest input.
    public static let maximumLength = 1_000_000

    /// The values of the file at `path`; a line that is not a decimal is an error naming it.
    public static func read(path: String) throws(FormatError) -> [FixedPoint] {
        let text = String(decoding: try SummaFile.contents(atPath: path), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { throw .csv(path: path, line: 1, reason: "no values: a vector file holds one number per line") }
        guard lines.count <= maximumLength else {
            throw .csv(path: path, line: maximumLength + 1, reason: "more than \(maximumLength) values")
        }
        return try lines.enumerated().map { (index, line) throws(FormatError) in
            do throws(SummaError) {
                return try FixedPoint(parsing: line, field: "value")
            } catch {
                throw .csvValue(path: path, line: index + 1, error)
            }
        }
    }
}
