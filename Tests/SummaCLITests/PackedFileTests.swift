import Foundation
import Paillier
import Summa
import SummaFormats
import TestSupport
import Testing

@testable import SummaCLI

/// `summa encrypt`'s binary files, packed and not, through sum, mean, stats and decrypt. Expected totals come from
/// Foundation's `Decimal`, a second implementation of exact decimal sums.
@Suite("Binary files: packed and unpacked, end to end")
struct PackedFileTests {
    /// Rows of two amount columns with negatives, cents, zeros and a column of many digits.
    static let rows: [(amount: String, fee: String)] = (0..<157).map { index in
        let cents = (index * 7919 % 2_000_003) - 1_000_001
        let sign = cents < 0 ? "-" : ""
        let magnitude = abs(cents)
        return ("\(sign)\(magnitude / 100).\(String(format: "%02d", magnitude % 100))", "\(index % 13).\(index % 10)")
    }

    func csv(in w: Workspace, extra: String = "") -> String {
        w.write("amount,fee\n" + Self.rows.map { "\($0.amount),\($0.fee)" }.joined(separator: "\n") + "\n" + extra, to: "t.csv")
    }

    func decimalSum(_ values: [String]) -> String {
        var total = Decimal(0)
        for value in values { total += Decimal(string: value)! }
        return "\(total)"
    }

    /// The sum line of `summa decrypt` for a column, normalized as Decimal prints it.
    func decryptedSum(_ w: Workspace, _ file: String, column: String) throws -> String {
        let run = try SummaProcess("decrypt", "--key", Fixtures.path("small-private.json"), "--json", file)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONValue(parsing: Data(run.stdout.utf8), path: file)
        guard case .string(let sum) = json[column]?["sum"] else { return "missing" }
        return "\(Decimal(string: sum)!)"
    }

    @Test(arguments: [[String](), ["--no-pack"]])
    func sumsMeansAndStatisticsAreExact(packing: [String]) async throws {
        let w = Workspace()
        let input = csv(in: w)
        let encrypt = await failureOf(["encrypt", "--key", Fixtures.path("small-private.json"), "--column", "amount",
                                       "--column", "fee", "--squares", input, "--out", w.file("t.enc")] + packing)
        #expect(encrypt == nil)
        // The same rows encrypted again: another input (the same file twice is refused).
        try await summa(["encrypt", "--key", Fixtures.path("small-private.json"), "--column", "amount", "--column", "fee", "--squares",
                         input, "--out", w.file("again.enc")] + packing)
        #expect(await failure("stats", w.file("t.enc"), w.file("t.enc"), "--out", w.file("stats.json"))?.contains("is summed twice") == true)
        try await summa("stats", w.file("t.enc"), w.file("again.enc"), "--out", w.file("stats.json"))
        let doubled = Self.rows.map(\.amount) + Self.rows.map(\.amount)
        #expect(try decryptedSum(w, w.file("stats.json"), column: "amount") == decimalSum(doubled))
        #expect(try decryptedSum(w, w.file("stats.json"), column: "fee") == decimalSum(Self.rows.map(\.fee) + Self.rows.map(\.fee)))
        // The values themselves come back in row order.
        let values = try SummaProcess("decrypt", "--key", Fixtures.path("small-private.json"), w.file("t.enc"))
        #expect(values.stdout.split(separator: "\n").dropFirst().prefix(Self.rows.count).map(String.init) == Self.rows.map(\.amount))
        // Packed under a 512-bit key: blocks of 2 rows in 1 record of values and 2 of squares; unpacked: 4 per row.
        let records = try #require(try SummaFile.read(path: w.file("t.enc")).recordsFile)
        #expect(records.trailer.recordCount == (packing.isEmpty ? 3 * 79 : 4 * Self.rows.count))
    }

