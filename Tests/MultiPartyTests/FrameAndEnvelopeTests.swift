import Crypto
import Foundation
import Summa
import SummaFormats
import TestSupport
import Testing

@testable import MultiParty

@Suite("Frames")
struct FrameDecoderTests {
    @Test func framesSplitAndJoinedAcrossReadsComeOutWhole() throws {
        let payloads = [Data("hello".utf8), Data(), Data(repeating: 7, count: 1000)]
        let stream = payloads.map(FrameDecoder.frame).reduce(Data(), +)
        var decoder = FrameDecoder(maximumLength: 4096)
        var received: [Data] = []
        // Byte by byte, then in odd chunks: the same payloads in the same order.
        for byte in stream { received += try decoder.append(Data([byte])) }
        #expect(received == payloads)
        var chunked = FrameDecoder(maximumLength: 4096)
        received = []
        var index = 0
        while index < stream.count {
            let end = min(index + 7, stream.count)
            received += try chunked.append(stream[index..<end])
            index = end
        }
        #expect(received == payloads && chunked.pendingByteCount == 0)
    }

    @Test func anOversizedPrefixIsRefusedBeforeBuffering() {
        var decoder = FrameDecoder(maximumLength: 1024)
        #expect(throws: MultiPartyError.frameTooLarge(length: 0xFFFF_FFFF, maximum: 1024)) {
            try decoder.append(Data([0xFF, 0xFF, 0xFF, 0xFF]))
        }
        #expect(decoder.pendingByteCount == 0)
    }

    @Test func aHalfSentFrameWaits() throws {
        var decoder = FrameDecoder()
        let frame = FrameDecoder.frame(Data("abcdef".utf8))
        #expect(try decoder.append(frame.prefix(7)).isEmpty)
        #expect(decoder.pendingByteCount == 7)
        #expect(try decoder.append(frame.dropFirst(7)) == [Data("abcdef".utf8)])
    }
}

@Suite("Envelopes")
struct EnvelopeTests {
    let session = Data(repeating: 0xAB, count: 32)
    let keys = (0..<3).map { _ in Curve25519.Signing.PrivateKey() }
    var roster: [Data] { keys.map(\.publicKey.rawRepresentation) }

    func signed(_ round: Envelope.Round = .input, sender: Int = 2, body: JSONValue = .object([("x", .string("1"))])) throws -> Envelope {
        try Envelope(session: session, round: round, sender: sender, body: body, signingKey: keys[sender - 1])
    }

    @Test func signedEnvelopesRoundTripAndVerify() throws {
        let envelope = try signed()
        let parsed = try Envelope(parsing: envelope.payload, expectedSession: session)
        #expect(parsed == envelope)
        try parsed.verifySignature(roster: roster)
    }

    @Test func nobodyCanSpeakForAnotherParty() throws {
        let envelope = try signed(sender: 2)
        // Claiming to be party 3 with party 2's signature; or the body altered; or an unknown index.
        let impostor = Envelope(session: session, round: .input, sender: 3, body: envelope.body, signature: envelope.signature)
        #expect(throws: MultiPartyError.badSignature(sender: 3)) { try impostor.verifySignature(roster: roster) }
        let altered = Envelope(session: session, round: .input, sender: 2, body: .object([("x", .string("2"))]), signature: envelope.signature)
        #expect(throws: MultiPartyError.badSignature(sender: 2)) { try altered.verifySignature(roster: roster) }
        let otherRound = Envelope(session: session, round: .echo, sender: 2, body: envelope.body, signature: envelope.signature)
        #expect(throws: MultiPartyError.badSignature(sender: 2)) { try otherRound.verifySignature(roster: roster) }
        let unknown = Envelope(session: session, round: .input, sender: 9, body: envelope.body, signature: envelope.signature)
        #expect(throws: MultiPartyError.unknownSender(9)) { try unknown.verifySignature(roster: roster) }
    }

