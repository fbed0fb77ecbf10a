import ArgumentParser
import Crypto
import Foundation
import Summa
import SummaFormats
import TestSupport
import Testing

@testable import SummaCLI

typealias Workspace = TemporaryFolder

extension TemporaryFolder {
    /// A 512-bit key pair (insecure, tests only) in private.json and public.json.
    func makeKeys(_ prefix: String = "") async throws {
        try await summa("keygen", "--bits", "512", "--insecure-test-key", "--out", file(prefix + "private.json"),
                        "--public-out", file(prefix + "public.json"))
    }
}

/// Small test keys are accepted only with SUMMA_INSECURE_TEST_KEYS=1 (see SummaFile.insecureTestKeysAllowed).
let allowTestKeys: Void = { setenv("SUMMA_INSECURE_TEST_KEYS", "1", 1) }()

/// Runs a summa command in-process, as the executable would.
func summa(_ arguments: String...) async throws { try await summa(arguments) }

/// `sha256:` and the hex SHA-256 of the file's bytes: how an aggregate names an input.
func inputDigest(_ path: String) throws -> String {
    "sha256:" + SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
}

func summa(_ arguments: [String]) async throws {
    _ = allowTestKeys
    var command = try SummaCommand.parseAsRoot(arguments)
    if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
    } else {
        try command.run()
    }
}

/// The message of the error a summa command fails with (the binary prints it after "Error: ").
func failure(_ arguments: String...) async -> String? { await failureOf(arguments) }

/// ``failure(_:)`` for arguments built at run time.
func failureOf(_ arguments: [String]) async -> String? {
    _ = allowTestKeys
    do {
        var command = try SummaCommand.parseAsRoot(arguments)
        if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        return nil
    } catch {
        return SummaCommand.message(for: error)
    }
}

@Suite("summa commands, in-process")
struct SummaCommandTests {
    @Test func analystSession() async throws {
        let w = Workspace()
        try await w.makeKeys()
        let csv = w.write("id,amount,fee\n1,1234.56,0.5\n2,-0.5,1.25\n3,100,0\n", to: "t.csv")
        try await summa("encrypt", "--key", w.file("public.json"), "--column", "amount", "--column", "fee", "--squares", csv,
                        "--out", w.file("enc.json"))
        try await summa("sum", w.file("enc.json"), "--column", "amount", "--out", w.file("total.json"))
        try await summa("encrypt", "--key", w.file("public.json"), "--column", "amount", "--column", "fee", "--squares", csv,
                        "--out", w.file("enc2.json"))
        try await summa("mean", w.file("enc.json"), w.file("enc2.json"), "--out", w.file("mean.json"))
        try await summa("stats", w.file("enc.json"), "--out", w.file("stats.json"))
        try await summa("inspect", w.file("enc.json"), w.file("total.json"), w.file("public.json"))
        try await summa("decrypt", "--key", w.file("private.json"), w.file("stats.json"), "--json")

        let key = try SummaFile.readPrivateKey(path: w.file("private.json"), allowInsecureKeySize: true)
        func lines(_ name: String) async throws -> [String] {
            try await DecryptedReport.decrypt(try SummaFile.read(path: w.file(name)), path: name, with: key).lines
        }
        #expect(try await lines("total.json") == ["1334.06"])
        #expect(try await lines("mean.json") == ["amount mean: 444.686667", "fee mean: 0.583333"])
        #expect(try await lines("stats.json").contains("amount variance: 313633.316356"))
        #expect(try await lines("enc.json") == ["# amount", "1234.56", "-0.50", "100.00", "# fee", "0.50", "1.25", "0.00"])
        #expect(!w.contents.contains { $0.hasPrefix(".") })  // no temporary files left
    }

    @Test func ownerEncryptionAndPheFormats() async throws {
        let w = Workspace()
        try await w.makeKeys()
        let csv = w.write("amount\n1.5\n-2.25\n", to: "t.csv")
        try await summa("encrypt", "--key", w.file("private.json"), "--column", "amount", "--format", "phe", csv, "--out", w.file("phe.json"))
        try await summa("sum", w.file("phe.json"), "--key", w.file("public.json"), "--format", "phe", "--out", w.file("sum.json"))
        let key = try SummaFile.readPrivateKey(path: w.file("private.json"), allowInsecureKeySize: true)
        let report = try await DecryptedReport.decrypt(try SummaFile.read(path: w.file("sum.json")), path: "sum.json", with: key)
        #expect(report.lines == ["-0.75"])
        try await summa("keygen", "--bits", "512", "--insecure-test-key", "--format", "phe", "--out", w.file("k.jwk"))
        #expect(try SummaFile.readPrivateKey(path: w.file("k.jwk"), allowInsecureKeySize: true).publicKey.bits == 512)
    }

