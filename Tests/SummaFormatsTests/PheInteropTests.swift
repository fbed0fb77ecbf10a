import BigNum
import Foundation
import Paillier
import Summa
import TestSupport
import Testing

@testable import SummaFormats

/// python-paillier interop, both ways, with the pheutil-made fixtures of Fixtures/phe (see make-fixtures.sh).
@Suite("python-paillier interop")
struct PheInteropTests {
    let key = Fixtures.pheKey

    func decrypted(_ name: String, with key: PaillierPrivateKey = Fixtures.pheKey) async throws -> [String] {
        let path = Fixtures.path("phe/" + name)
        return try await DecryptedReport.decrypt(try SummaFile.read(path: path), path: path, with: key).lines
    }

    @Test func pheutilKeysLoad() throws {
        let publicKey = try SummaFile.readPublicKey(path: Fixtures.path("phe/public.jwk.json"))
        #expect(publicKey == key.publicKey)
        #expect(publicKey.bits == 2048)
        #expect(key.p * key.q == publicKey.n)
    }

    @Test(arguments: [
        ("ct-1234.56.json", ["1234.56"]), ("ct-minus-0.5.json", ["-0.5"]), ("ct-42.json", ["42"]),
        ("ct-sum-1234.06.json", ["1234.06"]), ("column-5.json", ["10.25", "-3.5", "0", "0.001", "250000.75"]),
    ])
    func pheutilCiphertextsDecrypt(name: String, expected: [String]) async throws {
        #expect(try await decrypted(name) == expected)
    }

    @Test func pheutilValuesAreExactDoubles() throws {
        let file = try SummaFile.read(path: Fixtures.path("phe/ct-minus-0.5.json"))
        guard case .pheCiphertexts(let ciphertexts) = file else { Issue.record("not phe"); return }
        let number = try #require(try ciphertexts.numbers(publicKey: key.publicKey).first)
        #expect(number.scale == 128)
        #expect(try key.decrypt(number) == decimal("-0.5"))
    }

