import Foundation
import Summa
import SummaFormats
import TestSupport
import Testing
import Threshold

@testable import SummaCLI

/// Options and inputs a user gets wrong: each refused in one line naming the option, or the file, line and field,
/// before any work and with nothing written.
@Suite("Option bounds and input checks")
struct InputCheckTests {
    /// Every numeric option out of its bounds, negative values included (each is parsed unconditionally, so that
    /// "-1" is a value and not an unknown option). All are refused by `validate()`, before any file is opened: the
    /// files named need not exist.
    @Test(arguments: [
        (["bench", "--key", "k.json", "--op", "add", "--seconds", "nan"], "--seconds must be from 0.1 to 3600.0"),
        (["bench", "--key", "k.json", "--op", "add", "--seconds", "inf"], "--seconds must be from 0.1 to 3600.0"),
        (["bench", "--key", "k.json", "--op", "add", "--seconds", "-1"], "--seconds must be from 0.1 to 3600.0"),
        (["bench", "--key", "k.json", "--op", "sum", "--count", "0"], "--count must be from 1 to 1000000"),
        (["bench", "--key", "k.json", "--op", "sum", "--count", "100000000000"], "--count must be from 1 to 1000000"),
        (["encrypt", "--key", "k.json", "--column", "a", "--scale", "-1", "t.csv", "--out", "e.json"], "--scale must be from 0 to 512"),
        (["encrypt", "--key", "k.json", "--column", "a", "--scale", "513", "t.csv", "--out", "e.json"], "--scale must be from 0 to 512"),
        (["decrypt", "--key", "k.json", "--digits", "-2", "e.json"], "--digits must be from 0 to 512"),
        (["stats", "e.json", "--private-key", "k.json", "--digits", "513"], "--digits must be from 0 to 512"),
        (["demo", "--rows", "0"], "--rows must be from 1 to 1000000"),
        (["demo", "--bits", "1024"], "--bits 1024: at least 2048 bits are required"),
        (["demo", "--bits", "3001"], "--bits must be even, at most 16384"),
        (["keygen", "--bits", "-8", "--out", "k.json"], "--bits -8: at least 2048 bits are required"),
        (["keygen", "--bits", "20000", "--out", "k.json"], "--bits must be even, at most 16384"),
        (["deal", "--parties", "-3", "--threshold", "2", "--out-dir", "keys"], "need 1 ≤ --threshold ≤ --parties ≤ 64"),
        (["deal", "--parties", "3", "--threshold", "2", "--bits", "2049", "--out-dir", "keys"], "--bits must be even, at most 16384"),
        (["coordinate", "--listen", "127.0.0.1:0", "--key", "k.json", "--timeout", "0"], "--timeout must be from 1 to 86400"),
        (["coordinate", "--listen", "127.0.0.1:0", "--key", "k.json", "--timeout", "86401"], "--timeout must be from 1 to 86400"),
        (["coordinate", "--listen", "127.0.0.1:0", "--key", "k.json", "--scale", "-1"], "--scale must be from 0 to 512"),
        (["coordinate", "--listen", "127.0.0.1:0", "--key", "k.json", "--scale", "513"], "--scale must be from 0 to 512"),
        (["coordinate", "--listen", "127.0.0.1:0", "--key", "k.json", "--min-inputs", "-2"],
         "--min-inputs must be from 2 to ℓ, the key's number of parties"),
        (["party", "--connect", "127.0.0.1:1", "--key", "k.json", "--value", "1", "--timeout", "-5"], "--timeout must be from 1 to 86400"),
        (["party", "--connect", "127.0.0.1:1", "--key", "k.json", "--value", "1", "--timeout", "90000"], "--timeout must be from 1 to 86400"),
        (["party", "--connect", "127.0.0.1:1", "--key", "k.json", "--value", "1", "--min-inputs", "0"],
         "--min-inputs must be from 2 to ℓ, the key's number of parties"),
    ])
    func numericOptionsAreCheckedWhenParsed(arguments: [String], message: String) async {
        #expect(await failureOf(arguments) == message)
    }

