import BigNum
import Foundation
import Paillier
import RangeProofs
import Summa
import Threshold

/// One party's side of a session as a state machine: the coordinator's messages in, its own signed messages out.
/// It releases a decryption share only once, only for the C it computed itself from a list it checked, and only
/// after at least t parties signed that they saw the same list and C.
public struct PartyMachine: ParticipatingMachine {
    public typealias Action = PartyAction<SessionResult>

    /// This party's key share.
    public let share: KeyShare
    /// This party's contribution: values (or columns' sums) and the rows they stand for.
    let values: [FixedPoint]
    /// The values' names (columns), or none.
    let names: [String]
    /// The L2 norm a vector is clipped to, once the session's scale is known (`VectorClipping`).
    let clipNorm: FixedPoint?
    let count: Int
    /// The fewest inputs this party lets its value be summed with. The coordinator picks the session's minimum;
    /// without a floor of its own, a party could find its value in a "sum" of two, which the other one can undo.
    let minimumInputs: Int
    /// The noise this party insists on (`party --require-noise`, `--epsilon`, `--delta`, `--honest-parties`), or
    /// none: it refuses a header without noise, or with weaker noise, before sending anything.
    let noisePolicy: SessionNoise.Policy?
    var session: Data?
    var header: Message.Header?
    var myInput: Message.Input?
    var combined: SessionChecks.Combined?
    var sharedOnce = false
    var done = false

    /// - Parameters:
    ///   - share: this party's key share; it decides the party's index, key and signing key.
    ///   - values: the values to contribute (at least one), or the sums of columns' values, in the session's order.
    ///   - names: the values' names (their columns), checked against the session's names if it gives them; or none.
    ///   - count: how many rows `values` stand for (1 for single values), so that the means are over all rows.
    ///   - clipNorm: for a vector (a model update): clip it to this L2 norm and round it to the session's decimals
    ///     at random (unbiased) before encrypting it, instead of refusing values with more decimals.
    ///   - minimumInputs: the fewest inputs in a session this party takes part in (default: the key's
    ///     ``Threshold/ThresholdPublicKey/defaultMinimumInputs``, as at the coordinator).
    ///   - noisePolicy: the noise this party requires of the session (none: it takes what the header says).
    public init(
        share: KeyShare, values: [FixedPoint], names: [String] = [], count: Int = 1, minimumInputs: Int? = nil,
        clipNorm: FixedPoint? = nil, noisePolicy: SessionNoise.Policy? = nil
    ) {
        precondition(!values.isEmpty && (names.isEmpty || names.count == values.count), "one name per value, or none")
        self.share = share
        self.values = values
        self.names = names
        self.count = count
        self.clipNorm = clipNorm
        self.minimumInputs = minimumInputs ?? share.publicKey.defaultMinimumInputs
        self.noisePolicy = noisePolicy
    }

    /// Values this party contributes.
    public var length: Int { values.count }

    /// The session's header, once this party accepted it (and sent its input for it).
    public var acceptedHeader: Message.Header? { myInput == nil ? nil : header }

    var key: ThresholdPublicKey { share.publicKey }
    var checks: SessionChecks? { session.map { SessionChecks(key: key, session: $0) } }

    /// One frame from the coordinator.
    public mutating func received(_ payload: Data) -> [Action] {
        guard !done else { return [] }
        do {
            let envelope = try Envelope(parsing: payload, expectedSession: session)
            guard envelope.sender == 0 else { throw MultiPartyError.malformedMessage("not from the coordinator") }
            return try handle(try Message(round: envelope.round, body: envelope.body), session: envelope.session)
        } catch let error as MultiPartyError {
            return fail("the coordinator sent \(error.description)")
        } catch let error as SummaError {
            return fail(error.description)
        } catch {
            return fail("\(error)")
        }
    }

