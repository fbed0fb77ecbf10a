// What a key generation's peers send and its transcript holds: the first byte picks a value list through
// KeyGenerationWire.decode, an envelope through KeyGenerationBody (and its public values through a
// KeyGenerationObserver of the fuzz deal's roster), or a whole transcript through
// TranscriptVerifier.verifyKeyGeneration, from its longest prefix verified before (TranscriptPrefixes). Properties: a
// value list that reads is its own canonical form; a body reads back the same from what it writes; a transcript of
// one in 128 (Fuzz.oneIn) verified from the start gets the same verdict; neither the observer nor the verifier traps,
// whatever the values.
import BigNum
import Foundation
import FuzzSupport
import KeyGeneration
import MultiParty

let key = Fixtures.publicKey
let parameters = try! KeyGenerationParameters(bits: 256, parties: 5, threshold: 3, batchSize: KeyGenerationSeeds.batchSize)
let transcripts = TranscriptPrefixes(start: KeyGenerationTranscript(key: key), capacity: 4096)

Fuzz.run { [key, parameters, transcripts] data in
    var reader = ByteReader(data)
    let mode = (reader.byte() ?? 0) % 3
    let bytes = reader.rest()
    switch mode {
    case 0:
        guard let values = try? KeyGenerationWire.decode(bytes, maximumValueBytes: 512) else { return }
        Fuzz.require(KeyGenerationWire.encode(values) == bytes, "a value list reads but is not in canonical form")
    case 1:
        guard let envelope = try? Envelope(parsing: bytes), envelope.round.isKeyGenerationRound,
            let body = try? KeyGenerationBody(round: envelope.round, body: envelope.body)
        else { return }
        Fuzz.require((try? KeyGenerationBody(round: body.round, body: body.json)) == body, "a key generation body does not read back")
        guard case .values(let step, let data) = body, let values = try? KeyGenerationWire.decode(data, maximumValueBytes: 512) else { return }
        var observer = KeyGenerationObserver(
            parameters: parameters, session: envelope.session, signingKeys: key.signingKeys, coordinatorKey: key.coordinatorKey,
            allowInsecureKeySize: true)
        _ = try? observer.observe(step: step, values: values, from: envelope.sender)
    default:
        transcripts.check(bytes, fromStartToo: Fuzz.oneIn(128, bytes))
    }
}
