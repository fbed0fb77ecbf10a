// TranscriptVerifier.verify (what `summa verify` runs on a coordinator's transcript) with the committed test deal's
// key, on the bytes as they are and on the same lines with every party's envelope signed again by that party (a
// party may sign anything it likes: this takes mutated bodies past the signature check to the proofs and the
// combination behind it). Each transcript is verified from its longest prefix verified before (TranscriptPrefixes);
// one input in 128 (Fuzz.oneIn) is also verified from the start, which must give the same verdict.
import Foundation
import FuzzSupport
import MultiParty

let key = Fixtures.publicKey
let transcripts = TranscriptPrefixes(start: SessionTranscript(key: key), capacity: 4096)

Fuzz.run { [transcripts] data in
    var verified = [data]
    if let resigned = resignedPartyLines(data), resigned != data { verified.append(resigned) }
    let fromStartToo = Fuzz.oneIn(128, data)
    for transcript in verified { transcripts.check(transcript, fromStartToo: fromStartToo) }
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
