import ArgumentParser
import Foundation
import MultiParty
import Summa
import SummaFormats
import Threshold

/// Refuses a session minimum (`--min-inputs`) below 2, since the "sum" of a single input is that input, decrypted
/// alone, unless `allowingSingleInput` (tests only, and not advertised in the message); and above `parties`, the
/// key's ℓ, once the key is known.
func checkMinimumInputs(_ minimum: Int, parties: Int?, allowingSingleInput: Bool) throws {
    if minimum == 1 && !allowingSingleInput {
        throw ValidationError("--min-inputs 1 would let a session decrypt one party's input alone: use at least 2")
    }
    guard minimum >= 1, minimum <= parties ?? minimum else {
        throw ValidationError("--min-inputs must be from 2 to \(parties.map(String.init) ?? "ℓ, the key's number of parties")")
    }
}

/// `--min-inputs` as given, or the key's default; within 2…ℓ (``checkMinimumInputs(_:parties:allowingSingleInput:)``).
/// A single input is allowed here with the environment's test setting alone: a given `--min-inputs 1` was refused
/// in `validate()` without the command's insecure test option too, and a key whose default is 1 (ℓ = 1) is read
/// only with that setting.
func minimumInputs(
    _ given: Int?, key: ThresholdPublicKey, allowingSingleInput: Bool = SummaFile.insecureTestKeysAllowed
) throws -> Int {
    let minimum = given ?? key.defaultMinimumInputs
    try checkMinimumInputs(minimum, parties: key.partyCount, allowingSingleInput: allowingSingleInput)
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
