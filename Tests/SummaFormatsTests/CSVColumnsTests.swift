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
