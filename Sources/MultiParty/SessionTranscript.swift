import BigNum
import Foundation
import Summa
import SummaFormats
import Threshold

/// A session's transcript read one message at a time, with the checks ``TranscriptVerifier/verify(_:key:)``
/// describes: that function is this reader run over every line.
public struct SessionTranscript: TranscriptReader {
    let key: ThresholdPublicKey
    var messages = 0
    var session: Data?
    var header: Message.Header?
    var inputs: [Int: Message.Input] = [:]
    var combined: SessionChecks.Combined?
    var echoLines: [Int: Envelope] = [:]
    var relayed = false
    var shareLines: [Int: BatchDecryptionShare] = [:]
    var verifiedResult: SessionResult?

    public init(key: ThresholdPublicKey) {
        self.key = key
    }

    public mutating func read(_ text: Substring, line: Int) throws(TranscriptVerifier.Problem) {
        messages += 1
        func problem(_ reason: String) -> TranscriptVerifier.Problem { TranscriptVerifier.Problem(line: line, reason: reason) }
        let envelope: Envelope
        let message: Message
        do {
            envelope = try Envelope(parsing: Data(text.utf8), expectedSession: session)
            message = try Message(round: envelope.round, body: envelope.body)
        } catch {
            throw problem(error.description)
        }
        guard verifiedResult == nil else { throw problem("a message after the result") }
        session = envelope.session
        let checks = SessionChecks(key: key, session: envelope.session)
        if envelope.sender != 0 {
            do { try envelope.verifySignature(roster: key.signingKeys) } catch { throw problem(error.description) }
        }
        // Each round in its order, once: a transcript with a round deleted, repeated or moved does not verify.
        switch message {
        case .header(let h):
            guard messages == 1, envelope.sender == 0 else { throw problem("the header is not the first message") }
            guard h.keyFingerprint == key.fingerprint else { throw problem("the session ran under another key") }
            header = h
        case .input(let input):
            guard let header, combined == nil else { throw problem("an input outside the input round") }
            guard inputs[envelope.sender] == nil else { throw problem("a second input from party \(envelope.sender)") }
            guard (try? checks.input(input, from: envelope.sender, header: header)) != nil else {
                throw problem("party \(envelope.sender)'s input proof does not verify")
            }
            inputs[envelope.sender] = input
        case .acceptedList(let accepted):
            guard let header, combined == nil else { throw problem("an accepted list out of turn") }
            for entry in accepted.entries where inputs[entry.party] != entry.input {
                throw problem("the accepted list holds an input party \(entry.party) did not send")
            }
            do throws(MultiPartyError) {
                // Every entry is an input read above, whose envelope's signature was checked there.
                combined = try checks.acceptedList(accepted, header: header, checkingSignatures: false)
            } catch {
                throw problem(error.description)
            }
        case .echo:
            guard let combined, !relayed, echoLines[envelope.sender] == nil,
                (try? checks.echo(envelope, confirms: combined)) != nil
            else { throw problem("party \(envelope.sender) signed a different accepted list") }
            echoLines[envelope.sender] = envelope
        case .echoes(let echoes):
            guard let combined, !relayed else { throw problem("relayed echoes out of turn") }
            for echo in echoes {
                guard (try? checks.echo(echo, confirms: combined)) != nil, echoLines[echo.sender] == echo else {
                    throw problem("a relayed echo from party \(echo.sender) does not verify")
                }
            }
            guard Set(echoes.map(\.sender)).count >= checks.echoQuorum else {
                throw problem("only \(echoes.count) parties confirmed the accepted list, \(checks.echoQuorum) are needed")
            }
            relayed = true
        case .decryptionShare(let share):
            guard let combined, relayed, shareLines[envelope.sender] == nil,
                (try? checks.decryptionShare(share, from: envelope.sender, for: combined)) != nil
            else { throw problem("party \(envelope.sender)'s decryption share does not verify") }
            shareLines[envelope.sender] = share
        case .result(let result, let resultShares, let evidence):
            guard let combined, relayed else { throw problem("a result before the echo round") }
            for share in resultShares where shareLines[share.party] != share {
                throw problem("the result combines a decryption share of party \(share.party) that is not in the transcript")
            }
            do throws(MultiPartyError) {
                try checks.result(result, shares: resultShares, evidence: evidence, for: combined)
            } catch {
                switch error {
                case .sharesDoNotCombine(let reason): throw problem("the result's shares do not combine: \(reason)")
                case .undecodableSum(let reason): throw problem("the result's shares do not combine: \(reason)")
                case .resultMeanIsWrong, .unprovenBlame: throw problem(error.description)
                default: throw problem("the result does not match the decryption shares and the accepted list")
                }
            }
            verifiedResult = result
        case .abort(let reason, _):
            throw problem("the session was aborted: \(reason)")
        }
    }

    public func report() throws(TranscriptVerifier.Problem) -> TranscriptVerifier.Report {
        guard messages > 0 else { throw TranscriptVerifier.Problem(line: 1, reason: "the transcript is empty") }
        guard let verifiedResult else { throw TranscriptVerifier.Problem(line: messages, reason: "the transcript has no result") }
        return TranscriptVerifier.Report(messages: messages, result: verifiedResult)
    }
}
