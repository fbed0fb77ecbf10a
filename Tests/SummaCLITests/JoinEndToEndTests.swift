import Crypto
import Foundation
import Logging
import MultiParty
import MultiPartyNIO
import Provenance
import SummaFormats
import Testing

/// A peer that authenticates with a real identity and then sends bytes that are no envelope.
struct GarbagePeer: PeerMachine {
    var sent = false
    var outcome: Int? { nil }
    mutating func nextMessage() async throws -> Envelope? {
        guard !sent else { return nil }
        sent = true
        // An envelope of a session that says nothing a join reads: not a join-hello.
        return Envelope(session: Data(count: 32), round: .joinOffer, sender: 2, body: .string("garbage"))
    }
    mutating func received(_ payload: Data) async throws {}
    func abortMessage(reason: String) -> Envelope? { nil }
}

@Suite("summa join, end to end", .serialized)
struct JoinEndToEndTests {
    /// Identities for shop (the recipient), bank (the contributor) and eve (a stranger), and two lists.
    static func workspace() throws -> Workspace {
        let w = Workspace()
        for name in ["shop", "bank", "eve"] {
            let made = try SummaProcess("identity", "--name", name, "--out", w.file("\(name).id"), "--public-out", w.file("\(name).pub"))
            #expect(made.status == 0, "\(made.stderr)")
        }
        _ = w.write("email\na@x.com\nB@x.com\n\u{C9}ve@x.com\nzed@x.com\n顧客-1\n", to: "visitors.csv")
        _ = w.write(
            "email,amount,fee,segment\nb@x.com,10.50,1,gold\nE\u{301}ve@x.com,3.25,0.5,silver\nyan@x.com,100,2,gold\n顧客-1,-1.75,0,gold\nzed@x.com,7,0,silver\n",
            to: "purchases.csv")
        return w
    }

    static func listen(_ w: Workspace, _ options: [String]) throws -> (RunningSumma, String) {
        let listener = try RunningSumma([
            "join", "--listen", "127.0.0.1:0", "--ids", w.file("visitors.csv"), "--id-column", "email", "--identity", w.file("shop.id"),
            "--peer", w.file("bank.pub"), "--timeout", "60", "--log-level", "info",
        ] + options)
        let line = try #require(listener.waitForStandardError(containing: "listening on"))
        let port = try #require(line.split(separator: " ")[2].split(separator: ":").last.map(String.init))
        return (listener, port)
    }

    static func connect(_ w: Workspace, port: String, as name: String = "bank", _ options: [String]) throws -> SummaProcess {
        try SummaProcess([
            "join", "--connect", "127.0.0.1:\(port)", "--ids", w.file("purchases.csv"), "--id-column", "email",
            "--identity", w.file("\(name).id"), "--peer", w.file("shop.pub"), "--key-bits", "512", "--insecure-test-key",
        ] + options)
    }

