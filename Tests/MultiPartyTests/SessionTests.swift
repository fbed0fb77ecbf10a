import BigNum
import Foundation
import RangeProofs
import Summa
import SummaFormats
import TestSupport
import Testing
import Threshold

@testable import MultiParty

/// A dealt 3-of-5 key with small safe primes (insecure size: tests only), made once.
let dealt = Fixtures.deal

/// The header a fresh coordinator of a session over ``dealt`` sends its first connection.
func sessionHeader(minimumInputs: Int = 3) throws -> Envelope {
    var coordinator = CoordinatorMachine(key: dealt.publicKey, scale: 2, minimumInputs: minimumInputs, inputDeadline: 1)
    guard case .send(_, let header) = coordinator.connected(1, as: 1).last else { throw MultiPartyError.malformedMessage("no header") }
    return header
}

/// Routes frames between one coordinator and parties in memory; connection c is party c (authenticated as the
/// transport would, by its TLS key), and a closed connection is disconnected as the transport does. `tamper` may rewrite or
/// drop what the coordinator sends a party, `forge` what a party sends the coordinator.
struct Network {
    var coordinator: CoordinatorMachine
    var parties: [Int: PartyMachine] = [:]
    var finished: [Int: SessionResult] = [:]   // 0 is the coordinator
    var failures: [Int: String] = [:]
    var closed: [Int: String] = [:]
    var tamper: (Int, Envelope) -> Envelope? = { $1 }
    /// Parties whose connection drops right after they send a message of this round.
    var dropAfter: [Int: Envelope.Round] = [:]
    var forge: (Int, Envelope) -> Envelope = { $1 }

    init(
        values: [Int: String], minimumInputs: Int = 3, key: ThresholdPublicKey = dealt.publicKey, shares: [KeyShare] = dealt.shares
    ) {
        self.init(vectors: values.mapValues { [$0] }, minimumInputs: minimumInputs, key: key, shares: shares)
    }

    /// A session whose inputs are vectors, named by `names` (at the coordinator and every party) if given, and
    /// packed when `valueBound` is.
    init(
        vectors: [Int: [String]], names: [String] = [], minimumInputs: Int = 3, key: ThresholdPublicKey = dealt.publicKey,
        shares: [KeyShare] = dealt.shares, valueBound: BigInteger? = nil, noise: SessionNoise? = nil, ranges: [ValueRange] = []
    ) {
        let length = vectors.values.first?.count ?? 1
        coordinator = CoordinatorMachine(
            key: key, scale: 2, minimumInputs: minimumInputs, inputDeadline: 30, length: length, names: names,
            valueBound: valueBound, noise: noise, ranges: ranges)
        for (party, values) in vectors {
            parties[party] = PartyMachine(
                share: shares[party - 1], values: values.map { try! FixedPoint(parsing: $0) }, names: names)
        }
    }

    mutating func run(_ initial: [CoordinatorMachine.Action]) {
        var queue = initial
        while !queue.isEmpty {
            let action = queue.removeFirst()
            switch action {
            case .send(let connection, let envelope):
                guard closed[connection] == nil, var party = parties[connection],
                    let delivered = tamper(connection, envelope)
                else { continue }
                let replies = party.received(delivered.payload)
                parties[connection] = party
                for reply in replies {
                    switch reply {
                    case .send(let envelope):
                        let sent = forge(connection, envelope)
                        queue += coordinator.received(sent.payload, from: connection)
                        if dropAfter[connection] == sent.round {
                            closed[connection] = "dropped"
                            queue += coordinator.disconnected(connection)
                        }
                    case .finished(let result): finished[connection] = result
                    case .failed(let reason):  // a failed party hangs up, as PartyClient does
                        failures[connection] = reason
                        closed[connection] = reason
                        queue += coordinator.disconnected(connection)
                    }
                }
            case .close(let connection, let reason):
                closed[connection] = reason
                queue += coordinator.disconnected(connection)
            case .startDeadline, .log: break
            case .finished(let result): finished[0] = result
            case .failed(let reason, _): failures[0] = reason
            }
        }
    }

    mutating func connectAll() { for party in parties.keys.sorted() { run(coordinator.connected(party, as: party)) } }
}

