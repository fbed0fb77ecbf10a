import BigNum
import Foundation
import Summa
import TestSupport
import Testing

@testable import SummaFormats

@Suite("CSV columns")
struct CSVColumnsTests {
    func parse(_ text: String, _ columns: [String] = ["amount"], skipEmpty: Bool = false) throws(FormatError) -> [[String]] {
        try CSVColumns.parse(text, path: "t.csv", columns: columns, skipEmpty: skipEmpty).columns.map { $0.values.map(\.description) }
    }

    @Test func rfc4180QuotingAndLineEndings() throws {
        let text = "id,\"note\",amount\r\n1,\"a, b\",1.50\r\n2,\"say \"\"hi\"\"\",-2\r\n3,\"two\nlines\",0.125\r\n"
        #expect(try parse(text) == [["1.50", "-2", "0.125"]])
        #expect(try parse(text.replacingOccurrences(of: "\r\n", with: "\n")) == [["1.50", "-2", "0.125"]])
        #expect(try parse("\u{FEFF}amount\n7\n") == [["7"]])  // a byte-order mark is ignored
        #expect(try parse("amount\n 3.5 \n4\n\n \n") == [["3.5", "4"]])  // trimmed cells; blank lines at the end are no rows
        #expect(try parse("amount\n1") == [["1"]])  // no line end after the last row
    }

    @Test func severalColumns() throws {
        #expect(try parse("a,b\n1,2\n3,4\n", ["b", "a"]) == [["2", "4"], ["1", "3"]])
    }

    @Test func errorsNameTheFileLineAndColumn() {
        #expect(throws: FormatError.csvValue(path: "t.csv", line: 3, .invalidNumber("12x", field: "column amount"))) {
            try parse("amount\n1\n12x\n")
        }
        // Line numbers count the newlines inside quoted fields.
        #expect(throws: FormatError.csvValue(path: "t.csv", line: 4, .invalidNumber("1e3", field: "column amount"))) {
            try parse("note,amount\n\"a\nb\",1\n,1e3\n")
        }
        #expect(throws: FormatError.csv(path: "t.csv", line: 2, reason: "column amount is empty (use --skip-empty to skip empty cells)")) {
            try parse("id,amount\n1,\n")
        }
        #expect(throws: FormatError.csv(path: "t.csv", line: 3, reason: "1 fields, but the header has 2")) {
            try parse("id,amount\n1,2\n3\n")
        }
        #expect(throws: FormatError.missingColumn("fee", path: "t.csv", available: ["id", "amount"])) {
            try parse("id,amount\n1,2\n", ["fee"])
        }
        #expect(throws: FormatError.csv(path: "t.csv", line: 1, reason: "no header row")) { try parse("") }
        #expect(throws: FormatError.io(path: "/nonexistent.csv", reason: "no such file")) {
            try CSVColumns.read(path: "/nonexistent.csv", columns: ["a"])
        }
    }

    @Test func skipEmptyLeavesOutOnlyThatCell() throws {
        #expect(try parse("a,b\n1,\n,2\n3,4\n", ["a", "b"], skipEmpty: true) == [["1", "3"], ["2", "4"]])
    }

    /// One rule for every file: a line is a row, blank or not, unless only blank lines follow it. In a file of one
    /// column a blank line is an empty cell, as `1,` is in a file of two.
    @Test func aBlankLineIsARowInEveryFileUnlessAtTheEnd() throws {
        #expect(throws: FormatError.csv(path: "t.csv", line: 3, reason: "column amount is empty (use --skip-empty to skip empty cells)")) {
            try parse("amount\n1\n\n2\n")
        }
        #expect(throws: FormatError.csv(path: "t.csv", line: 3, reason: "column amount is empty (use --skip-empty to skip empty cells)")) {
            try parse("amount\n1\n  \n2\n")  // a line of spaces
        }
        #expect(try parse("amount\n1\n\n2\n", skipEmpty: true) == [["1", "2"]])
        #expect(throws: FormatError.csv(path: "t.csv", line: 3, reason: "an empty line, but rows need the header's 2 fields (remove it)")) {
            try parse("id,amount\n1,2\n\n3,4\n")
        }
        #expect(throws: FormatError.csv(path: "t.csv", line: 3, reason: "an empty line, but rows need the header's 2 fields (remove it)")) {
            try parse("id,amount\n1,2\n\n3,4\n", skipEmpty: true)
        }
        #expect(try parse("id,amount\n1,2\n\n\n") == [["2"]])
    }

    @Test func aColumnNamedTwiceIsRefused() throws {
        #expect(throws: FormatError.csv(path: "t.csv", line: 1, reason: "the header has 2 columns named amount (columns 2, 4): rename all but one")) {
            try parse("id,amount,fee, amount \n1,2,3,4\n")
        }
        #expect(try parse("id,amount,fee,fee\n1,2,3,4\n") == [["2"]])  // a repeated name nobody asked for is no ambiguity
        #expect(throws: FormatError.incompatible("--column amount is given twice: name each column once")) {
            try parse("id,amount\n1,2\n", ["amount", "id", "amount"])
        }
    }

    @Test func sampleDataParses() throws {
        let columns = try CSVColumns.parse(SampleData.transactionsCSV(rows: 50), path: "sample", columns: ["amount", "fee"])
        #expect(columns.columns.map(\.values.count) == [50, 50])
        #expect(columns.columns[0].values.contains { $0 < 0 })  // refunds
        #expect(SampleData.transactionsCSV(rows: 5) == SampleData.transactionsCSV(rows: 5))
    }
}