    @Test func badInputsFailClearlyAndLeaveNoOutput() async throws {
        let w = Workspace()
        try await w.makeKeys()
        try await w.makeKeys("other-")
        let csv = w.write("id,amount\n1,10\n2,abc\n", to: "bad.csv")
        let good = w.write("id,amount\n1,10\n2,20\n", to: "good.csv")
        let pub = w.file("public.json")
        let before = w.contents

        #expect(await failure("encrypt", "--key", pub, "--column", "amount", csv, "--out", w.file("enc.json"))
            == "\(csv):3: column amount: \"abc\" is not a decimal number (expected digits, an optional sign and point)")
        #expect(await failure("encrypt", "--key", pub, "--column", "fee", good, "--out", w.file("enc.json"))
            == "\(good): no column \"fee\" (available: id, amount)")
        #expect(await failure("encrypt", "--key", w.file("nope.json"), "--column", "amount", good, "--out", w.file("enc.json"))
            == "\(w.file("nope.json")): no such file")
        #expect(await failure("encrypt", "--key", pub, "--column", "amount", good, "--out", w.file("no/enc.json"))
            == "\(w.file("no/enc.json")): cannot write: the folder \(w.file("no")) does not exist")
        #expect(await failure("encrypt", "--key", pub, "--column", "amount", w.file("missing.csv"), "--out", w.file("enc.json"))
            == "\(w.file("missing.csv")): no such file")
        #expect(await failure("keygen", "--bits", "1024", "--out", w.file("k.json"))?.contains("at least 2048 bits") == true)
        #expect(await failure("keygen", "--bits", "1024", "--fast", "--format", "phe", "--out", w.file("k.json"))
            == "python-paillier keys have no fast encryption: drop --fast or --format phe")
        #expect(await failure("keygen", "--bits", "512", "--insecure-test-key", "--out", w.file("private.json"))
            == "\(w.file("private.json")) exists: refusing to overwrite a key (use --force)")
        #expect(await failure("encrypt", "--key", pub, good, "--out", w.file("enc.json"))?.contains("--column") == true)
        #expect(w.contents == before)

        try await summa("encrypt", "--key", pub, "--column", "amount", "--format", "json", good, "--out", w.file("a.json"))
        try await summa("encrypt", "--key", w.file("other-public.json"), "--column", "amount", good, "--out", w.file("b.json"))
        #expect(await failure("sum", w.file("a.json"), w.file("b.json"), "--out", w.file("s.json"))
            == "\(w.file("b.json")) is encrypted under a different key than \(w.file("a.json")): files can only be combined under one key")
        #expect(await failure("decrypt", "--key", w.file("other-private.json"), w.file("a.json"))?.hasPrefix("wrong private key") == true)
        #expect(await failure("decrypt", "--key", pub, w.file("a.json")) == "\(pub): holds a public key, not a private key")
        #expect(await failure("stats", w.file("a.json")) == "give --out (encrypted result) or --private-key (print it)")
        #expect(!w.exists("s.json"))

        // A corrupted and a truncated ciphertext file.
        let text = try String(contentsOfFile: w.file("a.json"), encoding: .utf8)
        _ = w.write(String(text.prefix(text.count / 2)), to: "truncated.json")
        #expect(await failure("sum", w.file("truncated.json"), "--out", w.file("s.json"))
            == "\(w.file("truncated.json")): not valid JSON (truncated or corrupted?)")
        let values = try #require(text.range(of: "\"values\": ["))
        let quote = try #require(text[values.upperBound...].firstIndex(of: "\""))
        var corrupted = text
        corrupted.replaceSubrange(corrupted.index(quote, offsetBy: 3)..<corrupted.index(quote, offsetBy: 4), with: "x")
        _ = w.write(corrupted, to: "corrupted.json")
        #expect(await failure("sum", w.file("corrupted.json"), "--out", w.file("s.json"))?.contains("columns[0].values[0]") == true)
        #expect(!w.exists("s.json"))
    }

    @Test func overflowingSumsAreRefused() async throws {
        let w = Workspace()
        try await w.makeKeys()
        // 2^(512/2 − 64) = 2^192 ≈ 6.3·10^57 is the 512-bit key's bound per value: 58 digits fit, 59 do not.
        let csv = w.write("amount\n" + String(repeating: "9", count: 59) + "\n", to: "big.csv")
        #expect(await failure("encrypt", "--key", w.file("public.json"), "--column", "amount", "--no-pack", csv, "--out", w.file("e.json"))
            == "\(csv):2: column amount: \(String(repeating: "9", count: 59)) is too large for the key's plaintext space")
        #expect(await failure("encrypt", "--key", w.file("public.json"), "--column", "amount", "--format", "json", csv, "--out", w.file("e.json"))
            == "column amount, value 1: the value is too large for the key's plaintext space")
        let fits = w.write("amount\n" + String(repeating: "9", count: 57) + "\n", to: "fits.csv")
        try await summa("encrypt", "--key", w.file("public.json"), "--column", "amount", "--scale", "0", "--no-pack", fits, "--out", w.file("e.json"))
        try await summa("sum", w.file("e.json"), "--out", w.file("s.json"))
    }
}

