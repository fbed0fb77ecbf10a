import BigNum
import Foundation
import Summa

/// Reads chosen decimal columns of a CSV file one row at a time, holding only the row being read: memory is bounded
/// by the longest row (at most 16 MiB), whatever the number of rows. ``CSVColumns`` reads through it too, so these
/// are the rules for every CSV file Summa reads:
///
/// - UTF-8 (a leading byte-order mark is skipped), RFC 4180: a header row first; fields may be quoted, with commas,
///   doubled quotes and line ends inside; LF, CRLF or CR line ends. A quoted field must be closed, and only spaces
///   may follow its closing quote before the next comma or line end.
/// - Every line after the header is a row, in every file: a blank line (or one of spaces) is a row of one empty field
///   (in a file of one column, an empty cell; in a file of several, an error), except blank lines at the end of the
///   file, which are no rows.
/// - Columns are chosen by header name, trimmed of spaces. A name given twice, or a name the header gives to more
///   than one column, is refused. Every row has as many fields as the header.
/// - Cells are trimmed of spaces and are plain decimals as `FixedPoint(parsing:field:)` reads them
///   ("1234.56", "-0.5"); an empty cell is an error unless `skipEmpty`, which leaves out that cell only.
/// - Label columns (categories) are read as their trimmed text, any text, an empty cell as "".
///
/// Every error names the file and the line, counting physical lines (line ends inside quoted fields included).
///
/// This is its own byte-level parser rather than CSV.swift's `CSVReader(stream:)`, and it parses amounts of up to
/// 18 digits with `Int` arithmetic before falling back on `FixedPoint(parsing:)`. Measured in CPU time on 1,000,000
/// rows × 10 amount columns (92 MB, release build): CSV.swift only splitting the rows, 156,000 rows/s;
/// `FixedPoint(parsing:)` alone, 385,000 rows' worth of values/s; the former whole-file read through both, 53,000
/// rows/s in 1.2 GB. This reader's figures are at ``next()`` and ``scan()``, in 20 MB.
public final class CSVRowReader {
    /// A row: its first line and, per requested column in the order asked, its value (nil for an empty cell left
    /// out with `skipEmpty`).
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let values: [FixedPoint?]
        /// Per label column, in the order asked, its trimmed text.
        public let labels: [String]
    }

    /// What a pass over the rows finds, without building a value: what encryption needs before it encrypts.
    public struct Summary: Sendable, Equatable {
        /// The number of rows (those whose cells were all left out with `skipEmpty` included).
        public let rows: Int
        /// Per requested column, its cells that are not empty.
        public let counts: [Int]
        /// Per requested column, its largest number of decimals (0 when it has no value).
        public let scales: [Int]
        /// Per label column, its distinct texts in the order first seen, at most ``maximumLabels``; nil for a
        /// column with more.
        public let labels: [[String]?]
    }

    /// The most distinct texts ``scan()`` collects of a label column.
    public static let maximumLabels = 1000

    /// The file, as errors name it.
    public let path: String
    /// The columns read, in the order of ``Row/values``.
    public let columns: [String]
    /// The label columns read, in the order of ``Row/labels``.
    public let labelColumns: [String]
    public let skipEmpty: Bool

    private var splitter: Splitter
    private let fieldCount: Int
    /// The header position of each requested column, then of each label column.
    private let indices: [Int]
    /// Blank rows read but not yet given out: they are rows only if a row follows them.
    private var blankLines: Range<Int> = 0..<0
    /// The line of the row that followed them, split and waiting in `splitter` until they are given out.
    private var heldLine: Int?

    /// The largest row read, in bytes: a bound on memory that no honest file of amounts comes near.
    static let rowLimit = 16 << 20
    /// The buffer the file is read through; it grows only for a row longer than it.
    static let bufferSize = 256 << 10

    /// Opens the CSV file at `path` and reads its header; ``next()`` then gives its rows.
    /// `labels` are text columns read besides the decimal `columns` (a category's).
    public convenience init(path: String, columns: [String], labels: [String] = [], skipEmpty: Bool = false) throws(FormatError) {
        try self.init(
            path: path, columns: columns, labels: labels, skipEmpty: skipEmpty, bufferSize: Self.bufferSize,
            rowLimit: Self.rowLimit)
    }

    /// Reads CSV text already in memory, under the same rules; `path` names it in errors.
    public convenience init(text: String, path: String, columns: [String], labels: [String] = [], skipEmpty: Bool = false)
        throws(FormatError)
    {
        try Self.checkNames(columns, labels: labels)
        try self.init(
            splitter: Splitter(text: text, path: path, rowLimit: Self.rowLimit), columns: columns, labels: labels,
            skipEmpty: skipEmpty)
    }

    /// The file with a buffer of `bufferSize` bytes and rows of at most `rowLimit` bytes (tests use small ones).
    convenience init(
        path: String, columns: [String], labels: [String] = [], skipEmpty: Bool, bufferSize: Int, rowLimit: Int
    ) throws(FormatError) {
        try Self.checkNames(columns, labels: labels)
        let splitter = try Splitter(path: path, bufferSize: bufferSize, rowLimit: rowLimit)
        try self.init(splitter: splitter, columns: columns, labels: labels, skipEmpty: skipEmpty)
    }

    private init(splitter: consuming Splitter, columns: [String], labels: [String], skipEmpty: Bool) throws(FormatError) {
        var splitter = splitter
        let path = splitter.path
        try splitter.skipByteOrderMark()
        guard try splitter.nextRow() != nil, splitter.fields.count > 1 || !splitter.fields[0].isEmpty else {
            throw .csv(path: path, line: 1, reason: "no header row")
        }
        let header = splitter.fields.map { splitter.text(of: $0).trimmingCharacters(in: .whitespaces) }
        indices = try (columns + labels).map { (name) throws(FormatError) in
            let matches = header.indices.filter { header[$0] == name }
            guard let index = matches.first else { throw .missingColumn(name, path: path, available: header) }
            // Taking the first would silently ignore the others, whichever of them was meant.
            guard matches.count == 1 else {
                let numbers = matches.map { String($0 + 1) }.joined(separator: ", ")
                throw .csv(path: path, line: 1, reason: "the header has \(matches.count) columns named \(name) (columns \(numbers)): rename all but one")
            }
            return index
        }
        fieldCount = header.count
        self.path = path
        self.columns = columns
        labelColumns = labels
        self.skipEmpty = skipEmpty
        self.splitter = splitter
    }

    private static func checkNames(_ names: [String], labels: [String]) throws(FormatError) {
        // A file read for its labels alone (a join's identifiers) needs no decimal column.
        guard !names.isEmpty || !labels.isEmpty else { throw .incompatible("no column given: name at least one with --column") }
        try FormatError.requireDistinctColumns(names + labels)
    }

    /// The next row, or nil after the last: about 840,000 rows/s on 1,000,000 rows × 10 amounts, most of it spent
    /// allocating each value's `BigInteger`.
    public func next() throws(FormatError) -> Row? {
        var values: [FixedPoint?] = []
        values.reserveCapacity(columns.count)
        var labels: [String] = []
        let line = try advance { (position, cell) throws(SummaError) in
            guard position < columns.count else {
                labels.append(cell?.text ?? "")
                return
            }
            values.append(try cell.map { (cell) throws(SummaError) in try Self.value(of: cell, column: columns[position]) })
        }
        return line.map { Row(line: $0, values: values, labels: labels) }
    }

    /// Reads the remaining rows, checking every cell as ``next()`` would but building no value: about 2,900,000
    /// rows/s on 1,000,000 rows × 10 amounts, 3.5 times ``next()``.
    public func scan() throws(FormatError) -> Summary {
        var rows = 0
        var counts = Array(repeating: 0, count: columns.count)
        var scales = Array(repeating: 0, count: columns.count)
        var labels: [[String]?] = Array(repeating: [], count: labelColumns.count)
        var seen: [Set<String>] = Array(repeating: [], count: labelColumns.count)
        let valueCount = columns.count
        while try advance({ (position, cell) throws(SummaError) in
            guard position < valueCount else {
                let index = position - valueCount
                let text = cell?.text ?? ""
                guard labels[index] != nil, seen[index].insert(text).inserted else { return }
                labels[index]!.append(text)
                if labels[index]!.count > Self.maximumLabels { labels[index] = nil }
                return
            }
            guard let cell else { return }
            counts[position] += 1
            scales[position] = max(scales[position], try Self.scale(of: cell, column: columns[position]))
        }) != nil {
            rows += 1
        }
        return Summary(rows: rows, counts: counts, scales: scales, labels: labels)
    }

    /// Reads the next row and hands each requested column's cell to `take` in order (nil for an empty cell left
    /// out); returns the row's line, or nil after the last row. `take`'s error is given the row's line.
    private func advance(_ take: (Int, Cell?) throws(SummaError) -> Void) throws(FormatError) -> Int? {
        if let line = blankLines.first {
            blankLines = line + 1..<blankLines.upperBound
            guard fieldCount == 1 else {
                throw .csv(path: path, line: line, reason: "an empty line, but rows need the header's \(fieldCount) fields (remove it)")
            }
            try deliver(nil, position: 0, line: line, take)
            return line
        }
        if let line = heldLine {
            heldLine = nil
            try takeFields(line: line, take)
            return line
        }
        while let line = try splitter.nextRow() {
            // A blank row takes one line (trimming keeps line ends), so the blank rows before a row are a range.
            if splitter.isBlank {
                blankLines = (blankLines.isEmpty ? line : blankLines.lowerBound)..<line + 1
                continue
            }
            if !blankLines.isEmpty {
                heldLine = line
                return try advance(take)
            }
            try takeFields(line: line, take)
            return line
        }
        blankLines = 0..<0  // blank lines at the end of the file are no rows
        return nil
    }

    private func takeFields(line: Int, _ take: (Int, Cell?) throws(SummaError) -> Void) throws(FormatError) {
        guard splitter.fields.count == fieldCount else {
            throw .csv(path: path, line: line, reason: "\(splitter.fields.count) fields, but the header has \(fieldCount)")
        }
        // One access to the splitter for the whole row: each access to a class's variable is checked at run time.
        try splitter.forEachCell(at: indices) { (position, cell) throws(FormatError) in
            try deliver(cell, position: position, line: line, take)
        }
    }

    private func deliver(
        _ cell: Cell?, position: Int, line: Int, _ take: (Int, Cell?) throws(SummaError) -> Void
    ) throws(FormatError) {
        guard cell != nil || skipEmpty || position >= columns.count else {
            throw .csv(path: path, line: line, reason: "column \(columns[position]) is empty (use --skip-empty to skip empty cells)")
        }
        do { try take(position, cell) } catch { throw .csvValue(path: path, line: line, error) }
    }

    // MARK: - Cells

    /// A trimmed, non-empty cell, valid until the next row is split: plain ASCII bytes still in the buffer (the
    /// usual amount), or text that needed unescaping or holds other characters.
    enum Cell {
        case ascii(UnsafeBufferPointer<UInt8>)
        case text(String)

        var text: String {
            switch self {
            case .ascii(let bytes): String(decoding: bytes, as: UTF8.self)
            case .text(let text): text
            }
        }
    }

    private static func value(of cell: Cell, column: String) throws(SummaError) -> FixedPoint {
        if case .ascii(let bytes) = cell, let small = smallDecimal(bytes) {
            return try FixedPoint(mantissa: BigInteger(small.mantissa), scale: small.scale)
        }
        return try FixedPoint(parsing: cell.text, field: "column \(column)")
    }

    private static func scale(of cell: Cell, column: String) throws(SummaError) -> Int {
        if case .ascii(let bytes) = cell, let small = smallDecimal(bytes) { return small.scale }
        return try FixedPoint(parsing: cell.text, field: "column \(column)").scale
    }

    /// The mantissa and scale of a plain decimal of at most 18 digits (so that it fits an `Int`): an optional
    /// sign, digits, and optionally a point and more digits. Nil for anything else, which `FixedPoint(parsing:)`
    /// then reads (longer numbers) or refuses with its own error, so results and errors are its own.
    static func smallDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> (mantissa: Int, scale: Int)? {
        var index = 0
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        var mantissa = 0
        /// Reads digits from `index` on into `mantissa` (wrapping past 18 digits, refused below); returns how many.
        func digits() -> Int {
            let first = index
            while index < bytes.count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                mantissa = mantissa &* 10 &+ Int(digit)
                index += 1
            }
            return index - first
        }
        let integerDigits = digits()
        var scale = 0
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            scale = digits()
            guard scale > 0 else { return nil }
        }
        guard index == bytes.count, integerDigits > 0, integerDigits + scale <= 18 else { return nil }
        return (negative ? -mantissa : mantissa, scale)
    }
}

