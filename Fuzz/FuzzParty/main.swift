// A PartyMachine (party 1 of the committed test deal, private value 100.50) fed the bytes as frames from its
// coordinator, as PartyClient feeds it, until it finishes or fails.
//
// The coordinator's messages are unsigned, so the fuzzer may say anything; but a party checks that the accepted
// list holds its own input, a ciphertext the fuzzer cannot write (the same from one run to the next
// only because a fuzz build's random draws restart at a fixed seed), and that t parties signed echoes of the
// digest it computed. So that mutations can get past these checks to the rounds behind them, a frame may hold
// placeholders, JSON strings the harness replaces before delivery with what an honest coordinator would have:
//   "@input", "@signature"        this party's input body and the signature of its input envelope;
//   "@echo1" … "@echo5"           party k's echo envelope of the digest this party sent in its echo;
//   "@share1" … "@share5"         party k's decryption share of C, the product of the ciphertexts of the last
//                                 accepted list delivered.
// The seed corpus (Fuzz/tools/make-seeds.sh) is an honest session to party 1 written with them.
// Property: everything the party sends reads back as the envelope it is, signed by the party.
// A run starts from the state after the longest prefix of frames run before (PrefixStates); one input in 64
// (Fuzz.oneIn) also runs from the start, where a leak is still a finding.
import Foundation
import FuzzSupport
import MultiParty

let roster = Fixtures.publicKey.signingKeys
let prefixes = PrefixStates<PartyRun>(capacity: 4096)
// The envelopes checked to read back and to be signed: the party sends the same ones from one input to the next
// (its random draws restart with every input), and the signature check was 3% of the time.
let checked = BytesMemo<Bool>(capacity: 1024)

Fuzz.run { [roster, prefixes, checked] data in
    var decoder = FrameDecoder()
    guard let payloads = try? decoder.append(data) else { return }  // PartyClient gives up on an oversized frame
    let delivered = Array(payloads.prefix(32))
    var ends: [Int] = []
    for payload in delivered { ends.append((ends.last ?? 0) + 4 + payload.count) }  // a frame: 4 bytes of length, the payload
    let start = PartyRun(party: Fixtures.party(1), placeholders: PartyPlaceholders())
    // A copy made in the step: the placeholders keep what was delivered, and what a kept state holds must be
    // allocated while PrefixStates has LeakSanitizer ignore it.
    func deliver(_ run: inout PartyRun, _ index: Int) -> Bool {
        run.deliver(Data(Array(delivered[index])), roster: roster, checked: checked)
    }
    _ = Array(data).withUnsafeBytes {
        prefixes.run($0, ends: ends, from: start, fromStartToo: Fuzz.oneIn(64, data), step: deliver)
    }
}

/// The party and what the harness knows of the session so far.
struct PartyRun {
    var party: PartyMachine
    var placeholders: PartyPlaceholders

    /// Delivers one frame's payload; false once the party has finished or failed (PartyClient ends the session there).
    mutating func deliver(_ payload: Data, roster: [Data], checked: BytesMemo<Bool>) -> Bool {
        let delivered = placeholders.fill(payload)
        placeholders.delivered(delivered)
        for action in party.received(delivered) {
            switch action {
            case .send(let envelope):
                _ = checked.value(for: Array(envelope.payload)) {
                    Fuzz.require(
                        (try? Envelope(parsing: envelope.payload)).map { same($0, envelope) } == true,
                        "the party sent an envelope that does not read back:\n\(envelope.json.serialized)")
                    Fuzz.require(
                        (try? envelope.verifySignature(roster: roster)) != nil,
                        "the party sent an envelope it did not sign")
                    return true
                }
                placeholders.sent(envelope)
            case .finished, .failed:
                return false
            }
        }
        return true
    }
}