    @Test func twoOrganizationsJoinExactlyAgainstThePlaintext() throws {
        let w = try Self.workspace()
        let (listener, port) = try Self.listen(w, ["--json", "--case-fold", "--insecure-test-key"])
        let bank = try Self.connect(w, port: port, ["--case-fold", "--column", "amount", "--column", "fee", "--keep", "segment"])
        #expect(bank.status == 0, "\(bank.stderr)")
        #expect(bank.stderr.contains("whose list has 5 rows; this side learns nothing else"))
        let shop = listener.finish()
        #expect(shop.status == 0, "\(shop.stderr)")
        // The plaintext join: b (gold 10.50, 1), Éve (silver 3.25, 0.5), 顧客-1 (gold −1.75, 0), zed (silver 7, 0).
        let result = try #require(JSONValue(parsing: Data(shop.stdout.utf8)))
        #expect(result["intersection"] == .integer(4))
        #expect(result["recipient-rows"] == .integer(5) && result["contributor-rows"] == .integer(5))
        guard case .array(let groups)? = result["groups"] else { Issue.record("no groups"); return }
        let figures = groups.map { group -> String in
            guard case .array(let columns)? = group["columns"] else { return "" }
            return "\(group["name"]!) \(group["count"]!) " + columns.map { "\($0["sum"]!) \($0["mean"]!)" }.joined(separator: " ")
        }
        #expect(figures == [
            #"string("gold") integer(2) string("8.75") string("4.375000") string("1.0") string("0.50000")"#,
            #"string("silver") integer(2) string("10.25") string("5.125000") string("0.5") string("0.25000")"#,
        ])
        #expect(result["noise"] == .null)
        #expect(shop.stderr.contains("authenticated as the peer") && shop.stderr.contains("bytes sent"))
    }

    @Test func aStrangerIsRefusedAndTheListenerWaitsForItsPeer() throws {
        let w = try Self.workspace()
        let (listener, port) = try Self.listen(w, ["--insecure-test-key"])
        let eve = try Self.connect(w, port: port, as: "eve", ["--column", "amount"])
        #expect(eve.status != 0)
        #expect(eve.stderr == "Error: join with shop (\(try fingerprint(w, "shop"))): the TLS handshake with 127.0.0.1:\(port) failed: it refused this side's identity\n")
        // A client that pins another key than the listener's refuses it.
        let wrongPeer = try SummaProcess([
            "join", "--connect", "127.0.0.1:\(port)", "--ids", w.file("purchases.csv"), "--id-column", "email",
            "--identity", w.file("bank.id"), "--peer", w.file("eve.pub"), "--column", "amount",
        ])
        #expect(wrongPeer.status != 0 && wrongPeer.stderr.contains("is not the peer: its TLS key is not the peer's identity"))
        let bank = try Self.connect(w, port: port, ["--column", "amount"])
        #expect(bank.status == 0, "\(bank.stderr)")
        let shop = listener.finish()
        #expect(shop.status == 0 && shop.stdout.hasPrefix("intersection: 3 (of 5 rows here and 5 there)"), "\(shop.stdout)\(shop.stderr)")
        #expect(shop.stderr.contains("did not authenticate as the peer"))
    }

    @Test func aPeerThatSendsGarbageGetsOneLineAndNoResult() async throws {
        let w = try Self.workspace()
        let (listener, port) = try Self.listen(w, [])
        let bank = try Identity.read(path: w.file("bank.id"))
        let shop = try PublicIdentity.read(path: w.file("shop.pub"))
        await #expect(throws: (any Error).self) {
            _ = try await PeerLink.connect(
                machine: GarbagePeer(), identity: try Curve25519.Signing.PrivateKey(rawRepresentation: bank.signingKeyBytes),
                peerKey: shop.publicKeyBytes, host: "127.0.0.1", port: Int(port)!, maximumFrame: 1 << 20, timeout: .seconds(20),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        }
        let run = listener.finish()
        #expect(run.status != 0 && run.stdout.isEmpty)
        #expect(run.stderr.split(separator: "\n").last?.hasPrefix("Error: join with bank") == true, "\(run.stderr)")
        #expect(run.stderr.contains("the other side broke the protocol"), "\(run.stderr)")
    }

    @Test func aPrivateReleaseAndTheMinimumIntersection() throws {
        let w = try Self.workspace()
        let (listener, port) = try Self.listen(w, ["--insecure-test-key"])
        let bank = try Self.connect(w, port: port, [
            "--column", "amount", "--clip", "amount=-10:100", "--epsilon", "1", "--delta", "0.000001", "--keep", "segment",
        ])
        #expect(bank.status == 0, "\(bank.stderr)")
        let shop = listener.finish()
        #expect(shop.status == 0, "\(shop.stderr)")
        #expect(shop.stdout.contains("differentially private: ε = 1, δ = 0.000001, discrete Gaussian noise added by the other side"))
        for family in ["intersection size: σ", "count per segment: σ", "sum of amount: σ"] { #expect(shop.stdout.contains(family)) }

        // Fewer matches than either side's minimum: nothing is printed, and both sides say why in one line.
        let (small, smallPort) = try Self.listen(w, ["--insecure-test-key", "--min-intersection", "4"])
        let refused = try Self.connect(w, port: smallPort, ["--column", "amount"])
        let shopRun = small.finish()
        #expect(shopRun.status != 0 && shopRun.stdout.isEmpty)
        #expect(shopRun.stderr.hasSuffix("the intersection has fewer than 4 matches (the minimum intersection): nothing is released\n"), "\(shopRun.stderr)")
        #expect(refused.status != 0 && refused.stderr.contains("the other side stopped: the intersection has fewer than 4 matches"))
    }

    @Test func badOptionsAreRefusedBeforeAnythingIsSent() throws {
        let w = try Self.workspace()
        let base = ["join", "--ids", w.file("visitors.csv"), "--id-column", "email", "--identity", w.file("shop.id"), "--peer", w.file("bank.pub")]
        for (options, message) in [
            (["--listen", "127.0.0.1:0", "--column", "amount"], "--column belongs to the --connect side"),
            (["--listen", "127.0.0.1:0", "--connect", "127.0.0.1:1"], "give one of --listen and --connect"),
            (["--connect", "127.0.0.1:1", "--delta", "0.1"], "--delta needs --epsilon"),
        ] {
            let run = try SummaProcess(base + options)
            #expect(run.status != 0 && run.stderr.contains(message), "\(options): \(run.stderr)")
        }
        let noDelta = try SummaProcess([
            "join", "--connect", "127.0.0.1:1", "--ids", w.file("purchases.csv"), "--id-column", "email", "--identity", w.file("bank.id"),
            "--peer", w.file("shop.pub"), "--column", "amount", "--clip", "amount=0:10", "--epsilon", "1", "--key-bits", "512", "--insecure-test-key",
        ])
        #expect(noDelta.status != 0 && noDelta.stderr.contains("a private join needs --delta"), "\(noDelta.stderr)")
        // Visitors has no amount column, and the join names the file.
        let run = try SummaProcess(base + ["--connect", "127.0.0.1:1", "--column", "amount"])
        #expect(run.status != 0 && run.stderr.contains("visitors.csv") && run.stderr.contains("amount"), "\(run.stderr)")
    }
}

