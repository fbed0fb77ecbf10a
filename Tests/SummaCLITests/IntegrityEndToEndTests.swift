import BigNum
import Foundation
import Summa
import SummaFormats
import TestSupport
import Testing

/// The key holder no longer believes the aggregator: every attack here is a real file the aggregator (or a data
/// owner) rewrites, given to a real `summa` process.
@Suite("Signed inputs and a lying aggregator, end to end", .serialized)
struct IntegrityEndToEndTests {
    static let key = Fixtures.path("small-private.json")
    static let plan = ["--column", "amount", "--clip", "amount=-50:200", "--category", "region", "--levels", "north,south", "--other"]

    /// Two data owners with identities, each encrypting and signing a shard; the aggregator's honest sum.
    static func signedShards(_ w: Workspace) throws -> [String] {
        for owner in ["a", "b"] {
            let made = try SummaProcess("identity", "--name", "bank-\(owner)", "--out", w.file("\(owner).id"), "--public-out", w.file("\(owner).pub"))
            #expect(made.status == 0, "\(made.stderr)")
        }
        _ = w.write("amount,region\n10.00,north\n20.50,south\n-3.25,east\n", to: "a.csv")
        _ = w.write("amount,region\n100.00,south\n5.00,north\n", to: "b.csv")
        for owner in ["a", "b"] {
            let run = try SummaProcess(
                ["encrypt", "--key", key, w.file("\(owner).csv"), "--out", w.file("\(owner).bin"), "--sign", w.file("\(owner).id")] + plan)
            #expect(run.status == 0 && run.stderr.contains("signed as bank-\(owner)"), "\(run.stderr)")
        }
        let sum = try SummaProcess("sum", w.file("a.bin"), w.file("b.bin"), "--out", w.file("s.json"))
        #expect(sum.status == 0, "\(sum.stderr)")
        return ["--signer", w.file("a.pub"), "--signer", w.file("b.pub")]
    }

    static func decrypt(_ file: String, _ options: [String] = []) throws -> SummaProcess {
        try SummaProcess(["decrypt", "--key", key, file] + options)
    }

    /// The aggregate at `path` with `change` applied, written to `name` (an aggregator's rewrite).
    static func rewritten(_ w: Workspace, _ path: String, to name: String, _ change: (JSONValue) throws -> JSONValue) throws -> String {
        let json = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        return w.write(try change(json).prettySerialized, to: name)
    }

