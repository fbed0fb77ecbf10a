import BigNum
import Foundation
import Logging
import Paillier
import RangeProofs
import Summa
import Threshold

/// The coordinator's side of a session as a state machine: events in (a connection authenticated as a party, its
/// bytes, its end, a deadline), actions out (send, close, log, finish, fail). No sockets: the transport feeds it
/// (`CoordinatorServer` in MultiPartyNIO authenticates connections with TLS), and tests drive it directly. The
/// coordinator sees only ciphertexts, proofs and the result.
public struct CoordinatorMachine: CoordinatingMachine {
    public typealias Connection = Int

    public typealias Action = CoordinatorAction<SessionResult>

    enum Phase: Sendable { case inputs, echoes, shares, done }

    /// The session's threshold key.
    public let key: ThresholdPublicKey
    public let session: Data
    let header: Message.Header
    /// Seconds allowed for the echo and share rounds each.
    let roundDeadline: Int
    var phase = Phase.inputs
    var partyOf: [Connection: Int] = [:]
    var inputs: [Int: Message.AcceptedList.Entry] = [:]
    /// The parties blamed, each with its signed, faulty message: the evidence every party checks.
    var blamed: [Int: Envelope] = [:]
    var combined: SessionChecks.Combined?
    var echoes: [Int: Envelope] = [:]
    var shares: [Int: BatchDecryptionShare] = [:]
    /// Every envelope sent or accepted, in order: the session's transcript.
    public private(set) var transcript: [Envelope] = []

    /// - Parameters:
    ///   - key: the session's threshold key.
    ///   - scale: decimals of every value.
    ///   - minimumInputs: inputs needed to go on.
    ///   - inputDeadline: seconds the input round lasts at most.
    ///   - roundDeadline: seconds each later round lasts at most.
    ///   - length: values in every input, summed position by position (1…``Message/Header/maximumLength``, or
    ///     1…``Message/Header/maximumPackedLength`` packed).
    ///   - names: the values' names, `length` of them, or none.
    ///   - valueBound: the largest |mantissa| of a value, to pack the inputs (``SessionPacking``); nil for one
    ///     ciphertext per value.
    ///   - noise: the noise every party adds to its vector (packed sessions only).
    ///   - ranges: the range of every value (one for all, or one per value; packed sessions only, each within
    ///     `valueBound`): every input then proves its values in them. None: inputs are not proven in any range.
    ///   - session: the session id (32 random bytes by default).
    public init(
        key: ThresholdPublicKey, scale: Int, minimumInputs: Int, inputDeadline: Int, roundDeadline: Int = 30,
        length: Int = 1, names: [String] = [], valueBound: BigInteger? = nil, noise: SessionNoise? = nil,
        ranges: [ValueRange] = [], session: Data = Data(SecureRandomNumberGenerator.bytes(32))
    ) {
        self.key = key
        self.session = session
        header = Message.Header(
            keyFingerprint: key.fingerprint, scale: scale, minimumInputs: minimumInputs,
            inputDeadline: inputDeadline, length: length, names: names, valueBound: valueBound, noise: noise, ranges: ranges)
        precondition(
            noise == nil || valueBound != nil, "noise is added to packed vectors")
        precondition(
            ranges.isEmpty || ((ranges.count == 1 || ranges.count == length) && valueBound.map { bound in ranges.allSatisfy { $0.magnitude <= bound } } == true),
            "ranges are one for all values or one per value, within the bound of a packed session")
        precondition(
            (1...(valueBound == nil ? Message.Header.maximumLength : Message.Header.maximumPackedLength)).contains(length)
                && (names.isEmpty || names.count == length) && (valueBound == nil || header.packing(under: key) != nil),
            "a session's length, names and bound are checked by its caller")
        self.roundDeadline = roundDeadline
    }

    public var partyKeys: [Data] { key.signingKeys }

    /// Values in every input.
    public var length: Int { header.length }
    /// Ciphertexts in every input.
    public var ciphertexts: Int { header.ciphertexts(under: key) }

    var checks: SessionChecks { SessionChecks(key: key, session: session) }
    var connectedParties: Set<Int> { Set(partyOf.values).subtracting(blamed.keys) }

    mutating func envelope(_ message: Message) -> Envelope {
        let envelope = Envelope(session: session, round: message.round, sender: 0, body: message.body)
        transcript.append(envelope)
        return envelope
    }