func fingerprint(_ w: Workspace, _ name: String) throws -> String {
    try PublicIdentity.read(path: w.file("\(name).pub")).fingerprint
}

@Suite("summa roster and deal --roster, end to end")
struct RosterEndToEndTests {
    @Test func aRosterIsWrittenInspectedAndDealtTo() throws {
        let w = Workspace()
        for name in ["p1", "p2", "p3", "coordinator"] {
            #expect(try SummaProcess("identity", "--name", name, "--out", w.file("\(name).id"), "--public-out", w.file("\(name).pub")).status == 0)
        }
        let made = try SummaProcess([
            "roster", "--party", w.file("p1.pub"), "--party", w.file("p2.pub"), "--party", w.file("p3.pub"),
            "--coordinator", w.file("coordinator.pub"), "--threshold", "2", "--bits", "512", "--insecure-test-key", "--out", w.file("roster.json"),
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let fingerprint = try #require(made.stderr.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
        let inspected = try SummaProcess("inspect", w.file("roster.json"))
        #expect(inspected.stdout.contains("kind: roster\nfingerprint: \(fingerprint)\nthreshold: 2 of 3 parties\nkey: 512 bits\nparty 1: p1 ("), "\(inspected.stdout)")
        let dealt = try SummaProcess("deal", "--roster", w.file("roster.json"), "--insecure-test-key", "--out-dir", w.file("keys"))
        #expect(dealt.status == 0, "\(dealt.stderr)")
        #expect(dealt.stderr.contains("dealt a 2-of-3 512-bit key") && dealt.stderr.contains("to roster \(fingerprint)"))
        #expect(w.exists("keys/party-3.json") && !w.exists("keys/coordinator.json"))
        // A roster without an honest majority, and --roster with what it already says.
        let small = try SummaProcess([
            "roster", "--party", w.file("p1.pub"), "--party", w.file("p2.pub"), "--coordinator", w.file("coordinator.pub"),
            "--threshold", "2", "--out", w.file("small.json"),
        ])
        #expect(small.status != 0 && small.stderr.contains("at least 2t − 1 = 3 parties"))
        let both = try SummaProcess("deal", "--roster", w.file("roster.json"), "--threshold", "2", "--out-dir", w.file("other"))
        #expect(both.status != 0 && both.stderr.contains("--roster names the parties"))
    }
}
