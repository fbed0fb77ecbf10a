import BigNum
import Foundation
import Paillier
import Summa
import TestSupport
import Testing

@testable import SummaFormats

@Suite("File formats: round trips and every malformed field refused")
struct FileFormatTests {
    let key = Fixtures.smallKey

    func parse(_ document: JSONValue, insecure: Bool = true) throws(FormatError) -> SummaFile {
        try SummaFile.parse(Data(document.serialized.utf8), path: "f.json", allowInsecureKeySize: insecure)
    }

    func table() throws -> EncryptedTable {
        let values = ["1.25", "-3.50"].map(decimal)
        let encrypted = try values.map { try key.publicKey.encrypt($0) }
        let squares = try values.map { try key.publicKey.encrypt(try ($0 * $0).rescaled(to: 4)) }
        return EncryptedTable(publicKey: key.publicKey, columns: [
            EncryptedColumn(name: "amount", scale: 2, values: encrypted.map(\.ciphertext), squares: squares.map(\.ciphertext))
        ])
    }

    @Test func keysRoundTrip() throws {
        guard case .privateKey(let loaded) = try parse(key.summaJSON) else { Issue.record("not a private key"); return }
        #expect(loaded == key)
        guard case .publicKey(let publicKey) = try parse(key.publicKey.summaJSON) else { Issue.record("not a public key"); return }
        #expect(publicKey == key.publicKey)
        let fast = try PaillierPrivateKey(generatingBits: 512, fastEncryption: true, allowInsecureKeySize: true)
        guard case .privateKey(let loadedFast) = try parse(fast.summaJSON) else { Issue.record("not a private key"); return }
        #expect(loadedFast.publicKey.fastEncryptionBase == fast.publicKey.fastEncryptionBase)
    }

    @Test func encryptedTablesRoundTripAndDecrypt() async throws {
        let document = try table().summaJSON
        guard case .encrypted(let loaded) = try parse(document) else { Issue.record("not a table"); return }
        #expect(loaded.columns.count == 1 && loaded.columns[0].squares?.count == 2)
        let report = try await DecryptedReport.decrypt(.encrypted(loaded), path: "f.json", with: key)
        #expect(report.lines == ["1.25", "-3.50"])
        // Pretty and compact text read back alike.
        let pretty = try SummaFile.parse(Data(document.prettySerialized.utf8), path: "f.json", allowInsecureKeySize: true)
        guard case .encrypted(let prettyLoaded) = pretty else { Issue.record("not a table"); return }
        #expect(prettyLoaded.columns[0].values == loaded.columns[0].values)
    }

    @Test func aggregatesRoundTripWithTheirBounds() async throws {
        let aggregate = try Aggregation.aggregate([("f.json", .encrypted(try table()))], kind: .stats)
        guard case .aggregate(let loaded) = try parse(aggregate.summaJSON) else { Issue.record("not an aggregate"); return }
        #expect(loaded.kind == .stats)
        #expect(loaded.columns[0].aggregate.sum.bound == key.publicKey.valueBound * 2)
        let report = try await DecryptedReport.decrypt(.aggregate(loaded), path: "f.json", with: key)
        #expect(report.lines.contains("sum: -2.25") && report.lines.contains("count: 2"))
        #expect(report.lines.contains("variance: 5.640625"))
    }

    @Test func fileWritesAreAtomicAndSecretFilesPrivate() throws {
        let folder = TemporaryFolder()
        try SummaFile.write(key.summaJSON, to: folder.file("private.json"), secret: true)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.file("private.json"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(folder.contents == ["private.json"])  // no temporary file left behind
        #expect(throws: FormatError.io(path: folder.file("missing/x.json"), reason: "cannot write: the folder \(folder.file("missing")) does not exist")) {
            try SummaFile.write(key.summaJSON, to: folder.file("missing/x.json"))
        }
        try FileManager.default.createDirectory(atPath: folder.file("dir.json"), withIntermediateDirectories: false)
        #expect(throws: FormatError.self) { try SummaFile.write(key.summaJSON, to: folder.file("dir.json")) }
        #expect(Set(folder.contents) == ["private.json", "dir.json"])
    }