    /// A session of a single input decrypts that party's input for everyone: refused on both sides unless the
    /// hidden insecure test option is given (with SUMMA_INSECURE_TEST_KEYS=1, which the tests set).
    @Test func aSessionOfASingleInputNeedsTheInsecureTestOption() async throws {
        let refusal = "--min-inputs 1 would let a session decrypt one party's input alone: use at least 2"
        let coordinate = ["coordinate", "--listen", "127.0.0.1:0", "--key", "k.json", "--min-inputs", "1"]
        let party = ["party", "--connect", "127.0.0.1:1", "--key", "k.json", "--value", "1", "--min-inputs", "1"]
        #expect(await failureOf(coordinate) == refusal)
        #expect(await failureOf(party) == refusal)
        _ = allowTestKeys
        _ = try SummaCommand.parseAsRoot(coordinate + ["--insecure-test-key"])
        _ = try SummaCommand.parseAsRoot(party + ["--insecure-test-key"])
        // The shared helper the commands apply once the key is read refuses the same.
        let key = Fixtures.deal.publicKey
        #expect(try minimumInputs(nil, key: key, allowingSingleInput: false) == 3)
        #expect(try minimumInputs(2, key: key, allowingSingleInput: false) == 2)
        #expect(try minimumInputs(1, key: key, allowingSingleInput: true) == 1)
        func refusalOf(_ given: Int?, _ key: ThresholdPublicKey, allowingSingleInput: Bool) -> String? {
            do {
                _ = try minimumInputs(given, key: key, allowingSingleInput: allowingSingleInput)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(refusalOf(1, key, allowingSingleInput: false) == refusal)
        #expect(refusalOf(6, key, allowingSingleInput: true) == "--min-inputs must be from 2 to 5")
        // A 1-of-1 key's default minimum is its one input: refused too.
        let single = try Fixtures.deal(bits: 512, parties: 1, threshold: 1, allowInsecureThreshold: true).publicKey
        #expect(refusalOf(nil, single, allowingSingleInput: false) == refusal)
        #expect(refusalOf(nil, single, allowingSingleInput: true) == nil)
    }

    @Test func aColumnGivenTwiceIsRefusedBeforeAnyFileIsRead() async {
        let message = "--column amount is given twice: name each column once"
        #expect(await failure("encrypt", "--key", "k.json", "--column", "amount", "--column", "amount", "t.csv", "--out", "e.json") == message)
        for command in ["sum", "mean"] {
            #expect(await failure(command, "e.json", "--column", "amount", "--column", "amount", "--out", "s.json") == message)
        }
        #expect(await failure("stats", "e.json", "--column", "amount", "--column", "amount", "--out", "s.json") == message)
    }

    @Test func csvRulesAreTheSameForEveryFile() async throws {
        let w = Workspace()
        try await w.makeKeys()
        let pub = w.file("public.json")
        let blank = w.write("amount\n1\n\n2\n", to: "blank.csv")
        #expect(await failure("encrypt", "--key", pub, "--column", "amount", blank, "--out", w.file("e.json"))
            == "\(blank):3: column amount is empty (use --skip-empty to skip empty cells)")
        let wide = w.write("id,amount\n1,2\n\n3,4\n", to: "wide.csv")
        #expect(await failure("encrypt", "--key", pub, "--column", "amount", wide, "--out", w.file("e.json"))
            == "\(wide):3: an empty line, but rows need the header's 2 fields (remove it)")
        let twice = w.write("amount,fee,amount\n1,2,3\n", to: "twice.csv")
        #expect(await failure("encrypt", "--key", pub, "--column", "amount", twice, "--out", w.file("e.json"))
            == "\(twice):1: the header has 2 columns named amount (columns 1, 3): rename all but one")
        #expect(!w.exists("e.json"))
        // Blank lines at the end are no rows; with --skip-empty, a blank line of a one-column file is skipped.
        let trailing = w.write("amount\n1\n2\n\n\n", to: "trailing.csv")
        try await summa("encrypt", "--key", pub, "--column", "amount", "--format", "json", trailing, "--out", w.file("t.json"))
        try await summa("encrypt", "--key", pub, "--column", "amount", "--skip-empty", "--format", "json", blank, "--out", w.file("b.json"))
        let key = try SummaFile.readPrivateKey(path: w.file("private.json"))
        for name in ["t.json", "b.json"] {
            #expect(try await DecryptedReport.decrypt(try SummaFile.read(path: w.file(name)), path: name, with: key).lines == ["1", "2"])
        }
    }

    @Test func pheutilFractionsAreNotSummedWithSummaDecimals() async throws {
        let w = Workspace()
        let pheKey = Fixtures.path("phe/public.jwk.json")
        let csv = w.write("value\n0.10\n", to: "v.csv")
        try await summa("encrypt", "--key", pheKey, "--column", "value", csv, "--out", w.file("s.json"))
        let fractions = Fixtures.path("phe/ct-1234.56.json")
        #expect(await failure("sum", w.file("s.json"), fractions, "--key", pheKey, "--out", w.file("sum.json"))
            == "\(fractions) holds python-paillier fractions (binary, like doubles) and \(w.file("s.json")) Summa's exact decimals: "
            + "column value cannot sum both without rounding; sum each kind on its own")
        #expect(!w.exists("sum.json"))
    }

    @Test func aJSONNumberWhereABigIntegerBelongsIsNamed() async throws {
        let w = Workspace()
        try await w.makeKeys()
        let text = try String(contentsOfFile: w.file("public.json"), encoding: .utf8)
        let n = try SummaFile.readPublicKey(path: w.file("public.json")).n.description
        let numeric = w.write(text.replacingOccurrences(of: "\"\(n)\"", with: n), to: "numeric.json")
        #expect(await failure("inspect", numeric) == "\(numeric): field n: must be a decimal string, not a JSON number: put the digits in quotes")
    }

    @Test func aShortVerificationKeyListSaysHowManyItNeeds() async throws {
        let w = Workspace()
        guard case .object(let members) = Fixtures.deal.publicKey.json else { Issue.record("not an object"); return }
        let shortened = members.map { name, value in
            guard name == "verificationKeys", case .array(let keys) = value else { return (name, value) }
            return (name, JSONValue.array(Array(keys.prefix(3))))
        }
        let short = w.write(JSONValue.object(shortened).serialized, to: "short.json")
        #expect(await failure("inspect", short) == "\(short): field verificationKeys: expected 5 keys, one per party (ℓ = 5), got 3")
    }
}

