import BigNum
import Crypto
import Foundation
import KeyGeneration
import Provenance
import Threshold

/// One party's side of a dealer-free key generation over the session transport: the coordinator's hello, every
/// other party's signed messages relayed by it, and this party's own, signed with its roster identity. Shares go
/// sealed to their one recipient (``KeyGenerationWire``); public values go to everyone and into the transcript. The
/// party accepts nothing but what the roster it holds names: the roster's fingerprint, its parameters, its keys.
///
/// `@unchecked Sendable`: the ephemeral X25519 key is immutable once made (swift-crypto's key types are not marked
/// Sendable), and the machine is used by one task at a time.
public struct KeyGenerationPartyMachine: ParticipatingMachine, @unchecked Sendable {
    public typealias Action = PartyAction<KeyGenerationResult>

    public let roster: Roster
    /// This party's index in the roster, 1…ℓ.
    public let index: Int
    let identity: Identity
    let signingKey: Curve25519.Signing.PrivateKey
    let allowInsecureKeySize: Bool
    let ephemeral = Curve25519.KeyAgreement.PrivateKey()
    var session: Data?
    var party: KeyGenerationParty?
    var channels: [Int: KeyGenerationChannel] = [:]
    /// The sealed envelopes of recent steps, by step and dealer: the evidence of a complaint.
    var sealedEnvelopes: [Int: [Int: Envelope]] = [:]
    var done = false
    /// Rewrites this party's messages before they are sealed or signed: tests play a dishonest dealer with it.
    var rewrite: (@Sendable (KeyGenerationMessage) -> KeyGenerationMessage)?

