import BigNum
import Foundation
import Summa
import SummaFormats
import Threshold

/// Re-checks a session's transcript offline (JSON lines of envelopes, as `summa coordinate --transcript` writes
/// them): one session; every party message signed by its roster key; every input's proof; the accepted list made
/// of those inputs; every echo signing the digest recomputed here; every decryption share's proof against the C
/// recomputed here; and the result equal to the combination of the shares it lists. Each rule it shares with
/// the live roles is their code (`SessionChecks`), so the auditor and the parties cannot drift apart.
public enum TranscriptVerifier {
    public struct Report: Sendable, Equatable {
        public let messages: Int
        public let result: SessionResult
    }

    /// A problem, at the 1-based line where it shows.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// The transcript as JSON lines.
    public static func jsonLines(_ envelopes: [Envelope]) -> Data {
        Data(envelopes.map { $0.json.serialized }.joined().utf8)
    }

    public static func verify(_ data: Data, key: ThresholdPublicKey) throws(Problem) -> Report {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { throw Problem(line: 1, reason: "the transcript is empty") }
        var session: Data?
        var header: Message.Header?
        var inputs: [Int: Message.Input] = [:]
        var combined: SessionChecks.Combined?
        var verifiedResult: SessionResult?
        for (index, text) in lines {
            let line = index + 1
            func problem(_ reason: String) -> Problem { Problem(line: line, reason: reason) }
            let envelope: Envelope
            let message: Message
            do {
                envelope = try Envelope(parsing: Data(text.utf8), expectedSession: session)
                message = try Message(round: envelope.round, body: envelope.body)
            } catch {
                throw problem(error.description)
            }
            session = envelope.session
            let checks = SessionChecks(key: key, session: envelope.session)
            if envelope.sender != 0 {
                do { try envelope.verifySignature(roster: key.signingKeys) } catch { throw problem(error.description) }
            }
            switch message {
            case .header(let h):
                guard h.keyFingerprint == key.paillierKey.fingerprint else { throw problem("the session ran under another key") }
                header = h
            case .input(let input):
                guard (try? checks.input(input, from: envelope.sender)) != nil else {
                    throw problem("party \(envelope.sender)'s input proof does not verify")
                }
                inputs[envelope.sender] = input
            case .acceptedList(let accepted):
                guard let header else { throw problem("an accepted list before the header") }
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
                guard let combined, (try? checks.echo(envelope, confirms: combined)) != nil else {
                    throw problem("party \(envelope.sender) signed a different accepted list")
                }
            case .echoes(let echoes):
                for echo in echoes {
                    guard let combined, (try? checks.echo(echo, confirms: combined)) != nil else {
                        throw problem("a relayed echo from party \(echo.sender) does not verify")
                    }
                }
            case .decryptionShare(let share):
                guard let combined, (try? checks.decryptionShare(share, from: envelope.sender, for: combined)) != nil
                else { throw problem("party \(envelope.sender)'s decryption share does not verify") }
            case .result(let result, let resultShares):
                guard let combined else { throw problem("a result before the accepted list") }
                do throws(MultiPartyError) {
                    try checks.result(result, shares: resultShares, for: combined)
                } catch {
                    switch error {
                    case .sharesDoNotCombine(let reason): throw problem("the result's shares do not combine: \(reason)")
                    case .undecodableSum(let reason): throw problem("the result's shares do not combine: \(reason)")
                    default: throw problem("the result does not match the decryption shares and the accepted list")
                    }
                }
                verifiedResult = result
            case .abort(let reason, _):
                throw problem("the session was aborted: \(reason)")
            }
        }
        guard let verifiedResult else { throw Problem(line: lines.count, reason: "the transcript has no result") }
        return Report(messages: lines.count, result: verifiedResult)
    }
}