@Suite("summa binary: checks and summaries, end to end", .serialized)
struct InputCheckEndToEndTests {
    /// `bench --seconds nan` trapped converting NaN to an integer; a negative --scale was taken for an option.
    @Test func badNumbersExitNonZeroWithOneLine() throws {
        for (arguments, message) in [
            (["bench", "--key", "k.json", "--op", "add", "--seconds", "nan"], "--seconds must be from 0.1 to 3600.0"),
            (["encrypt", "--key", "k.json", "--column", "a", "--scale", "-1", "t.csv", "--out", "e.json"], "--scale must be from 0 to 512"),
        ] {
            let run = try SummaProcess(arguments)
            #expect(run.status == 64, "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").first.map(String.init) == "Error: \(message)")
        }
    }

    /// A deal's files show the party, t, ℓ and fingerprints, and nothing of their secrets.
    @Test func inspectShowsADealsFilesWithoutSecrets() throws {
        let key = Fixtures.deal.publicKey
        let common = [
            "threshold: any 3 of the 5 parties decrypt together (t = 3, ℓ = 5)", "key: \(key.fingerprint)", "key size: 512 bits",
            "encrypts under: \(key.paillierKey.fingerprint) (the key fingerprint of files encrypted under it)",
        ] + key.signingKeys.enumerated().map { "party \($0 + 1): \(IdentityFingerprint.of($1))" }
            + ["coordinator: \(IdentityFingerprint.of(key.coordinatorKey))"]
        let files: [(String, [String], [String])] = [
            ("party-2.json", ["kind: threshold key share (secret: for party 2 only)", "party: 2 of 5"], ["share", "signingKey"]),
            ("coordinator.json", ["kind: coordinator key (secret: for the coordinator only)"], ["signingKey"]),
            ("public.json", ["kind: threshold public key"], []),
        ]
        for (name, kind, secrets) in files {
            let path = Fixtures.path("deal-512/" + name)
            let run = try SummaProcess(["inspect", path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == (kind + common).joined(separator: "\n") + "\n")
            let data = try #require(FileManager.default.contents(atPath: path))
            let document = try #require(JSONValue(parsing: data))
            for secret in secrets {
                guard case .string(let text)? = document[secret] else { Issue.record("\(name): no \(secret)"); continue }
                #expect(!run.stdout.contains(text) && !run.stderr.contains(text), "\(name): \(secret) shown")
            }
        }
    }

    /// Zero rows: every statistic but count and sum is undefined, and says so, even with squares (it advised
    /// encrypting with --squares).
    @Test func statisticsOfNoRowsSayWhy() throws {
        let w = Workspace()
        #expect(try SummaProcess(["keygen", "--bits", "512", "--insecure-test-key", "--out", w.file("private.json"), "--public-out", w.file("public.json")]).status == 0)
        let csv = w.write("amount\n", to: "empty.csv")
        #expect(try SummaProcess(["encrypt", "--key", w.file("public.json"), "--column", "amount", "--squares", csv, "--out", w.file("e.json")]).status == 0)
        let run = try SummaProcess(["stats", w.file("e.json"), "--private-key", w.file("private.json")])
        #expect(run.status == 0, "\(run.stderr)")
        let undefined = "undefined (no values: the files summed hold no rows of this column)"
        #expect(run.stdout == (["count: 0", "sum: 0"] + ["mean", "variance", "std-dev", "sample-variance", "sample-std-dev"].map { "\($0): \(undefined)" })
            .joined(separator: "\n") + "\n")
    }
}
