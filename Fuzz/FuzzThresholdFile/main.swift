// ThresholdFile.publicKey(from:), ThresholdFile.share(from:) and ThresholdFile.coordinatorKey(from:) on the bytes
// (the files of `summa deal`), then a round trip: what Summa writes of a key or share it read must read back the
// same.
import Foundation
import FuzzSupport
import SummaFormats
import Threshold

_ = Fixtures.deal

Fuzz.run { data in
    if let key = try? ThresholdFile.publicKey(from: data, path: "public.json", allowInsecureKeySize: true) {
        let written = key.json.prettySerialized
        do {
            let again = try ThresholdFile.publicKey(from: Data(written.utf8), path: "again.json", allowInsecureKeySize: true)
            Fuzz.require(again == key, "a threshold key Summa wrote from one it read reads back as another key:\n\(written)")
        } catch {
            Fuzz.require(false, "a threshold key Summa wrote from one it read does not read back (\(error)):\n\(written)")
        }
        _ = key.defaultMinimumInputs
    }
    requireRoundTrip("share", data, \.json) { try ThresholdFile.share(from: $0, path: $1, allowInsecureKeySize: true) }
    requireRoundTrip("coordinator key", data, \.json) {
        try ThresholdFile.coordinatorKey(from: $0, path: $1, allowInsecureKeySize: true)
    }
}

/// A secret key file (a share, the coordinator's key) read from `data`, when it reads, must read back from what Summa
/// writes of it as the same document.
func requireRoundTrip<Key>(
    _ what: String, _ data: Data, _ json: (Key) -> JSONValue, parse: (Data, String) throws -> Key
) {
    guard let key = try? parse(data, "\(what).json") else { return }
    let written = json(key).prettySerialized
    do {
        let again = try parse(Data(written.utf8), "again.json")
        Fuzz.require(json(again).prettySerialized == written, "a \(what) Summa wrote from one it read reads back differently")
    } catch {
        Fuzz.require(false, "a \(what) Summa wrote from one it read does not read back (\(error))")
    }
}