    @Test func wrongSessionsAndReplaysAreRejected() throws {
        let envelope = try signed()
        #expect(throws: MultiPartyError.wrongSession) {
            try Envelope(parsing: envelope.payload, expectedSession: Data(repeating: 1, count: 32))
        }
        // Moving a signed message into another session breaks its signature too.
        let moved = Envelope(session: Data(repeating: 1, count: 32), round: .input, sender: 2, body: envelope.body, signature: envelope.signature)
        #expect(throws: MultiPartyError.badSignature(sender: 2)) { try moved.verifySignature(roster: roster) }
    }

    @Test(arguments: [
        ("not json", "malformed message: not JSON"),
        ("{\"version\": 1}", "protocol version 1 is not supported"),
        ("{\"version\": 4, \"session\": \"AQ\", \"round\": \"input\", \"sender\": 1, \"body\": {}, \"signature\": \"\"}",
         "malformed message: session id is not 32 bytes of base64url"),
        ("{\"version\": 4, \"session\": \"\(String(repeating: "A", count: 43))\", \"round\": \"dance\", \"sender\": 1, \"body\": {}, \"signature\": \"\"}",
         "malformed message: unknown round"),
        ("{\"version\": 2}", "protocol version 2 is not supported"),
        ("{\"version\": 3}", "protocol version 3 is not supported"),
        ("{\"version\": 4}", "malformed message: message: field session: missing"),
    ])
    func malformedMessagesAreRejected(text: String, message: String) {
        do {
            _ = try Envelope(parsing: Data(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test(arguments: [
        (Envelope.Round.echo, "{\"digest\": \"AQ\"}", "malformed message: body.digest is not 32 bytes of base64url"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 0, \"inputDeadline\": 5, \"length\": 1, \"names\": []}", "malformed message: message: field body.minimumInputs: 0 is outside 1…64"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 2, \"inputDeadline\": 5, \"length\": 0, \"names\": []}", "malformed message: message: field body.length: 0 is outside 1…4096"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 2, \"inputDeadline\": 5, \"length\": 2, \"names\": [\"a\"]}", "malformed message: body.names has 1 names for 2 values"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 2, \"inputDeadline\": 5, \"length\": 1, \"names\": [\"\"]}", "malformed message: message: field body.names: expected names of 1…256 characters"),
        (.input, "{\"ciphertexts\": [\"5\"], \"proofs\": [], \"count\": 1, \"header\": \"\(String(repeating: "A", count: 43))\"}", "malformed message: message: field body.proofs: expected one proof per ciphertext, or none beside a range proof"),
        (.input, "{\"ciphertexts\": [], \"proofs\": [], \"count\": 1, \"header\": \"\(String(repeating: "A", count: 43))\"}", "malformed message: message: field body.ciphertexts: expected 1…4096 ciphertexts"),
        (.input, "{\"ciphertexts\": [5], \"proofs\": [], \"count\": 1, \"header\": \"\(String(repeating: "A", count: 43))\"}", "malformed message: message: field body.ciphertexts[0]: must be a decimal string, not a JSON number: put the digits in quotes"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 2, \"inputDeadline\": 5, \"length\": 2, \"names\": [], \"valueBound\": \"100\", \"ranges\": [{\"lower\": \"0\", \"upper\": \"101\"}]}", "malformed message: body.ranges[0] is not lower ≤ upper within ±100"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 2, \"inputDeadline\": 5, \"length\": 2, \"names\": [], \"valueBound\": \"100\", \"ranges\": [{\"lower\": \"5\", \"upper\": \"4\"}]}", "malformed message: body.ranges[0] is not lower ≤ upper within ±100"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 2, \"inputDeadline\": 5, \"length\": 2, \"names\": [], \"valueBound\": \"100\", \"ranges\": [{\"lower\": \"0\", \"upper\": \"1\"}, {\"lower\": \"0\", \"upper\": \"1\"}, {\"lower\": \"0\", \"upper\": \"1\"}]}", "malformed message: body.ranges has 3 ranges for 2 values"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 2, \"inputDeadline\": 5, \"length\": 2, \"names\": [], \"ranges\": [{\"lower\": \"0\", \"upper\": \"1\"}]}", "malformed message: body.ranges needs body.valueBound: ranges are proven of packed inputs"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 2, \"inputDeadline\": 5, \"length\": 2, \"names\": [], \"valueBound\": \"100\", \"ranges\": [{\"lower\": \"0\"}]}", "malformed message: message: field body.ranges[0].upper: missing"),
        (.header, "{\"keyFingerprint\": \"x\", \"scale\": 2, \"minimumInputs\": 2, \"inputDeadline\": 5, \"length\": 2, \"names\": [], \"valueBound\": \"100\", \"ranges\": [{\"lower\": \"-0\", \"upper\": \"1\"}]}", "malformed message: message: field body.ranges[0].lower: expected an integer as a canonical decimal string"),
        (.input, "{\"ciphertexts\": [\"5\"], \"count\": 1, \"header\": \"\(String(repeating: "A", count: 43))\", \"proofs\": [{\"commitment\": \"1\", \"z\": \"1\", \"w\": \"1\"}], \"rangeProof\": {\"commitments\": [\"AQ\", \"AQ\", \"AQ\", \"AQ\"], \"ciphertextMasks\": [\"AQ\"], \"maskResponses\": [\"AQ\"], \"commitmentResponse\": \"AQ\", \"termResponse\": \"AQ\", \"responseBytes\": 1, \"valueResponses\": \"AQIDBA\"}}", "malformed message: message: field body.proofs: expected one proof per ciphertext, or none beside a range proof"),
        (.input, "{\"ciphertexts\": [\"5\"], \"count\": 1, \"header\": \"\(String(repeating: "A", count: 43))\", \"proofs\": [], \"rangeProof\": {\"commitments\": [\"AQ\", \"AQ\", \"AQ\", \"AQ\"], \"ciphertextMasks\": [\"AQ\"], \"maskResponses\": [\"AQ\"], \"commitmentResponse\": \"AQ\", \"termResponse\": \"AQ\", \"responseBytes\": 1, \"valueResponses\": \"AQID\"}}", "malformed message: message: field body.rangeProof.valueResponses: not base64url of four responseBytes-wide numbers per value"),
        (.input, "{\"ciphertexts\": [\"5\"], \"count\": 1, \"header\": \"\(String(repeating: "A", count: 43))\", \"proofs\": [], \"rangeProof\": {\"commitments\": [\"AQ\", \"AQ\", \"AQ\", \"AQ\"], \"ciphertextMasks\": [\"AQ\"], \"maskResponses\": [\"AQ\"], \"commitmentResponse\": \"AQ\", \"termResponse\": \"AQ\", \"responseBytes\": 41, \"valueResponses\": \"AQIDBA\"}}", "malformed message: message: field body.rangeProof.responseBytes: 41 is outside 1…40"),
        (.input, "{\"ciphertexts\": [\"5\"], \"count\": 1, \"header\": \"\(String(repeating: "A", count: 43))\", \"proofs\": [], \"rangeProof\": {\"commitments\": [\"AQ\"], \"ciphertextMasks\": [\"AQ\"], \"maskResponses\": [\"AQ\"], \"commitmentResponse\": \"AQ\", \"termResponse\": \"AQ\", \"responseBytes\": 1, \"valueResponses\": \"AQIDBA\"}}", "malformed message: message: field body.rangeProof.commitments: expected four commitments"),
        (.input, "{\"ciphertexts\": [\"5\"], \"count\": 1, \"header\": \"\(String(repeating: "A", count: 43))\", \"proofs\": [], \"rangeProof\": {\"commitments\": [\"AQ\", \"AQ\", \"AQ\", \"AQ\"], \"ciphertextMasks\": [\"AQ\"], \"maskResponses\": [\"AQ\"], \"commitmentResponse\": \"AQ\", \"termResponse\": \"A*\", \"responseBytes\": 1, \"valueResponses\": \"AQIDBA\"}}", "malformed message: message: field body.rangeProof.termResponse: not base64url"),
        (.decryptionShare, "{\"party\": 1, \"values\": [], \"challenge\": \"1\", \"response\": \"1\"}", "malformed message: message: field body.values: expected 1…4096 values"),
        (.acceptedList, "{\"entries\": [{\"party\": 1, \"input\": {}, \"signature\": \"AQ\"}], \"blamed\": [], \"missing\": []}", "malformed message: message: field body.entries[0].signature: not 64 bytes of base64url"),
        (.acceptedList, "{\"entries\": [{\"party\": 1, \"input\": {}}], \"blamed\": [], \"missing\": []}", "malformed message: message: field body.entries[0].signature: missing"),
    ])
    func malformedBodiesAreRejected(round: Envelope.Round, text: String, message: String) throws {
        let body = try #require(JSONValue(parsing: Data(text.utf8)))
        do {
            _ = try Message(round: round, body: body)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }
}