    /// A connection the transport authenticated as `party` (1…ℓ): it gets the header (and the first one starts the
    /// input deadline, if ``start()`` has not). A second connection for a party already connected, or one after the
    /// inputs closed, is told why and closed.
    public mutating func connected(_ connection: Connection, as party: Int) -> [Action] {
        guard (1...key.partyCount).contains(party) else { return [.close(connection, reason: "no party \(party) in the roster")] }
        if let other = partyOf.first(where: { $0.value == party })?.key {
            return refuse(
                connection, party: party,
                "party \(party) is already connected (connection \(other)): a second connection for the same party is "
                    + "refused; is `summa party` running twice with this share?")
        }
        guard phase == .inputs else {
            return refuse(connection, party: party, "the session no longer takes inputs: it is past its input round")
        }
        partyOf[connection] = party
        // Every connection gets the same header; the transcript records it once, as its first line.
        return start() + [.log(.info, "party \(party) joined"), .send(connection, transcript[0])]
    }

    /// Tells one connection why it is refused (an abort only it receives, not in the transcript) and closes it.
    func refuse(_ connection: Connection, party: Int, _ reason: String) -> [Action] {
        let abort = Message.abort(reason: reason, failed: [])
        return [
            .send(connection, Envelope(session: session, round: .abort, sender: 0, body: abort.body)),
            .close(connection, reason: "party \(party): \(reason)"),
        ]
    }

    /// Opens the session: the header is recorded and the input deadline runs from here, so a coordinator nobody
    /// joins still ends at its deadline. (A driver that connects first starts it then.)
    public mutating func start() -> [Action] {
        guard transcript.isEmpty else { return [] }
        _ = envelope(.header(header))
        return [.startDeadline(seconds: header.inputDeadline)]
    }

    /// Whether a connection is bound to a party of the roster.
    public func isAuthenticated(_ connection: Connection) -> Bool { partyOf[connection] != nil }

    /// A connection ended. Rounds waiting for that party go on without it.
    public mutating func disconnected(_ connection: Connection) -> [Action] {
        partyOf[connection] = nil
        return advance()
    }

    /// The current round's deadline passed: go on with what arrived, or fail naming who did not answer.
    public mutating func deadlinePassed() -> [Action] {
        switch phase {
        case .inputs: return closeInputs()
        case .echoes: return releaseEchoes()
        case .shares: return closeShares(" before the deadline")
        case .done: return []
        }
    }

    /// Bytes of one frame from a connection.
    public mutating func received(_ payload: Data, from connection: Connection) -> [Action] {
        guard phase != .done else { return [] }
        let envelope: Envelope
        let message: Message
        do {
            envelope = try Envelope(parsing: payload, expectedSession: session)
            try envelope.verifySignature(roster: key.signingKeys)
            message = try Message(round: envelope.round, body: envelope.body)
        } catch {
            return [.close(connection, reason: error.description)]
        }
        let party = envelope.sender
        guard let bound = partyOf[connection] else {
            return [.close(connection, reason: "a message before the connection authenticated as a party")]
        }
        guard bound == party else { return [.close(connection, reason: "party \(bound)'s connection spoke as party \(party)")] }
        guard blamed[party] == nil else { return [] }
        let checks = checks, header = header  // copies: the checks run while `settle` mutates self
        switch (phase, message) {
        case (.inputs, .input(let input)):
            guard inputs[party] == nil else { return [] }  // one input per party and session
            let entry = Message.AcceptedList.Entry(party: party, input: input, signature: envelope.signature)
            return settle(party, entry, envelope: envelope, in: \.inputs) { () throws(MultiPartyError) in try checks.input(input, from: party, header: header) }
        case (.echoes, .echo):
            guard echoes[party] == nil, let combined else { return [] }
            return settle(party, envelope, envelope: envelope, in: \.echoes) { () throws(MultiPartyError) in _ = try checks.echo(envelope, confirms: combined) }
        case (.shares, .decryptionShare(let share)):
            guard shares[party] == nil, share.party == party, let combined else { return [] }
            return settle(party, share, envelope: envelope, in: \.shares) { () throws(MultiPartyError) in
                try checks.decryptionShare(share, from: party, for: combined)
            }
        default:
            return [.close(connection, reason: "a \(envelope.round.rawValue) message out of turn")]
        }
    }

    /// Records a party's answer to the current round (and its envelope in the transcript) if `check` passes, or
    /// blames the party for an invalid one; then moves on if the round is complete.
    mutating func settle<Value>(
        _ party: Int, _ value: Value, envelope: Envelope, in store: WritableKeyPath<Self, [Int: Value]>,
        check: () throws(MultiPartyError) -> Void
    ) -> [Action] {
        let round = envelope.round.rawValue
        do {
            try check()
            self[keyPath: store][party] = value
            transcript.append(envelope)
            return [.log(.info, "party \(party): \(round) accepted")] + advance()
        } catch {
            blamed[party] = envelope
            return [.log(.warning, "party \(party) blamed: its \(round) is invalid: \(error)")] + advance()
        }
    }

