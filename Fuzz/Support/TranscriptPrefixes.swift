import Foundation
import MultiParty

/// Verifies transcripts from where they first differ from one verified before (``PrefixStates``): the reader
/// (``TranscriptReader``, a value) is kept after each message, under the text up to the end of that message.
public final class TranscriptPrefixes<Reader: TranscriptReader>: @unchecked Sendable {
    let start: Reader
    let readers: PrefixStates<Reader>

    /// `start` is the reader before the first message; `capacity` readers are kept.
    public init(start: Reader, capacity: Int) {
        self.start = start
        readers = PrefixStates(capacity: capacity)
    }

    /// The report of the transcript in `data`, or its first problem: what ``TranscriptVerifier/verify(_:with:)``
    /// with `start` gives.
    public func verdict(_ data: Data) -> Result<Reader.Report, TranscriptVerifier.Problem> {
        var text = String(decoding: data, as: UTF8.self)
        let messages = TranscriptVerifier.messages(of: text)
        let ends = messages.map { text.utf8.distance(from: text.utf8.startIndex, to: $0.text.endIndex) }
        var problem: TranscriptVerifier.Problem?
        let reader = text.withUTF8 { bytes in
            readers.run(UnsafeRawBufferPointer(bytes), ends: ends, from: start) { reader, index in
                do throws(TranscriptVerifier.Problem) {
                    try reader.read(messages[index].text, line: messages[index].line)
                    return true
                } catch {
                    problem = error
                    return false
                }
            }
        }
        if let problem { return .failure(problem) }
        return Result { () throws(TranscriptVerifier.Problem) in try reader.report() }
    }

    /// ``verdict(_:)``, and when `fromStartToo`, also ``TranscriptVerifier/verify(_:with:)`` from `start`, outside
    /// the prefixes (where a leak is a finding), which must give the same verdict.
    public func check(_ data: Data, fromStartToo: Bool) {
        let verdict = verdict(data)
        guard fromStartToo else { return }
        let whole = Result { () throws(TranscriptVerifier.Problem) in try TranscriptVerifier.verify(data, with: start) }
        Fuzz.require(whole == verdict, "verified from the start: \(whole); from a prefix verified before: \(verdict)")
    }
}
