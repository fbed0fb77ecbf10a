import Foundation
import Testing

@testable import MultiParty

/// The verifier and the frame decoder find lines and frames in bytes, for speed; they must cut exactly where the
/// slower definitions they replaced cut.
@Suite("Transcript lines and frame runs")
struct TranscriptLinesTests {
    static let texts = [
        "", "\n", "\n\n", "a", "a\n", "a\nb", "a\r\nb", "a\r\n\nb", "a\rb\n", "\r\n", "\r\r\n", "\r\n\r\n", "\n\u{301}x",
        "{\"a\":1}\n \t\n{\"b\":2}", "é\n😀\r\n\u{1F1FA}\u{1F1F8}\n", "a\u{2028}b\nc", "\u{FEFF}{}\n",
    ]

    @Test func linesAreCutWhereSplittingByCharacterCutsThem() {
        for text in Self.texts {
            let expected = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
            #expect(TranscriptVerifier.lines(of: text).map { Array($0.utf8) } == expected, "\(Array(text.utf8))")
        }
    }

    @Test func blankIsWhatTrimmingWhitespaceLeavesEmpty() {
        let lines = ["", " ", "\t \t", "\u{00A0}", "\u{3000}", " x ", "\u{2028}", "\u{0085}", "\r", "😀", "\u{200B}", " \u{301}"]
        for line in lines {
            #expect(
                TranscriptVerifier.isBlank(Substring(line)) == line.trimmingCharacters(in: .whitespaces).isEmpty,
                "\(line.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func manyFramesInOneReadComeOutInOrderWithTheRestPending() throws {
        let payloads = (0..<5000).map { Data(repeating: UInt8($0 % 251), count: $0 % 7) }
        var stream = Data()
        for payload in payloads { stream += FrameDecoder.frame(payload) }
        let half = FrameDecoder.frame(Data("abcdef".utf8)).prefix(7)
        var decoder = FrameDecoder()
        #expect(try decoder.append(stream + half) == payloads)
        #expect(decoder.pendingByteCount == half.count)
        #expect(try decoder.append(Data("def".utf8)) == [Data("abcdef".utf8)])
        #expect(decoder.pendingByteCount == 0)
    }
}
