import BigNum
import Foundation
import RangeProofs
import Summa
import Testing
import Threshold

@testable import MultiParty

/// Sessions with declared ranges: every input carries a range proof, a party whose proof fails is blamed with its
/// signed input as evidence while the others' sum comes out exact, and a coordinator cannot blame or accept against
/// the proofs.
@Suite("Sessions with declared ranges")
struct RangedSessionTests {
    static let names = ["amount", "fee", "balance"]
    /// amount 0 to 1000.00, fee 0 to 5.00, balance −500.00 to 500.00, as cents.
    static let ranges = [ValueRange(lower: 0, upper: 100_000)!, ValueRange(lower: 0, upper: 500)!, ValueRange(symmetric: 50_000)]
    static let rows: [Int: [String]] = [
        1: ["100.50", "1.25", "-20.00"], 2: ["1000.00", "0", "500.00"], 3: ["0", "5.00", "-500.00"],
        4: ["12.34", "2.50", "7.75"], 5: ["999.99", "0.01", "0"],
    ]

    static func network(_ rows: [Int: [String]] = rows) -> Network {
        Network(vectors: rows, names: names, valueBound: 100_000, ranges: ranges)
    }

    /// The column sums of `parties`' rows.
    static func sums(of parties: [Int], _ rows: [Int: [String]] = rows) -> [FixedPoint] {
        (0..<3).map { column in parties.map { try! FixedPoint(parsing: rows[$0]![column]) }.reduce(FixedPoint.zero, +) }
    }

    /// Party `party`'s input replaced by `make(header digest, session)`'s, signed by the party itself: a lying party.
    static func lying(
        _ party: Int, in network: Network, _ make: @escaping (Message.Input, RangeStatement) -> Message.Input
    ) -> (Int, Envelope) -> Envelope {
        let checks = SessionChecks(key: dealt.publicKey, session: network.coordinator.session)
        let statement = checks.rangeStatement(header: network.coordinator.header, sender: party)!
        return { sender, envelope in
            guard sender == party, envelope.round == .input,
                case .input(let honest) = try! Message(round: .input, body: envelope.body)
            else { return envelope }
            return try! Envelope(
                session: envelope.session, round: .input, sender: party, body: Message.input(make(honest, statement)).body,
                signingKey: dealt.shares[party - 1].signingKey)
        }
    }

    static let commitmentKey = RangeCommitmentKey.shared(for: dealt.publicKey.paillierKey)

    /// 10¹⁵ cents in the amount column: far outside its range.
    static let huge: [BigInteger] = [BigInteger(10).power(15), 0, 0]

    /// Ciphertexts of ``huge`` with a proof for `statement` widened to ±10¹⁶: valid, but for another statement.
    static func hugeInput(_ statement: RangeStatement) -> (ciphertexts: [BigInteger], proof: RangeProof) {
        let wide = RangeStatement(
            ranges: [ValueRange(symmetric: BigInteger(10).power(16))], count: statement.count, slotBits: statement.slotBits,
            slotsPerCiphertext: statement.slotsPerCiphertext, sender: statement.sender, session: statement.session,
            context: statement.context)
        return try! RangeProof.encrypt(huge, statement: wide, key: commitmentKey)
    }

    @Test func everyInputIsProvenInItsRangeAndTheSumIsExact() throws {
        var network = Self.network()
        network.connectAll()
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.sums == Self.sums(of: [1, 2, 3, 4, 5]) && result.blamed.isEmpty && result.ranges == Self.ranges)
        for party in 1...5 { #expect(network.finished[party] == result) }
        let inputs = network.coordinator.transcript.filter { $0.round == .input }
        #expect(inputs.count == 5)
        for envelope in inputs {
            guard case .input(let input) = try Message(round: .input, body: envelope.body) else { continue }
            #expect(input.rangeProof != nil && input.proofs.isEmpty && input.ciphertexts.count == 1)
        }
        // The transcript verifier re-checks every proof offline.
        let report = try TranscriptVerifier.verify(TranscriptVerifier.jsonLines(network.coordinator.transcript), key: dealt.publicKey)
        #expect(report.result == result)
    }

