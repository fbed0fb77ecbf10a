import BigNum
import Foundation
import KeyGeneration
import Threshold

extension TranscriptVerifier {
    /// What a key generation's transcript showed.
    public struct KeyGenerationReport: Sendable, Equatable {
        public let messages: Int
        /// Batches of candidates and candidates that reached a biprimality test.
        public let batches: Int
        public let biprimalityCandidates: Int
    }

    /// Whether a transcript is a key generation's (its first message is a key generation's hello).
    public static func isKeyGeneration(_ data: Data) -> Bool {
        guard let first = lines(of: String(decoding: data, as: UTF8.self)).first(where: { !isBlank($0) }),
            let envelope = try? Envelope(parsing: Data(first.utf8))
        else { return false }
        return envelope.round == .keygenHello
    }

    /// Re-checks a key generation's transcript (`coordinate --keygen --transcript`) against the key it made: the
    /// hello's parameters are the key's; one session; every party message signed by the roster key the key names;
    /// one ephemeral key per party; every public value checked as the coordinator checked it
    /// (``KeyGeneration/KeyGenerationObserver``: the opened moduli, the biprimality tests of the candidate taken,
    /// the opened Γ, the verification keys, every test decryption share and their combination); and a result, last,
    /// naming the key that all this defines, which must be `key` field for field.
    public static func verifyKeyGeneration(_ data: Data, key: ThresholdPublicKey) throws(Problem) -> KeyGenerationReport {
        let lines = Self.lines(of: String(decoding: data, as: UTF8.self)).enumerated().filter { !Self.isBlank($0.element) }
        guard !lines.isEmpty else { throw Problem(line: 1, reason: "the transcript is empty") }
        var observer: KeyGenerationObserver?
        var keys = Set<Int>()
        var finished = false
        for (index, text) in lines {
            let line = index + 1
            func problem(_ reason: String) -> Problem { Problem(line: line, reason: reason) }
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
        guard finished, let observer else { throw Problem(line: lines.count, reason: "the transcript has no result") }
        return KeyGenerationReport(messages: lines.count, batches: observer.batches, biprimalityCandidates: observer.biprimalityCandidates)
    }
}