    mutating func handle(_ message: Message, session: Data) throws -> [Action] {
        switch message {
        case .header(let header):
            guard self.header == nil else { return [] }
            guard header.keyFingerprint == key.fingerprint else {
                return fail("the coordinator runs the session under another key (\(header.keyFingerprint))")
            }
            guard header.minimumInputs >= minimumInputs else {
                return fail("the coordinator would decrypt a sum of as few as \(header.minimumInputs) inputs; this party needs \(minimumInputs)")
            }
            guard header.length == values.count else {
                return fail("the session sums \(header.length) values per party; this party has \(values.count)")
            }
            guard names.isEmpty || header.names.isEmpty || names == header.names else {
                return fail("the session sums \(header.names.joined(separator: ", ")); this party has \(names.joined(separator: ", "))")
            }
            if let reason = noiseRefusal(header) { return fail(reason) }
            var values = values
            var generator = SecureRandomNumberGenerator()
            // A noisy session clips every vector to its norm (or to the party's own, if smaller).
            let norm = [clipNorm, header.noise?.clipNorm].compactMap { $0 }.min()
            if let norm { values = try VectorClipping.clipped(values, norm: norm, scale: header.scale, using: &generator) }
            if let value = values.first(where: { $0.scale > header.scale }) {
                return fail("the value \(value) has more than the session's \(header.scale) decimals")
            }
            var mantissas = try values.map { (value) throws(SummaError) in try value.rescaled(to: header.scale).mantissa }
            // A header with noise is packed (its parser refuses one that is not), so the bound is there.
            if let noise = header.noise {
                let calibration = try noise.calibration(length: header.length, scale: header.scale)
                mantissas = zip(mantissas, calibration.sample(count: mantissas.count, using: &generator)).map { $0 + $1 }
                if let bound = header.valueBound, mantissas.contains(where: { $0.magnitude > bound }) {
                    return fail("the noise took a value beyond the session's bound: the coordinator's bound leaves too little room for the noise")
                }
            }
            self.session = session
            self.header = header
            let input: Message.Input
            if let bound = header.valueBound {
                guard let packing = header.packing(under: key) else {
                    return fail("the session's value bound \(bound) leaves no room for its slots in a \(key.paillierKey.bits)-bit key")
                }
                if let statement = checks?.rangeStatement(header: header, sender: share.index) {
                    if let index = mantissas.indices.first(where: { !statement.range(of: $0).contains(mantissas[$0]) }) {
                        let range = statement.range(of: index)
                        let value = header.noise == nil ? values[index].description : "\(values[index]) with its noise"
                        let columns = header.names.isEmpty ? names : header.names
                        return fail(
                            "the value \(value)\(columns.isEmpty ? "" : " (\(columns[index]))") is outside the session's range "
                                + range.decimals(scale: header.scale).joined(separator: " to "))
                    }
                    let (ciphertexts, proof) = try RangeProof.encrypt(mantissas, statement: statement, key: .shared(for: key.paillierKey))
                    input = Message.Input(ciphertexts: ciphertexts, rangeProof: proof, count: count, header: SessionChecks.digest(of: header))
                } else {
                    if let index = mantissas.firstIndex(where: { $0.magnitude > bound }) {
                        return fail("the value \(values[index]) is beyond the session's bound of \(try FixedPoint(mantissa: bound, scale: header.scale))")
                    }
                    input = provenInput(packing.plaintexts(mantissas, key: key.paillierKey), header: header, session: session)
                }
            } else {
                let residues = try mantissas.map { (mantissa) throws(SummaError) in
                    try key.paillierKey.encode(mantissa: mantissa, limit: key.paillierKey.valueBound)
                }
                input = provenInput(residues, header: header, session: session)
            }
            myInput = input
            return [.send(try signed(.input(input)))]
        case .acceptedList(let list):
            guard let header, let checks, combined == nil else { return [] }
            guard list.entries.contains(where: { $0.party == share.index && $0.input == myInput }) else {
                return fail("the coordinator left this party's input out of the accepted list")
            }
            let combined: SessionChecks.Combined
            do throws(MultiPartyError) {
                combined = try checks.acceptedList(list, header: header, checkingSignatures: true)
            } catch {
                switch error {
                case .invalidCiphertext(_, let reason): return fail(reason.description)
                case .invalidInputProof(let party): return fail("the accepted list holds an invalid input from party \(party)")
                default: return fail(error.description)
                }
            }
            self.combined = combined
            return [.send(try signed(.echo(digest: combined.digest)))]
        case .echoes(let echoes):
            guard let checks, let combined, !sharedOnce else { return [] }
            let confirmed: Set<Int>
            do throws(MultiPartyError) {
                confirmed = try checks.echoes(echoes, confirm: combined)
            } catch {
                switch error {
                case .invalidEcho: return fail("the coordinator relayed an invalid echo")
                case .echoMismatch(let party):
                    return fail("the coordinator equivocated: party \(party) saw a different accepted list")
                default: throw error
                }
            }
            guard confirmed.count >= checks.echoQuorum, confirmed.contains(share.index) else {
                return fail("only \(confirmed.count) parties confirmed the accepted list, \(checks.echoQuorum) are needed")
            }
            sharedOnce = true
            let decryption = share.decryptionShares(of: combined.sums.map(\.ciphertext), session: session)
            return [.send(try signed(.decryptionShare(decryption)))]
        case .result(let result, let shares, let evidence):
            guard let checks, let combined else { return [] }
            do throws(MultiPartyError) {
                try checks.result(result, shares: shares, evidence: evidence, for: combined)
            } catch {
                switch error {
                case .resultDoesNotMatchShares: return fail("the coordinator's result does not match the decryption shares")
                case .resultDoesNotMatchList: return fail("the coordinator's result names other contributors than the accepted list")
                default: return fail(error.description)
                }
            }
            done = true
            return [.finished(result)]
        case .abort(let reason, let failed):
            return fail("the session was aborted: \(reason)" + (failed.isEmpty ? "" : " (parties \(failed.map(String.init).joined(separator: ", ")))"))
        case .input, .echo, .decryptionShare:
            return fail("the coordinator sent a party's message")
        }
    }

