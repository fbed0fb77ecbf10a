import Foundation
import Testing

/// Dealer-free key generation between real processes: identities, a roster, `summa coordinate --keygen` and three
/// `summa party --keygen`, then a sum session under the key, `summa verify` of the key generation's transcript, and
/// the options a user can get wrong.
@Suite("summa coordinate --keygen / party --keygen, end to end", .serialized)
struct KeyGenerationEndToEndTests {
    /// Identities party-1…3 and coordinator, and a 2-of-3 512-bit roster, in the workspace.
    static func roster(_ w: Workspace) throws {
        for name in ["party-1", "party-2", "party-3", "coordinator", "stranger"] {
            let made = try SummaProcess("identity", "--name", name, "--out", w.file("\(name).json"), "--public-out", w.file("\(name).pub.json"))
            #expect(made.status == 0, "\(made.stderr)")
        }
        let roster = try SummaProcess(
            "roster", "--party", w.file("party-1.pub.json"), "--party", w.file("party-2.pub.json"), "--party", w.file("party-3.pub.json"),
            "--coordinator", w.file("coordinator.pub.json"), "--threshold", "2", "--bits", "512", "--insecure-test-key",
            "--out", w.file("roster.json"))
        #expect(roster.status == 0, "\(roster.stderr)")
    }

    static func coordinator(_ w: Workspace, _ options: [String] = []) throws -> (RunningSumma, String) {
        let coordinator = try RunningSumma(
            ["coordinate", "--keygen", "--roster", w.file("roster.json"), "--identity", w.file("coordinator.json"), "--out",
             w.file("public.json"), "--listen", "127.0.0.1:0", "--timeout", "30", "--insecure-test-key"] + options)
        let listening = try #require(coordinator.waitForStandardError(containing: "listening on"))
        let port = try #require(listening.split(separator: " ")[2].split(separator: ":").last.map(String.init))
        return (coordinator, port)
    }

    static func party(_ w: Workspace, _ name: String, port: String) throws -> RunningSumma {
        try RunningSumma(
            ["party", "--keygen", "--roster", w.file("roster.json"), "--identity", w.file("\(name).json"), "--out",
             w.file("\(name)-share.json"), "--connect", "127.0.0.1:\(port)", "--timeout", "60", "--insecure-test-key"])
    }