/// The streaming reader under every buffer size: a row split across two reads (inside a quoted field, between the CR
/// and LF of a line end, inside the byte-order mark) reads as it does from text in memory, errors included.
@Suite("CSV row reader")
struct CSVRowReaderTests {
    /// The buffer sizes each text is read through, the first ones smaller than any row.
    static let bufferSizes = [1, 2, 3, 5, 8, 13, 64, CSVRowReader.bufferSize]

    /// Every row of `bytes`, read from text in memory (when UTF-8) and from a file under each buffer size: all must
    /// agree, and the rows are returned as (line, values).
    func rows(_ bytes: [UInt8], _ columns: [String] = ["amount"], skipEmpty: Bool = false, rowLimit: Int = CSVRowReader.rowLimit)
        throws(FormatError) -> [Row]
    {
        let folder = TemporaryFolder()
        let path = folder.file("t.csv")
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        var results: [Result<[Row], FormatError>] = []
        func all(_ reader: () throws(FormatError) -> CSVRowReader) -> Result<[Row], FormatError> {
            Result { () throws(FormatError) in
                let reader = try reader()
                var rows: [Row] = []
                while let row = try reader.next() { rows.append(Row(line: row.line, values: row.values.map { $0?.description })) }
                return rows
            }
        }
        for size in Self.bufferSizes {
            results.append(all { () throws(FormatError) in
                try CSVRowReader(path: path, columns: columns, skipEmpty: skipEmpty, bufferSize: size, rowLimit: rowLimit)
            })
        }
        if rowLimit == CSVRowReader.rowLimit, let text = String(bytes: bytes, encoding: .utf8) {
            results.append(all { () throws(FormatError) in
                try CSVRowReader(text: text, path: path, columns: columns, skipEmpty: skipEmpty)
            })
        }
        for result in results.dropFirst() {
            #expect(result == results[0], "a buffer size reads otherwise")
        }
        // Errors under the name the other tests of this file use.
        return try results[0].mapError { (error) -> FormatError in
            switch error {
            case .csv(_, let line, let reason): .csv(path: "t.csv", line: line, reason: reason)
            case .csvValue(_, let line, let error): .csvValue(path: "t.csv", line: line, error)
            case .missingColumn(let name, _, let available): .missingColumn(name, path: "t.csv", available: available)
            default: error
            }
        }.get()
    }

