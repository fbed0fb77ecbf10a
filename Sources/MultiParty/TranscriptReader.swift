import Foundation

/// A transcript checked one message at a time: ``TranscriptVerifier/verify(_:with:)`` feeds it every non-blank
/// line in order and then asks for its report. A reader is a value, so a copy taken after some messages can go on
/// with other ones (the fuzz harnesses resume from the longest prefix they have read before). After a problem a
/// reader is spent: read nothing more into it.
public protocol TranscriptReader {
    associatedtype Report: Equatable
    /// Checks the message on `line` (1-based, counting blank lines) against everything read before it.
    mutating func read(_ text: Substring, line: Int) throws(TranscriptVerifier.Problem)
    /// What the transcript showed, once every message has been read; a problem if it is incomplete.
    func report() throws(TranscriptVerifier.Problem) -> Report
}