    @Test func summaSumsPheutilCiphertexts() async throws {
        let files = try ["ct-1234.56.json", "ct-minus-0.5.json", "column-5.json"].map { name in
            let path = Fixtures.path("phe/" + name)
            return (path: path, file: try SummaFile.read(path: path))
        }
        let table = try Aggregation.aggregate(files, kind: .mean, pheKey: key.publicKey)
        let stats = try key.decrypt(table.columns[0].aggregate)
        #expect(stats.count == 7)
        #expect(Double(stats.sum.description)! == 1234.56 - 0.5 + 10.25 - 3.5 + 0 + 1e-3 + 250000.75)
        #expect(throws: FormatError.incompatible("\(files[0].path): python-paillier ciphertexts carry no key: give the public key with --key")) {
            try Aggregation.aggregate(files, kind: .sum)
        }
    }

    /// Decrypted, a sum of pheutil values is shown as a double, as pheutil shows it; a sum that mixes them with
    /// Summa's decimals would be neither, so it is refused. pheutil integers (exponent 0) are exact either way.
    @Test func pheutilFractionsAreNotSummedWithSummaDecimals() async throws {
        let summa = try await EncryptedTable.encrypt(
            [(name: Aggregation.pheColumnName, values: [decimal("0.10")])], with: .publicKey(key.publicKey))
        let fractions = Fixtures.path("phe/ct-1234.56.json")
        let pheFile = try SummaFile.read(path: fractions)
        #expect(throws: FormatError.binaryAndDecimalValues(binaryPath: fractions, decimalPath: "s.json", column: "value")) {
            try Aggregation.aggregate([("s.json", .encrypted(summa)), (fractions, pheFile)], kind: .sum, pheKey: key.publicKey)
        }
        // Through an aggregate of pheutil fractions written by Summa, in either order.
        let pheSum = try Aggregation.aggregate([(fractions, pheFile)], kind: .sum, pheKey: key.publicKey)
        #expect(throws: FormatError.binaryAndDecimalValues(binaryPath: "p.json", decimalPath: "s.json", column: "value")) {
            try Aggregation.aggregate([("p.json", .aggregate(pheSum)), ("s.json", .encrypted(summa))], kind: .sum)
        }
        #expect(
            FormatError.binaryAndDecimalValues(binaryPath: "p.json", decimalPath: "s.json", column: "value").description
                == "p.json holds python-paillier fractions (binary, like doubles) and s.json Summa's exact decimals: "
                + "column value cannot sum both without rounding; sum each kind on its own")
        let integer = try SummaFile.parse(Data(try key.publicKey.encrypt(decimal("-17")).pheJSON().serialized.utf8), path: "i.json")
        let exact = try Aggregation.aggregate([("s.json", .encrypted(summa)), ("i.json", integer)], kind: .sum, pheKey: key.publicKey)
        #expect(try await DecryptedReport.decrypt(.aggregate(exact), path: "x.json", with: key).lines == ["-16.90"])
        let pheOnly = try Aggregation.aggregate([(fractions, pheFile), ("i.json", integer)], kind: .sum, pheKey: key.publicKey)
        #expect(try await DecryptedReport.decrypt(.aggregate(pheOnly), path: "x.json", with: key).lines == ["1217.56"])
    }

    /// Encoding before encrypting gives pheutil's exponent and, within the rounding of one ulp of M′, the mantissa
    /// that converting an encrypted decimal gives; integers exactly.
    @Test(arguments: [(["1234.56", "-0.5", "0.07"], nil as Int?), (["-17", "3", "0"], nil), (["1.5", "2"], 3)])
    func encodingBeforeEncryptingWritesWhatConvertingWould(texts: [String], scale: Int?) async throws {
        let values = texts.map(decimal)
        let written = try await PheCiphertexts.encrypt(values, scale: scale, with: .publicKey(key.publicKey))
        let reread = try SummaFile.parse(Data(written.serialized.utf8), path: "c.json")
        guard case .pheCiphertexts(let read) = reread, case .array(let entries) = written else { Issue.record("not phe"); return }
        let columnScale = scale ?? values.map(\.scale).max()!
        for (index, value) in values.enumerated() {
            let converted = try key.publicKey.encrypt(try value.rescaled(to: columnScale)).pheJSON()
            #expect(entries[index]["e"] == converted["e"])
            guard case .string(let v) = converted["v"]! else { Issue.record("no v"); return }
            let expected = try key.publicKey.decode(residue: key.decrypt(PaillierCiphertext(unchecked: BigInteger(v)!)))
            let got = try key.publicKey.decode(residue: key.decrypt(PaillierCiphertext(unchecked: read.entries[index].ciphertext)))
            #expect((got - expected).magnitude <= BigInteger(value.mantissa.magnitude.bitWidth == 0 ? 0 : 1 << 20), "\(value)")
            if columnScale == 0 { #expect(got == expected) }
        }
        #expect(try await DecryptedReport.decrypt(reread, path: "c.json", with: key).lines.map { Double($0)! } == values.map { Double($0.description)! })
        await #expect(throws: FormatError.self) { try await PheCiphertexts.encrypt([decimal("1.25")], scale: 1, with: .publicKey(key.publicKey)) }
    }

    @Test func summaWritesPheutilCiphertexts() throws {
        let amounts = ["1234.56", "-0.5", "0.07"].map(decimal)
        let encrypted = try amounts.map { try key.publicKey.encrypt($0) }
        let total = try EncryptedNumber.sum(encrypted, publicKey: key.publicKey)
        let document = try total.pheJSON()
        guard case .integer(let exponent) = document["e"]!, case .string(let v) = document["v"]! else {
            Issue.record("not {v, e}"); return
        }
        #expect(exponent == -32)
        // Decode as python-paillier does: mantissa × 16^e.
        let mantissa = try key.publicKey.decode(residue: key.decrypt(PaillierCiphertext(unchecked: BigInteger(v)!)))
        let value = Double(mantissa.description)! * pow(16, Double(exponent))
        #expect(value == 1234.13)
        // Integers are exact at exponent 0.
        let integer = try key.publicKey.encrypt(decimal("-17")).pheJSON()
        #expect(integer["e"] == .integer(0))
        // And Summa reads back what it wrote.
        let reread = try SummaFile.parse(Data(document.serialized.utf8), path: "sum.json")
        guard case .pheCiphertexts(let ciphertexts) = reread else { Issue.record("not phe"); return }
        let back = try key.decrypt(try ciphertexts.numbers(publicKey: key.publicKey)[0])
        #expect(abs(Double(back.description)! - 1234.13) < 1e-12)
    }

    @Test func wrongKeysAreCaught() async throws {
        // pheutil ciphertexts carry no key: under another 2048-bit key they fail validation or the guard band,
        // or at worst decrypt to noise; they never decrypt to the value.
        let result = try? await decrypted("other-ct-7.json")
        #expect(result != ["7"])
        #expect(throws: FormatError.self) {
            try Aggregation.aggregate(
                [("a.json", .encrypted(EncryptedTable(publicKey: key.publicKey, columns: []))),
                 ("b.json", .encrypted(EncryptedTable(publicKey: Fixtures.otherPheKey.publicKey, columns: [])))],
                kind: .sum)
        }
    }

    @Test(arguments: [
        ("{\"kty\": \"RSA\", \"alg\": \"PAI-GN1\", \"n\": \"AQ\"}", "field kty: expected \"DAJ\" (a Paillier JWK)"),
        ("{\"kty\": \"DAJ\", \"alg\": \"PAI-GN2\", \"n\": \"AQ\"}", "field alg: expected \"PAI-GN1\" (g = n + 1)"),
        ("{\"kty\": \"DAJ\", \"alg\": \"PAI-GN1\", \"n\": \"A+B\"}", "field n: not base64url"),
        ("{\"kty\": \"DAJ\", \"alg\": \"PAI-GN1\"}", "field n: missing"),
        ("{\"kty\": \"DAJ\", \"alg\": \"PAI-GN1\", \"n\": \"_w\"}", "field n: a 8-bit key is too small"),
        ("{\"kty\": \"DAJ\", \"key_ops\": [\"encrypt\"], \"p\": \"Bw\", \"q\": \"Cw\", \"pub\": {}}", "field key_ops: does not allow \"decrypt\""),
        ("{\"v\": \"12\"}", "field e: missing"),
        ("{\"v\": 12, \"e\": 0}", "field v: must be a decimal string, not a JSON number: put the digits in quotes"),
        ("{\"v\": 123456789012345678901234567890, \"e\": 0}", "field v: must be a decimal string, not a JSON number: put the digits in quotes"),
        ("{\"v\": true, \"e\": 0}", "field v: expected a decimal string"),
        ("{\"v\": \"12\", \"e\": -1000}", "field e: -1000 is outside -128…128"),
        ("{\"v\": \"12\", \"e\": \"-32\"}", "field e: expected an integer"),
        ("[{\"v\": \"12\", \"e\": 0}, 5]", "field [1]: expected a JSON object"),
    ])
    func malformedPheFilesAreRefused(text: String, message: String) {
        do {
            _ = try SummaFile.parse(Data(text.utf8), path: "p.json", allowInsecureKeySize: false)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix("p.json: " + message), "\(error)")
        }
    }

    @Test func pheCiphertextsOutsideTheKeyAreRefused() throws {
        let n = key.publicKey.n
        let file = try SummaFile.parse(Data("[{\"v\": \"\(n)\", \"e\": 0}]".utf8), path: "p.json")
        guard case .pheCiphertexts(let ciphertexts) = file else { Issue.record("not phe"); return }
        #expect(throws: FormatError.invalidKey(path: "p.json", field: "[0].v", .ciphertextNotInvertible)) {
            try ciphertexts.numbers(publicKey: key.publicKey)
        }
    }

    /// The real pheutil, when CI provides it (SUMMA_PHEUTIL): it decrypts Summa's sum and Summa's encryption, and
    /// encrypts under a key Summa wrote.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SUMMA_PHEUTIL"] != nil))
    func pheutilReadsWhatSummaWrites() async throws {
        let pheutil = ProcessInfo.processInfo.environment["SUMMA_PHEUTIL"]!
        let folder = TemporaryFolder()
        func run(_ arguments: [String]) throws -> String {
            let run = try ProgramRun(URL(fileURLWithPath: pheutil), arguments)
            #expect(run.status == 0, "pheutil \(arguments)")
            return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let privatePath = Fixtures.path("phe/private.jwk.json")
        let total = try EncryptedNumber.sum(
            try ["1234.56", "-0.5", "100.07"].map { try key.publicKey.encrypt(decimal($0)) }, publicKey: key.publicKey)
        try SummaFile.write(try total.pheJSON(), to: folder.file("sum.json"))
        #expect(try run(["decrypt", privatePath, folder.file("sum.json")]) == "1334.13")
        try SummaFile.write(try key.publicKey.encrypt(decimal("-42")).pheJSON(), to: folder.file("int.json"))
        #expect(try run(["decrypt", privatePath, folder.file("int.json")]) == "-42")
        // Encrypted through a base Summa drew for pheutil's key (encrypt --fast): pheutil decrypts it as any other.
        let fast = Encryptor.fast(FastEncryptor(publicKey: key.publicKey))
        try SummaFile.write(try fast.encrypt(decimal("-42.5")).pheJSON(), to: folder.file("fast.json"))
        #expect(try run(["decrypt", privatePath, folder.file("fast.json")]) == "-42.5")

        // A key written by Summa in pheutil's format: pheutil encrypts under it, Summa decrypts.
        let summaKey = Fixtures.otherPheKey
        try SummaFile.write(summaKey.publicKey.pheJWK(), to: folder.file("public.jwk"))
        try SummaFile.write(summaKey.pheJWK, to: folder.file("private.jwk"), secret: true)
        _ = try run(["encrypt", folder.file("public.jwk"), "--output", folder.file("c.json"), "--", "-7.25"])
        let report = try await DecryptedReport.decrypt(
            try SummaFile.read(path: folder.file("c.json")), path: "c.json",
            with: try SummaFile.readPrivateKey(path: folder.file("private.jwk")))
        #expect(report.lines == ["-7.25"])
        try SummaFile.write(try summaKey.publicKey.encrypt(decimal("3.5")).pheJSON(), to: folder.file("d.json"))
        #expect(try run(["decrypt", folder.file("private.jwk"), folder.file("d.json")]) == "3.5")
    }
}
