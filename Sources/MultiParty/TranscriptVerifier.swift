import BigNum
import Foundation
import Summa
import SummaFormats
import Threshold

/// Re-checks a session's transcript offline (JSON lines of envelopes, as `summa coordinate --transcript` writes
/// them): one session; every party message signed by its roster key; every input's proof; the accepted list made
/// of those inputs; every echo signing the digest recomputed here (it covers the header, so the session's
/// parameters cannot be edited); at least t relayed echoes, each also on its own line; every decryption share's
/// proof against the C recomputed here; and a result, last, whose every printed field is re-derived (sum, count,
/// mean, contributors, and blame backed by evidence), combining only shares that are on their own lines. Every
/// round must be present, once and in order. Each rule it shares with
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

    /// The lines of `text`, cut exactly as `text.split(separator: "\n", omittingEmptySubsequences: false)` cuts
    /// them, but found in its UTF-8 bytes: splitting by Character segments the whole transcript into grapheme
    /// clusters first, which was most of the time of verifying a transcript that fails early. A "\n" Character is
    /// a line feed that does not follow a carriage return (a "\r\n" is one Character, so it does not end a line).
    static func lines(of text: String) -> [Substring] {
        var text = text
        text.makeContiguousUTF8()
        // Newlines found with memchr rather than byte by byte (a fifth of the fuzz harness's time went to the
        // per-byte loop): a line ends at a newline not preceded by a carriage return.
        let offsets: [Int] = text.utf8.withContiguousStorageIfAvailable { bytes in
            var offsets: [Int] = []
            guard let base = bytes.baseAddress else { return offsets }
            var position = 0
            while position < bytes.count, let found = memchr(base + position, Int32(UInt8(ascii: "\n")), bytes.count - position) {
                let offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if offset == 0 || bytes[offset - 1] != UInt8(ascii: "\r") { offsets.append(offset) }
                position = offset + 1
            }
            return offsets
        } ?? []
        var lines: [Substring] = []
        lines.reserveCapacity(offsets.count + 1)
        var start = text.utf8.startIndex
        for offset in offsets {
            let end = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
            lines.append(text[start..<end])
            start = text.utf8.index(after: end)
        }
        lines.append(text[start...])
        return lines
    }

    /// Whether a line holds only `CharacterSet.whitespaces` (tabs and space separators): what
    /// `trimmingCharacters(in: .whitespaces).isEmpty` says, without bridging every line to NSString to trim it (it
    /// stops at the first other character).
    static func isBlank(_ line: Substring) -> Bool {
        line.unicodeScalars.allSatisfy { CharacterSet.whitespaces.contains($0) }
    }

    public static func verify(_ data: Data, key: ThresholdPublicKey) throws(Problem) -> Report {
        let lines = Self.lines(of: String(decoding: data, as: UTF8.self)).enumerated().filter { !Self.isBlank($0.element) }
        guard !lines.isEmpty else { throw Problem(line: 1, reason: "the transcript is empty") }
        var session: Data?
        var header: Message.Header?
        var inputs: [Int: Message.Input] = [:]
        var combined: SessionChecks.Combined?
        var echoLines: [Int: Envelope] = [:]
        var relayed = false
        var shareLines: [Int: BatchDecryptionShare] = [:]
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
            guard verifiedResult == nil else { throw problem("a message after the result") }
            session = envelope.session
            let checks = SessionChecks(key: key, session: envelope.session)
            if envelope.sender != 0 {
                do { try envelope.verifySignature(roster: key.signingKeys) } catch { throw problem(error.description) }
            }
            // Each round in its order, once: a transcript with a round deleted, repeated or moved does not verify.
            switch message {
            case .header(let h):
                guard line == lines[0].offset + 1, envelope.sender == 0 else { throw problem("the header is not the first message") }
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
        guard let verifiedResult else { throw Problem(line: lines.count, reason: "the transcript has no result") }
        return Report(messages: lines.count, result: verifiedResult)
    }
}