    /// Moves on when everyone still connected has answered the current round.
    mutating func advance() -> [Action] {
        switch phase {
        case .inputs:
            let answered = Set(inputs.keys).union(blamed.keys)
            return answered.count == key.partyCount ? closeInputs() : []
        case .echoes:
            return connectedParties.isSubset(of: Set(echoes.keys)) ? releaseEchoes() : []
        case .shares:
            // Every connected key holder's share is checked before finishing, so that a forged one is blamed even
            // when t valid shares came first; one that stays silent is waited for until the deadline.
            return connectedParties.isSubset(of: Set(shares.keys)) ? closeShares("") : []
        case .done:
            return []
        }
    }

    mutating func closeInputs() -> [Action] {
        let accepted = inputs.keys.sorted().filter { blamed[$0] == nil }
        let missing = (1...key.partyCount).filter { inputs[$0] == nil && blamed[$0] == nil }
        guard accepted.count >= header.minimumInputs else {
            return fail(
                "only \(accepted.count) of the \(header.minimumInputs) inputs needed arrived",
                missing + blamed.keys.sorted())
        }
        let list = Message.AcceptedList(
            entries: accepted.map { inputs[$0]! }, blamed: blamed.keys.sorted(), missing: missing)
        guard let combined = try? checks.combine(list, header: header) else {
            return fail("the accepted inputs cannot be summed under this key", [])
        }
        self.combined = combined
        phase = .echoes
        let summary = "inputs closed: accepted \(Self.list(accepted)); missing \(Self.list(missing)); blamed \(Self.list(list.blamed))"
        return [.log(.notice, summary), .startDeadline(seconds: roundDeadline)] + broadcast(.acceptedList(list))
    }

    mutating func releaseEchoes() -> [Action] {
        guard echoes.count >= checks.echoQuorum else {
            return fail(
                "only \(echoes.count) parties confirmed the accepted list, \(checks.echoQuorum) are needed",
                (1...key.partyCount).filter { echoes[$0] == nil })
        }
        phase = .shares
        let confirmed = "\(echoes.count) parties confirmed the accepted list: \(Self.list(echoes.keys.sorted()))"
        return [.log(.notice, confirmed), .startDeadline(seconds: roundDeadline)] + broadcast(.echoes(echoes.keys.sorted().map { echoes[$0]! }))
    }

    /// Combines t of the valid shares, or fails naming the key holders whose share is missing or invalid.
    mutating func closeShares(_ when: String) -> [Action] {
        shares.count >= key.threshold
            ? finish() : fail("fewer than \(key.threshold) valid decryption shares\(when)", missingShares())
    }

    mutating func finish() -> [Action] {
        guard let combined else { return [] }
        let chosen = shares.keys.sorted().prefix(key.threshold).map { shares[$0]! }
        do {
            // Every share in `shares` was verified when it arrived.
            let residues = try key.combine(verified: Array(chosen))
            let sums = try checks.sums(of: combined, residues: residues)
            let result = try SessionResult(
                names: header.names, sums: sums, count: combined.count, contributors: combined.contributors,
                blamed: blamed.keys.sorted(), ranges: header.ranges)
            let evidence = blamed.keys.sorted().map { blamed[$0]! }
            let summary = "finished: \(result.count) rows from \(Self.list(result.contributors)), shares of \(Self.list(chosen.map(\.party)))"
            return broadcast(.result(result, shares: Array(chosen), evidence: evidence)) + [.log(.notice, summary), .finished(result)]
        } catch {
            return fail("combining the decryption shares failed: \(error)", [])
        }
    }

    mutating func fail(_ reason: String, _ parties: [Int]) -> [Action] {
        let actions = broadcast(.abort(reason: reason, failed: parties))
        return actions + [.log(.error, "failed: \(reason) (parties \(Self.list(parties)))"), .failed(reason: reason, parties: parties)]
    }

    /// Parties for a log line.
    static func list(_ parties: [Int]) -> String { parties.isEmpty ? "none" : parties.map(String.init).joined(separator: ", ") }

    func missingShares() -> [Int] { (1...key.partyCount).filter { shares[$0] == nil } }

    mutating func broadcast(_ message: Message) -> [Action] {
        let envelope = envelope(message)
        if case .abort = message { phase = .done }
        if case .result = message { phase = .done }
        return partyOf.filter { blamed[$0.value] == nil }.keys.sorted().map { .send($0, envelope) }
    }
}
