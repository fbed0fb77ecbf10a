import BigNum
import Crypto
import Foundation
import KeyGeneration
import Provenance
import Testing
import Threshold

@testable import MultiParty

/// The coordinator's judgement of complaints, with the machines driven in memory (connection i is party i).
@Suite struct KeyGenerationComplaintTests {
    let identities = (1...3).map { try! Identity(name: "party-\($0)") }
    let coordinatorIdentity = try! Identity(name: "coordinator")

    /// Delivers every message until `stop` says so or nothing is left; returns the coordinator's last actions.
    static func drive(
        _ coordinator: inout KeyGenerationCoordinatorMachine, _ parties: inout [KeyGenerationPartyMachine],
        delivering deliver: (Envelope) -> Bool = { _ in true },
        until stop: (KeyGenerationCoordinatorMachine, [KeyGenerationPartyMachine]) -> Bool
    ) -> [KeyGenerationCoordinatorMachine.Action] {
        var toParties: [(Int, Data)] = []
        var toCoordinator: [(Int, Data)] = []
        var last: [KeyGenerationCoordinatorMachine.Action] = coordinator.start()
        for party in 1...parties.count { last += coordinator.connected(party, as: party) }
        func route(_ actions: [KeyGenerationCoordinatorMachine.Action]) {
            for case .send(let connection, let envelope) in actions where deliver(envelope) { toParties.append((connection, envelope.payload)) }
        }
        route(last)
        while !stop(coordinator, parties), !(toParties.isEmpty && toCoordinator.isEmpty) {
            for (party, payload) in toParties {
                for case .send(let envelope) in parties[party - 1].received(payload) { toCoordinator.append((party, envelope.payload)) }
            }
            toParties = []
            for (party, payload) in toCoordinator {
                last = coordinator.received(payload, from: party)
                route(last)
            }
            toCoordinator = []
        }
        return last
    }

    func machines() throws -> (KeyGenerationCoordinatorMachine, [KeyGenerationPartyMachine]) {
        let roster = try Roster(
            parties: identities.map(\.publicIdentity), coordinator: coordinatorIdentity.publicIdentity, threshold: 2, bits: 512,
            allowInsecureKeySize: true)
        return (
            try KeyGenerationCoordinatorMachine(roster: roster, allowInsecureKeySize: true),
            try identities.map { try KeyGenerationPartyMachine(roster: roster, identity: $0, allowInsecureKeySize: true) }
        )
    }

    @Test func anHonestRunFinishesInMemory() throws {
        var (coordinator, parties) = try machines()
        let last = Self.drive(&coordinator, &parties) { _, _ in false }
        #expect(last.contains { if case .finished = $0 { true } else { false } })
    }

    /// Party 1 complains about party 2's honest shares, with the genuine envelope and channel key: the shares
    /// match party 2's check, so the coordinator names party 1.
    @Test func aFalseComplaintNamesTheComplainer() throws {
        var (coordinator, parties) = try machines()
        _ = Self.drive(&coordinator, &parties) { coordinator, parties in
            parties[0].sealedEnvelopes[32]?[2] != nil && coordinator.observer.dealingCheck(step: 32, dealer: 2) != nil
        }
        let complaint = try #require(parties[0].complaint(against: 2, step: 32))
        let actions = coordinator.received(complaint.payload, from: 1)
        let failure = actions.compactMap { action -> (String, [Int])? in
            if case .failed(let reason, let parties) = action { (reason, parties) } else { nil }
        }.first
        #expect(failure?.1 == [1])
        #expect(failure?.0.contains("party 1's complaint against party 2 does not hold: the shares match party 2's check") == true, "\(failure?.0 ?? "")")
    }

    /// A complaint whose key does not open the envelope, or whose envelope is not the dealer's for the
    /// complainer, names the complainer.
    @Test func aComplaintWithoutEvidenceNamesTheComplainer() throws {
        var (coordinator, parties) = try machines()
        _ = Self.drive(&coordinator, &parties) { coordinator, parties in
            parties[0].sealedEnvelopes[32]?[2] != nil && parties[0].sealedEnvelopes[32]?[3] != nil
                && coordinator.observer.dealingCheck(step: 32, dealer: 2) != nil
        }
        let envelope2 = try #require(parties[0].sealedEnvelopes[32]?[2])
        let envelope3 = try #require(parties[0].sealedEnvelopes[32]?[3])
        let key = try #require(parties[0].channels[2]?.keyBytes)
        for (key, envelope, reason) in [
            (Data(repeating: 1, count: 32), envelope2, "the key it reveals does not open the envelope"),
            (key, envelope3, "the envelope is not party 2's sealed shares for it at step 32"),
        ] {
            var judge = coordinator
            let complaint = try parties[0].sign(.complaint(step: 32, dealer: 2, key: key, envelope: envelope))
            let failure = judge.received(complaint.payload, from: 1).compactMap { action -> (String, [Int])? in
                if case .failed(let reason, let parties) = action { (reason, parties) } else { nil }
            }.first
            #expect(failure?.1 == [1] && failure?.0.contains(reason) == true, "\(failure?.0 ?? "")")
        }
    }
}

extension KeyGenerationComplaintTests {
    /// A coordinator that announces another key than the one a party checked: the party refuses to finish.
    @Test func aPartyRefusesAResultNamingAnotherKey() throws {
        var (coordinator, parties) = try machines()
        // Every message but the coordinator's own result is delivered.
        _ = Self.drive(&coordinator, &parties, delivering: { $0.round != .keygenResult }) { _, _ in false }
        #expect(parties[0].party?.result != nil)
        let forged = Envelope(
            session: coordinator.session, round: .keygenResult, sender: 0,
            body: KeyGenerationBody.result(fingerprint: "sha256:" + String(repeating: "0", count: 64)).json)
        let actions = parties[0].received(forged.payload)
        #expect(actions.contains { if case .failed(let reason) = $0 { reason.contains("not the key") } else { false } })
        #expect(!actions.contains { if case .finished = $0 { true } else { false } })
    }
}
