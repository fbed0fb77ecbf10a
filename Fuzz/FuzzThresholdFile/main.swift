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
    if let share = try? ThresholdFile.share(from: data, path: "party.json", allowInsecureKeySize: true) {
        let written = share.json.prettySerialized
        do {
            let again = try ThresholdFile.share(from: Data(written.utf8), path: "again.json", allowInsecureKeySize: true)
            Fuzz.require(again.json.prettySerialized == written, "a share Summa wrote from one it read reads back differently")
        } catch {
            Fuzz.require(false, "a share Summa wrote from one it read does not read back (\(error))")
        }
    }
    if let coordinator = try? ThresholdFile.coordinatorKey(from: data, path: "coordinator.json", allowInsecureKeySize: true) {
        let written = coordinator.json.prettySerialized
        do {
            let again = try ThresholdFile.coordinatorKey(from: Data(written.utf8), path: "again.json", allowInsecureKeySize: true)
            Fuzz.require(again.json.prettySerialized == written, "a coordinator key Summa wrote from one it read reads back differently")
        } catch {
            Fuzz.require(false, "a coordinator key Summa wrote from one it read does not read back (\(error))")
        }
    }
}
