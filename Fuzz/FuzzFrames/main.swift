// What arrives on a session's sockets: FrameDecoder fed the bytes in chunks (sizes from the first byte, which also
// picks a small maximum frame length half the time), then every frame through Envelope(parsing:) (with and without
// the expected session), the signature check, and Message(round:body:). Properties: chunking never changes the
// frames; the frames and the pending bytes account for every byte; an envelope and a message read back the same
// from what Summa writes of them. Each payload is read once per process (a mutation changes one frame of many, and
// reading the others again was most of an execution).
import Foundation
import FuzzSupport
import MultiParty

let roster = Fixtures.publicKey.signingKeys
let payloadsRead = BytesMemo<Bool>(capacity: 16_384)

Fuzz.run { [roster, payloadsRead] data in
    var reader = ByteReader(data)
    let control = reader.byte() ?? 0
    let bytes = reader.rest()
    let maximum = control & 0x80 != 0 ? Int(control & 0x7F) * 16 : 1 << 20

    var decoder = FrameDecoder(maximumLength: maximum)
    var payloads: [Data] = []
    var refused = false
    for chunk in chunks(of: bytes, seed: control & 0x7F) {
        do {
            payloads += try decoder.append(chunk)
        } catch {
            refused = true
            break
        }
    }
    var whole = FrameDecoder(maximumLength: maximum)
    let atOnce = try? whole.append(bytes)
    Fuzz.require(refused == (atOnce == nil), "a frame refused in chunks but not at once, or the other way round")
    if !refused {
        Fuzz.require(atOnce == payloads, "chunking changed the frames")
        var framed = Data()
        for payload in payloads { framed += FrameDecoder.frame(payload) }
        Fuzz.require(framed == bytes.prefix(framed.count), "the frames are not the bytes they came from")
        Fuzz.require(framed.count + decoder.pendingByteCount == bytes.count, "bytes lost between frames")
    }

    for payload in payloads.prefix(32) {
        _ = payloadsRead.value(for: Array(payload)) {
            read(payload, roster: roster)
            return true
        }
    }
}

/// Reads a payload as an envelope and a message, with the properties above.
func read(_ payload: Data, roster: [Data]) {
    // Read with the expected session, and again without it only for an envelope of another session: the same
    // calls as reading every payload both ways, without parsing each twice.
    let envelope: Envelope
    do throws(MultiPartyError) {
        envelope = try Envelope(parsing: payload, expectedSession: Fixtures.session)
    } catch .wrongSession {
        guard let other = try? Envelope(parsing: payload) else {
            Fuzz.require(false, "an envelope of another session does not read without the session")
            return
        }
        envelope = other
    } catch {
        return
    }
    Fuzz.require(
        (try? Envelope(parsing: envelope.payload)).map { same($0, envelope) } == true,
        "an envelope does not read back from what it writes:\n\(envelope.json.serialized)")
    _ = try? envelope.verifySignature(roster: roster)
    guard let message = try? Message(round: envelope.round, body: envelope.body) else { return }
    Fuzz.require(message.round == envelope.round, "a message of another round than its envelope")
    Fuzz.require(
        (try? Message(round: message.round, body: message.body)).map { same($0, message) } == true,
        "a message does not read back from what it writes:\n\(message.body.serialized)")
}
