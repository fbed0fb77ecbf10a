import CSV
import Foundation
import Summa

/// Reads decimal columns from a CSV file (RFC 4180: a header row; quoted fields with commas, quotes and newlines;
/// CRLF or LF), naming the file, line and column in every error.
public struct CSVColumns: Sendable {
    /// A column's values in row order (skipped empty cells left out).
    public let columns: [(name: String, values: [FixedPoint])]

    /// Reads `names` from the CSV file at `path`. Every line after the header is a row, in every file: a blank line
    /// is a row with one empty field (in a file of one column, an empty cell), except blank lines at the end of the
    /// file, which are no rows. An empty cell is an error unless `skipEmpty`, which leaves it out of its column only.
    /// Cells are trimmed of spaces; amounts are plain decimals ("1234.56", "-0.5"), not exponents or thousands
    /// separators. A name given twice, or a name the header gives to more than one column, is refused.
    public static func read(path: String, columns names: [String], skipEmpty: Bool = false) throws(FormatError)
        -> CSVColumns
    {
        guard let text = String(data: try SummaFile.contents(atPath: path), encoding: .utf8) else {
            throw .csv(path: path, line: 1, reason: "not UTF-8 text")
        }
        return try parse(text, path: path, columns: names, skipEmpty: skipEmpty)
    }

    /// Parses CSV text (see ``read(path:columns:skipEmpty:)``).
    public static func parse(_ text: String, path: String, columns names: [String], skipEmpty: Bool = false)
        throws(FormatError) -> CSVColumns
    {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        guard !names.isEmpty else { throw .incompatible("no column given: name at least one with --column") }
        try FormatError.requireDistinctColumns(names)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: body, hasHeaderRow: true)
        } catch {
            throw .csv(path: path, line: 1, reason: "no header row")
        }
        guard let header = reader.headerRow, !header.isEmpty, header != [""] else {
            throw .csv(path: path, line: 1, reason: "no header row")
        }
        let trimmedHeader = header.map { $0.trimmingCharacters(in: .whitespaces) }
        let indices = try names.map { (name) throws(FormatError) in
            let matches = trimmedHeader.indices.filter { trimmedHeader[$0] == name }
            guard let index = matches.first else { throw .missingColumn(name, path: path, available: trimmedHeader) }
            // Taking the first would silently ignore the others, whichever of them was meant.
            guard matches.count == 1 else {
                let numbers = matches.map { String($0 + 1) }.joined(separator: ", ")
                throw .csv(path: path, line: 1, reason: "the header has \(matches.count) columns named \(name) (columns \(numbers)): rename all but one")
            }
            return index
        }
        var values = Array(repeating: [FixedPoint](), count: names.count)
        func take(_ row: [String], line: Int) throws(FormatError) {
            if row == [""] && header.count > 1 {
                throw .csv(path: path, line: line, reason: "an empty line, but rows need the header's \(header.count) fields (remove it)")
            }
            guard row.count == header.count else {
                throw .csv(path: path, line: line, reason: "\(row.count) fields, but the header has \(header.count)")
            }
            for (position, index) in indices.enumerated() {
                let cell = row[index].trimmingCharacters(in: .whitespaces)
                if cell.isEmpty {
                    if skipEmpty { continue }
                    throw .csv(path: path, line: line, reason: "column \(names[position]) is empty (use --skip-empty to skip empty cells)")
                }
                do {
                    values[position].append(try FixedPoint(parsing: cell, field: "column \(names[position])"))
                } catch {
                    throw .csvValue(path: path, line: line, error)
                }
            }
        }
        // Blank lines wait until a row follows them: only then are they rows, so that the blank lines many files
        // end with are not taken for empty cells of a one-column file.
        var blankLines: [Int] = []
        var line = 1 + header.reduce(0) { $0 + $1.filter(\.isNewline).count } + 1
        while let row = reader.next() {
            defer { line += 1 + row.reduce(0) { $0 + $1.filter(\.isNewline).count } }
            if row.count == 1 && row[0].trimmingCharacters(in: .whitespaces).isEmpty {
                blankLines.append(line)
                continue
            }
            for blank in blankLines { try take([""], line: blank) }
            blankLines = []
            try take(row, line: line)
        }
        if let error = reader.error { throw .csv(path: path, line: line, reason: "unreadable: \(error)") }
        return CSVColumns(columns: Array(zip(names, values)).map { (name: $0.0, values: $0.1) })
    }
}