extension CSVRowReader {
    /// A field of the row just split: the bytes between `start` and `end` in the buffer (inside the quotes of a
    /// quoted field).
    struct Field {
        var start: Int
        var end: Int
        /// Quoted with doubled quotes inside, which its text undoubles.
        var escaped = false
        var ascii = true

        var isEmpty: Bool { start == end }
    }

    /// Splits the bytes of a file (read through a buffer) or of text in memory into rows of fields, counting lines.
    /// A row is split again from its start whenever it runs past the bytes at hand: only the rows that straddle a
    /// refill pay for it, and no state survives between two reads but the line number.
    struct Splitter: ~Copyable {
        let path: String
        /// The open file, or -1 for text in memory.
        private let descriptor: Int32
        private var buffer: UnsafeMutableBufferPointer<UInt8>
        private let rowLimit: Int
        /// The first byte of the next row.
        private var start = 0
        /// The end of the bytes read.
        private var end = 0
        private var exhausted: Bool
        /// The line of the byte at `start`.
        private var line = 1
        /// The fields of the last row split (valid until the next).
        private(set) var fields: [Field] = []

        init(path: String, bufferSize: Int, rowLimit: Int) throws(FormatError) {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .io(path: path, reason: errno == ENOENT ? "no such file" : "cannot be read") }
            self.path = path
            self.descriptor = descriptor
            buffer = .allocate(capacity: min(bufferSize, rowLimit + 1))
            self.rowLimit = rowLimit
            exhausted = false
        }

