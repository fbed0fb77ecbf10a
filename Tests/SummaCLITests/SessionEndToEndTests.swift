import Foundation
import SummaFormats
import Testing

/// A running summa process whose output is read when it ends.
final class RunningSumma: @unchecked Sendable {
    let process = Process()
    let out = Pipe(), err = Pipe()
    /// Standard error read by ``waitForStandardError(containing:)``, which ``finish()`` puts back in front.
    var earlyStandardError = ""

    init(_ arguments: [String]) throws {
        process.executableURL = SummaProcess.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["SUMMA_INSECURE_TEST_KEYS": "1"]) { $1 }
        process.standardOutput = out
        process.standardError = err
        try process.run()
    }

    /// Reads standard error until a line containing `marker` arrives (the coordinator's port), or gives up.
    func waitForStandardError(containing marker: String) -> String? {
        var text = ""
        while process.isRunning || !text.isEmpty {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            text += String(decoding: chunk, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }) {
                earlyStandardError += text
                return String(line)
            }
        }
        return nil
    }

    func finish() -> (status: Int32, stdout: String, stderr: String) {
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), earlyStandardError + String(decoding: stderr, as: UTF8.self))
    }
}

@Suite("summa coordinate / party / verify, end to end", .serialized)
struct SessionEndToEndTests {
    /// Deals a 512-bit test key of `parties` shares (threshold `threshold`) into the workspace's keys/, starts a
    /// coordinator on a free port with a 4-second timeout and `options`, and returns it with its port.
    static func startSession(
        _ w: Workspace, parties: Int, threshold: Int, _ options: [String]
    ) throws -> (coordinator: RunningSumma, port: String) {
        let deal = try SummaProcess(
            "deal", "--parties", "\(parties)", "--threshold", "\(threshold)", "--bits", "512", "--insecure-test-key", "--out-dir", w.file("keys"))
        #expect(deal.status == 0, "\(deal.stderr)")
        let coordinator = try RunningSumma(
            ["coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/coordinator.json"), "--timeout", "4"] + options)
        let listening = try #require(coordinator.waitForStandardError(containing: "listening on"))
        let port = try #require(listening.split(separator: " ")[2].split(separator: ":").last.map(String.init))
        return (coordinator, port)
    }

    @Test func aFivePartySessionWithOneDropoutAndItsTranscript() throws {
        let w = Workspace()
        let (coordinator, port) = try Self.startSession(w, parties: 5, threshold: 3, [
            "--transcript", w.file("run.jsonl"), "--json", "--log-level", "info",
        ])
        let csv = w.write("amount\n10.00\n20.50\n", to: "rows.csv")
        let parties = try [
            ["--value", "1234.56"], ["--value", "-0.56"], ["--csv", csv, "--column", "amount"], ["--value", "100"],
        ].enumerated().map { index, contribution in
            try RunningSumma(["party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-\(index + 1).json"), "--json"] + contribution)
        }  // party 5 never connects
        let result = coordinator.finish()
        #expect(result.status == 0, "\(result.stderr)")
        // 1234.56 − 0.56 + 30.50 + 100 = 1364.50 over 5 rows.
        #expect(result.stdout.contains("\"sums\":[\"1364.50\"]"))
        #expect(result.stdout.contains("\"count\":\"5\"") && result.stdout.contains("\"means\":[\"272.900000\"]"))
        #expect(result.stdout.contains("\"contributors\":[1,2,3,4]"))
        // The log: one line per event, parties and rounds, no value and no secret.
        for event in [
            "authenticated as party 1", "party 4: input accepted", "inputs closed: accepted 1, 2, 3, 4; missing 5; blamed none",
            "4 parties confirmed the accepted list", "finished: 5 rows from 1, 2, 3, 4",
        ] {
            #expect(result.stderr.contains(event), "\(event) not in \(result.stderr)")
        }
        #expect(!result.stderr.contains("1364.50") && !result.stderr.contains("1234.56"))
        for party in parties {
            let output = party.finish()
            #expect(output.status == 0 && output.stdout == result.stdout, "\(output.stderr)")
        }

        let verified = try SummaProcess("verify", w.file("run.jsonl"), "--key", w.file("keys/public.json"))
        #expect(verified.status == 0 && verified.stdout.contains("transcript verified"), "\(verified.stderr)")
        // Altering any ciphertext digit is caught, with the line named.
        var lines = try String(contentsOfFile: w.file("run.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
        let inputLine = try #require(lines.firstIndex { $0.contains("\"round\":\"input\"") })
        let digit = try #require(lines[inputLine].range(of: "\"ciphertexts\":[\"")).upperBound
        let original = lines[inputLine][digit]
        lines[inputLine].replaceSubrange(digit...digit, with: original == "1" ? "2" : "1")
        _ = w.write(lines.joined(separator: "\n") + "\n", to: "altered.jsonl")
        let altered = try SummaProcess("verify", w.file("altered.jsonl"), "--key", w.file("keys/public.json"))
        #expect(altered.status != 0)
        #expect(altered.stderr.contains("line \(inputLine + 1):"), "\(altered.stderr)")
    }

    @Test func tooFewPartiesAbortNamingThem() throws {
        let w = Workspace()
        #expect(try SummaProcess("deal", "--parties", "3", "--threshold", "2", "--bits", "512", "--insecure-test-key", "--out-dir", w.file("keys")).status == 0)
        // The public key is not the coordinator's key file: said so, with the file to use.
        let wrongFile = try SummaProcess("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/public.json"))
        #expect(wrongFile.status != 0)
        #expect(wrongFile.stderr.contains("the coordinator's key file is coordinator.json, written by `summa deal`"), "\(wrongFile.stderr)")
        let coordinator = try RunningSumma(["coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/coordinator.json"), "--timeout", "2"])
        let listening = try #require(coordinator.waitForStandardError(containing: "listening on"))
        let port = String(listening.split(separator: ":").last!.split(separator: " ").first!)
        // Its port is taken, and nothing listens on port 1: one line each, saying what to do.
        let second = try SummaProcess("coordinate", "--listen", "127.0.0.1:\(port)", "--key", w.file("keys/coordinator.json"))
        #expect(second.status != 0)
        #expect(second.stderr == "Error: cannot listen on 127.0.0.1:\(port): address already in use: another process listens there; choose another port, or 0 for any free one\n")
        let nowhere = try SummaProcess("party", "--connect", "127.0.0.1:1", "--key", w.file("keys/party-2.json"), "--value", "5")
        #expect(nowhere.status != 0)
        #expect(nowhere.stderr == "Error: party 2: cannot reach the coordinator at 127.0.0.1:1: connection refused: nothing listens there; is the coordinator running?\n")
        let lone = try RunningSumma(["party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-1.json"), "--value", "5"])
        let result = coordinator.finish()
        #expect(result.status != 0)
        #expect(result.stderr.contains("only 1 of the 2 inputs needed arrived (parties 2, 3)"), "\(result.stderr)")
        #expect(lone.finish().status != 0)
    }

    /// Named columns: the coordinator asks for amount and fee; each party gives both, from a CSV file or as values,
    /// and every position is summed on its own. A party whose columns are not the session's refuses before sending
    /// anything, saying which columns the session sums.
    @Test func aSessionOfNamedColumns() throws {
        let w = Workspace()
        let (coordinator, port) = try Self.startSession(w, parties: 5, threshold: 2, [
            "--column", "amount", "--column", "fee", "--transcript", w.file("run.jsonl"),
        ])
        let csv = w.write("fee,amount,region\n0.10,10.00,north\n0.25,20.50,south\n", to: "rows.csv")
        let contributions = [
            ["--csv", csv, "--column", "amount", "--column", "fee"], ["--value", "100", "--value", "-1.5"],
            ["--value", "1", "--value", "0.5"], ["--value", "7"], ["--csv", csv, "--column", "fee", "--column", "amount"],
        ]
        let parties = try contributions.enumerated().map { index, contribution in
            try RunningSumma(["party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-\(index + 1).json")] + contribution)
        }
        let result = coordinator.finish()
        #expect(result.status == 0, "\(result.stderr)")
        // amount 30.50 + 100 + 1 = 131.50, fee 0.35 − 1.5 + 0.5 = −0.65, over 4 rows.
        let expected = """
            sum amount: 131.50
            mean amount: 32.875000
            sum fee: -0.65
            mean fee: -0.162500
            count: 4
            contributors: 1, 2, 3
            blamed: none
            ranges: none declared: inputs were not proven to lie in any range

            """
        #expect(result.stdout == expected)
        for (index, party) in parties.enumerated() {
            let output = party.finish()
            switch index {
            case 0, 1, 2: #expect(output.status == 0 && output.stdout == expected, "\(output.stderr)")
            case 3: #expect(output.status != 0 && output.stderr.contains("the session sums 2 values per party; this party has 1"), "\(output.stderr)")
            default: #expect(output.status != 0 && output.stderr.contains("the session sums amount, fee; this party has fee, amount"), "\(output.stderr)")
            }
        }
        let verified = try SummaProcess("verify", w.file("run.jsonl"), "--key", w.file("keys/public.json"))
        #expect(verified.status == 0 && verified.stdout.contains("sums 131.50, -0.65 of 4"), "\(verified.stderr)")
        // Options the header could not carry are refused before anything listens.
        let both = try SummaProcess("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/coordinator.json"), "--column", "a", "--length", "2")
        #expect(both.status != 0 && both.stderr.contains("give --column or --length, not both"), "\(both.stderr)")
        let tooLong = try SummaProcess("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/coordinator.json"), "--length", "4097")
        #expect(tooLong.status != 0 && tooLong.stderr.contains("--length must be from 1 to 4096"), "\(tooLong.stderr)")
        let twice = try SummaProcess("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/coordinator.json"), "--column", "a", "--column", "a")
        #expect(twice.status != 0, "\(twice.stderr)")
    }

    /// Vectors: 300 values per party, each at most 5.000 in magnitude, packed; parties read them from files, one
    /// clips its vector to a norm (long enough not to change it); a party with a value beyond the bound refuses.
    @Test func aSessionOfPackedVectors() throws {
        let w = Workspace()
        let (coordinator, port) = try Self.startSession(w, parties: 5, threshold: 2, [
            "--length", "300", "--bound", "5", "--scale", "3", "--json",
        ])
        let vectors = (1...3).map { party in
            (0..<300).map { index -> String in
                let thousandths = (party * 7919 + index * 104_729) % 10_001 - 5_000
                return (thousandths < 0 ? "-" : "") + "\(abs(thousandths) / 1000).\(String(format: "%03d", abs(thousandths) % 1000))"
            }
        }
        var contributions = vectors.enumerated().map { index, vector in
            ["--vector", w.write(vector.joined(separator: "\n") + "\n", to: "v\(index + 1).txt")] + (index == 2 ? ["--clip-norm", "1000"] : [])
        }
        contributions.append(["--vector", w.write(String(repeating: "1\n", count: 299) + "5.001\n", to: "beyond.txt")])
        let parties = try contributions.enumerated().map { index, contribution in
            try RunningSumma(["party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-\(index + 1).json"), "--json"] + contribution)
        }
        let result = coordinator.finish()
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue(parsing: Data(result.stdout.utf8), path: "result")
        guard case .array(let sums) = json["sums"] else { Issue.record("\(result.stdout)"); return }
        let expected = (0..<300).map { index in vectors.map { Decimal(string: $0[index])! }.reduce(0, +) }
        let decoded = sums.map { sum -> Decimal? in
            guard case .string(let text) = sum else { return nil }
            return Decimal(string: text)
        }
        #expect(decoded == expected.map { Optional($0) })
        for (index, party) in parties.enumerated() {
            let output = party.finish()
            if index < 3 {
                #expect(output.status == 0 && output.stdout == result.stdout, "\(output.stderr)")
            } else {
                #expect(output.status != 0 && output.stderr.contains("the value 5.001 is outside the session's range -5.000 to 5.000"), "\(output.stderr)")
            }
        }
        let badBound = try SummaProcess("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/coordinator.json"), "--bound", "0.001", "--scale", "2")
        #expect(badBound.status != 0 && badBound.stderr.contains("--bound must be positive, with at most --scale decimals"), "\(badBound.stderr)")
        let noVector = try SummaProcess("party", "--connect", "127.0.0.1:1", "--key", w.file("keys/party-1.json"), "--vector", w.write("1\n\nx\n", to: "bad.txt"))
        #expect(noVector.status != 0 && noVector.stderr.contains("bad.txt:2"), "\(noVector.stderr)")
    }

    /// Distributed noise: the coordinator says what noise each party adds and what it guarantees, picks a bound with
    /// room for it, and the sums come out noisy.
    @Test func aNoisySessionOfVectors() throws {
        let w = Workspace()
        let (coordinator, port) = try Self.startSession(w, parties: 3, threshold: 2, [
            "--length", "50", "--scale", "3", "--epsilon", "2", "--delta", "0.00001", "--clip-norm", "10", "--json",
        ])
        let vector = w.write(String(repeating: "0.5\n", count: 50), to: "v.txt")
        let parties = try (1...3).map { index in
            try RunningSumma(["party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-\(index).json"), "--vector", vector])
        }
        let result = coordinator.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("each party adds discrete Gaussian noise of σ = "), "\(result.stderr)")
        #expect(result.stderr.contains("with at least 2 of the 3 parties adding theirs, the sums are (ε = 2, δ = 0.00001)-differentially private"))
        let json = try JSONValue(parsing: Data(result.stdout.utf8), path: "result")
        guard case .array(let sums) = json["sums"] else { Issue.record("\(result.stdout)"); return }
        #expect(sums.count == 50 && sums.filter { $0 == .string("1.500") }.count < 5)
        for party in parties {
            // Each party states the guarantee too, computed from the header it accepted.
            let output = party.finish()
            #expect(output.status == 0 && output.stderr.contains("each party adds discrete Gaussian noise of σ = "), "\(output.stderr)")
        }
        let incomplete = try SummaProcess("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/coordinator.json"), "--length", "5", "--epsilon", "1")
        #expect(incomplete.status != 0 && incomplete.stderr.contains("--epsilon needs --delta and --clip-norm"), "\(incomplete.stderr)")
    }

    /// A deal that names the parties' and the coordinator's own identities: the dealer writes no signing key, each
    /// process brings its own, and a session runs exactly as with a dealt roster.
    @Test func aSessionOnADealNamingEveryonesOwnIdentity() throws {
        let w = Workspace()
        for name in ["p1", "p2", "p3", "coordinator"] {
            #expect(try SummaProcess("identity", "--name", name, "--out", w.file("\(name).id"), "--public-out", w.file("\(name).pub")).status == 0)
        }
        let deal = try SummaProcess([
            "deal", "--threshold", "2", "--bits", "512", "--insecure-test-key", "--out-dir", w.file("keys"),
            "--party-identity", w.file("p1.pub"), "--party-identity", w.file("p2.pub"), "--party-identity", w.file("p3.pub"),
            "--coordinator-identity", w.file("coordinator.pub"),
        ])
        #expect(deal.status == 0 && deal.stderr.contains("naming 3 party identities"), "\(deal.stderr)")
        // No signing key anywhere in what the dealer wrote, and no coordinator key file.
        let written = try FileManager.default.contentsOfDirectory(atPath: w.file("keys")).sorted()
        #expect(written == ["party-1.json", "party-2.json", "party-3.json", "public.json"])
        for file in written {
            #expect(!(try String(contentsOfFile: w.file("keys/\(file)"), encoding: .utf8)).contains("signingKey\""), "\(file)")
        }
        let inspected = try SummaProcess("inspect", w.file("keys/party-2.json"))
        #expect(inspected.status == 0 && inspected.stdout.contains("party: 2 of 3 (dealt to its own identity"), "\(inspected.stderr)")
        let coordinator = try RunningSumma([
            "coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/public.json"), "--identity", w.file("coordinator.id"),
            "--timeout", "4", "--json",
        ])
        let listening = try #require(coordinator.waitForStandardError(containing: "listening on"))
        let port = try #require(listening.split(separator: " ")[2].split(separator: ":").last.map(String.init))
        // A share without its identity, or with another party's, takes no part.
        let missing = try SummaProcess("party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-1.json"), "--value", "1")
        #expect(missing.status != 0 && missing.stderr.contains("give that identity (summa party --identity)"), "\(missing.stderr)")
        let swapped = try SummaProcess(
            "party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-1.json"), "--identity", w.file("p2.id"), "--value", "1")
        #expect(swapped.status != 0 && swapped.stderr.contains("is not the one party 1 was dealt to"), "\(swapped.stderr)")
        let parties = try [("1", "10.25"), ("2", "-3.00"), ("3", "100")].map { party, value in
            try RunningSumma([
                "party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-\(party).json"),
                "--identity", w.file("p\(party).id"), "--value", value, "--json",
            ])
        }
        let result = coordinator.finish()
        #expect(result.status == 0 && result.stdout.contains("\"sums\":[\"107.25\"]"), "\(result.stderr)")
        for party in parties { #expect(party.finish().stdout == result.stdout) }
        // The coordinator's identity must be the one the deal names.
        let impostor = try SummaProcess("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/public.json"), "--identity", w.file("p1.id"))
        #expect(impostor.status != 0 && impostor.stderr.contains("not the coordinator identity the deal"), "\(impostor.stderr)")
        let mixed = try SummaProcess(["deal", "--threshold", "2", "--out-dir", w.file("x"), "--party-identity", w.file("p1.pub")])
        #expect(mixed.status != 0 && mixed.stderr.contains("together with --coordinator-identity"), "\(mixed.stderr)")
    }

    /// What the coordinator may not choose: an ε the parties would refuse, more honest parties than the roster has,
    /// and a δ that a float would turn into no noise. Each is refused, or calibrated right, before anyone connects.
    @Test func theCoordinatorsNoiseParametersAreCheckedAsThePartiesCheckThem() throws {
        let w = Workspace()
        #expect(try SummaProcess("deal", "--parties", "3", "--threshold", "2", "--bits", "512", "--insecure-test-key", "--out-dir", w.file("keys")).status == 0)
        let base = ["coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/coordinator.json"), "--length", "5", "--scale", "3", "--clip-norm", "10"]
        let tooLarge = try SummaProcess(base + ["--epsilon", "101", "--delta", "0.00001"])
        #expect(tooLarge.status != 0 && tooLarge.stderr.contains("ε must be from 0.000001 to 100, not 101"), "\(tooLarge.stderr)")
        #expect(!tooLarge.stderr.contains("listening"))
        let roster = try SummaProcess(base + ["--epsilon", "1", "--delta", "0.00001", "--honest-parties", "64"])
        #expect(roster.status != 0 && roster.stderr.contains("noise counted on 64 honest parties"), "\(roster.stderr)")
        // δ = 10⁻³¹⁰: once σ ≈ 0.005 units; now about 270 in the values' units (10⁵ times the clipping norm's unit).
        let tiny = try RunningSumma(base + ["--epsilon", "1", "--delta", "0." + String(repeating: "0", count: 309) + "1", "--timeout", "1"])
        let line = try #require(tiny.waitForStandardError(containing: "σ = "))
        let sigma = try #require(line.split(separator: "σ = ").last?.split(separator: " ").first.flatMap { Double($0) })
        #expect(sigma > 100, "\(line)")
        _ = tiny.finish()
    }

    /// A party that insists on noise refuses a coordinator that left it out, before sending anything; the session
    /// then fails for want of inputs instead of summing noise-free vectors.
    @Test func aPartyThatRequiresNoiseRefusesASessionWithout() throws {
        let w = Workspace()
        let (coordinator, port) = try Self.startSession(w, parties: 3, threshold: 2, ["--length", "5", "--bound", "100", "--scale", "2"])
        let vector = w.write(String(repeating: "0.5\n", count: 5), to: "v.txt")
        let parties = try (1...3).map { index in
            try RunningSumma([
                "party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-\(index).json"), "--vector", vector,
                "--clip-norm", "5", "--epsilon", "1", "--delta", "0.00001",
            ])
        }
        for party in parties {
            let output = party.finish()
            #expect(output.status != 0, "\(output.stdout)")
            #expect(output.stderr.contains("the session adds no noise, and this party requires it"), "\(output.stderr)")
        }
        let result = coordinator.finish()
        #expect(result.status != 0 && !result.stdout.contains("0.5"), "\(result.stdout)")
        let misuse = try SummaProcess("party", "--connect", "127.0.0.1:1", "--key", w.file("keys/party-1.json"), "--value", "5", "--require-noise")
        #expect(misuse.status != 0 && misuse.stderr.contains("need --vector"), "\(misuse.stderr)")
    }
}