    @Test(arguments: [
        (0, "1000.01", "the value 1000.01 (amount) is outside the session's range 0.00 to 1000.00"),
        (0, "-0.01", "the value -0.01 (amount) is outside the session's range 0.00 to 1000.00"),
        (2, "500.01", "the value 500.01 (balance) is outside the session's range -500.00 to 500.00"),
        (2, "-500.01", "the value -500.01 (balance) is outside the session's range -500.00 to 500.00"),
    ])
    func aPartyRefusesToSendAValueOutsideItsRange(column: Int, value: String, reason: String) throws {
        var rows = Self.rows
        rows[4]![column] = value
        var network = Self.network(rows)
        network.connectAll()
        #expect(network.failures[4] == reason)
        network.run(network.coordinator.deadlinePassed())
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.sums == Self.sums(of: [1, 2, 3, 5]) && result.contributors == [1, 2, 3, 5] && result.blamed.isEmpty)
    }

    /// Ways a party can try to get a value outside its range summed, each with a proof that verifies for something
    /// else: every one is refused, the party blamed with its signed input, and the others' sum is exact.
    enum Lie: String, CaseIterable {
        /// 10¹⁵ cents in the amount, proven in a range wide enough for it.
        case widerRange
        /// An honest proof beside a ciphertext of 10¹⁵ cents.
        case otherCiphertext
        /// The party's own honest proof with one response changed.
        case badResponse
        /// Party 1's input, valid for party 1, sent as party 3's.
        case anotherSendersProof
    }

    @Test(arguments: Lie.allCases)
    func aLyingPartyIsBlamedAndTheOthersSumIsExact(lie: Lie) throws {
        var network = Self.network()
        let key = Self.commitmentKey
        let fromParty1 = SessionChecks(key: dealt.publicKey, session: network.coordinator.session)
            .rangeStatement(header: network.coordinator.header, sender: 1)!
        network.forge = Self.lying(3, in: network) { honest, statement in
            switch lie {
            case .widerRange:
                let (ciphertexts, proof) = Self.hugeInput(statement)
                return Message.Input(ciphertexts: ciphertexts, rangeProof: proof, count: 1, header: honest.header)
            case .otherCiphertext:
                return Message.Input(ciphertexts: Self.hugeInput(statement).ciphertexts, rangeProof: honest.rangeProof, count: 1, header: honest.header)
            case .badResponse:
                let proof = honest.rangeProof!
                var responses = proof.valueResponses
                responses[5] += 1
                return Message.Input(
                    ciphertexts: honest.ciphertexts, rangeProof: RangeProof(
                        commitment: proof.commitment, maskCommitment: proof.maskCommitment, constantTerm: proof.constantTerm,
                        linearTerm: proof.linearTerm, ciphertextMasks: proof.ciphertextMasks, maskResponses: proof.maskResponses,
                        valueResponses: responses, commitmentResponse: proof.commitmentResponse, termResponse: proof.termResponse), count: 1,
                    header: honest.header)
            case .anotherSendersProof:
                let (ciphertexts, proof) = try! RangeProof.encrypt([100, 0, 0], statement: fromParty1, key: key)
                return Message.Input(ciphertexts: ciphertexts, rangeProof: proof, count: 1, header: honest.header)
            }
        }
        network.connectAll()
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.blamed == [3] && result.contributors == [1, 2, 4, 5])
        #expect(result.sums == Self.sums(of: [1, 2, 4, 5]))
        // Every honest party checked the evidence before printing the same result.
        for party in [1, 2, 4, 5] { #expect(network.finished[party] == result) }
        let report = try TranscriptVerifier.verify(TranscriptVerifier.jsonLines(network.coordinator.transcript), key: dealt.publicKey)
        #expect(report.result.blamed == [3])
    }

    @Test func aProofReplayedFromAnotherSessionIsBlamed() throws {
        // Party 3's honest input of one session, re-signed by party 3 into the next session with the same header.
        var first = Self.network()
        first.connectAll()
        let earlier = try #require(first.coordinator.transcript.first { $0.round == .input && $0.sender == 3 })
        guard case .input(let replayed) = try Message(round: .input, body: earlier.body) else { return }
        var network = Self.network()
        #expect(network.coordinator.header == first.coordinator.header && network.coordinator.session != first.coordinator.session)
        network.forge = Self.lying(3, in: network) { _, _ in replayed }
        network.connectAll()
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.blamed == [3] && result.sums == Self.sums(of: [1, 2, 4, 5]))
    }

    @Test func aCoordinatorThatAcceptsAnInvalidProofIsCaughtBeforeAnyShare() throws {
        var network = Self.network()
        let forged = Box()
        let lie = Self.lying(3, in: network) { honest, statement in
            Message.Input(ciphertexts: Self.hugeInput(statement).ciphertexts, rangeProof: honest.rangeProof, count: 1, header: honest.header)
        }
        network.forge = { party, envelope in
            let sent = lie(party, envelope)
            if party == 3, sent.round == .input { forged.envelope = sent }
            return sent
        }
        // The coordinator puts party 3's signed, invalid input back into the list it shows everyone.
        network.tamper = LyingCoordinatorTests.rewriting(.acceptedList, to: [1, 2, 4, 5]) { message in
            guard case .acceptedList(let list) = message, let envelope = forged.envelope,
                case .input(let input) = try! Message(round: .input, body: envelope.body)
            else { return message }
            let entries = (list.entries + [.init(party: 3, input: input, signature: envelope.signature)]).sorted { $0.party < $1.party }
            return .acceptedList(.init(entries: entries, blamed: [], missing: list.missing))
        }
        network.connectAll()
        for party in [1, 2, 4, 5] {
            #expect(network.failures[party] == "the accepted list holds an invalid input from party 3", "\(network.failures)")
        }
        #expect(network.coordinator.shares.isEmpty && network.finished[0] == nil)
    }

    @Test func aCoordinatorThatBlamesAValidProofIsCaught() throws {
        var network = Self.network()
        let honest = Box()
        network.forge = { party, envelope in
            if party == 2, envelope.round == .input { honest.envelope = envelope }
            return envelope
        }
        // Party 1 is shown a result that blames party 2, with party 2's valid input as the evidence.
        network.tamper = LyingCoordinatorTests.rewriting(.result, to: [1]) { message in
            guard case .result(let r, let shares, _) = message, let evidence = honest.envelope else { return message }
            let blaming = SessionResult(
                names: r.names, sums: r.sums, count: r.count, means: r.means, contributors: r.contributors, blamed: [2],
                ranges: r.ranges)
            return .result(blaming, shares: shares, evidence: [evidence])
        }
        network.connectAll()
        #expect(network.finished[1] == nil)
        #expect(network.failures[1] == MultiPartyError.unprovenBlame(party: 2).description, "\(network.failures)")
        #expect(network.finished[4] == network.finished[0] && network.finished[0]?.blamed == [])
    }
}

/// A message captured by a test's forging or tampering closure, for another closure to use.
final class Box: @unchecked Sendable { var envelope: Envelope? }