    /// - Throws: when `identity` is not one of the roster's parties.
    public init(roster: Roster, identity: Identity, allowInsecureKeySize: Bool = false) throws(MultiPartyError) {
        guard let position = roster.parties.firstIndex(of: identity.publicIdentity) else {
            throw .malformedMessage("the identity \(identity.publicIdentity.label) is not a party of roster \(roster.fingerprint)")
        }
        self.roster = roster
        index = position + 1
        self.identity = identity
        signingKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: identity.signingKeyBytes)  // a valid key's bytes
        self.allowInsecureKeySize = allowInsecureKeySize
    }

    var partyKeys: [Data] { roster.parties.map(\.publicKeyBytes) }

    public mutating func received(_ payload: Data) -> [Action] {
        guard !done else { return [] }
        do {
            return try handle(payload)
        } catch let error as KeyGenerationError {
            if case .inconsistentDealing(let dealer, let step) = error, let complaint = complaint(against: dealer, step: step) {
                return fail(error.description, blaming: dealer, sending: complaint)
            }
            return fail(error.description, blaming: error.party)
        } catch let error as MultiPartyError {
            return fail(error.description, blaming: nil)
        } catch {
            return fail("\(error)", blaming: nil)
        }
    }

    mutating func handle(_ payload: Data) throws -> [Action] {
        let envelope = try Envelope(parsing: payload, expectedSession: session)
        if envelope.round == .abort {
            guard envelope.sender == 0 else { throw MultiPartyError.malformedMessage("an abort relayed as party \(envelope.sender)'s") }
            guard case .abort(let reason, let failed) = try Message(round: .abort, body: envelope.body) else { return [] }
            done = true
            return [.failed("the key generation was aborted: \(reason)" + (failed.isEmpty ? "" : " (parties \(failed.map(String.init).joined(separator: ", ")))"))]
        }
        let body = try KeyGenerationBody(round: envelope.round, body: envelope.body)
        if envelope.sender == 0 {
            switch body {
            case .hello(let fingerprint, let bits, let parties, let threshold, let batchSize):
                guard session == nil else { throw MultiPartyError.malformedMessage("a second hello") }
                guard fingerprint == roster.fingerprint else {
                    throw MultiPartyError.malformedMessage("the coordinator runs roster \(fingerprint), not this party's \(roster.fingerprint)")
                }
                guard bits == roster.bits, parties == roster.parties.count, threshold == roster.threshold else {
                    throw MultiPartyError.malformedMessage("the coordinator's parameters are not the roster's")
                }
                let parameters = try KeyGenerationParameters(bits: bits, parties: parties, threshold: threshold, batchSize: batchSize)
                session = envelope.session
                party = KeyGenerationParty(
                    parameters: parameters, index: index, session: envelope.session, signingKeys: partyKeys,
                    coordinatorKey: roster.coordinator.publicKeyBytes, signingKey: identity.signingKeyBytes,
                    allowInsecureKeySize: allowInsecureKeySize)
                return [.send(try sign(.key(ephemeral.publicKey.rawRepresentation)))]
            case .result(let fingerprint):
                guard let result = party?.result else { throw MultiPartyError.malformedMessage("a result before this party's key was complete") }
                guard fingerprint == result.publicKey.fingerprint else {
                    throw MultiPartyError.malformedMessage("the coordinator announced key \(fingerprint), not the key \(result.publicKey.fingerprint) this party checked")
                }
                done = true
                return [.finished(result)]
            default:
                throw MultiPartyError.malformedMessage("a party's \(envelope.round.rawValue) message from the coordinator")
            }
        }
        guard var party, let session else { throw MultiPartyError.malformedMessage("a party's message before the hello") }
        self.party = nil  // the machine's copy is put back below: one owner, so the step's arrays are not copied
        defer { if self.party == nil { self.party = party } }
        try envelope.verifySignature(roster: partyKeys)
        let sender = envelope.sender
        guard sender != index else { throw MultiPartyError.malformedMessage("this party's own message relayed back") }
        var outgoing: [KeyGenerationMessage] = []
        switch body {
        case .key(let key):
            guard channels[sender] == nil else { throw MultiPartyError.malformedMessage("party \(sender) sent a second key") }
            channels[sender] = try KeyGenerationChannel(own: ephemeral, peer: key, session: session, parties: (index, sender))
            if channels.count == roster.parties.count - 1 { outgoing = party.start() }
        case .values(let step, let data):
            let values = try KeyGenerationWire.decode(data, maximumValueBytes: party.parameters.maximumValueBytes)
            outgoing = try party.receive(KeyGenerationMessage(step: step, recipient: nil, values: values), from: sender)
        case .sealed(let step, let recipient, let sealed):
            guard recipient == index, let channel = channels[sender] else {
                throw MultiPartyError.malformedMessage("party \(sender)'s sealed message for party \(recipient) reached party \(index)")
            }
            let values = try channel.open(
                sealed, step: step, sender: sender, recipient: index, maximumValueBytes: party.parameters.maximumValueBytes)
            sealedEnvelopes[step, default: [:]][sender] = envelope
            sealedEnvelopes = sealedEnvelopes.filter { $0.key > step - 64 }
            outgoing = try party.receive(KeyGenerationMessage(step: step, recipient: index, values: values), from: sender)
        default:
            throw MultiPartyError.malformedMessage("a coordinator's \(envelope.round.rawValue) message from party \(sender)")
        }
        self.party = party
        if let rewrite { outgoing = outgoing.map(rewrite) }
        return try outgoing.map { message in
            if let recipient = message.recipient {
                let sealed = channels[recipient]!.seal(message.values, step: message.step, sender: index, recipient: recipient)
                return .send(try sign(.sealed(step: message.step, recipient: recipient, sealed: sealed)))
            }
            return .send(try sign(.values(step: message.step, values: KeyGenerationWire.encode(message.values))))
        }
    }

    func sign(_ body: KeyGenerationBody) throws -> Envelope {
        try Envelope(session: session!, round: body.round, sender: index, body: body.json, signingKey: signingKey)
    }

    /// A complaint against `dealer`'s shares of `step`: its signed sealed envelope and their channel's key.
    func complaint(against dealer: Int, step: Int) -> Envelope? {
        guard let sealed = sealedEnvelopes[step]?[dealer], let channel = channels[dealer] else { return nil }
        return try? sign(.complaint(step: step, dealer: dealer, key: channel.keyBytes, envelope: sealed))
    }

    /// Stops, telling the coordinator why (a signed abort it relays, or a complaint it judges), so that every party
    /// stops with the reason.
    mutating func fail(_ reason: String, blaming culprit: Int?, sending complaint: Envelope? = nil) -> [Action] {
        done = true
        var actions: [Action] = []
        if let complaint {
            actions.append(.send(complaint))
        } else if let session, let abort = try? Envelope(
            session: session, round: .abort, sender: index,
            body: Message.abort(reason: "party \(index): \(reason)", failed: culprit.map { [$0] } ?? []).body, signingKey: signingKey)
        {
            actions.append(.send(abort))
        }
        return actions + [.failed(reason)]
    }
}

extension KeyGenerationError {
    /// The party a failure names, when it names one.
    var party: Int? {
        switch self {
        case .malformedMessage(let party, _, _), .invalidDecryptionShare(let party), .inconsistentDealing(let party, _): party
        default: nil
        }
    }
}
