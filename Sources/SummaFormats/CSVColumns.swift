import Summa

/// Decimal columns of a CSV file, read whole into memory through ``CSVRowReader``, whose rules they follow (to read
/// a file of any size in bounded memory, use the reader itself).
public struct CSVColumns: Sendable {
    /// A column's values in row order (skipped empty cells left out).
    public let columns: [(name: String, values: [FixedPoint])]

    /// Reads `names` from the CSV file at `path`: an empty cell is an error unless `skipEmpty`, which leaves it out
    /// of its column only.
    public static func read(path: String, columns names: [String], skipEmpty: Bool = false) throws(FormatError)
        -> CSVColumns
    {
        try collect(CSVRowReader(path: path, columns: names, skipEmpty: skipEmpty))
    }

    /// Parses CSV text (see ``read(path:columns:skipEmpty:)``); `path` names it in errors.
    public static func parse(_ text: String, path: String, columns names: [String], skipEmpty: Bool = false)
        throws(FormatError) -> CSVColumns
    {
        try collect(CSVRowReader(text: text, path: path, columns: names, skipEmpty: skipEmpty))
    }

    private static func collect(_ reader: CSVRowReader) throws(FormatError) -> CSVColumns {
        var values = Array(repeating: [FixedPoint](), count: reader.columns.count)
        while let row = try reader.next() {
            for (position, value) in row.values.enumerated() {
                if let value { values[position].append(value) }
            }
        }
        return CSVColumns(columns: zip(reader.columns, values).map { (name: $0, values: $1) })
    }
}
