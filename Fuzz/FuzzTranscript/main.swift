// TranscriptVerifier.verify (what `summa verify` runs on a coordinator's transcript) on the bytes, with the
// committed test deal's key; then, when that changes anything, on the same lines with every party's envelope
// signed again by that party (a party may sign anything it likes: this takes mutated bodies past the signature
// check to the proofs and the combination behind it).
import Foundation
import FuzzSupport
import MultiParty

let key = Fixtures.publicKey

Fuzz.run { [key] data in
    _ = try? TranscriptVerifier.verify(data, key: key)

    // At most 64 lines.
    let bytes = [UInt8](data)
    let newlines = newlineOffsets(bytes)
    guard newlines.count < 64 else { return }
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
    if resigned != data { _ = try? TranscriptVerifier.verify(resigned, key: key) }
}
