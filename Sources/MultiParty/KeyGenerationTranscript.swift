import BigNum
import Foundation
import KeyGeneration
import Threshold

/// A key generation's transcript read one message at a time, with the checks
/// ``TranscriptVerifier/verifyKeyGeneration(_:key:)`` describes: that function is this reader run over every line.
public struct KeyGenerationTranscript: TranscriptReader {
    let key: ThresholdPublicKey
    var messages = 0
    var observer: KeyGenerationObserver?
    var keys = Set<Int>()
    var finished = false

    public init(key: ThresholdPublicKey) {
        self.key = key
    }

    public mutating func read(_ text: Substring, line: Int) throws(TranscriptVerifier.Problem) {
        messages += 1
        func problem(_ reason: String) -> TranscriptVerifier.Problem { TranscriptVerifier.Problem(line: line, reason: reason) }
        let envelope: Envelope
        do {
            envelope = try Envelope(parsing: Data(text.utf8), expectedSession: observer?.session)
        } catch {
            throw problem(error.description)
        }
        guard !finished else { throw problem("a message after the result") }
        if envelope.round == .abort { throw problem("the key generation was aborted") }
        let body: KeyGenerationBody
        do {
            body = try KeyGenerationBody(round: envelope.round, body: envelope.body)
            if envelope.sender != 0 { try envelope.verifySignature(roster: key.signingKeys) }
        } catch {
            throw problem(error.description)
        }
        switch (envelope.sender, body) {
        case (0, .hello(_, let bits, let parties, let threshold, let batchSize)):
            guard observer == nil else { throw problem("a second hello") }
            guard bits == key.n.bitWidth, parties == key.partyCount, threshold == key.threshold else {
                throw problem("the hello's parameters (\(threshold) of \(parties), \(bits) bits) are not the key's")
            }
            do {
                observer = KeyGenerationObserver(
                    parameters: try KeyGenerationParameters(bits: bits, parties: parties, threshold: threshold, batchSize: batchSize),
                    session: envelope.session, signingKeys: key.signingKeys, coordinatorKey: key.coordinatorKey,
                    allowInsecureKeySize: true)
            } catch {
                throw problem(error.description)
            }
        case (let sender, .key) where sender != 0:
            guard observer != nil, keys.insert(sender).inserted else { throw problem("party \(sender)'s key out of turn or twice") }
        case (let sender, .values(let step, let data)) where sender != 0:
            guard observer != nil, keys.count == key.partyCount else { throw problem("values before every party's key") }
            do {
                // In place: a copy would copy the observer's tables at every line.
                let values = try KeyGenerationWire.decode(data, maximumValueBytes: observer!.parameters.maximumValueBytes)
                _ = try observer!.observe(step: step, values: values, from: sender)
            } catch {
                throw problem("\(error)")
            }
        case (0, .result(let fingerprint)):
            guard let made = observer?.key else { throw problem("a result before the key was complete") }
            guard fingerprint == made.fingerprint, made == key else {
                throw problem("the result names key \(fingerprint); the transcript makes \(made.fingerprint); the key given is \(key.fingerprint)")
            }
            finished = true
        default:
            throw problem("a \(envelope.round.rawValue) message from \(envelope.sender == 0 ? "the coordinator" : "party \(envelope.sender)") out of place")
        }
    }

    public func report() throws(TranscriptVerifier.Problem) -> TranscriptVerifier.KeyGenerationReport {
        guard messages > 0 else { throw TranscriptVerifier.Problem(line: 1, reason: "the transcript is empty") }
        guard finished, let observer else { throw TranscriptVerifier.Problem(line: messages, reason: "the transcript has no result") }
        return TranscriptVerifier.KeyGenerationReport(
            messages: messages, batches: observer.batches, biprimalityCandidates: observer.biprimalityCandidates)
    }
}