    func rows(_ text: String, _ columns: [String] = ["amount"], skipEmpty: Bool = false) throws(FormatError) -> [Row] {
        try rows(Array(text.utf8), columns, skipEmpty: skipEmpty)
    }

    struct Row: Equatable, CustomStringConvertible {
        let line: Int
        let values: [String?]
        var description: String { "\(line): \(values.map { $0 ?? "nil" })" }
    }

    @Test func rowsAndLinesWhateverTheBuffer() throws {
        let text = "\u{FEFF}id,\"note\",amount\r\n1,\"a, b\",1.50\r\n2,\"say \"\"hi\"\"\",-2\r3,\"two\r\nlines\nand \rmore\",0.125\n4,x, +7 \n"
        #expect(try rows(text) == [
            Row(line: 2, values: ["1.50"]), Row(line: 3, values: ["-2"]), Row(line: 4, values: ["0.125"]), Row(line: 8, values: ["7"]),
        ])
        #expect(try rows("a,b\n1,\n\"\",2\n3,\"4\" \n", ["b", "a"], skipEmpty: true) == [
            Row(line: 2, values: [nil, "1"]), Row(line: 3, values: ["2", nil]), Row(line: 4, values: ["4", "3"]),
        ])
        // Blank lines are rows (empty cells) when a row follows them, and no rows at the end.
        #expect(try rows("amount\n1\n\n \r\n2\n\n\r\n", skipEmpty: true) == [
            Row(line: 2, values: ["1"]), Row(line: 3, values: [nil]), Row(line: 4, values: [nil]), Row(line: 5, values: ["2"]),
        ])
        // Amounts beyond 18 digits, and cells that need Unicode's spaces trimmed, read as FixedPoint(parsing:) reads them.
        #expect(try rows("amount\n-123456789012345678901.5\n\u{00A0}2.5\u{3000}\n") == [
            Row(line: 2, values: ["-123456789012345678901.5"]), Row(line: 3, values: ["2.5"]),
        ])
    }

    @Test func aFileLargerThanTheBufferWithQuotedLineEndsAcrossReads() throws {
        var text = "id,note,amount\n"
        var expected: [Row] = []
        var line = 2
        for row in 0..<40_000 {
            let note = row % 7 == 0 ? "\"multi\r\nline, \"\"quoted\"\"\nnote\"" : "plain"
            let amount = "\(row % 3 == 0 ? "-" : "")\(row).\(row % 100)"
            text += "\(row),\(note),\(amount)\r\n"
            expected.append(Row(line: line, values: [try FixedPoint(parsing: amount).description]))
            line += row % 7 == 0 ? 3 : 1
        }
        #expect(text.utf8.count > 2 * CSVRowReader.bufferSize)
        let folder = TemporaryFolder()
        let path = folder.write(text, to: "large.csv")
        let reader = try CSVRowReader(path: path, columns: ["amount"])
        var read: [Row] = []
        while let row = try reader.next() { read.append(Row(line: row.line, values: row.values.map { $0?.description })) }
        #expect(read == expected)
        let summary = try CSVRowReader(path: path, columns: ["amount", "id"]).scan()
        #expect(summary == CSVRowReader.Summary(rows: 40_000, counts: [40_000, 40_000], scales: [2, 0], labels: []))
        #expect(try CSVColumns.read(path: path, columns: ["amount"]).columns[0].values.count == 40_000)
    }

    /// Each error names the line at fault, whatever the buffer: the line of the cell, of the row, or of the quote
    /// that opens a field never closed.
    @Test func everyErrorNamesItsLine() {
        func error(_ text: String, _ columns: [String] = ["amount"], skipEmpty: Bool = false) -> String? {
            do {
                _ = try rows(text, columns, skipEmpty: skipEmpty)
                return nil
            } catch {
                return "\(error)"
            }
        }
        let empty = "column amount is empty (use --skip-empty to skip empty cells)"
        #expect(error("amount\n1\n12x\n") == "t.csv:3: \(SummaError.invalidNumber("12x", field: "column amount"))")
        #expect(error("note,amount\n\"a\r\nb\",1\r\n,1e3\r\n") == "t.csv:4: \(SummaError.invalidNumber("1e3", field: "column amount"))")
        #expect(error("id,amount\n1,2\n3, \n") == "t.csv:3: \(empty)")
        #expect(error("amount\n1\n\n2\n") == "t.csv:3: \(empty)")
        #expect(error("id,amount\n1,2\n\n3,4\n", skipEmpty: true) == "t.csv:3: an empty line, but rows need the header's 2 fields (remove it)")
        #expect(error("id,amount\n\"1\n\",2\n3\n") == "t.csv:4: 1 fields, but the header has 2")
        #expect(error("id,amount\n1,2\n3,\"4\n5\n") == "t.csv:3: a quoted field is never closed (a quote inside one is written \"\")")
        #expect(error("id,amount\n1,\"2\"x\n") == "t.csv:2: text after the closing quote of a quoted field (a quote inside one is written \"\")")
        #expect(error("id,amount\n\"\n\"\"\"x,2\n") == "t.csv:3: text after the closing quote of a quoted field (a quote inside one is written \"\")")
        #expect(error("amount\n1.\n") == "t.csv:2: \(SummaError.invalidNumber("1.", field: "column amount"))")
        #expect(error("amount\n0.\(String(repeating: "1", count: 513))\n") == "t.csv:2: \(SummaError.scaleOutOfRange(513))")
        #expect(error("") == "t.csv:1: no header row")
        #expect(error("\u{FEFF}\r\n1\n") == "t.csv:1: no header row")
        #expect(error("id,amount\n", ["fee"]) == "t.csv: no column \"fee\" (available: id, amount)")
        #expect(error("amount, amount \n1,2\n") == "t.csv:1: the header has 2 columns named amount (columns 1, 2): rename all but one")
        #expect(error("amount\n1\n", ["amount", "amount"]) == "--column amount is given twice: name each column once")
        #expect(error("amount\n1\n", []) == "no column given: name at least one with --column")
        #expect(throws: FormatError.csv(path: "t.csv", line: 3, reason: "not UTF-8 text")) {
            try rows(Array("id,amount\n1,2\n3,".utf8) + [0xC3, 0x28] + Array(",4\n".utf8), ["amount"])
        }
        #expect(throws: FormatError.csv(path: "t.csv", line: 3, reason: "a row longer than 16 bytes")) {
            try rows(Array("id,amount\n1,2\n3,\"12345678901234567\"\n".utf8), ["amount"], rowLimit: 16)
        }
        #expect(throws: FormatError.io(path: "/nonexistent.csv", reason: "no such file")) {
            try CSVRowReader(path: "/nonexistent.csv", columns: ["a"])
        }
        let folder = TemporaryFolder()
        #expect(throws: FormatError.io(path: folder.path, reason: "cannot be read")) {
            try CSVRowReader(path: folder.path, columns: ["a"])
        }
    }

    /// A scan counts what `next()` gives and refuses what it refuses, building no value.
    @Test func scanAgreesWithTheRows() throws {
        let text = "a,b,c\n1.5,,x\n-2.125,3,y\n\" 7 \",123456789012345678901.0001,z\n"
        let summary = try CSVRowReader(text: text, path: "t.csv", columns: ["b", "a"], skipEmpty: true).scan()
        #expect(summary == CSVRowReader.Summary(rows: 3, counts: [2, 3], scales: [4, 3], labels: []))
        #expect(try CSVRowReader(text: "amount\n\n\n1\n\n", path: "t.csv", columns: ["amount"], skipEmpty: true).scan()
            == CSVRowReader.Summary(rows: 3, counts: [1], scales: [0], labels: []))
        #expect(try CSVRowReader(text: "amount\n", path: "t.csv", columns: ["amount"]).scan() == CSVRowReader.Summary(rows: 0, counts: [0], scales: [0], labels: []))
        #expect(throws: FormatError.csvValue(path: "t.csv", line: 3, .invalidNumber("1,5", field: "column c"))) {
            try CSVRowReader(text: "c\n1\n\"1,5\"\n", path: "t.csv", columns: ["c"]).scan()
        }
    }

    /// The `Int` fast path reads what `FixedPoint(parsing:)` reads, and leaves it everything else.
    @Test(arguments: [
        "0", "-0", "+7", "007.50", "1234.56", "-0.5", "999999999999999999", "-99999999999999999.9", "9999999999999999999",
        "0.000000000000000001", "1.", ".5", "-", "+", "", ".", "1.2.3", "--1", "1e3", "1,5", " 1", "1-", "١",
    ])
    func smallDecimalsAgreeWithFixedPoint(text: String) {
        let small = Array(text.utf8).withUnsafeBufferPointer { CSVRowReader.smallDecimal($0) }
        let parsed = try? FixedPoint(parsing: text)
        if let small {
            #expect(text.utf8.filter { (0x30...0x39).contains($0) }.count <= 18)
            #expect(parsed == (try? FixedPoint(mantissa: BigInteger(small.mantissa), scale: small.scale)))
            #expect(parsed?.scale == small.scale)
        } else {
            #expect(parsed == nil || text.utf8.filter { (0x30...0x39).contains($0) }.count > 18)
        }
    }
}

