import BigNum
import Crypto
import Foundation
import KeyGeneration
import Logging
import Provenance
import Summa
import Synchronization
import TestSupport
import Testing
import Threshold

@testable import MultiParty
@testable import MultiPartyNIO

/// Dealer-free key generation over real sockets on loopback, coordinator and parties in this process (512-bit
/// keys), then a sum session under the key it made.
@Suite("Key generation over TCP on loopback", .serialized)
struct KeyGenerationTCPTests {
    let parties = (1...3).map { try! Identity(name: "party-\($0)") }
    let coordinator = try! Identity(name: "coordinator")
    var roster: Roster {
        try! Roster(
            parties: parties.map(\.publicIdentity), coordinator: coordinator.publicIdentity, threshold: 2, bits: 512,
            allowInsecureKeySize: true)
    }

    func startCoordinator(stepDeadline: Int = 60) async throws -> (Int, Task<CoordinatorOutcome<ThresholdPublicKey>, Error>) {
        let port = Mutex<Int?>(nil)
        let machine = try KeyGenerationCoordinatorMachine(roster: roster, joinDeadline: 30, stepDeadline: stepDeadline, allowInsecureKeySize: true)
        let identity = try Curve25519.Signing.PrivateKey(rawRepresentation: coordinator.signingKeyBytes)
        let task = Task {
            try await CoordinatorServer.run(
                machine: machine, identity: identity, host: "127.0.0.1", port: 0,
                limits: .default(parties: 3, maximumFrame: 64 << 20),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), announcement: "for a key generation"
            ) { bound in port.withLock { $0 = bound } }
        }
        for _ in 0..<200 where port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        return (try #require(port.withLock { $0 }), task)
    }

    func party(_ identity: Identity, port: Int, outgoing: @escaping @Sendable (Envelope) -> Envelope? = { $0 }) throws -> Task<KeyGenerationResult, Error> {
        let machine = try KeyGenerationPartyMachine(roster: roster, identity: identity, allowInsecureKeySize: true)
        let signing = try Curve25519.Signing.PrivateKey(rawRepresentation: identity.signingKeyBytes)
        let coordinatorKey = roster.coordinator.publicKeyBytes
        return Task {
            try await PartyClient.run(
                machine: machine, identity: signing, serverKey: coordinatorKey, host: "127.0.0.1", port: port,
                timeout: .seconds(120), maximumFrame: 64 << 20, outgoing: outgoing)
        }
    }

    @Test func threePartiesMakeAKeyAndSumUnderIt() async throws {
        let (port, coordinatorTask) = try await startCoordinator()
        let tasks = try parties.map { try party($0, port: port) }
        var results: [KeyGenerationResult] = []
        for task in tasks { results.append(try await task.value) }
        let outcome = try await coordinatorTask.value
        let key = try #require(outcome.result)
        #expect(results.allSatisfy { $0.publicKey == key })
        #expect(key.signingKeys == parties.map(\.publicIdentity.publicKeyBytes))
        // The transcript holds the hello, the keys, public values and the result; no sealed share.
        #expect(outcome.transcript.first?.round == .keygenHello && outcome.transcript.last?.round == .keygenResult)
        #expect(!outcome.transcript.contains { $0.round == .keygenPrivate })

        // A sum session under the new key: exact.
        let coordinatorKey = try CoordinatorKey(publicKey: key, signingKey: coordinator.signingKeyBytes)
        let session = CoordinatorMachine(key: key, scale: 2, minimumInputs: 3, inputDeadline: 20, roundDeadline: 10)
        let sessionPort = Mutex<Int?>(nil)
        let sessionTask = Task {
            try await CoordinatorServer.run(machine: session, identity: coordinatorKey, host: "127.0.0.1", port: 0) { bound in
                sessionPort.withLock { $0 = bound }
            }
        }
        for _ in 0..<200 where sessionPort.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        let boundPort = try #require(sessionPort.withLock { $0 })
        let values = ["10.25", "-3.50", "7"]
        let partyTasks = zip(results, values).map { result, value in
            let machine = PartyMachine(share: result.share, values: [try! FixedPoint(parsing: value)])
            return Task { try await PartyClient.run(machine: machine, host: "127.0.0.1", port: boundPort) }
        }
        for task in partyTasks { #expect(try await task.value.sums == [try FixedPoint(parsing: "13.75")]) }
        #expect(try await sessionTask.value.result?.sums == [try FixedPoint(parsing: "13.75")])
    }
}
