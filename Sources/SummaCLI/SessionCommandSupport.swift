import ArgumentParser
import Foundation
import MultiParty
import Summa
import SummaFormats
import Threshold

/// `--min-inputs` as given, or the key's default; within 1…ℓ.
func minimumInputs(_ given: Int?, key: ThresholdPublicKey) throws -> Int {
    let minimum = given ?? key.defaultMinimumInputs
    guard (1...key.partyCount).contains(minimum) else {
        throw CommandFailure(description: "--min-inputs must be from 1 to \(key.partyCount)")
    }
    return minimum
}

/// The result as `--json` or as lines.
func printResult(_ result: SessionResult, json: Bool) {
    if json {
        print(result.json.serialized, terminator: "")
        return
    }
    let list = { (parties: [Int]) in parties.isEmpty ? "none" : parties.map(String.init).joined(separator: ", ") }
    print("""
        sum: \(result.sum)
        mean: \(result.mean?.description ?? "undefined")
        count: \(result.count)
        contributors: \(list(result.contributors))
        blamed: \(list(result.blamed))
        """)
}
