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

    /// A transcript's messages: its lines that are not blank, each with its 1-based line number.
    public static func messages(of text: String) -> [(line: Int, text: Substring)] {
        lines(of: text).enumerated().compactMap { isBlank($0.element) ? nil : ($0.offset + 1, $0.element) }
    }

    /// Reads every message of `data` into `reader`, in order, and asks it for its report: what ``verify(_:key:)``
    /// and ``verifyKeyGeneration(_:key:)`` are.
    public static func verify<Reader: TranscriptReader>(_ data: Data, with reader: Reader) throws(Problem) -> Reader.Report {
        var reader = reader
        for message in messages(of: String(decoding: data, as: UTF8.self)) {
            try reader.read(message.text, line: message.line)
        }
        return try reader.report()
    }

    public static func verify(_ data: Data, key: ThresholdPublicKey) throws(Problem) -> Report {
        try verify(data, with: SessionTranscript(key: key))
    }
}