@Suite("Multi-party sessions, driven without sockets")
struct SessionTests {
    static let five = [1: "100.50", 2: "-20.25", 3: "0", 4: "7.75", 5: "12"]

    @Test func honestPartiesAllGetTheSameExactResult() throws {
        var network = Network(values: Self.five)
        network.connectAll()
        let result = try #require(network.finished[0])
        #expect(result.sums == [try FixedPoint(parsing: "100.00")])
        #expect(result.count == 5 && result.contributors == [1, 2, 3, 4, 5] && result.blamed.isEmpty)
        #expect(result.means?.map(\.description) == ["20.000000"])
        for party in 1...5 { #expect(network.finished[party] == result, "party \(party): \(network.failures[party] ?? "")") }
        #expect(network.coordinator.transcript.count > 10)
    }

    @Test func aPartyThatNeverConnectsIsLeftOutAfterTheDeadline() throws {
        var network = Network(values: [1: "1.00", 2: "2.00", 3: "3.00", 4: "4.00"])
        network.connectAll()
        #expect(network.finished[0] == nil)
        network.run(network.coordinator.deadlinePassed())
        let result = try #require(network.finished[0])
        #expect(result.sums == [try FixedPoint(parsing: "10.00")] && result.contributors == [1, 2, 3, 4])
    }

    @Test func aForgedShareIsBlamedAndTheResultStillRight() throws {
        var network = Network(values: Self.five)
        network.forge = forgingShares(of: [2]) { share in
            BatchDecryptionShare(party: share.party, values: share.values.map { $0.multiplied(by: 4, modulo: dealt.publicKey.nSquared) },
                            challenge: share.challenge, response: share.response)
        }
        network.connectAll()
        let result = try #require(network.finished[0])
        #expect(result.sums == [try FixedPoint(parsing: "100.00")])
        #expect(result.blamed == [2])
    }

    /// Three named values per party: every position summed on its own, one batched share per party for all three.
    static let vectors = [
        1: ["100.50", "1", "-3"], 2: ["-20.25", "2", "0.01"], 3: ["0", "3", "4"], 4: ["7.75", "4", "5"], 5: ["12", "5", "-6.01"],
    ]

    @Test func vectorsAreSummedPositionByPositionWithOneBatchedSharePerParty() throws {
        var network = Network(vectors: Self.vectors, names: ["amount", "quantity", "fee"])
        network.connectAll()
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.sums.map(\.description) == ["100.00", "15.00", "0.00"])
        #expect(result.means?.map(\.description) == ["20.000000", "3.000000", "0.000000"])
        #expect(result.names == ["amount", "quantity", "fee"] && result.count == 5)
        for party in 1...5 { #expect(network.finished[party] == result) }
        let shares = network.coordinator.transcript.filter { $0.round == .decryptionShare }
        #expect(shares.count == 5)
        for envelope in shares {
            guard case .decryptionShare(let share) = try Message(round: envelope.round, body: envelope.body) else { continue }
            #expect(share.values.count == 3)
        }
    }

    @Test func aShareWrongAtOnePositionOfTheBatchIsBlamed() throws {
        var network = Network(vectors: Self.vectors)
        network.forge = forgingShares(of: [2]) { share in
            var values = share.values
            values[1] = values[1].multiplied(by: 4, modulo: dealt.publicKey.nSquared)
            return BatchDecryptionShare(party: share.party, values: values, challenge: share.challenge, response: share.response)
        }
        network.connectAll()
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.sums.map(\.description) == ["100.00", "15.00", "0.00"] && result.blamed == [2])
    }

