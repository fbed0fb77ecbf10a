import BigNum
import Foundation
import RangeProofs
import Summa
import SummaFormats
import TestSupport
import Testing
import Threshold

@testable import MultiParty

/// A coordinator (or anyone on the path) that rewrites what it sends: every field a party prints is checked by that
/// party, and every session parameter is bound into what the parties sign.
@Suite("A lying coordinator")
struct LyingCoordinatorTests {
    static let five = [1: "100.50", 2: "-20.25", 3: "0", 4: "7.75", 5: "12"]  // 100.00

    /// Rewrites the coordinator's message of `round` to `party` with `change` applied to its parsed body.
    static func rewriting(
        _ round: Envelope.Round, to parties: Set<Int>, _ change: @escaping (Message) -> Message
    ) -> (Int, Envelope) -> Envelope? {
        { party, envelope in
            guard parties.contains(party), envelope.round == round,
                let message = try? Message(round: round, body: envelope.body)
            else { return envelope }
            return Envelope(session: envelope.session, round: round, sender: 0, body: change(message).body)
        }
    }

    @Test func aPartyGivenAnotherScaleIsLeftOutAndNoSumMixesScales() throws {
        var network = Network(values: Self.five)
        network.tamper = Self.rewriting(.header, to: [2]) { message in
            guard case .header(let h) = message else { return message }
            return .header(.init(keyFingerprint: h.keyFingerprint, scale: 4, minimumInputs: h.minimumInputs, inputDeadline: h.inputDeadline))
        }
        network.connectAll()
        // Party 2's input is bound to the parameters it was shown: it is refused with its signed evidence, and the
        // sum of the others is exact at the session's scale.
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.sums == [try FixedPoint(parsing: "120.25")] && result.contributors == [1, 3, 4, 5] && result.blamed == [2])
        for party in [1, 3, 4, 5] { #expect(network.finished[party] == result) }
        #expect(network.finished[2] == nil)  // the coordinator sends a blamed party nothing more: it prints no result
    }

    @Test func anAcceptedListUnderAnotherHeaderIsCaughtBeforeAnyShare() throws {
        // The digest every party signs covers the header: a party shown another minimum echoes another digest.
        var network = Network(values: Self.five)
        network.tamper = Self.rewriting(.header, to: [4]) { message in
            guard case .header(let h) = message else { return message }
            return .header(.init(keyFingerprint: h.keyFingerprint, scale: h.scale, minimumInputs: 4, inputDeadline: h.inputDeadline))
        }
        network.connectAll()
        #expect(network.finished[4] == nil && network.coordinator.shares[4] == nil)
        let result = try #require(network.finished[0], "\(network.failures)")
        #expect(result.blamed == [4] && !result.contributors.contains(4))
    }

    @Test func withAMinorityThresholdAPartyStillWaitsForAMajorityOfEchoes() throws {
        // 2 of 5: two groups of two could each release t shares for a different list, unless a majority must echo.
        let twoOfFive = try Fixtures.deal(bits: 512, parties: 5, threshold: 2)
        var network = Network(values: Self.five, minimumInputs: 2, key: twoOfFive.publicKey, shares: twoOfFive.shares)
        network.tamper = Self.rewriting(.echoes, to: [1]) { message in
            guard case .echoes(let echoes) = message else { return message }
            return .echoes(echoes.filter { $0.sender <= 2 })  // party 1 is shown only its own and party 2's echo
        }
        network.connectAll()
        #expect(network.failures[1] == "only 2 parties confirmed the accepted list, 3 are needed")
        #expect(network.coordinator.shares[1] == nil)
        #expect(SessionChecks(key: twoOfFive.publicKey, session: Data()).echoQuorum == 3)
        #expect(SessionChecks(key: dealt.publicKey, session: Data()).echoQuorum == 3)
    }

    /// (A coordinator can still hide a blame by leaving out its evidence: that omission is not detectable, since the
    /// blamed party could as well have been slow. It can never invent one.)
    @Test(arguments: ["mean", "blamed", "contributors", "count", "names", "ranges"])
    func aPartyRefusesAResultWithAFieldMadeUp(field: String) throws {
        var network = Network(values: Self.five)
        network.tamper = Self.rewriting(.result, to: [1]) { message in
            guard case .result(let r, let shares, let evidence) = message else { return message }
            let means = field == "mean" ? [try! FixedPoint(parsing: "99.000000")] : r.means
            let blamed = field == "blamed" ? [4] : r.blamed
            let contributors = field == "contributors" ? [1, 2, 3, 4] : r.contributors
            let count = field == "count" ? r.count + 1 : r.count
            let made = SessionResult(
                names: field == "names" ? ["amount"] : r.names, sums: r.sums, count: count, means: means, contributors: contributors, blamed: blamed,
                ranges: field == "ranges" ? [ValueRange(lower: 0, upper: 100_000)!] : r.ranges)
            return .result(made, shares: shares, evidence: evidence)
        }
        network.connectAll()
        #expect(network.finished[0] != nil)
        #expect(network.finished[1] == nil)
        #expect(network.failures[1]?.isEmpty == false, "party 1 printed a result with a made-up \(field)")
        #expect(network.finished[3] == network.finished[0])  // the parties not lied to finish
    }

