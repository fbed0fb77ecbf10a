// TranscriptVerifier.verify (what `summa verify` runs on a coordinator's transcript) with the committed test deal's
// key, on the same lines with every party's envelope signed again by that party (a party may sign anything it
// likes: this takes mutated bodies past the signature check to the proofs and the combination behind it), and on the
// bytes as they are (below).
import Foundation
import FuzzSupport
import MultiParty

let key = Fixtures.publicKey

Fuzz.run { [key] data in
    let resigned = resignedPartyLines(data)
    // The bytes as they are, when signing again changes nothing and for one input length in four otherwise. A
    // changed party line fails its signature after every line in front of it was verified again, range proofs and
    // all, which the re-signed lines repeat: doing that for every input was a third of the harness's time, and a
    // quarter of the inputs is plenty to keep forged and broken signatures in front of the verifier.
    if resigned == nil || resigned == data || data.count % 4 == 0 { _ = try? TranscriptVerifier.verify(data, key: key) }
    if let resigned, resigned != data { _ = try? TranscriptVerifier.verify(resigned, key: key) }
}

/// The transcript with every party line signed again; nil beyond 64 lines.
func resignedPartyLines(_ data: Data) -> Data? {
    let bytes = [UInt8](data)
    let newlines = newlineOffsets(bytes)
    guard newlines.count < 64 else { return nil }
    var resigned = Data(capacity: bytes.count + 512)
    var start = 0
    for end in newlines + [bytes.count] {
        let line = Array(bytes[start..<end])
        if let envelope = Fixtures.resignedPayload(line), envelope.sender != 0 {
            resigned += envelope.payload  // ends with its newline
        } else {
            resigned += line
            if end < bytes.count { resigned.append(UInt8(ascii: "\n")) }
        }
        start = end + 1
    }
    return resigned
}