    @Test func anInputOfAnotherLengthIsBlamedAndLeftOut() throws {
        var network = Network(vectors: Self.vectors)
        network.forge = { party, envelope in
            guard party == 3, envelope.round == .input,
                case .input(let input) = try! Message(round: envelope.round, body: envelope.body)
            else { return envelope }
            let short = Message.Input(
                ciphertexts: Array(input.ciphertexts.prefix(2)), proofs: Array(input.proofs.prefix(2)), count: input.count,
                header: input.header)
            return try! Envelope(
                session: envelope.session, round: .input, sender: 3, body: Message.input(short).body,
                signingKey: dealt.shares[2].signingKey)
        }
        network.connectAll()
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.blamed == [3] && result.contributors == [1, 2, 4, 5])
        #expect(result.sums.map(\.description) == ["100.00", "12.00", "-4.00"])
    }

    /// 240 values per party, each at most 50.00, packed: a few ciphertexts per input instead of 240.
    static let packedVectors: [Int: [String]] = Dictionary(uniqueKeysWithValues: (1...5).map { party in
        (party, (0..<240).map { index in
            let cents = (party * 7919 + index * 104_729) % 10_001 - 5_000
            return (cents < 0 ? "-" : "") + "\(abs(cents) / 100).\(String(format: "%02d", abs(cents) % 100))"
        })
    })

    @Test func packedVectorsAreSummedExactly() throws {
        var network = Network(vectors: Self.packedVectors, valueBound: 5_000)
        network.connectAll()
        let result = try #require(network.finished[0], "\(network.failures)")
        let expected = (0..<240).map { index in
            (1...5).map { try! FixedPoint(parsing: Self.packedVectors[$0]![index]) }.reduce(FixedPoint.zero, +)
        }
        #expect(result.sums == expected)
        for party in 1...5 { #expect(network.finished[party] == result) }
        // ℓ·B = 25,000 needs 15 bits, 17 with sign and guard: 29 slots of a 512-bit key, 9 ciphertexts for 240 values.
        let packing = try #require(network.coordinator.header.packing(under: dealt.publicKey))
        #expect(packing.slotBits == 17 && packing.slotsPerCiphertext == 29 && packing.ciphertexts == 9)
        let input = try #require(network.coordinator.transcript.first { $0.round == .input })
        guard case .input(let sent) = try Message(round: .input, body: input.body) else { return }
        #expect(sent.ciphertexts.count == 9 && sent.proofs.count == 9)
    }

    @Test func packedValuesBeyondTheBoundAbortTheSessionAndAreRefusedByTheirParty() throws {
        // A party's own value beyond the bound: it refuses before sending anything.
        var beyond = Self.packedVectors
        beyond[2]![7] = "50.01"
        var refusing = Network(vectors: beyond, valueBound: 5_000)
        refusing.connectAll()
        #expect(refusing.failures[2] == "the value 50.01 is beyond the session's bound of 50.00")
        // A lying party packs a digit far beyond it (knowing its plaintext, its proof is valid): the sums decode out
        // of range, and the session aborts rather than print a sum with a neighbour's slot corrupted.
        var network = Network(vectors: Self.packedVectors, valueBound: 5_000)
        network.forge = { party, envelope in
            guard party == 3, envelope.round == .input,
                case .input(let input) = try! Message(round: .input, body: envelope.body)
            else { return envelope }
            let key = dealt.publicKey.paillierKey
            var forged: [BigInteger] = [], proofs: [PlaintextKnowledgeProof] = []
            for index in 0..<input.ciphertexts.count {
                // Slot 1 of every ciphertext holds 2^15: a carry into slot 2 once the honest sums are added.
                let (ciphertext, proof) = PlaintextKnowledgeProof.encrypt(
                    BigInteger(1).shiftedLeft(17 + 15 + index), key: key, sender: 3, session: envelope.session)
                forged.append(ciphertext.value)
                proofs.append(proof)
            }
            let lying = Message.Input(ciphertexts: forged, proofs: proofs, count: input.count, header: input.header)
            return try! Envelope(
                session: envelope.session, round: .input, sender: 3, body: Message.input(lying).body,
                signingKey: dealt.shares[2].signingKey)
        }
        network.connectAll()
        #expect(network.finished[0] == nil)
        #expect(network.failures[0]?.contains("the decrypted sums lie beyond the session's bound") == true, "\(network.failures)")
        #expect(network.finished[1] == nil)
    }

    @Test func noisySessionsReleaseSumsWithEveryPartysNoise() throws {
        // Vectors of 240 values of at most 50.00, clipped to norm 1000 (a no-op: their norms are below 800).
        let noise = try SessionNoise(epsilon: 1, delta: try FixedPoint(parsing: "0.00001"), clipNorm: 1000, honestParties: 3)
        let calibration = try noise.calibration(length: 240, scale: 2)
        // Δ₂ = 100,000 units + √240; ε = 1, δ = 10⁻⁵, three honest parties: σ about 2.1 × 10⁵ units each.
        #expect(calibration.sigma > 150_000 && calibration.sigma < 300_000, "σ = \(calibration.sigma)")
        let bound = BigInteger(100_000 + Int(12 * calibration.sigma) + 1)
        var network = Network(vectors: Self.packedVectors, valueBound: bound, noise: noise)
        network.connectAll()
        let result = try #require(network.finished[0], "\(network.failures)")
        let exact = (0..<240).map { index in
            (1...5).map { try! FixedPoint(parsing: Self.packedVectors[$0]![index]) }.reduce(FixedPoint.zero, +)
        }
        // Every sum moved, by noise of standard deviation √5·σ units (at most 6 of them here).
        let differences = zip(result.sums, exact).map { Double(($0 - $1).description)! * 100 }
        #expect(differences.filter { $0 == 0 }.count <= 2)
        #expect(differences.allSatisfy { abs($0) < 6 * 5.0.squareRoot() * calibration.sigma })
        let mean = differences.reduce(0, +) / 240
        #expect(abs(mean) < 5 * 5.0.squareRoot() * calibration.sigma / 240.0.squareRoot())
        for party in 1...5 { #expect(network.finished[party] == result) }
    }

    /// The header of a packed session of 2 values (bound 1000.00) with `noise`, or none.
    func noisyHeader(_ noise: SessionNoise?, minimumInputs: Int = 3) throws -> Envelope {
        var coordinator = CoordinatorMachine(
            key: dealt.publicKey, scale: 2, minimumInputs: minimumInputs, inputDeadline: 1, length: 2, valueBound: 100_000, noise: noise)
        guard case .send(_, let header) = coordinator.connected(1, as: 1).last else { throw MultiPartyError.malformedMessage("no header") }
        return header
    }

    @Test func aPartyInsistsOnTheNoiseItRequires() throws {
        let delta = try FixedPoint(parsing: "0.00001")
        let policy = try SessionNoise.Policy(epsilon: 1, delta: delta, honestParties: 3)
        func party() -> PartyMachine { PartyMachine(share: dealt.shares[0], values: [1, 2], clipNorm: 10, noisePolicy: policy) }
        var noNoise = party()
        #expect(noNoise.received(try noisyHeader(nil).payload)
            == [.failed("the session adds no noise, and this party requires it (the coordinator left out --epsilon)")])
        var weakEpsilon = party()
        #expect(weakEpsilon.received(try noisyHeader(try SessionNoise(epsilon: 4, delta: delta, clipNorm: 10, honestParties: 3)).payload)
            == [.failed("the session's noise is for ε = 4; this party requires ε ≤ 1")])
        var weakDelta = party()
        #expect(weakDelta.received(try noisyHeader(try SessionNoise(epsilon: 1, delta: try FixedPoint(parsing: "0.01"), clipNorm: 10, honestParties: 3)).payload)
            == [.failed("the session's noise is for δ = 0.01; this party requires δ ≤ 0.00001")])
        var moreHonest = party()
        #expect(moreHonest.received(try noisyHeader(try SessionNoise(epsilon: 1, delta: delta, clipNorm: 10, honestParties: 4), minimumInputs: 4).payload)
            == [.failed("the session's noise counts on 4 honest parties; this party counts on at most 3")])
        // Noise at least as strong is accepted: the party sends its input.
        var strong = party()
        let sent = strong.received(try noisyHeader(try SessionNoise(epsilon: FixedPoint(parsing: "0.5"), delta: delta, clipNorm: 10, honestParties: 2)).payload)
        guard case .send(let input) = sent.first else { Issue.record("\(sent)"); return }
        #expect(input.round == .input)
        // Without a policy, a header without noise is taken as it is.
        var plain = PartyMachine(share: dealt.shares[0], values: [1, 2])
        guard case .send = plain.received(try noisyHeader(nil).payload).first else { Issue.record("refused"); return }
    }

    /// "64 of the 3 parties": every party refuses noise that counts on more honest parties than the session can have,
    /// whatever its own policy.
    @Test func noiseCountingOnMorePartiesThanTheSessionHasIsRefused() throws {
        let delta = try FixedPoint(parsing: "0.00001")
        var party = PartyMachine(share: dealt.shares[0], values: [1, 2])
        let header = try noisyHeader(try SessionNoise(epsilon: 1, delta: delta, clipNorm: 10, honestParties: 64))
        let refusal = party.received(header.payload)
        guard case .failed(let reason) = refusal.first else { Issue.record("\(refusal)"); return }
        #expect(reason.hasPrefix("the coordinator's noise is unsound: noise counted on 64 honest parties"), "\(reason)")
        #expect(throws: SummaError.self) { try SessionNoise(epsilon: 1, delta: delta, clipNorm: 10, honestParties: 65) }
        #expect(throws: SummaError.self) { try SessionNoise(epsilon: 101, delta: delta, clipNorm: 10, honestParties: 3) }
        #expect(throws: SummaError.self) { try SessionNoise(epsilon: 1, delta: delta, clipNorm: .zero, honestParties: 3) }
    }

    @Test func aPartyRefusesASessionOfAnotherLengthOrOtherNames() throws {
        var coordinator = CoordinatorMachine(
            key: dealt.publicKey, scale: 2, minimumInputs: 3, inputDeadline: 1, length: 2, names: ["amount", "fee"])
        guard case .send(_, let header) = coordinator.connected(1, as: 1).last else { throw MultiPartyError.malformedMessage("no header") }
        var single = PartyMachine(share: dealt.shares[0], values: [1])
        #expect(single.received(header.payload) == [.failed("the session sums 2 values per party; this party has 1")])
        var swapped = PartyMachine(share: dealt.shares[0], values: [1, 2], names: ["fee", "amount"])
        #expect(swapped.received(header.payload) == [.failed("the session sums amount, fee; this party has fee, amount")])
        var unnamed = PartyMachine(share: dealt.shares[0], values: [1, 2])
        #expect(unnamed.received(header.payload).count == 1)
    }

    @Test func aSilentKeyHolderIsWaitedForOnlyUntilTheDeadline() throws {
        var network = Network(values: Self.five)
        network.tamper = { party, envelope in party == 5 && envelope.round == .echoes ? nil : envelope }  // 5 never shares
        network.connectAll()
        #expect(network.finished[0] == nil)  // still waiting for party 5's share
        network.run(network.coordinator.deadlinePassed())
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.sums == [try FixedPoint(parsing: "100.00")] && result.contributors == [1, 2, 3, 4, 5] && result.blamed.isEmpty)
    }

    @Test func fewerThanThresholdHonestKeyHoldersAbortNamingThem() {
        var network = Network(values: Self.five)
        network.forge = forgingShares(of: [3, 4, 5]) { share in
            BatchDecryptionShare(party: share.party, values: share.values, challenge: share.challenge + 1, response: share.response)
        }
        network.connectAll()
        #expect(network.finished[0] == nil)
        #expect(network.failures[0]?.contains("fewer than 3 valid decryption shares") == true)
        #expect(network.failures[1]?.contains("aborted") == true)
    }

    @Test func garbageWrongSessionsAndImpostorsAreDroppedAndTheSessionGoesOn() throws {
        var network = Network(values: Self.five)
        // Each from a connection authenticated as a party (a party's process gone wrong), closed in turn.
        network.run(network.coordinator.connected(99, as: 1))
        network.run(network.coordinator.received(Data("garbage".utf8), from: 99))
        #expect(network.closed[99]?.contains("malformed message") == true)
        let otherSession = Envelope(session: Data(repeating: 9, count: 32), round: .echo, sender: 1,
                                    body: Message.echo(digest: Data(count: 32)).body)
        network.run(network.coordinator.connected(98, as: 1))
        network.run(network.coordinator.received(otherSession.payload, from: 98))
        #expect(network.closed[98] == MultiPartyError.wrongSession.description)
        let impostor = try Envelope(session: network.coordinator.session, round: .echo, sender: 1,
                                    body: Message.echo(digest: Data(count: 32)).body, signingKey: dealt.shares[1].signingKey)
        network.run(network.coordinator.connected(97, as: 1))
        network.run(network.coordinator.received(impostor.payload, from: 97))
        #expect(network.closed[97] == MultiPartyError.badSignature(sender: 1).description)
        network.connectAll()
        #expect(network.finished[0]?.sums == [try FixedPoint(parsing: "100.00")])
    }

    @Test func aSecondConnectionForAPartyIsToldWhyAndClosedAndOneNotAuthenticatedCannotSpeak() throws {
        var network = Network(values: Self.five)
        network.connectAll()
        // Both after party 2 joined: refused, with an abort saying why, and the first connection keeps its slot.
        var coordinator = CoordinatorMachine(key: dealt.publicKey, scale: 2, minimumInputs: 3, inputDeadline: 30)
        _ = coordinator.connected(1, as: 2)
        let refusal = coordinator.connected(2, as: 2)
        guard case .send(2, let abort) = refusal.first, case .abort(let reason, _) = try Message(round: abort.round, body: abort.body)
        else { Issue.record("no abort for the second connection: \(refusal)"); return }
        #expect(reason.contains("party 2 is already connected") && reason.contains("running twice"))
        #expect(refusal.last == .close(2, reason: "party 2: \(reason)"))
        #expect(coordinator.isAuthenticated(1) && !coordinator.isAuthenticated(2))
        #expect(coordinator.transcript.count == 1)  // the refusal is not part of the session
        // A connection the transport did not authenticate cannot speak, even with a validly signed message.
        let input = try Envelope(
            session: coordinator.session, round: .echo, sender: 3, body: Message.echo(digest: Data(count: 32)).body,
            signingKey: dealt.shares[2].signingKey)
        #expect(coordinator.received(input.payload, from: 3) == [.close(3, reason: "a message before the connection authenticated as a party")])
        #expect(network.finished[0]?.sums == [try FixedPoint(parsing: "100.00")])
    }

    @Test func anEquivocatingCoordinatorIsCaughtBeforeAnyShareIsReleased() throws {
        var network = Network(values: Self.five)
        // A lying coordinator shows party 3 a list without party 5's input, so party 3 signs a different digest,
        // and relays that signed echo to party 1 with the others: party 1 must refuse to release its share.
        network.tamper = { party, envelope in
            guard party == 3, envelope.round == .acceptedList,
                case .acceptedList(let list) = try! Message(round: envelope.round, body: envelope.body)
            else { return envelope }
            let shorter = Message.AcceptedList(entries: list.entries.filter { $0.party != 5 }, blamed: [], missing: [5])
            return Envelope(session: envelope.session, round: .acceptedList, sender: 0, body: Message.acceptedList(shorter).body)
        }
        let captured = EchoBox()
        network.forge = { party, envelope in
            if party == 3, envelope.round == .echo { captured.echo = envelope }
            return envelope
        }
        let honestTamper = network.tamper
        network.tamper = { party, envelope in
            guard party == 1, envelope.round == .echoes, let odd = captured.echo,
                case .echoes(let echoes) = try! Message(round: .echoes, body: envelope.body)
            else { return honestTamper(party, envelope) }
            return Envelope(session: envelope.session, round: .echoes, sender: 0, body: Message.echoes(echoes + [odd]).body)
        }
        network.connectAll()
        #expect(network.failures[1] == "the coordinator equivocated: party 3 saw a different accepted list")
        // Party 1 released no share; the honest coordinator blamed party 3 and finished with parties 2, 4 and 5.
        #expect(network.coordinator.shares[1] == nil)
        #expect(network.finished[0]?.blamed == [3])
    }

    @Test func aPartyRefusesAnAcceptedListWithAnInputNobodySigned() throws {
        // A lying coordinator adds an input "from party 5" (who never came) with a valid proof of its own making.
        var network = Network(values: [1: "1.00", 2: "2.00", 3: "3.00", 4: "4.00"])
        network.tamper = { party, envelope in
            guard envelope.round == .acceptedList,
                case .acceptedList(let list) = try! Message(round: envelope.round, body: envelope.body)
            else { return envelope }
            let (ciphertext, proof) = PlaintextKnowledgeProof.encrypt(
                BigInteger(1_000_000), key: dealt.publicKey.paillierKey, sender: 5, session: envelope.session)
            let forged = Message.AcceptedList.Entry(
                party: 5, input: .init(ciphertexts: [ciphertext.value], proofs: [proof], count: 1, header: list.entries[0].input.header),
                signature: Data(repeating: 7, count: 64))
            let padded = Message.AcceptedList(entries: list.entries + [forged], blamed: [], missing: [])
            return Envelope(session: envelope.session, round: .acceptedList, sender: 0, body: Message.acceptedList(padded).body)
        }
        network.connectAll()
        network.run(network.coordinator.deadlinePassed())
        for party in 1...4 {
            #expect(network.failures[party] == "the coordinator put an input in the accepted list that party 5 did not sign")
        }
        #expect(network.coordinator.shares.isEmpty)
    }

    @Test func aPartyRefusesASessionUnderAnotherKeyOrScale() throws {
        var other = PartyMachine(share: dealt.shares[0], values: [try FixedPoint(parsing: "1.234")])
        let header = try sessionHeader()
        #expect(other.received(header.payload) == [.failed("the value 1.234 has more than the session's 2 decimals")])
        let foreign = Envelope(session: header.session, round: .header, sender: 0, body: Message.header(.init(
            keyFingerprint: "sha256:00", scale: 2, minimumInputs: 1, inputDeadline: 1)).body)
        var party = PartyMachine(share: dealt.shares[0], values: [1])
        #expect(party.received(foreign.payload) == [.failed("the coordinator runs the session under another key (sha256:00)")])
    }

    @Test func aPartyRefusesASessionThatWouldDecryptTooFewInputs() throws {
        let frame = try sessionHeader(minimumInputs: 2).payload
        var cautious = PartyMachine(share: dealt.shares[0], values: [1])  // 3 by default: the threshold of this 3-of-5 key
        #expect(cautious.received(frame) == [.failed("the coordinator would decrypt a sum of as few as 2 inputs; this party needs 3")])
        var willing = PartyMachine(share: dealt.shares[0], values: [1], minimumInputs: 2)
        let sent = willing.received(frame)
        #expect(sent.count == 1 && { if case .send(let input) = sent[0] { input.round == .input } else { false } }())
    }

    @Test func aPartyThatDisconnectsAfterItsInputStillCounts() throws {
        var network = Network(values: Self.five)
        network.dropAfter = [5: .input]
        network.connectAll()
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.sums == [try FixedPoint(parsing: "100.00")] && result.contributors == [1, 2, 3, 4, 5])
        for party in 1...4 { #expect(network.finished[party] == result) }
    }

    @Test func aPartyThatDisconnectsBeforeItsInputIsLeftOut() throws {
        var network = Network(values: Self.five)
        network.tamper = { party, envelope in party == 5 ? nil : envelope }  // never hears the header
        network.connectAll()
        network.run(network.coordinator.disconnected(5))
        network.run(network.coordinator.deadlinePassed())
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.sums == [try FixedPoint(parsing: "88.00")] && result.contributors == [1, 2, 3, 4])
    }

    @Test func aPartyHoldingAShareFromAnotherDealTakesNoPart() throws {
        let other = Fixtures.otherDeal
        var network = Network(values: Self.five, shares: Array(dealt.shares.prefix(4)) + [other.shares[4]])
        network.connectAll()
        #expect(network.failures[5]?.hasPrefix("the coordinator runs the session under another key") == true)
        network.run(network.coordinator.deadlinePassed())
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.sums == [try FixedPoint(parsing: "88.00")] && result.contributors == [1, 2, 3, 4])
    }

    @Test func tooFewInputsAbortNamingWhoIsMissing() {
        var network = Network(values: [1: "1", 2: "2"])
        network.connectAll()
        network.run(network.coordinator.deadlinePassed())
        #expect(network.failures[0] == "only 2 of the 3 inputs needed arrived")
        #expect(network.failures[1]?.contains("parties 3, 4, 5") == true)
    }
}

/// Holds an envelope captured inside a routing closure.
final class EchoBox: @unchecked Sendable {
    var echo: Envelope?
}

/// A router hook under which `parties` send `forge(share)` instead of their honest decryption share, properly signed
/// (a lying key holder, not an impostor).
func forgingShares(
    of parties: Set<Int>, _ forge: @escaping @Sendable (BatchDecryptionShare) -> BatchDecryptionShare
) -> @Sendable (Int, Envelope) -> Envelope {
    { party, envelope in
        guard parties.contains(party), envelope.round == .decryptionShare,
            case .decryptionShare(let share) = try! Message(round: envelope.round, body: envelope.body)
        else { return envelope }
        return try! Envelope(session: envelope.session, round: .decryptionShare, sender: party,
                             body: Message.decryptionShare(forge(share)).body, signingKey: dealt.shares[party - 1].signingKey)
    }
}