@Suite("Encrypting tables and aggregating files")
struct TableAggregationTests {
    let key = Fixtures.smallKey

    func table(_ values: [String], scale: Int? = nil, squares: Bool = false) async throws -> EncryptedTable {
        try await EncryptedTable.encrypt([(name: "amount", values: values.map(decimal))], with: .publicKey(key.publicKey), scale: scale, squares: squares)
    }

    @Test func scaleIsTheMostDecimalsUnlessGiven() async throws {
        #expect(try await table(["1.5", "2.25", "3"]).columns[0].scale == 2)
        #expect(try await table(["1.5"], scale: 4).columns[0].scale == 4)
        await #expect(throws: SummaError.incompatible("column amount, value 2: 2.25 has more than 1 decimals (raise --scale)")) {
            try await table(["1.5", "2.25"], scale: 1)
        }
    }

    @Test func ownerEncryptionAndProgress() async throws {
        let counter = ProgressCounter()
        let table = try await EncryptedTable.encrypt(
            [(name: "x", values: (0..<5000).map { FixedPoint(BigInteger($0)) })], with: .privateKey(key),
            progress: { done, total in counter.record(done, total) })
        #expect(counter.calls.last?.0 == 5000 && counter.calls.count == 3)
        let report = try await DecryptedReport.decrypt(.encrypted(table), path: "t", with: key)
        #expect(report.lines.prefix(3) == ["0", "1", "2"] && report.lines.count == 5000)
    }

    @Test func filesMergeAndTheMeanStaysRight() async throws {
        let a = try await table(["10.00", "20.00"], squares: true)
        let b = try await table(["-1.5", "4.5", "3"], squares: true)
        let merged = try Aggregation.aggregate([("a", .encrypted(a)), ("b", .encrypted(b))], kind: .mean)
        let stats = try key.decrypt(merged.columns[0].aggregate)
        #expect(stats.count == 5 && stats.sum == decimal("36"))
        #expect(stats.mean?.description == "7.200000")
        // Aggregates merge with tables, and the squares survive only when every part has them.
        let partial = try Aggregation.aggregate([("m", .aggregate(merged)), ("c", .encrypted(try await table(["1"])))], kind: .stats)
        let total = try key.decrypt(partial.columns[0].aggregate)
        #expect(total.count == 6 && total.variance == nil)
    }

    @Test func incompatibleInputsAreNamed() async throws {
        let a = try await table(["1"])
        let other = try await EncryptedTable.encrypt([(name: "amount", values: [1])], with: .publicKey(Fixtures.pheKey.publicKey))
        #expect(throws: FormatError.fileKeyMismatch(path: "b.json", firstPath: "a.json")) {
            try Aggregation.aggregate([("a.json", .encrypted(a)), ("b.json", .encrypted(other))], kind: .sum)
        }
        #expect(throws: FormatError.missingColumn("fee", path: "a.json", available: ["amount"])) {
            try Aggregation.aggregate([("a.json", .encrypted(a))], columns: ["fee"], kind: .sum)
        }
        #expect(throws: FormatError.unrecognizedFile(path: "k.json", reason: "holds a public key, not ciphertexts")) {
            try Aggregation.aggregate([("k.json", .publicKey(key.publicKey))], kind: .sum)
        }
        #expect(throws: FormatError.incompatible("no input file given")) { try Aggregation.aggregate([], kind: .sum) }
        #expect(throws: FormatError.incompatible("--column amount is given twice: name each column once")) {
            try Aggregation.aggregate([("a.json", .encrypted(a))], columns: ["amount", "amount"], kind: .sum)
        }
        await #expect(throws: FormatError.number(.wrongPrivateKey(fileKey: key.publicKey.fingerprint, privateKey: Fixtures.pheKey.publicKey.fingerprint))) {
            try await DecryptedReport.decrypt(.encrypted(a), path: "a.json", with: Fixtures.pheKey)
        }
    }

    @Test func readmeLibraryExample() async throws {
        let key = Fixtures.smallKey  // README uses a fresh 3072-bit key; the code is the same.
        let publicKey = key.publicKey
        let amounts = try ["1234.56", "-0.5", "99.99"].map { try FixedPoint(parsing: $0) }
        let encrypted = try await publicKey.encrypt(batch: amounts)
        let total = try EncryptedNumber.sum(encrypted, publicKey: publicKey)
        let aggregate = EncryptedAggregate(sum: total, count: encrypted.count, sumOfSquares: nil)
        let stats = try key.decrypt(aggregate)
        #expect("\(stats.sum) \(stats.mean!)" == "1334.05 444.683333")
    }
}