    @Test func aValueTooLargeToPackIsNamedAndNoPackTakesIt() async throws {
        let w = Workspace()
        let input = csv(in: w, extra: "92233720368547758.08,1\n")
        let line = Self.rows.count + 2
        #expect(await failure("encrypt", "--key", Fixtures.path("small-private.json"), "--column", "amount", input, "--out", w.file("t.enc"))
            == "\(input):\(line): column amount: 92233720368547758.08 is too large to pack (|mantissa| must be below 2^63 at scale 2; use --no-pack)")
        #expect(!w.exists("t.enc"))
        try await summa("encrypt", "--key", Fixtures.path("small-private.json"), "--column", "amount", "--no-pack", input, "--out", w.file("t.enc"))
        try await summa("sum", w.file("t.enc"), "--out", w.file("sum.json"))
        #expect(try decryptedSum(w, w.file("sum.json"), column: "amount") == decimalSum(Self.rows.map(\.amount) + ["92233720368547758.08"]))
    }

    @Test func aScaleTooSmallIsNamedBeforeAnythingIsEncrypted() async throws {
        let w = Workspace()
        let input = w.write("amount\n1.5\n2.25\n", to: "t.csv")
        #expect(await failure("encrypt", "--key", Fixtures.path("small-private.json"), "--column", "amount", "--scale", "1", input, "--out", w.file("t.enc"))
            == "\(input):3: column amount: 2.25 has more than 1 decimals (raise --scale)")
        #expect(w.contents == ["t.csv"])
    }

    @Test func packedSumsMergeWithUnpackedAndJSONFilesOfOtherScales() async throws {
        let w = Workspace()
        let key = Fixtures.path("small-private.json")
        try await summa("encrypt", "--key", key, "--column", "amount", csv(in: w), "--out", w.file("packed.enc"))
        let other = w.write("amount,fee\n0.125,1\n-3,2\n", to: "other.csv")
        try await summa("encrypt", "--key", key, "--column", "amount", "--no-pack", other, "--out", w.file("plain.enc"))
        try await summa("encrypt", "--key", key, "--column", "amount", "--format", "json", other, "--out", w.file("json.json"))
        try await summa("sum", w.file("packed.enc"), w.file("plain.enc"), w.file("json.json"), "--out", w.file("sum.json"))
        // packed.enc is among sum.json's inputs: summing them together would count it twice.
        #expect(await failure("sum", w.file("sum.json"), w.file("packed.enc"), "--out", w.file("again.json"))
            == "\(w.file("packed.enc")): the same input (\(try inputDigest(w.file("packed.enc")))) is summed twice")
        try await summa("encrypt", "--key", key, "--column", "amount", csv(in: w), "--out", w.file("packed2.enc"))
        try await summa("sum", w.file("sum.json"), w.file("packed2.enc"), "--out", w.file("again.json"))
        let expected = Self.rows.map(\.amount) + ["0.125", "-3", "0.125", "-3"]
        #expect(try decryptedSum(w, w.file("sum.json"), column: "amount") == decimalSum(expected))
        #expect(try decryptedSum(w, w.file("again.json"), column: "amount") == decimalSum(expected + Self.rows.map(\.amount)))
        #expect(await failure("sum", w.file("packed.enc"), "--format", "phe", "--out", w.file("phe.json"))
            == "--format phe writes one ciphertext of one sum, which packed files cannot give: encrypt with --no-pack")
    }

    /// `encrypt --fast` under pheutil's public key, which publishes no base: every format decrypts exactly, and the
    /// key the file records is pheutil's as given (its fingerprint), never one carrying the base the process drew.
    @Test(arguments: ["binary", "json", "phe"])
    func fastEncryptionUnderAKeyWithoutABaseWritesOnlyThatKey(format: String) async throws {
        let w = Workspace()
        let publicKey = Fixtures.path("phe/public.jwk.json")
        let input = w.write("amount\n12.50\n-0.75\n1000\n", to: "t.csv")
        try await summa("encrypt", "--key", publicKey, "--fast", "--column", "amount", "--format", format, input, "--out", w.file("t.enc"))
        let file = try SummaFile.read(path: w.file("t.enc"))
        if format != "phe" {
            #expect(file.publicKey == Fixtures.pheKey.publicKey)
            #expect(file.publicKey?.fingerprint == PaillierPublicKey.fingerprint(of: Fixtures.pheKey.publicKey.n))
        }
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: w.file("t.enc"))), as: UTF8.self)
        #expect(!text.contains("fastEncryptionBase"))
        let values = try SummaProcess("decrypt", "--key", Fixtures.path("phe/private.jwk.json"), w.file("t.enc"))
        #expect(values.status == 0, "\(values.stderr)")
        #expect(values.stdout.split(separator: "\n").suffix(3) == (format == "phe" ? ["12.5", "-0.75", "1000"] : ["12.50", "-0.75", "1000.00"]))
    }

    /// A fast-decryption key through the whole job: keygen, packed and --fast encryption, sum, exact decryption; and
    /// never in pheutil's format, which would lose what makes it fast.
    @Test func aFastDecryptionKeyEncryptsSumsAndDecryptsExactly() async throws {
        let w = Workspace()
        try await summa("keygen", "--bits", "512", "--insecure-test-key", "--fast-decryption", "--out", w.file("private.json"),
                        "--public-out", w.file("public.json"))
        let key = try SummaFile.readPrivateKey(path: w.file("private.json"), allowInsecureKeySize: true)
        #expect(key.publicKey.shortExponentBits == 128 && key.subgroupOrders != nil)
        let input = csv(in: w)
        try await summa("encrypt", "--key", w.file("public.json"), "--column", "amount", input, "--out", w.file("a.enc"))
        try await summa("encrypt", "--key", w.file("public.json"), "--fast", "--column", "amount", input, "--out", w.file("b.enc"))
        try await summa("sum", w.file("a.enc"), w.file("b.enc"), "--out", w.file("sum.json"))
        let run = try SummaProcess("decrypt", "--key", w.file("private.json"), "--json", w.file("sum.json"))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"sum\":\"\(decimalSum(Self.rows.map(\.amount) + Self.rows.map(\.amount)))\""), "\(run.stdout)")
        let inspect = try SummaProcess("inspect", w.file("public.json"))
        #expect(inspect.stdout.contains("fast decryption and encryption (Ma–Han–Lei, l = 128)"))
        #expect(await failure("keygen", "--bits", "2048", "--fast-decryption", "--format", "phe", "--out", w.file("k.jwk"))?
            .hasPrefix("a fast-decryption key cannot be written in pheutil's format") == true)
        #expect(!w.exists("k.jwk"))
    }

    @Test func anAlteredOrTruncatedFileGivesNoResult() async throws {
        let w = Workspace()
        try await summa("encrypt", "--key", Fixtures.path("small-private.json"), "--column", "amount", csv(in: w), "--out", w.file("t.enc"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: w.file("t.enc")))
        bytes[bytes.count / 2] ^= 1
        try bytes.write(to: URL(fileURLWithPath: w.file("altered.enc")))
        let altered = "\(w.file("altered.enc")): the SHA-256 digest in its trailer does not match its contents (the file was altered or corrupted)"
        #expect(await failure("sum", w.file("altered.enc"), "--out", w.file("sum.json")) == altered)
        #expect(await failure("decrypt", "--key", Fixtures.path("small-private.json"), w.file("altered.enc")) == altered)
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: w.file("cut.enc")))
        #expect(await failure("sum", w.file("cut.enc"), "--out", w.file("sum.json"))?.hasPrefix(w.file("cut.enc") + ":") == true)
        #expect(!w.exists("sum.json"))
        #expect(await failure("decrypt", "--key", Fixtures.path("phe/private.jwk.json"), w.file("t.enc"))?.hasPrefix("wrong private key") == true)
    }
}

extension SummaFile {
    /// The records file this is, if it is one.
    var recordsFile: EncryptedRecords.File? {
        if case .encryptedRecords(let file) = self { file } else { nil }
    }
}
