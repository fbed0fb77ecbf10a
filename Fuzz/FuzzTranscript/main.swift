// TranscriptVerifier.verify (what `summa verify` runs on a coordinator's transcript) on the bytes, with the
// committed test deal's key; then, when that changes anything, on the same lines with every party's envelope
// signed again by that party (a party may sign anything it likes: this takes mutated bodies past the signature
// check to the proofs and the combination behind it).
import Foundation
import FuzzSupport
import MultiParty

let key = Fixtures.publicKey

Fuzz.run { data in
    _ = try? TranscriptVerifier.verify(data, key: key)

    let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    guard lines.count <= 64 else { return }
    var resigned = Data()
    for (index, line) in lines.enumerated() {
        if let envelope = Fixtures.resigned(Data(line)), envelope.sender != 0 {
            resigned += Data(envelope.json.serialized.utf8)  // ends with its newline
        } else {
            resigned += line
            if index < lines.count - 1 { resigned.append(UInt8(ascii: "\n")) }
        }
    }
    if resigned != data { _ = try? TranscriptVerifier.verify(resigned, key: key) }
}