final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var calls: [(Int, Int)] = []
    func record(_ done: Int, _ total: Int) { lock.withLock { calls.append((done, total)) } }
}

@Suite("CSV label columns")
struct CSVLabelTests {
    @Test func labelsAreReadAsTextAndScannedForTheirDistinctValues() throws {
        let text = "region,amount\nnorth,1.5\n\"south, east\",2\n,3\nnorth,-1\n"
        let reader = try CSVRowReader(text: text, path: "t.csv", columns: ["amount"], labels: ["region"])
        var labels: [String] = []
        while let row = try reader.next() { labels += row.labels }
        #expect(labels == ["north", "south, east", "", "north"])
        let summary = try CSVRowReader(text: text, path: "t.csv", columns: ["amount"], labels: ["region"]).scan()
        #expect(summary == CSVRowReader.Summary(rows: 4, counts: [4], scales: [1], labels: [["north", "south, east", ""]]))
        // More distinct labels than a category may have: none are kept.
        let many = "id,amount\n" + (0...CSVRowReader.maximumLabels).map { "l\($0),1\n" }.joined()
        #expect(try CSVRowReader(text: many, path: "m.csv", columns: ["amount"], labels: ["id"]).scan().labels == [nil])
        // A label column is a column of the header like any other, and never also a value column.
        #expect(throws: FormatError.self) { try CSVRowReader(text: text, path: "t.csv", columns: ["amount"], labels: ["city"]) }
        #expect(throws: FormatError.self) { try CSVRowReader(text: text, path: "t.csv", columns: ["amount"], labels: ["amount"]) }
    }
}