    @Test func blameWithoutEvidenceOrWithAnHonestMessageIsRefused() throws {
        var network = Network(values: Self.five)
        network.connectAll()
        let result = try #require(network.finished[0])
        let transcript = network.coordinator.transcript
        let checks = SessionChecks(key: dealt.publicKey, session: network.coordinator.session)
        let combined = try #require(network.coordinator.combined)
        // Party 3's honest share is no evidence against it.
        let honestShare = try #require(transcript.first { $0.round == .decryptionShare && $0.sender == 3 })
        #expect(throws: MultiPartyError.unprovenBlame(party: 3)) { try checks.evidence(honestShare, for: combined) }
        let blaming = SessionResult(
            names: result.names, sums: result.sums, count: result.count, means: result.means,
            contributors: result.contributors, blamed: [3])
        let resultLine = try #require(transcript.last)
        guard case .result(_, let shares, _) = try Message(round: resultLine.round, body: resultLine.body) else {
            Issue.record("the transcript does not end with the result"); return
        }
        #expect(throws: MultiPartyError.unprovenBlame(party: 3)) {
            try checks.result(blaming, shares: shares, evidence: [honestShare], for: combined)
        }
        #expect(throws: MultiPartyError.unprovenBlame(party: 3)) {
            try checks.result(blaming, shares: shares, evidence: [], for: combined)
        }
    }
}

/// Transcripts edited after the fact: every round must be present and every printed field re-derived.
@Suite("Forged transcripts")
struct ForgedTranscriptTests {
    /// The JSON lines of a finished five-party session in which party 2 forged its share (so one blame is on record).
    static func transcript() throws -> [String] {
        var network = Network(values: LyingCoordinatorTests.five)
        network.forge = forgingShares(of: [2]) { share in
            BatchDecryptionShare(party: share.party, values: share.values, challenge: share.challenge + 1, response: share.response)
        }
        network.connectAll()
        _ = try #require(network.finished[0])
        let text = String(decoding: TranscriptVerifier.jsonLines(network.coordinator.transcript), as: UTF8.self)
        return text.split(separator: "\n").map(String.init)
    }

    static func verify(_ lines: [String]) throws(TranscriptVerifier.Problem) -> TranscriptVerifier.Report {
        try TranscriptVerifier.verify(Data((lines.joined(separator: "\n") + "\n").utf8), key: dealt.publicKey)
    }

    static func round(_ line: String) -> String {
        String(line.split(separator: "\"round\":\"")[1].prefix { $0 != "\"" })
    }

    @Test func theUneditedTranscriptVerifies() throws {
        let report = try Self.verify(try Self.transcript())
        #expect(report.result.sums == [try FixedPoint(parsing: "100.00")] && report.result.blamed == [2])
    }

    @Test(arguments: ["echo", "decryption-share", "echoes", "accepted-list", "header", "input"])
    func aTranscriptWithARoundDeletedIsRefused(round: String) throws {
        let lines = try Self.transcript()
        let kept = lines.filter { Self.round($0) != round }
        #expect(kept.count < lines.count)
        #expect(throws: TranscriptVerifier.Problem.self) { try Self.verify(kept) }
    }

    @Test func theHeaderScaleAndTheResultEditedTogetherAreRefused() throws {
        var lines = try Self.transcript()
        let header = try #require(lines.firstIndex { Self.round($0) == "header" })
        let result = try #require(lines.firstIndex { Self.round($0) == "result" })
        lines[header] = lines[header].replacingOccurrences(of: "\"scale\":2", with: "\"scale\":3")
        lines[result] = lines[result].replacingOccurrences(of: "\"sum\":\"100.00\"", with: "\"sum\":\"10.000\"")
            .replacingOccurrences(of: "\"sumScale\":2", with: "\"sumScale\":3")
        #expect(throws: TranscriptVerifier.Problem.self) { try Self.verify(lines) }
    }

    @Test func anEditedBlameIsRefused() throws {
        var lines = try Self.transcript()
        let result = try #require(lines.firstIndex { Self.round($0) == "result" })
        for blamed in ["[]", "[4]", "[2,4]"] {
            var edited = lines
            edited[result] = lines[result].replacingOccurrences(of: "\"blamed\":[2]", with: "\"blamed\":\(blamed)")
            #expect(edited[result] != lines[result])
            #expect(throws: TranscriptVerifier.Problem.self) { try Self.verify(edited) }
        }
        lines.append(lines[result])  // a second result
        #expect(throws: TranscriptVerifier.Problem.self) { try Self.verify(lines) }
    }

    /// The fuzz harnesses read a transcript from a copy of a reader taken after the longest prefix they have read
    /// before: that must give what reading from the start gives, wherever the copy was taken and whatever follows.
    @Test func aReaderCopiedAfterAnyMessageGoesOnAsReadingFromTheStart() throws {
        let lines = try Self.transcript()
        var failures = 0
        for prefix in 0...lines.count {
            // One reader for the prefix the variants share, copied for each: a copy must not share its state.
            var reader = SessionTranscript(key: dealt.publicKey)
            for index in 0..<prefix { try reader.read(Substring(lines[index]), line: index + 1) }
            var withoutOne = lines
            if prefix < lines.count { withoutOne.remove(at: prefix) }
            for variant in [lines, withoutOne, Array(lines.prefix(prefix))] {
                var copy = reader
                let resumed = Result { () throws(TranscriptVerifier.Problem) in
                    for index in prefix..<variant.count { try copy.read(Substring(variant[index]), line: index + 1) }
                    return try copy.report()
                }
                let whole = Result { () throws(TranscriptVerifier.Problem) in try Self.verify(variant) }
                #expect(resumed == whole, "resumed after \(prefix) lines")
                if case .failure = whole { failures += 1 }
            }
        }
        #expect(failures > lines.count)  // the variants reach problems, not only reports
    }
}
