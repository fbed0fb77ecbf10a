import BigNum
import Crypto
import Foundation
import Paillier
import Summa
import SummaFormats
import TestSupport
import Testing

/// Files any data owner (or anyone on the path) can craft, with fresh digests, given to real `summa` processes: each
/// must end in one clear line and a non-zero exit, never a trap, a stall or a silently wrong number.
@Suite("Crafted files, end to end", .serialized)
struct CraftedFilesEndToEndTests {
    static let key = Fixtures.path("small-private.json")

    /// A binary records file from its parts, with the digest it should have: what an attacker who rewrites a file
    /// writes. `groups` is the group section of a grouped file (its size then goes in the trailer).
    static func recordsFile(header: JSONValue, records: [UInt8] = [], groups: [UInt8]? = nil, rows: Int, recordCount: Int, counts: [Int]) -> [UInt8] {
        func number(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(value).bigEndian, Array.init) }
        let text = Array(header.serialized.utf8)
        var bytes = EncryptedRecords.magic + withUnsafeBytes(of: UInt32(text.count).bigEndian, Array.init) + text + records
        bytes += (groups ?? []) + Array("SUMMAEND".utf8) + number(rows) + number(recordCount) + counts.flatMap(number)
        if let groups { bytes += number(groups.count) }
        return bytes + SHA256.hash(data: bytes)
    }

    /// The header of a real one-column file: the template an attacker starts from.
    static func header(_ w: Workspace) throws -> JSONValue {
        let csv = w.write("amount\n1.50\n2.25\n", to: "t.csv")
        let run = try SummaProcess("encrypt", "--key", key, "--column", "amount", csv, "--out", w.file("t.bin"))
        #expect(run.status == 0, "\(run.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: w.file("t.bin"))))
        let length = Int(bytes[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        return try JSONValue(parsing: Data(bytes[12..<12 + length]), path: "header")
    }

    static func save(_ bytes: [UInt8], _ w: Workspace, _ name: String) -> String {
        precondition(FileManager.default.createFile(atPath: w.file(name), contents: Data(bytes)), "cannot write \(name)")
        return w.file(name)
    }

    /// One line, naming the file, and no crash.
    static func expectOneLineRefusal(_ run: SummaProcess, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.hasPrefix("Error: ") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(text), "\(run.stderr)", sourceLocation: sourceLocation)
    }

    /// 2,000 columns in blocks of 512 rows, one slot a record: a tiny file asking its summer for a million
    /// accumulators. Refused from the header.
    @Test func aSparseLayoutIsRefusedBeforeAnyWork() throws {
        let w = Workspace()
        let names = (0..<2000).map { JSONValue.object([("name", .string("c\($0)")), ("scale", .integer(2))]) }
        let header = try Self.header(w).replacing([.key("columns")], with: .array(names))
            .replacing([.key("layout"), .key("rowsPerBlock")], with: .integer(512))
            .replacing([.key("layout"), .key("valueSlots")], with: .integer(1))
            .replacing([.key("layout"), .key("squareSlots")], with: .integer(1))
        let path = Self.save(Self.recordsFile(header: header, rows: 0, recordCount: 0, counts: Array(repeating: 0, count: 2000)), w, "sparse.bin")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count < 100_000)
        for command in [["sum", path, "--out", w.file("s.json")], ["inspect", path]] {
            Self.expectOneLineRefusal(try SummaProcess(command), containing: "the slot layout is not dense")
        }
        #expect(!FileManager.default.fileExists(atPath: w.file("s.json")))
    }

    /// 70,000 groups of 2⁴⁷ rows each add up past 2⁶³: once an overflow trap in inspect and sum.
    @Test func groupCountsThatAddUpPastTheLargestIntegerAreRefused() throws {
        let w = Workspace()
        func number(_ value: Int, _ width: Int) -> [UInt8] { Array(withUnsafeBytes(of: UInt64(value).bigEndian, Array.init).suffix(width)) }
        let rows = Int(Int32.max) << 16
        let header = try Self.header(w).replacing([.key("version")], with: .integer(2))
        guard case .object(let members) = header else { return }
        let grouped = JSONValue.object(members + [("groupBy", .array([.string("region")]))])
        var section = Array("SUMMAGRP".utf8) + number(70_000, 8)
        for group in 0..<70_000 {
            let key = Array("[\"g\(group)\"]".utf8)
            section += number(key.count, 4) + key + number(rows, 8) + number(0, 8) + number((rows + 4) / 5, 8)
        }
        let path = Self.save(Self.recordsFile(header: grouped, groups: section, rows: 1, recordCount: 0, counts: [0]), w, "groups.bin")
        for command in [["inspect", path], ["sum", path, "--out", w.file("s.json")]] {
            Self.expectOneLineRefusal(try SummaProcess(command), containing: "the groups do not add up")
        }
        // A group key holding a newline would forge a row of the key holder's table: refused when read.
        var forged = Array("SUMMAGRP".utf8) + number(1, 8)
        let key = Array("[\"north\\nforged\"]".utf8)
        forged += number(key.count, 4) + key + number(1, 8) + number(1, 8) + number(1, 8) + number(0, 4)
        let sample = try SummaProcess("encrypt", "--key", Self.key, "--column", "amount", w.write("amount\n1\n", to: "one.csv"), "--out", w.file("one.bin"))
        #expect(sample.status == 0)
        let record = Array([UInt8](try Data(contentsOf: URL(fileURLWithPath: w.file("one.bin")))).dropFirst(12 + (Self.headerLength(w.file("one.bin")))).prefix(128))
        let withKey = Self.save(Self.recordsFile(header: grouped, records: record, groups: forged, rows: 1, recordCount: 1, counts: [1]), w, "key.bin")
        Self.expectOneLineRefusal(try SummaProcess("inspect", withKey), containing: "holds a control character")
    }

    static func headerLength(_ path: String) -> Int {
        let bytes = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        return Int(bytes[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    /// An aggregate whose `blocks` is 2⁶³ − 1: once a trap in decrypt and inspect.
    @Test func anAggregateOfAbsurdBlocksIsRefused() throws {
        let w = Workspace()
        _ = try Self.header(w)
        #expect(try SummaProcess("sum", w.file("t.bin"), "--out", w.file("s.json")).status == 0)
        let json = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: w.file("s.json"))), path: "s.json")
        let forged = w.write(json.replacing([.key("packed"), .index(0), .key("blocks")], with: .integer(Int.max)).prettySerialized, to: "forged.json")
        Self.expectOneLineRefusal(try SummaProcess("decrypt", "--key", Self.key, forged), containing: "forged.json")
        Self.expectOneLineRefusal(try SummaProcess("inspect", forged), containing: "forged.json")
    }

    /// A value in the last block's padding row: the file's own decryption showed 1.50 and 2.25 while its sum
    /// decrypted to 1,000,003.75. Now the file is refused by decrypt, which is where the key holder would look.
    @Test func aValueHiddenInAPaddingRowIsRefused() throws {
        let w = Workspace()
        let header = try Self.header(w)
        let key = Fixtures.smallKey.publicKey
        // One column under a 512-bit key: five 96-bit slots, blocks of five rows; rows 3 to 5 are padding.
        let plaintext = PackingLayout.joined([150, 225, 0, 100_000_000, 0], slotBits: PackingLayout.packedValueSlotBits)
        let record = key.encrypt(key.residue(plaintext)).value.bigEndianBytes(minimumCount: 128)
        let path = Self.save(Self.recordsFile(header: header, records: record, rows: 2, recordCount: 1, counts: [2]), w, "hidden.bin")
        Self.expectOneLineRefusal(
            try SummaProcess("decrypt", "--key", Self.key, path), containing: "holds a value in a padding row or an empty cell")
        // The same file under its real rows decrypts as before.
        let honest = try SummaProcess("decrypt", "--key", Self.key, w.file("t.bin"))
        #expect(honest.status == 0 && honest.stdout == "1.50\n2.25\n", "\(honest.stderr)")
    }

    /// inspect printed an altered file as if nothing were wrong.
    @Test func inspectChecksTheDigest() throws {
        let w = Workspace()
        _ = try Self.header(w)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: w.file("t.bin"))))
        bytes[12 + Self.headerLength(w.file("t.bin")) + 5] ^= 1
        let altered = Self.save(bytes, w, "altered.bin")
        Self.expectOneLineRefusal(try SummaProcess("inspect", altered), containing: "altered.bin")
        #expect(try SummaProcess("inspect", w.file("t.bin")).status == 0)
    }

    /// Kept texts: a newline is refused at encryption, naming the line; canonically equivalent texts that differ in
    /// bytes (K and the Kelvin sign) stay two groups, each shown as written.
    @Test func keptTextsAreShownAsWrittenAndNeverForgeARow() throws {
        let w = Workspace()
        let newline = w.write("amount,region\n1.00,north\n2.00,\"south\nforged 999\"\n", to: "n.csv")
        Self.expectOneLineRefusal(
            try SummaProcess("encrypt", "--key", Self.key, "--column", "amount", "--keep", "region", newline, "--out", w.file("n.bin")),
            containing: "n.csv:3: column region holds a control character (U+A)")
        let kelvin = w.write("amount,unit\n1.00,K\n2.00,\u{212A}\n4.00,K\n", to: "k.csv")
        #expect(try SummaProcess("encrypt", "--key", Self.key, "--column", "amount", "--keep", "unit", kelvin, "--out", w.file("k.bin")).status == 0)
        #expect(try SummaProcess("sum", w.file("k.bin"), "--by", "unit", "--out", w.file("k.json")).status == 0)
        let decrypted = try SummaProcess("decrypt", "--key", Self.key, "--csv", w.file("k.json"))
        #expect(decrypted.status == 0, "\(decrypted.stderr)")
        let lines = decrypted.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("K,2,5.00") }, "\(lines)")
        #expect(lines.contains { $0.unicodeScalars.first?.value == 0x212A && $0.hasSuffix(",1,2.00,2.000000") }, "\(lines)")
    }

    /// Under umask 000 the deal's folder was created 0777; it holds every party's secret share.
    @Test func theDealsFolderIsPrivateWhateverTheUmask() throws {
        let w = Workspace()
        let run = try SummaProcess(
            ["-c", "umask 000; exec \"$0\" deal --parties 3 --threshold 2 --bits 512 --insecure-test-key --out-dir \"$1\"",
             SummaProcess.executable.path, w.file("keys")],
            program: URL(fileURLWithPath: "/bin/sh"))
        #expect(run.status == 0, "\(run.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: w.file("keys"))[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    /// A writer killed mid-way (SIGKILL: no handler runs) leaves no temporary file beside its output.
    @Test func aKilledWriterLeavesNoTemporaryFile() throws {
        let w = Workspace()
        let rows = (0..<60_000).map { "\($0 % 997).\($0 % 100)" }.joined(separator: "\n")
        let csv = w.write("amount\n" + rows + "\n", to: "big.csv")
        let writer = Process()
        writer.executableURL = SummaProcess.executable
        writer.arguments = ["encrypt", "--key", Fixtures.path("small-private.json"), "--column", "amount", "--no-pack", csv, "--out", w.file("big.bin"), "--quiet"]
        writer.environment = ProcessInfo.processInfo.environment.merging(["SUMMA_INSECURE_TEST_KEYS": "1"]) { $1 }
        try writer.run()
        Thread.sleep(forTimeInterval: 0.4)
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        #expect(w.contents == ["big.csv"] || w.contents == ["big.csv", "big.bin"], "\(w.contents)")
    }
}
