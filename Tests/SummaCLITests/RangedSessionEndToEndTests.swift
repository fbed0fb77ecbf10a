import BigNum
import Foundation
import MultiParty
import RangeProofs
import SummaFormats
import Summa
import Testing

@testable import MultiPartyNIO

/// A session with declared ranges between real processes: the coordinator and honest parties are `summa` processes,
/// and the lying party a client of this test over TCP and TLS with its dealt share, which sends 10¹³ in a column
/// ranged 0 to 1000.00 with a proof for a wider range.
@Suite("summa coordinate --range, end to end", .serialized)
struct RangedSessionEndToEndTests {
    @Test func aLyingPartyIsNamedAndTheOthersSumIsExact() async throws {
        let w = Workspace()
        let (coordinator, port) = try SessionEndToEndTests.startSession(w, parties: 5, threshold: 2, [
            "--column", "amount", "--column", "fee", "--range", "amount=0:1000", "--range", "fee=0:5",
            "--transcript", w.file("run.jsonl"), "--timeout", "60",  // a cap: the input round closes once all five have answered
        ])
        let share = try ThresholdFile.readShare(path: w.file("keys/party-2.json"), allowInsecureKeySize: true, allowInsecureThreshold: true)
        let machine = PartyMachine(share: share, values: [5, 1], names: ["amount", "fee"])
        let sent = DispatchSemaphore(value: 0)
        // The liar runs on a thread of its own: the cooperative pool of this test process may be held by other
        // suites' blocking waits for longer than the coordinator's deadline.
        let liar = Task(executorPreference: DedicatedExecutor()) {
            try await PartyClient.run(
                machine: machine, host: "127.0.0.1", port: Int(port)!, timeout: .seconds(60), maximumFrame: 1 << 22,
                accepted: { _ in sent.signal() }
            ) {
                envelope in
                guard envelope.round == .input, case .input(let honest) = try! Message(round: .input, body: envelope.body) else {
                    return envelope
                }
                // The header's packing: ±100000 cents, five parties, a 512-bit key.
                let packing = SessionPacking(length: 2, valueBound: 100_000, parties: 5, keyBits: 512)!
                let wide = RangeStatement(
                    ranges: [ValueRange(symmetric: BigInteger(10).power(16))], count: 2, slotBits: packing.slotBits,
                    slotsPerCiphertext: packing.slotsPerCiphertext, sender: 2, session: envelope.session, context: honest.header)
                let (ciphertexts, proof) = try! RangeProof.encrypt(
                    [BigInteger(10).power(15), 100], statement: wide, key: .shared(for: share.publicKey.paillierKey))
                let lying = Message.Input(ciphertexts: ciphertexts, rangeProof: proof, count: 1, header: honest.header)
                return try! Envelope(session: envelope.session, round: .input, sender: 2, body: Message.input(lying).body, signingKey: share.signingKey)
            }
        }
        // The honest parties start once the liar's input is in, so that the input round cannot close without it.
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                _ = sent.wait(timeout: .now() + 60)
                continuation.resume()
            }
        }
        let contributions = [1: ["100.50", "1.25"], 3: ["1000", "5"], 4: ["0", "0"], 5: ["999.99", "0"]]
        let parties = try contributions.keys.sorted().map { index in
            (index, try RunningSumma(
                ["party", "--connect", "127.0.0.1:\(port)", "--key", w.file("keys/party-\(index).json")]
                    + contributions[index]!.flatMap { ["--value", $0] }))
        }
        let result = await Self.finished(coordinator)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = """
            sum amount: 2100.49
            mean amount: 525.122500
            sum fee: 6.25
            mean fee: 1.562500
            count: 4
            contributors: 1, 3, 4, 5
            blamed: 2
            ranges: amount 0.00:1000.00, fee 0.00:5.00, proven by every contributor

            """
        #expect(result.stdout == expected)
        #expect(result.stderr.contains("party 2"), "\(result.stderr)")
        for (index, party) in parties {
            let output = await Self.finished(party)
            #expect(output.status == 0 && output.stdout == expected, "party \(index): \(output.stderr)")
        }
        await #expect(throws: PartyFailure.self) { try await liar.value }
        let verified = try SummaProcess("verify", w.file("run.jsonl"), "--key", w.file("keys/public.json"))
        #expect(verified.status == 0 && verified.stdout.contains("sums 2100.49, 6.25 of 4; ranges: amount 0.00:1000.00"), "\(verified.stderr)")
        // A proof edited in the transcript afterwards is refused offline.
        let lines = try String(contentsOfFile: w.file("run.jsonl"), encoding: .utf8)
        let edited = lines.replacingOccurrences(of: "\"termResponse\":\"", with: "\"termResponse\":\"A")
        #expect(edited != lines)
        let refused = try SummaProcess("verify", w.write(edited, to: "edited.jsonl"), "--key", w.file("keys/public.json"))
        #expect(refused.status != 0 && refused.stderr.contains("edited.jsonl"), "\(refused.stderr)")
    }

    /// Waits for a process off the cooperative pool, which the in-process party needs meanwhile.
    static func finished(_ process: RunningSumma) async -> (status: Int32, stdout: String, stderr: String) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: process.finish()) }
        }
    }

    @Test(arguments: [
        (["--column", "a", "--range", "a=5:1"], "a=5:1: the lower end is above the upper"),
        (["--column", "a", "--range", "a=0:1.001"], "a=0:1.001: 1.001 has more than the session's 2 decimals"),
        (["--column", "a", "--range", "b=0:1"], "b=0:1: no column b in the session (a)"),
        (["--column", "a", "--range", "a=0"], "a=0: expected lower:upper"),
        (["--column", "a", "--range", "a=x:1"], "a=x:1: x is not a decimal number"),
        (["--column", "a", "--range", "a=0:1", "--range", "a=0:2"], "a=0:2: column a has two ranges"),
        (["--column", "a", "--column", "b", "--range", "a=0:1"], "column b has no range: give it one, or give a bound for the others"),
        (["--length", "3", "--range", "0:1", "--range", "0:2"], "0:1: a range without a column name is for every value, and comes alone"),
        (["--length", "3", "--bound", "1", "--range", "0:2"], "0:2: beyond the session's bound"),
        (["--length", "3", "--range", "0:100000000000000000"], "0:100000000000000000: beyond 2^63 - 1 at the session's scale"),
        (["--length", "3", "--bound", "1", "--range", "0:1", "--no-range-proofs"], "give --range or --no-range-proofs, not both"),
        (["--length", "3", "--no-range-proofs"], "--no-range-proofs is for sessions with --bound"),
        (["--length", "3", "--range", "0:1", "--epsilon", "1", "--delta", "0.001", "--clip-norm", "1"], "--range with --epsilon"),
    ])
    func badRangesAreRefusedBeforeAnythingListens(options: [String], message: String) throws {
        let w = Workspace()
        let key = w.write("{}", to: "coordinator.json")
        let refused = try SummaProcess(["coordinate", "--listen", "127.0.0.1:0", "--key", key] + options)
        #expect(refused.status != 0 && refused.stderr.contains(message), "\(refused.stderr)")
    }
}

/// Runs a task's jobs on a serial queue of its own, off the cooperative pool.
final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    let queue = DispatchQueue(label: "summa.tests.dedicated")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
