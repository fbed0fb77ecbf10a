import BigNum
import Foundation
import KeyGeneration
import Provenance
import Threshold

/// The coordinator of a dealer-free key generation: it waits for every party of the roster, sends the hello, and
/// relays each party's signed messages (sealed shares to their one recipient, public values to everyone) without
/// being able to read a share. It follows the public values with a ``KeyGeneration/KeyGenerationObserver`` and
/// finishes only with a key it checked itself (moduli, biprimality tests, verification keys, the test decryption).
/// Any party that leaves, lags past the step deadline or aborts ends the run for everyone, named.
public struct KeyGenerationCoordinatorMachine: CoordinatingMachine {
    public typealias Action = CoordinatorAction<ThresholdPublicKey>
    public typealias Connection = Int

    public let roster: Roster
    public let session: Data
    public let parameters: KeyGenerationParameters
    /// Seconds for every party to connect, and for each step.
    let joinDeadline: Int
    let stepDeadline: Int
    var observer: KeyGenerationObserver
    var partyOf: [Connection: Int] = [:]
    var started = false
    var finished = false
    /// The last step each party sent.
    var progress: [Int: Int] = [:]
    public private(set) var transcript: [Envelope] = []
    /// Sealed messages relayed (they are not in the transcript: only their recipient can read them).
    public private(set) var sealedMessages = 0

    public init(
        roster: Roster, batchSize: Int? = nil, joinDeadline: Int = 300, stepDeadline: Int = 300, allowInsecureKeySize: Bool = false,
        session: Data = Data(SecureRandomNumberGenerator.bytes(32))
    ) throws(KeyGenerationError) {
        self.roster = roster
        self.session = session
        parameters = try KeyGenerationParameters(
            bits: roster.bits, parties: roster.parties.count, threshold: roster.threshold, batchSize: batchSize)
        self.joinDeadline = joinDeadline
        self.stepDeadline = stepDeadline
        observer = KeyGenerationObserver(
            parameters: parameters, session: session, signingKeys: roster.parties.map(\.publicKeyBytes),
            coordinatorKey: roster.coordinator.publicKeyBytes, allowInsecureKeySize: allowInsecureKeySize)
    }

    public var partyKeys: [Data] { roster.parties.map(\.publicKeyBytes) }
    var partyCount: Int { roster.parties.count }
    /// Candidate moduli that reached a biprimality test, and batches begun.
    public var biprimalityCandidates: Int { observer.biprimalityCandidates }
    public var batches: Int { observer.batches }

    public mutating func start() -> [Action] { [.startDeadline(seconds: joinDeadline)] }

    public func isAuthenticated(_ connection: Connection) -> Bool { partyOf[connection] != nil }

    public mutating func connected(_ connection: Connection, as party: Int) -> [Action] {
        guard (1...partyCount).contains(party) else { return [.close(connection, reason: "no party \(party) in the roster")] }
        guard !started, !partyOf.values.contains(party) else {
            let reason = started ? "the key generation has started" : "party \(party) is already connected"
            let abort = Envelope(session: session, round: .abort, sender: 0, body: Message.abort(reason: reason, failed: []).body)
            return [.send(connection, abort), .close(connection, reason: "party \(party): \(reason)")]
        }
        partyOf[connection] = party
        var actions: [Action] = [.log(.info, "party \(party) joined (\(partyOf.count) of \(partyCount))")]
        guard partyOf.count == partyCount else { return actions }
        started = true
        let hello = Envelope(
            session: session, round: .keygenHello, sender: 0,
            body: KeyGenerationBody.hello(
                roster: roster.fingerprint, bits: parameters.bits, parties: partyCount, threshold: parameters.threshold,
                batchSize: parameters.batchSize).json)
        transcript.append(hello)
        actions.append(.log(.notice, "every party joined: key generation \(SessionLabel.text(session)) starts"))
        actions.append(.startDeadline(seconds: stepDeadline))
        return actions + partyOf.keys.sorted().map { .send($0, hello) }
    }

    public mutating func received(_ payload: Data, from connection: Connection) -> [Action] {
        guard !finished else { return [] }
        guard let bound = partyOf[connection] else {
            return [.close(connection, reason: "a message before the connection authenticated as a party")]
        }
        let envelope: Envelope
        do {
            envelope = try Envelope(parsing: payload, expectedSession: session)
            try envelope.verifySignature(roster: partyKeys)
        } catch {
            return fail("party \(bound) sent an invalid message: \(error)", [bound])
        }
        guard envelope.sender == bound else { return fail("party \(bound)'s connection spoke as party \(envelope.sender)", [bound]) }
        guard started else { return fail("party \(bound) spoke before the hello", [bound]) }
        if envelope.round == .abort {
            guard case .abort(let reason, let failed)? = try? Message(round: .abort, body: envelope.body) else {
                return fail("party \(bound) sent a malformed abort", [bound])
            }
            return fail(reason, failed.isEmpty ? [] : failed)
        }
        let body: KeyGenerationBody
        do {
            body = try KeyGenerationBody(round: envelope.round, body: envelope.body)
        } catch {
            return fail("party \(bound) sent an invalid message: \(error)", [bound])
        }
        switch body {
        case .key:
            transcript.append(envelope)
            return relay(envelope, from: bound)
        case .values(let step, let data):
            transcript.append(envelope)
            progress[bound] = step
            do {
                let values = try KeyGenerationWire.decode(data, maximumValueBytes: parameters.maximumValueBytes)
                if let key = try observer.observe(step: step, values: values, from: bound) {
                    return relay(envelope, from: bound) + finish(key)
                }
            } catch let error as KeyGenerationError {
                return fail(error.description, error.party.map { [$0] } ?? [])
            } catch {
                return fail("party \(bound)'s values for step \(step): \(error)", [bound])
            }
            return relay(envelope, from: bound) + [.startDeadline(seconds: stepDeadline)]
        case .sealed(let step, let recipient, _):
            guard recipient != bound, let target = partyOf.first(where: { $0.value == recipient })?.key else {
                return fail("party \(bound) sealed a message for party \(recipient), who is not another connected party", [bound])
            }
            progress[bound] = step
            sealedMessages += 1
            return [.send(target, envelope), .startDeadline(seconds: stepDeadline)]
        case .complaint(let step, let dealer, let key, let sealed):
            transcript.append(envelope)
            let (reason, culprit) = judge(complainer: bound, step: step, dealer: dealer, key: key, sealed: sealed)
            return fail(reason, [culprit])
        case .hello, .result:
            return fail("party \(bound) sent a coordinator's \(envelope.round.rawValue) message", [bound])
        }
    }