    /// An input of `residues` each with a proof of plaintext knowledge (sessions without declared ranges).
    func provenInput(_ residues: [BigInteger], header: Message.Header, session: Data) -> Message.Input {
        var ciphertexts: [BigInteger] = [], proofs: [PlaintextKnowledgeProof] = []
        for residue in residues {
            let (ciphertext, proof) = PlaintextKnowledgeProof.encrypt(residue, key: key.paillierKey, sender: share.index, session: session)
            ciphertexts.append(ciphertext.value)
            proofs.append(proof)
        }
        return Message.Input(ciphertexts: ciphertexts, proofs: proofs, count: count, header: SessionChecks.digest(of: header))
    }

    /// Why this party refuses the header's noise, or nil: noise that counts on more honest parties than the session
    /// can have, or no noise (or weaker noise) than this party's policy requires.
    func noiseRefusal(_ header: Message.Header) -> String? {
        if let noise = header.noise {
            do throws(SummaError) {
                try noise.check(parties: key.partyCount, minimumInputs: header.minimumInputs)
            } catch {
                return "the coordinator's noise is unsound: \(error)"
            }
        }
        guard let noisePolicy else { return nil }
        guard let noise = header.noise else {
            return "the session adds no noise, and this party requires it (the coordinator left out --epsilon)"
        }
        return noise.weakness(against: noisePolicy)
    }

    func signed(_ message: Message) throws -> Envelope {
        try Envelope(session: session!, round: message.round, sender: share.index, body: message.body, signingKey: share.signingKey)
    }

    mutating func fail(_ reason: String) -> [Action] {
        done = true
        return [.failed(reason)]
    }
}