@Suite("summa deal")
struct DealCommandTests {
    @Test func dealsKeyFilesThatEncryptAndLoad() async throws {
        let w = Workspace()
        try await summa("deal", "--parties", "3", "--threshold", "2", "--bits", "256", "--insecure-test-key", "--out-dir", w.file("keys"))
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: w.file("keys")))
        #expect(files == ["public.json", "coordinator.json", "party-1.json", "party-2.json", "party-3.json"])
        for secret in ["party-2.json", "coordinator.json"] {
            let mode = try FileManager.default.attributesOfItem(atPath: w.file("keys/\(secret)"))[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(secret)")
        }
        // The threshold public key encrypts a column like any public key.
        let csv = w.write("amount\n1.5\n", to: "t.csv")
        try await summa("encrypt", "--key", w.file("keys/public.json"), "--column", "amount", csv, "--out", w.file("e.json"))
        #expect(await failure("deal", "--parties", "3", "--threshold", "2", "--bits", "256", "--insecure-test-key", "--out-dir", w.file("keys"))
            == "\(w.file("keys/public.json")) exists: refusing to overwrite key files (use --force)")
        #expect(await failure("deal", "--parties", "3", "--threshold", "4", "--out-dir", w.file("k2")) == "need 1 ≤ --threshold ≤ --parties ≤ 64")
        #expect(await failure("deal", "--parties", "3", "--threshold", "2", "--bits", "1024", "--out-dir", w.file("k2"))
            == "--bits 1024: at least 2048 bits are required")        // A 1-of-ℓ deal would let any one party decrypt every input: refused before any prime search.
        #expect(await failure("deal", "--parties", "3", "--threshold", "1", "--out-dir", w.file("k3"))
            == "--threshold 1 would let any one party decrypt every input alone: use at least 2")
        #expect(!FileManager.default.fileExists(atPath: w.file("k3")))
    }
}

@Suite("summa party arguments")
struct PartyArgumentTests {
    @Test func negativeValuesAreValuesNotOptions() throws {
        let command = try SummaCommand.parseAsRoot(
            ["party", "--connect", "127.0.0.1:1", "--key", "k.json", "--value", "-0.56", "--value", "-3"])
        #expect((command as? PartyCommand)?.value == ["-0.56", "-3"])
        #expect(throws: Error.self) { try SummaCommand.parseAsRoot(["party", "--connect", "nowhere", "--key", "k.json", "--value", "1"]) }
        #expect(throws: Error.self) {
            try SummaCommand.parseAsRoot(["party", "--connect", "127.0.0.1:1", "--key", "k.json", "--value", "1", "--csv", "x.csv"])
        }
        #expect(throws: Error.self) {
            try SummaCommand.parseAsRoot(["party", "--connect", "127.0.0.1:1", "--key", "k.json", "--value", "1", "--column", "a"])
        }
        #expect(throws: Error.self) {
            try SummaCommand.parseAsRoot(
                ["party", "--connect", "127.0.0.1:1", "--key", "k.json", "--csv", "x.csv", "--column", "a", "--column", "a"])
        }
    }

    @Test func minimumInputsOutsideTheRosterAreRefused() async throws {
        let w = Workspace()
        try await summa("deal", "--parties", "3", "--threshold", "2", "--bits", "256", "--insecure-test-key", "--out-dir", w.file("keys"))
        #expect(await failure("party", "--connect", "127.0.0.1:1", "--key", w.file("keys/party-1.json"), "--value", "1", "--min-inputs", "4")
            == "--min-inputs must be from 2 to 3")
        #expect(await failure("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/coordinator.json"), "--min-inputs", "0")
            == "--min-inputs must be from 2 to ℓ, the key's number of parties")
    }
}