    /// Who a complaint names: the dealer, when its own signed sealed shares, opened with the channel key the
    /// complainer reveals, fail the check the dealer published; the complainer, when they pass or the evidence does
    /// not hold (not the dealer's envelope for it at that step, a key that does not open it).
    func judge(complainer: Int, step: Int, dealer: Int, key: Data, sealed: Envelope) -> (reason: String, culprit: Int) {
        let unfounded = { (why: String) in
            ("party \(complainer)'s complaint against party \(dealer) does not hold: \(why)", complainer)
        }
        guard sealed.sender == dealer, sealed.session == session, sealed.round == .keygenPrivate,
            (try? sealed.verifySignature(roster: partyKeys)) != nil,
            case .sealed(let sealedStep, let recipient, let text)? = try? KeyGenerationBody(round: sealed.round, body: sealed.body),
            sealedStep == step, recipient == complainer
        else { return unfounded("the envelope is not party \(dealer)'s sealed shares for it at step \(step)") }
        guard let check = observer.dealingCheck(step: step, dealer: dealer) else {
            return unfounded("party \(dealer) has no published check of step \(step)")
        }
        guard let values = try? KeyGenerationChannel(key: key).open(
            text, step: step, sender: dealer, recipient: complainer, maximumValueBytes: parameters.maximumValueBytes)
        else { return unfounded("the key it reveals does not open the envelope") }
        do {
            try KeyGenerationParty.checkDealing(
                values, check: check, step: step, dealer: dealer, recipient: complainer, parameters: parameters, session: session)
            return unfounded("the shares match party \(dealer)'s check")
        } catch {
            return ("party \(dealer) dealt shares at step \(step) that do not match the check it published (party \(complainer)'s complaint, with the evidence, is in the transcript)", dealer)
        }
    }

    /// Sends a party's envelope to every other party.
    func relay(_ envelope: Envelope, from sender: Int) -> [Action] {
        partyOf.filter { $0.value != sender }.keys.sorted().map { .send($0, envelope) }
    }

    mutating func finish(_ key: ThresholdPublicKey) -> [Action] {
        finished = true
        let result = Envelope(session: session, round: .keygenResult, sender: 0, body: KeyGenerationBody.result(fingerprint: key.fingerprint).json)
        transcript.append(result)
        let line = "finished: key \(key.fingerprint), \(key.n.bitWidth) bits, \(observer.batches) batches, \(observer.biprimalityCandidates) biprimality candidates"
        return partyOf.keys.sorted().map { .send($0, result) } + [.log(.notice, line), .finished(key)]
    }

    public mutating func disconnected(_ connection: Connection) -> [Action] {
        guard let party = partyOf.removeValue(forKey: connection), !finished else { return [] }
        guard started else { return [.log(.warning, "party \(party) left before the key generation started")] }
        return fail("party \(party) left during the key generation; start again", [party])
    }

    public mutating func deadlinePassed() -> [Action] {
        guard !finished else { return [] }
        guard started else {
            let missing = (1...partyCount).filter { !partyOf.values.contains($0) }
            return fail("not every party of the roster connected within \(joinDeadline) seconds", missing)
        }
        let latest = progress.values.max() ?? 0
        let behind = (1...partyCount).filter { (progress[$0] ?? 0) < latest || latest == 0 }
        return fail("no progress within \(stepDeadline) seconds", behind)
    }

    mutating func fail(_ reason: String, _ parties: [Int]) -> [Action] {
        finished = true
        let abort = Envelope(session: session, round: .abort, sender: 0, body: Message.abort(reason: reason, failed: parties).body)
        transcript.append(abort)
        let named = parties.isEmpty ? "" : " (parties \(parties.map(String.init).joined(separator: ", ")))"
        return partyOf.keys.sorted().map { .send($0, abort) } + [.log(.error, "failed: \(reason)\(named)"), .failed(reason: reason, parties: parties)]
    }
}

/// A session id as people see it in logs: its first 8 bytes in hex.
enum SessionLabel {
    static func text(_ session: Data) -> String { session.prefix(8).map { String(format: "%02x", $0) }.joined() }
}