    @Test func threePartiesMakeAKeySumUnderItAndTheTranscriptVerifies() throws {
        let w = Workspace()
        try Self.roster(w)
        let (coordinator, port) = try Self.coordinator(w, ["--transcript", w.file("keygen.jsonl")])
        // A stranger with the roster is refused at the handshake.
        let stranger = try SummaProcess(
            "party", "--keygen", "--roster", w.file("roster.json"), "--identity", w.file("stranger.json"), "--out", w.file("stranger-share.json"),
            "--connect", "127.0.0.1:\(port)", "--insecure-test-key")
        #expect(stranger.status != 0 && stranger.stderr.contains("is not a party of roster"), "\(stranger.stderr)")
        let parties = try ["party-1", "party-2", "party-3"].map { try Self.party(w, $0, port: port) }
        let made = coordinator.finish()
        #expect(made.status == 0, "\(made.stderr)")
        let fingerprint = try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("key: ") })
        for party in parties {
            let result = party.finish()
            #expect(result.status == 0 && result.stdout.hasPrefix(String(fingerprint)), "\(result.stderr)")
        }
        let permissions = try FileManager.default.attributesOfItem(atPath: w.file("party-1-share.json"))[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(!FileManager.default.fileExists(atPath: w.file("stranger-share.json")))

        // A sum under the new key, with the files sessions already take.
        let session = try RunningSumma(
            ["coordinate", "--listen", "127.0.0.1:0", "--key", w.file("public.json"), "--identity", w.file("coordinator.json"), "--timeout", "20"])
        let listening = try #require(session.waitForStandardError(containing: "listening on"))
        let sessionPort = try #require(listening.split(separator: " ")[2].split(separator: ":").last.map(String.init))
        let contributions = [("party-1", "10.25"), ("party-2", "-3.50"), ("party-3", "7")]
        let contributors = try contributions.map { name, value in
            try RunningSumma(
                ["party", "--connect", "127.0.0.1:\(sessionPort)", "--key", w.file("\(name)-share.json"), "--identity", w.file("\(name).json"),
                 "--value", value])
        }
        let summed = session.finish()
        #expect(summed.status == 0 && summed.stdout.hasPrefix("sum: 13.75"), "\(summed.stdout)\(summed.stderr)")
        for contributor in contributors { #expect(contributor.finish().stdout.hasPrefix("sum: 13.75")) }

        let verified = try SummaProcess("verify", w.file("keygen.jsonl"), "--key", w.file("public.json"))
        #expect(verified.status == 0 && verified.stdout.contains("key generation of \(fingerprint.dropFirst(5))"), "\(verified.stderr)")
        // One public value altered after the fact: refused, naming the file.
        let lines = try String(contentsOfFile: w.file("keygen.jsonl"), encoding: .utf8)
        let edited = lines.replacingOccurrences(of: "\"values\":\"A", with: "\"values\":\"B")
        #expect(edited != lines)
        let refused = try SummaProcess("verify", w.write(edited, to: "edited.jsonl"), "--key", w.file("public.json"))
        #expect(refused.status != 0 && refused.stderr.contains("edited.jsonl: line"), "\(refused.stderr)")
    }

    @Test func aPartyThatNeverComesIsNamedAndNoKeyIsWritten() throws {
        let w = Workspace()
        try Self.roster(w)
        let (coordinator, port) = try Self.coordinator(w, ["--timeout", "3"])
        let parties = try ["party-1", "party-2"].map { try Self.party(w, $0, port: port) }
        let result = coordinator.finish()
        #expect(result.status != 0 && result.stderr.contains("not every party of the roster connected") && result.stderr.contains("(parties 3)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.file("public.json")))
        for party in parties {
            let failed = party.finish()
            #expect(failed.status != 0 && failed.stderr.contains("not every party of the roster connected"), "\(failed.stderr)")
        }
    }

    @Test(arguments: [
        (["coordinate", "--keygen", "--listen", "127.0.0.1:0"], "--keygen needs --roster, --identity (the coordinator's) and --out"),
        (["coordinate", "--keygen", "--key", "k.json", "--listen", "127.0.0.1:0"], "--keygen makes the key"),
        (["coordinate", "--listen", "127.0.0.1:0"], "give --key (or --keygen with --roster)"),
        (["coordinate", "--key", "k.json", "--roster", "r.json", "--listen", "127.0.0.1:0"], "--roster, --out and --batch are for --keygen"),
        (["coordinate", "--keygen", "--roster", "r", "--identity", "i", "--out", "o", "--batch", "0", "--listen", "127.0.0.1:0"], "--batch"),
        (["party", "--keygen", "--connect", "127.0.0.1:1"], "--keygen needs --roster, --identity and --out"),
        (["party", "--keygen", "--roster", "r", "--identity", "i", "--out", "o", "--value", "1", "--connect", "127.0.0.1:1"], "no --key and no values"),
        (["party", "--value", "1", "--connect", "127.0.0.1:1"], "give --key (or --keygen with --roster)"),
        (["party", "--key", "k", "--roster", "r", "--value", "1", "--connect", "127.0.0.1:1"], "--roster and --out are for --keygen"),
    ])
    func badOptionsAreRefusedBeforeAnythingRuns(arguments: [String], message: String) throws {
        let result = try SummaProcess(arguments)
        #expect(result.status != 0 && result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func aCoordinatorIdentityNotTheRostersIsRefused() throws {
        let w = Workspace()
        try Self.roster(w)
        let result = try SummaProcess(
            "coordinate", "--keygen", "--roster", w.file("roster.json"), "--identity", w.file("party-1.json"), "--out", w.file("public.json"),
            "--listen", "127.0.0.1:0", "--insecure-test-key")
        #expect(result.status != 0 && result.stderr.contains("not the coordinator the roster"), "\(result.stderr)")
    }
}