    @Test func unreadableFilesAreNamed() {
        #expect(throws: FormatError.io(path: "/nonexistent/x.json", reason: "no such file")) {
            try SummaFile.read(path: "/nonexistent/x.json")
        }
        #expect(throws: FormatError.unrecognizedFile(path: "f.json", reason: "not valid JSON (truncated or corrupted?)")) {
            try SummaFile.parse(Data("{\"format\": \"summa.encr".utf8), path: "f.json")
        }
        #expect(throws: FormatError.unrecognizedFile(path: "f.json", reason: "expected a JSON object")) {
            try SummaFile.parse(Data("42".utf8), path: "f.json")
        }
        #expect(throws: FormatError.self) { try SummaFile.parse(Data([0xFF, 0xFE, 0x00]), path: "f.json") }
    }

    @Test func truncatedFilesAreRefused() throws {
        let text = try table().summaJSON.serialized
        for length in [1, text.count / 3, text.count / 2, text.count - 3] {
            #expect(throws: FormatError.self) {
                try SummaFile.parse(Data(text.prefix(length).utf8), path: "f.json", allowInsecureKeySize: true)
            }
        }
    }

    typealias Mutation = (path: [JSONStep], value: JSONValue?, error: FormatError)

    static let n = Fixtures.smallKey.publicKey.n
    /// A valid public key that is not the one the file's fingerprint names: a swapped key.
    static let otherPublicKey = try! PaillierPrivateKey(generatingBits: 512, allowInsecureKeySize: true).publicKey.summaJSON
    static let tableMutations: [Mutation] = [
        ([.key("format")], .string("summa.other"), .unrecognizedFile(path: "f.json", reason: "unknown format \"summa.other\"")),
        ([.key("format")], .integer(3), .malformedField(path: "f.json", field: "format", reason: "expected a string")),
        ([.key("version")], .integer(4), .unsupportedVersion(path: "f.json", format: "summa.encrypted", version: 4)),
        ([.key("version")], .string("1"), .malformedField(path: "f.json", field: "version", reason: "expected an integer")),
        ([.key("version")], nil, .malformedField(path: "f.json", field: "version", reason: "missing")),
        ([.key("keyFingerprint")], .string("sha256:00"), .fingerprintMismatch(path: "f.json")),
        ([.key("keyFingerprint")], nil, .malformedField(path: "f.json", field: "keyFingerprint", reason: "missing")),
        ([.key("publicKey")], nil, .malformedField(path: "f.json", field: "publicKey", reason: "missing")),
        ([.key("publicKey")], .string("x"), .malformedField(path: "f.json", field: "publicKey", reason: "expected a JSON object")),
        ([.key("publicKey"), .key("n")], .integer(5), .malformedField(path: "f.json", field: "publicKey.n", reason: "must be a decimal string, not a JSON number: put the digits in quotes")),
        ([.key("publicKey"), .key("n")], .string("12ab"), .malformedField(path: "f.json", field: "publicKey.n", reason: "\"12ab\" is not a non-negative decimal integer")),
        ([.key("publicKey")], otherPublicKey, .fingerprintMismatch(path: "f.json")),
        ([.key("publicKey"), .key("n")], .string((n * 2).description), .invalidKey(path: "f.json", field: "publicKey.n", .modulusNotOdd)),
        ([.key("publicKey"), .key("bits")], .integer(2048), .invalidKey(path: "f.json", field: "publicKey.n", .modulusSizeMismatch(expected: 2048, actual: 512))),
        ([.key("publicKey"), .key("bits")], .integer(0), .malformedField(path: "f.json", field: "publicKey.bits", reason: "0 is outside 1…16384")),
        ([.key("publicKey"), .key("fingerprint")], .string("sha256:ab"), .fingerprintMismatch(path: "f.json")),
        ([.key("columns")], nil, .malformedField(path: "f.json", field: "columns", reason: "missing")),
        ([.key("columns")], .object([]), .malformedField(path: "f.json", field: "columns", reason: "expected an array")),
        ([.key("columns"), .index(0)], .string("x"), .malformedField(path: "f.json", field: "columns[0]", reason: "expected a JSON object")),
        ([.key("columns"), .index(0), .key("name")], .string(""), .malformedField(path: "f.json", field: "columns[0].name", reason: "empty")),
        ([.key("columns"), .index(0), .key("name")], nil, .malformedField(path: "f.json", field: "columns[0].name", reason: "missing")),
        ([.key("columns"), .index(0), .key("scale")], .integer(-1), .malformedField(path: "f.json", field: "columns[0].scale", reason: "-1 is outside 0…512")),
        ([.key("columns"), .index(0), .key("scale")], .number(2.5), .malformedField(path: "f.json", field: "columns[0].scale", reason: "expected an integer")),
        ([.key("columns"), .index(0), .key("count")], .integer(3), .malformedField(path: "f.json", field: "columns[0].values", reason: "2 values, but count says 3")),
        ([.key("columns"), .index(0), .key("values")], .string("x"), .malformedField(path: "f.json", field: "columns[0].values", reason: "expected an array")),
        ([.key("columns"), .index(0), .key("values"), .index(1)], .string("0"), .invalidKey(path: "f.json", field: "columns[0].values[1]", .ciphertextOutOfRange)),
        ([.key("columns"), .index(0), .key("values"), .index(1)], .string((n * n).description), .invalidKey(path: "f.json", field: "columns[0].values[1]", .ciphertextOutOfRange)),
        ([.key("columns"), .index(0), .key("values"), .index(1)], .string(n.description), .invalidKey(path: "f.json", field: "columns[0].values[1]", .ciphertextNotInvertible)),
        ([.key("columns"), .index(0), .key("values"), .index(1)], .string("-5"), .malformedField(path: "f.json", field: "columns[0].values[1]", reason: "\"-5\" is not a non-negative decimal integer")),
        ([.key("columns"), .index(0), .key("values"), .index(0)], .integer(7), .malformedField(path: "f.json", field: "columns[0].values[0]", reason: "must be a decimal string, not a JSON number: put the digits in quotes")),
        ([.key("columns"), .index(0), .key("squares")], .array([.string("5")]), .malformedField(path: "f.json", field: "columns[0].squares", reason: "1 squares for 2 values")),
    ]

    @Test(arguments: tableMutations.indices)
    func malformedEncryptedFilesAreRefused(index: Int) throws {
        let mutation = Self.tableMutations[index]
        let document = try table().summaJSON.replacing(mutation.path, with: mutation.value)
        #expect(throws: mutation.error) { try parse(document) }
    }

    @Test func duplicateColumnsAndBadStatisticsAreRefused() throws {
        let document = try table().summaJSON
        guard case .array(let columns) = document["columns"]! else { Issue.record("no columns"); return }
        #expect(throws: FormatError.malformedField(path: "f.json", field: "columns[1].name", reason: "duplicate column \"amount\"")) {
            try parse(document.replacing([.key("columns")], with: .array(columns + columns)))
        }
        let aggregate = try Aggregation.aggregate([("f.json", .encrypted(try table()))], kind: .sum).summaJSON
        #expect(throws: FormatError.malformedField(path: "f.json", field: "statistic", reason: "\"median\" is not one of sum, mean, stats")) {
            try parse(aggregate.replacing([.key("statistic")], with: .string("median")))
        }
        #expect(throws: FormatError.malformedField(path: "f.json", field: "columns[0].sum", reason: "missing")) {
            try parse(aggregate.replacing([.key("columns"), .index(0), .key("sum")], with: nil))
        }
        #expect(throws: FormatError.malformedField(path: "f.json", field: "columns[0].bound", reason: "beyond the key's plaintext range")) {
            try parse(aggregate.replacing([.key("columns"), .index(0), .key("bound")], with: .string(Self.n.description)))
        }
    }

    @Test func malformedPrivateKeysAreRefused() throws {
        let document = key.summaJSON
        #expect(throws: FormatError.invalidKey(path: "f.json", field: "p, q", .privateKeyDoesNotMatchPublicKey)) {
            try parse(document.replacing([.key("p")], with: .string("7")))
        }
        #expect(throws: FormatError.malformedField(path: "f.json", field: "q", reason: "missing")) {
            try parse(document.replacing([.key("q")], with: nil))
        }
        #expect(throws: FormatError.invalidKey(path: "f.json", field: "publicKey.n", .keyTooSmall(bits: 512, minimum: 2048))) {
            try parse(document, insecure: false)
        }
    }

    @Test func filesThatAreNoneOfTheFormatsAreRefused() {
        #expect(throws: FormatError.unrecognizedFile(
            path: "f.json", reason: "not a Summa file (no \"format\" field) nor a python-paillier key or ciphertext")) {
            try parse(.object([("hello", .string("world"))]))
        }
        #expect(throws: FormatError.unrecognizedFile(path: "f.json", reason: "an empty array holds no ciphertexts")) {
            try parse(.array([]))
        }
    }
}
