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

    func party(
        _ identity: Identity, port: Int, rewrite: (@Sendable (KeyGenerationMessage) -> KeyGenerationMessage)? = nil,
        outgoing: @escaping @Sendable (Envelope) -> Envelope? = { $0 }
    ) throws -> Task<KeyGenerationResult, Error> {
        var machine = try KeyGenerationPartyMachine(roster: roster, identity: identity, allowInsecureKeySize: true)
        machine.rewrite = rewrite
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

extension KeyGenerationTCPTests {
    /// The step and phase (step mod 32) of a key generation envelope's values, if it has any.
    static func step(of envelope: Envelope) -> Int? {
        switch try? KeyGenerationBody(round: envelope.round, body: envelope.body) {
        case .values(let step, _)?, .sealed(let step, _, _)?: step
        default: nil
        }
    }

    /// `identity`'s public envelope of phase `phase`, its values rewritten by `change` and signed again by the
    /// party itself (a lying party signs its lie).
    static func rewritingValues(of identity: Identity, phase: Int, _ change: @escaping @Sendable ([BigInteger]) -> [BigInteger])
        -> @Sendable (Envelope) -> Envelope?
    {
        { envelope in
            guard envelope.round == .keygenPublic, let step = step(of: envelope), step % 32 == phase,
                case .values(_, let data)? = try? KeyGenerationBody(round: envelope.round, body: envelope.body),
                let values = try? KeyGenerationWire.decode(data, maximumValueBytes: 1 << 20)
            else { return envelope }
            let body = KeyGenerationBody.values(step: step, values: KeyGenerationWire.encode(change(values)))
            return try? Envelope(
                session: envelope.session, round: envelope.round, sender: envelope.sender, body: body.json,
                signingKey: try Curve25519.Signing.PrivateKey(rawRepresentation: identity.signingKeyBytes))
        }
    }

    /// Runs the roster's three parties, party `liar` through `outgoing`; returns every party's error (nil for a
    /// party that finished) and the coordinator's failure.
    func runWithLiar(_ liar: Int, outgoing: @escaping @Sendable (Envelope) -> Envelope?) async throws
        -> (errors: [String?], failure: (reason: String, parties: [Int])?)
    {
        let (port, coordinatorTask) = try await startCoordinator(stepDeadline: 20)
        var tasks: [Task<KeyGenerationResult, Error>] = []
        for (i, identity) in parties.enumerated() {
            if i + 1 == liar {
                tasks.append(try party(identity, port: port, outgoing: outgoing))
            } else {
                tasks.append(try party(identity, port: port))
            }
        }
        var errors: [String?] = []
        for task in tasks {
            do { _ = try await task.value; errors.append(nil) } catch { errors.append("\(error)") }
        }
        let outcome = try await coordinatorTask.value
        #expect(outcome.result == nil)
        return (errors, outcome.failure)
    }

    @Test func aPartyThatLeavesMidwayIsNamedAndEveryoneStops() async throws {
        // Party 3 hangs up instead of opening its share of the first batch's moduli.
        let (errors, failure) = try await runWithLiar(3) { envelope in
            Self.step(of: envelope).map { $0 % 32 == 10 } == true ? nil : envelope
        }
        #expect(failure?.parties == [3])
        #expect(failure?.reason.contains("party 3 left during the key generation") == true)
        for error in errors.prefix(2) { #expect(error?.contains("party 3 left during the key generation") == true, "\(error ?? "finished")") }  // REASON
        #expect(errors[2]?.contains("hung up") == true)
    }

    @Test func aWrongTestDecryptionShareIsNamed() async throws {
        let liar = parties[1]
        let (errors, failure) = try await runWithLiar(2, outgoing: Self.rewritingValues(of: liar, phase: 16) { values in
            [values[0], values[1], values[2] + 1]
        })
        #expect(failure?.parties == [2])
        #expect(failure?.reason.contains("party 2's test decryption share does not verify") == true)
        for error in [errors[0], errors[2]] {
            #expect(error?.contains("party 2's test decryption share does not verify") == true, "\(error ?? "finished")")
        }
        #expect(errors[1] != nil)
    }

    @Test func aMalformedMessageIsNamed() async throws {
        let liar = parties[1]
        let (errors, failure) = try await runWithLiar(2, outgoing: Self.rewritingValues(of: liar, phase: 10) { Array($0.dropLast()) })
        #expect(failure?.parties == [2])
        #expect(failure?.reason.contains("party 2's message for step") == true)
        #expect(errors[0]?.contains("party 2") == true)
    }

    @Test func aStrangerIsRefusedAndTheKeyIsMadeWithoutIt() async throws {
        let (port, coordinatorTask) = try await startCoordinator()
        // A stranger with a key of its own, speaking as party 1.
        let stranger = Curve25519.Signing.PrivateKey()
        let machine = try KeyGenerationPartyMachine(roster: roster, identity: parties[0], allowInsecureKeySize: true)
        let coordinatorKey = roster.coordinator.publicKeyBytes
        let strangerTask = Task {
            try await PartyClient.run(
                machine: machine, identity: stranger, serverKey: coordinatorKey, host: "127.0.0.1", port: port,
                timeout: .seconds(20), maximumFrame: 1 << 20)
        }
        await #expect(throws: (any Error).self) { _ = try await strangerTask.value }
        let tasks = try parties.map { try party($0, port: port) }
        for task in tasks { _ = try await task.value }
        let key = try #require(try await coordinatorTask.value.result)
        #expect(key.signingKeys == parties.map(\.publicIdentity.publicKeyBytes))
    }

    @Test func anEditedTranscriptIsRefused() async throws {
        let (port, coordinatorTask) = try await startCoordinator()
        let tasks = try parties.map { try party($0, port: port) }
        for task in tasks { _ = try await task.value }
        let outcome = try await coordinatorTask.value
        let key = try #require(outcome.result)
        let lines = outcome.transcript.map { $0.json.serialized }
        let report = try TranscriptVerifier.verifyKeyGeneration(Data(lines.joined().utf8), key: key)
        #expect(report.messages == lines.count)
        // A value changed (its signature no longer holds), a public line dropped, the result moved, another key.
        let publicLine = try #require(outcome.transcript.firstIndex { $0.round == .keygenPublic })
        var edited = lines
        edited[publicLine] = edited[publicLine].replacingOccurrences(of: "\"values\":\"A", with: "\"values\":\"B")
        var dropped = lines
        dropped.remove(at: publicLine)
        let moved = [lines.last!] + lines.dropLast()
        for transcript in [edited, dropped, moved] {
            #expect(throws: TranscriptVerifier.Problem.self) {
                try TranscriptVerifier.verifyKeyGeneration(Data(transcript.joined().utf8), key: key)
            }
        }
        let other = try Fixtures.deal(bits: 512, parties: 3, threshold: 2).publicKey
        #expect(throws: TranscriptVerifier.Problem.self) { try TranscriptVerifier.verifyKeyGeneration(Data(lines.joined().utf8), key: other) }
    }
}

extension KeyGenerationTCPTests {
    /// Party 2 deals party 1 shares that are not those its published check was made from: party 1 complains with the
    /// evidence, and the coordinator, opening party 2's own signed envelope with the key party 1 reveals, names party 2.
    @Test func aDealerOfInconsistentSharesIsNamedOnItsRecipientsComplaint() async throws {
        let (port, coordinatorTask) = try await startCoordinator(stepDeadline: 20)
        let prime = try KeyGenerationParameters(bits: 512, parties: 3, threshold: 2).fieldPrime
        let dishonest: @Sendable (KeyGenerationMessage) -> KeyGenerationMessage = { message in
            guard message.recipient == 1, message.step == 32 else { return message }
            var values = message.values
            values[0] = (values[0] + 1).modulo(prime)
            return KeyGenerationMessage(step: message.step, recipient: 1, values: values)
        }
        var tasks: [Task<KeyGenerationResult, Error>] = []
        for (i, identity) in parties.enumerated() {
            if i == 1 {
                tasks.append(try party(identity, port: port, rewrite: dishonest))
            } else {
                tasks.append(try party(identity, port: port))
            }
        }
        var errors: [String] = []
        for task in tasks {
            do { _ = try await task.value } catch { errors.append("\(error)") }
        }
        let outcome = try await coordinatorTask.value
        #expect(outcome.result == nil)
        #expect(outcome.failure?.parties == [2])
        #expect(outcome.failure?.reason.contains("party 2 dealt shares at step 32 that do not match the check it published") == true, "\(outcome.failure?.reason ?? "")")
        #expect(errors.count == 3)
        #expect(errors[0].contains("party 2 dealt shares at step 32"), "\(errors[0])")
        #expect(outcome.transcript.contains { $0.round == .keygenComplaint })
    }
}