        init(text: String, path: String, rowLimit: Int) {
            self.path = path
            descriptor = -1
            buffer = .allocate(capacity: max(text.utf8.count, 1))
            end = buffer.initialize(fromContentsOf: text.utf8)
            self.rowLimit = rowLimit
            exhausted = true
        }

        deinit {
            if descriptor >= 0 { close(descriptor) }
            buffer.deallocate()
        }

        mutating func skipByteOrderMark() throws(FormatError) {
            while end < 3 && !exhausted { try fill() }
            if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
        }

        /// Splits the next row into ``fields`` and returns its first line, or nil at the end of the file.
        mutating func nextRow() throws(FormatError) -> Int? {
            while true {
                if start == end && exhausted { return nil }
                if start < end, let row = try split() {
                    let rowLine = line
                    if !row.ascii && !Self.isUTF8(UnsafeBufferPointer(rebasing: buffer[start..<row.next])) {
                        throw .csv(path: path, line: rowLine, reason: "not UTF-8 text")
                    }
                    line += row.lineEnds
                    start = row.next
                    return rowLine
                }
                guard end - start <= rowLimit else {
                    throw .csv(path: path, line: line, reason: "a row longer than \(rowLimit) bytes")
                }
                try fill()
            }
        }

        /// Moves the row being split to the front of the buffer (growing it if the row fills it) and reads more.
        private mutating func fill() throws(FormatError) {
            if start > 0 {
                let base = buffer.baseAddress!
                base.update(from: base + start, count: end - start)
                end -= start
                start = 0
            }
            if end == buffer.count {
                let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: min(2 * buffer.count, rowLimit + 1))
                _ = grown.initialize(fromContentsOf: buffer)
                buffer.deallocate()
                buffer = grown
            }
            while true {
                let count = read(descriptor, buffer.baseAddress! + end, buffer.count - end)
                if count >= 0 {
                    end += count
                    exhausted = count == 0
                    return
                }
                guard errno == EINTR else { throw .io(path: path, reason: "cannot be read") }
            }
        }

        /// Splits the row at `start` into ``fields``: where the next row starts, the line ends the row holds (its
        /// own included) and whether it is all ASCII; nil when the row runs past the bytes at hand (or past
        /// `rowLimit`) and more may come. The same bytes give the same rows and errors whatever the buffer size.
        private mutating func split() throws(FormatError) -> (next: Int, lineEnds: Int, ascii: Bool)? {
            fields.removeAll(keepingCapacity: true)
            let bytes = buffer.baseAddress!
            let stop = min(end, start + rowLimit + 1)
            let final = exhausted && stop == end
            let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
            var index = start
            var lineEnds = 0
            var ascii = true
            while true {
                var field = Field(start: index, end: index)
                var high: UInt8 = 0
                if index < stop && bytes[index] == quote {
                    let openingLine = line + lineEnds
                    index += 1
                    field.start = index
                    while true {
                        guard index < stop else {
                            guard final else { return nil }
                            throw .csv(path: path, line: openingLine, reason: "a quoted field is never closed (a quote inside one is written \"\")")
                        }
                        let byte = bytes[index]
                        if byte == quote {
                            guard index + 1 < stop || final else { return nil }
                            guard index + 1 < stop && bytes[index + 1] == quote else { break }
                            field.escaped = true
                            index += 2
                            continue
                        }
                        // The byte before is inside the row: at worst the opening quote.
                        if byte == cr || (byte == lf && bytes[index - 1] != cr) { lineEnds += 1 }
                        high |= byte
                        index += 1
                    }
                    field.end = index
                    index += 1
                    while index < stop && (bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")) { index += 1 }
                } else {
                    while index < stop {
                        let byte = bytes[index]
                        if byte == comma || byte == lf || byte == cr { break }
                        high |= byte
                        index += 1
                    }
                    field.end = index
                }
                field.ascii = high < 0x80
                ascii = ascii && field.ascii
                fields.append(field)
                guard index < stop else { return final ? (stop, lineEnds, ascii) : nil }
                switch bytes[index] {
                case comma: index += 1
                case lf: return (index + 1, lineEnds + 1, ascii)
                case cr:
                    if index + 1 < stop { return (bytes[index + 1] == lf ? index + 2 : index + 1, lineEnds + 1, ascii) }
                    guard final else { return nil }
                    return (index + 1, lineEnds + 1, ascii)
                default:
                    throw .csv(path: path, line: line + lineEnds, reason: "text after the closing quote of a quoted field (a quote inside one is written \"\")")
                }
            }
        }

        /// A field's text, undoubling quotes.
        func text(of field: Field) -> String {
            guard field.escaped else { return String(decoding: UnsafeBufferPointer(rebasing: buffer[field.start..<field.end]), as: UTF8.self) }
            var bytes: [UInt8] = []
            var index = field.start
            while index < field.end {
                bytes.append(buffer[index])
                index += buffer[index] == UInt8(ascii: "\"") ? 2 : 1  // inside, quotes come doubled
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Whether the row just split is blank: one field of nothing but spaces.
        var isBlank: Bool { fields.count == 1 && cell(fields[0]) == nil }

        /// Hands `body` the cell of each field at `indices` (nil for an empty one), with its position in `indices`.
        func forEachCell(at indices: [Int], _ body: (Int, Cell?) throws(FormatError) -> Void) throws(FormatError) {
            for (position, index) in indices.enumerated() { try body(position, cell(fields[index])) }
        }

        /// The field trimmed of spaces (Unicode's, as `CharacterSet.whitespaces` has them), or nil when that leaves
        /// nothing. A field of ASCII without doubled quotes, every amount, is trimmed in place.
        func cell(_ field: Field) -> Cell? {
            guard field.ascii && !field.escaped else {
                let text = text(of: field).trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : .text(text)
            }
            // Space and tab are the only ASCII characters in `CharacterSet.whitespaces`.
            func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            var first = field.start
            var last = field.end
            while first < last && isSpace(buffer[first]) { first += 1 }
            while last > first && isSpace(buffer[last - 1]) { last -= 1 }
            return first == last ? nil : .ascii(UnsafeBufferPointer(rebasing: buffer[first..<last]))
        }

        private static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            !transcode(bytes.makeIterator(), from: UTF8.self, to: UTF32.self, stoppingOnError: true) { _ in }
        }
    }
}