    @Test func theKeyHolderChecksWhoVouchesForEachInput() throws {
        let w = Workspace()
        let signers = try Self.signedShards(w)
        #expect(FileManager.default.fileExists(atPath: w.file("a.bin.sig")))
        let mode = try FileManager.default.attributesOfItem(atPath: w.file("a.id"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // inspect shows who signed what, and an identity's fingerprint, never its secret.
        let statement = try SummaProcess("inspect", w.file("a.bin.sig"))
        #expect(statement.status == 0 && statement.stdout.contains("signer: bank-a (ed25519:") && statement.stdout.contains("rows: 3"), "\(statement.stderr)")
        let secretIdentity = try SummaProcess("inspect", w.file("a.id"))
        #expect(secretIdentity.status == 0 && secretIdentity.stdout.contains("secret: for its owner only"))
        #expect(!secretIdentity.stdout.contains("signingKey"))
        // Trusted: the totals, and a line saying who vouches.
        let checked = try Self.decrypt(w.file("s.json"), signers)
        #expect(checked.status == 0 && checked.stdout.contains("amount sum: 132.25"), "\(checked.stderr)")
        #expect(checked.stderr.contains("note: 2 inputs signed by bank-a"), "\(checked.stderr)")
        // Without --signer: the figures, and a note that the signers were not checked.
        let unchecked = try Self.decrypt(w.file("s.json"))
        #expect(unchecked.status == 0 && unchecked.stderr.contains("not checked: give --signer"), "\(unchecked.stderr)")
        // One data owner not trusted: refused, naming the input and its signer.
        let partial = try Self.decrypt(w.file("s.json"), ["--signer", w.file("a.pub")])
        #expect(partial.status != 0 && partial.stderr.contains("input \(w.file("b.bin")): signed by bank-b"), "\(partial.stderr)")
        // A secret identity is not a signer to list.
        let secret = try Self.decrypt(w.file("s.json"), ["--signer", w.file("a.id")])
        #expect(secret.status != 0 && secret.stderr.contains("give its public half"), "\(secret.stderr)")
        // An unsigned input: summed with a note, and refused by a key holder who asks for signers.
        _ = w.write("amount,region\n1.00,north\n", to: "c.csv")
        #expect(try SummaProcess(["encrypt", "--key", Self.key, w.file("c.csv"), "--out", w.file("c.bin")] + Self.plan).status == 0)
        let mixed = try SummaProcess("sum", w.file("a.bin"), w.file("c.bin"), "--out", w.file("mixed.json"))
        #expect(mixed.status == 0 && mixed.stderr.contains("1 of 2 inputs are unsigned (\(w.file("c.bin"))): nothing vouches for them"), "\(mixed.stderr)")
        let refused = try Self.decrypt(w.file("mixed.json"), signers)
        #expect(refused.status != 0 && refused.stderr.contains("input \(w.file("c.bin")): unsigned"), "\(refused.stderr)")
    }

    /// One victim's file summed 2²⁰ times was accepted; now the same bytes twice are refused, by name or by copy.
    @Test func theSameInputIsNeverSummedTwice() throws {
        let w = Workspace()
        _ = try Self.signedShards(w)
        let twice = try SummaProcess("sum", w.file("a.bin"), w.file("b.bin"), w.file("a.bin"), "--out", w.file("x.json"))
        #expect(twice.status != 0 && twice.stderr.contains("\(w.file("a.bin")): the same input (sha256:"), "\(twice.stderr)")
        try FileManager.default.copyItem(atPath: w.file("a.bin"), toPath: w.file("copy.bin"))
        let copied = try SummaProcess("sum", w.file("a.bin"), w.file("copy.bin"), "--out", w.file("x.json"))
        #expect(copied.status != 0 && copied.stderr.contains("is summed twice"), "\(copied.stderr)")
        // Through an aggregate: s.json already holds a.bin.
        let merged = try SummaProcess("sum", w.file("s.json"), w.file("a.bin"), "--out", w.file("x.json"))
        #expect(merged.status != 0 && merged.stderr.contains("is summed twice"), "\(merged.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.file("x.json")))
        // An aggregator that lists an input twice in the file it hands over.
        let listed = try Self.rewritten(w, w.file("s.json"), to: "listed.json") { json in
            guard case .array(let inputs) = json["inputs"] else { throw FormatError.incompatible("no inputs") }
            return json.replacing([.key("inputs")], with: .array(inputs + [inputs[0]]))
        }
        let decrypted = try Self.decrypt(listed)
        #expect(decrypted.status != 0 && decrypted.stderr.contains("is summed twice"), "\(decrypted.stderr)")
    }

    @Test func anAggregatorThatRewritesCountsPlansOrSumsIsCaught() throws {
        let w = Workspace()
        let signers = try Self.signedShards(w)
        // Clipping bounds narrowed to ±0.01 so that an "ε = 1" release would be nearly exact.
        let narrowed = try Self.rewritten(w, w.file("s.json"), to: "narrowed.json") { json in
            json.replacing([.key("analysis"), .key("clips"), .index(0), .key("lower")], with: .string("-0.01"))
                .replacing([.key("analysis"), .key("clips"), .index(0), .key("upper")], with: .string("0.01"))
        }
        let release = try Self.decrypt(narrowed, signers + ["--epsilon", "1"])
        #expect(release.status != 0 && release.stderr.contains("not the one its inputs were signed with"), "\(release.stderr)")
        // The key holder's own bounds: wider than the signed ones are taken (more noise); narrower are refused.
        let wider = try Self.decrypt(w.file("s.json"), signers + ["--epsilon", "1", "--clip", "amount=-100:400"])
        #expect(wider.status == 0 && wider.stdout.contains("amount sum: sensitivity 400.00"), "\(wider.stdout)\(wider.stderr)")
        let narrower = try Self.decrypt(w.file("s.json"), signers + ["--epsilon", "1", "--clip", "amount=-10:10"])
        #expect(narrower.status != 0 && narrower.stderr.contains("does not contain the signed bounds -50…200"), "\(narrower.stderr)")
        let unsignedBounds = try Self.decrypt(w.file("s.json"), ["--epsilon", "1", "--clip", "amount=-100:400"])
        #expect(unsignedBounds.status != 0 && unsignedBounds.stderr.contains("--clip needs --epsilon and --signer"), "\(unsignedBounds.stderr)")
        let unsigned = try Self.decrypt(narrowed, ["--epsilon", "1"])
        #expect(unsigned.status != 0 && unsigned.stderr.contains("--epsilon needs --signer"), "\(unsigned.stderr)")
        // An input dropped from the list (its ciphertexts still in the sums).
        let dropped = try Self.rewritten(w, w.file("s.json"), to: "dropped.json") { json in
            guard case .array(let inputs) = json["inputs"] else { throw FormatError.incompatible("no inputs") }
            return json.replacing([.key("inputs")], with: .array(Array(inputs.prefix(1))))
        }
        let short = try Self.decrypt(dropped, signers)
        #expect(short.status != 0 && short.stderr.contains("column amount counts 5 values, its signed inputs 3"), "\(short.stderr)")
        // A count rewritten (one the blocks could hold; more than they hold is refused when the file is read).
        let recounted = try Self.rewritten(w, w.file("s.json"), to: "recounted.json") { json in
            json.replacing([.key("packed"), .index(0), .key("columns"), .index(0), .key("count")], with: .integer(4))
        }
        #expect(try Self.decrypt(recounted, signers).stderr.contains("column amount counts 4 values, its signed inputs 5"))
        // A sum amplified: the first record raised to the 1024th power, the counts left alone.
        let key = Fixtures.smallKey.publicKey
        let amplified = try Self.rewritten(w, w.file("s.json"), to: "amplified.json") { json in
            guard case .array(let packed) = json["packed"], case .array(let records) = packed[0]["records"],
                case .string(let text) = records[0], let record = BigInteger(text)
            else {
                throw FormatError.incompatible("no record")
            }
            let raised = record.power(BigInteger(1024), modulo: key.nSquared)
            return json.replacing([.key("packed"), .index(0), .key("records"), .index(0)], with: .string(raised.description))
        }
        let caught = try Self.decrypt(amplified, signers)
        #expect(caught.status != 0 && caught.stderr.contains("the decrypted totals contradict the signed inputs"), "\(caught.stderr)")
        #expect(caught.stdout.isEmpty)
        // An auditor without any key recomputes the honest aggregate, and catches the amplified one.
        let honest = try SummaProcess("audit", w.file("s.json"), w.file("a.bin"), w.file("b.bin"))
        #expect(honest.status == 0 && honest.stdout.contains("matches its 2 inputs (2 signed)"), "\(honest.stderr)")
        let audited = try SummaProcess("audit", amplified, w.file("a.bin"), w.file("b.bin"))
        #expect(audited.status != 0 && audited.stderr.contains("differ from the sum of its inputs"), "\(audited.stderr)")
        let missing = try SummaProcess("audit", w.file("s.json"), w.file("a.bin"))
        #expect(missing.status != 0 && missing.stderr.contains("inputs not given: \(w.file("b.bin"))"), "\(missing.stderr)")
    }

    @Test func statementsThatDoNotMatchTheirFileAreRefused() throws {
        let w = Workspace()
        _ = try Self.signedShards(w)
        // The rows rewritten in a statement: its signature no longer verifies.
        let statement = try String(contentsOfFile: w.file("a.bin.sig"), encoding: .utf8)
        _ = w.write(statement.replacingOccurrences(of: "\"rows\": 3", with: "\"rows\": 30"), to: "a.bin.sig")
        let forged = try SummaProcess("sum", w.file("a.bin"), w.file("b.bin"), "--out", w.file("x.json"))
        #expect(forged.status != 0 && forged.stderr.contains("a.bin.sig: the signature does not verify"), "\(forged.stderr)")
        // A valid statement beside another file.
        _ = w.write(try String(contentsOfFile: w.file("b.bin.sig"), encoding: .utf8), to: "a.bin.sig")
        let moved = try SummaProcess("sum", w.file("a.bin"), w.file("b.bin"), "--out", w.file("x.json"))
        #expect(moved.status != 0 && moved.stderr.contains("it signs other bytes than \(w.file("a.bin"))"), "\(moved.stderr)")
        // Signing needs the binary format.
        let json = try SummaProcess("encrypt", "--key", Self.key, "--column", "amount", "--format", "json", w.file("b.csv"), "--out", w.file("j.json"), "--sign", w.file("b.id"))
        #expect(json.status != 0 && json.stderr.contains("--sign needs the binary format"), "\(json.stderr)")
    }
}
