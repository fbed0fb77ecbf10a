import BigNum
import Crypto
import Foundation
import Paillier
import Summa
import TestSupport
import Testing

@testable import SummaFormats

/// Two readers of one format: Summa's and scripts/read-summa-records.py, the reference for readers written elsewhere.
/// Fed the same files, each rewritten as an attacker would (a field changed, then a fresh digest), they must reach the
/// same verdict: both refuse, or both read the same numbers. A file one accepts and the other refuses is a reader
/// that checks less than the format says.
@Suite("Summa's and the Python reader agree on damaged files", .serialized)
struct RecordsReadersAgreeTests {
    let key = Fixtures.smallKey

    /// The python of CI's python-paillier venv (beside SUMMA_PHEUTIL), which the script needs.
    static var python: URL? {
        ProcessInfo.processInfo.environment["SUMMA_PHEUTIL"].map {
            URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("python")
        }
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/read-summa-records.py")

    /// `bytes` with the digest its trailer should have.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        let body = Array(bytes.dropLast(32))
        return body + Array(SHA256.hash(data: body))
    }

    /// The file's parts: header JSON, and everything after the header (records, trailer).
    static func split(_ bytes: [UInt8]) throws -> (header: JSONValue, rest: [UInt8]) {
        let length = Int(bytes[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        return (try JSONValue(parsing: Data(bytes[12..<12 + length]), path: "header"), Array(bytes[(12 + length)...]))
    }

    static func joined(_ header: JSONValue, _ rest: [UInt8]) -> [UInt8] {
        let text = Array(header.serialized.utf8)
        return EncryptedRecords.magic + withUnsafeBytes(of: UInt32(text.count).bigEndian, Array.init) + text + rest
    }

    /// Summa's verdict: the values as CSV lines, or nil when it refuses the file.
    func summaReads(_ path: String) async -> [String]? {
        guard let file = try? SummaFile.read(path: path, allowInsecureKeySize: true),
            let report = try? await DecryptedReport.decrypt(file, path: path, with: key),
            let csv = report.csv
        else { return nil }
        return csv.split(separator: "\n").map(String.init)
    }

    /// The script's verdict: its lines, or nil when it exits non-zero.
    func pythonReads(_ path: String, python: URL) throws -> [String]? {
        let run = try ProgramRun(python, [Self.script.path, path, Fixtures.path("small-private.json")])
        return run.status == 0 ? run.lines : nil
    }

    /// A valid packed file of two columns, five rows (an empty cell, negatives): three blocks of two rows, one record
    /// each, the last holding one padding row.
    func validFile(_ folder: TemporaryFolder) async throws -> [UInt8] {
        let layout = try PackingLayout(columnCount: 2, squares: false, keyBits: key.publicKey.bits)
        let header = try EncryptedRecords(publicKey: key.publicKey, columns: EncryptedRecordsTests.columns, layout: layout)
        let rows: [[BigInteger?]] = [[1250, -125], [-99_999, nil], [0, 7], [42, -1], [-4200, 30_000]]
        let plaintexts = EncryptedRecordsTests.blocks(rows, layout: layout).flatMap { layout.plaintexts(block: $0, publicKey: key.publicKey) }
        let writer = try EncryptedRecords.Writer(path: folder.file("valid.summa"), header: header)
        try writer.append(await key.publicKey.encrypt(batch: plaintexts))
        try writer.finish(rows: rows.count, counts: [5, 4])
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.file("valid.summa"))))
    }

    /// Every damaged file: the name of the change and the file's bytes, resealed.
    func damaged(_ valid: [UInt8]) throws -> [(String, [UInt8])] {
        let (header, rest) = try Self.split(valid)
        let width = 128
        let trailerStart = rest.count - (56 + 8 * 2)
        var files: [(String, [UInt8])] = [("valid", valid)]
        func headerChange(_ name: String, _ path: [JSONStep], _ value: JSONValue) {
            files.append((name, Self.resealed(Self.joined(header.replacing(path, with: value), rest))))
        }
        for rows in [1, 3, 5, 512] { headerChange("rowsPerBlock \(rows)", [.key("layout"), .key("rowsPerBlock")], .integer(rows)) }
        for slots in [1, 2, 3, 5, 6] { headerChange("valueSlots \(slots)", [.key("layout"), .key("valueSlots")], .integer(slots)) }
        for slots in [1, 3, 4, 5] { headerChange("squareSlots \(slots)", [.key("layout"), .key("squareSlots")], .integer(slots)) }
        for bits in [95, 97, 127, 200] { headerChange("valueSlotBits \(bits)", [.key("layout"), .key("valueSlotBits")], .integer(bits)) }
        headerChange("squares", [.key("layout"), .key("squares")], .bool(true))
        headerChange("unpacked", [.key("layout"), .key("packed")], .bool(false))
        for scale in [0, 1, 3, 513] { headerChange("scale \(scale)", [.key("columns"), .index(0), .key("scale")], .integer(scale)) }
        headerChange("recordBytes", [.key("recordBytes")], .integer(127))
        headerChange("mantissaBits", [.key("layout"), .key("mantissaBits")], .integer(64))
        headerChange("version 3", [.key("version")], .integer(3))
        headerChange("a column renamed as the other", [.key("columns"), .index(1), .key("name")], .string("amount"))
        // Trailer numbers: rows, records, counts.
        for (name, offset, value) in [
            ("rows 4", 8, 4), ("rows 6", 8, 6), ("rows 0", 8, 0), ("records 2", 16, 2), ("records 4", 16, 4),
            ("amount counts 4", 24, 4), ("amount counts 6", 24, 6), ("fee counts 5", 32, 5), ("fee counts 3", 32, 3),
        ] {
            var bytes = rest
            bytes.replaceSubrange(trailerStart + offset..<trailerStart + offset + 8, with: withUnsafeBytes(of: UInt64(value).bigEndian, Array.init))
            files.append((name, Self.resealed(Self.joined(header, bytes))))
        }
        // Records replaced by fresh encryptions of chosen slots (4 slots of 96 bits a record), or by non-ciphertexts.
        let w = PackingLayout.packedValueSlotBits
        func recordChange(_ name: String, record: Int, _ value: BigInteger) {
            var bytes = rest
            bytes.replaceSubrange(record * width..<(record + 1) * width, with: value.bigEndianBytes(minimumCount: width))
            files.append((name, Self.resealed(Self.joined(header, bytes))))
        }
        func slots(_ digits: [BigInteger]) -> BigInteger {
            key.publicKey.encrypt(key.publicKey.residue(PackingLayout.joined(digits, slotBits: w))).value
        }
        recordChange("a value hidden in the padding row", record: 2, slots([-4200, 30_000, 1_000_000, 0]))
        recordChange("a value in the empty cell", record: 0, slots([1250, -125, -99_999, 5]))
        recordChange("the same values again", record: 0, slots([1250, -125, -99_999, 0]))
        recordChange("a mantissa of 2^63", record: 1, slots([BigInteger(1).shiftedLeft(63), 7, 42, -1]))
        recordChange("a mantissa of -(2^63 - 1)", record: 1, slots([-BigInteger(Int.max), 7, 42, -1]))
        recordChange("a fifth slot", record: 1, slots([0, 7, 42, -1, 9]))
        recordChange("a plaintext beyond the guard band", record: 1, key.publicKey.encrypt(key.publicKey.n / 2).value)
        recordChange("zero", record: 1, 0)
        recordChange("n", record: 1, key.publicKey.n)
        recordChange("n squared", record: 1, key.publicKey.nSquared)
        return files
    }

    @Test(.enabled(if: python != nil, "python-paillier is not installed (SUMMA_PHEUTIL unset): bash .ci/run installs it"))
    func bothReadersReachTheSameVerdict() async throws {
        let python = try #require(Self.python)
        setenv("SUMMA_INSECURE_TEST_KEYS", "1", 1)  // as the command line is run in tests: the fixture key is 512 bits
        let folder = TemporaryFolder()
        let files = try damaged(try await validFile(folder))
        #expect(files.count >= 45)
        var accepted = 0
        for (index, (name, bytes)) in files.enumerated() {
            let path = folder.file("f\(index).summa")
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            let summa = await summaReads(path)
            let reference = try pythonReads(path, python: python)
            #expect(summa == reference, "\(name): Summa \(summa.map { "read \($0)" } ?? "refused"), Python \(reference.map { "read \($0)" } ?? "refused")")
            if summa != nil { accepted += 1 }
        }
        // The valid file and the changes that leave a valid file are read; the rest are refused by both.
        #expect(accepted >= 2 && accepted < files.count / 2, "\(accepted) of \(files.count) read")
    }
}
