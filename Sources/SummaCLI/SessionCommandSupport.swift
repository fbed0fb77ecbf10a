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

/// Refuses session columns (`--column` of `party` and `coordinate`) that the header could not carry: twice the same,
/// more than an input holds, or a name too long.
func checkSessionColumns(_ names: [String]) throws {
    try checkColumns(names)
    guard names.count <= Message.Header.maximumLength else {
        throw ValidationError("at most \(Message.Header.maximumLength) columns")
    }
    if let long = names.first(where: { !(1...Message.Header.maximumNameLength).contains($0.count) }) {
        throw ValidationError("--column \"\(long.prefix(40))\" must be 1 to \(Message.Header.maximumNameLength) characters")
    }
}

/// The result as `--json` or as lines: a single unnamed value as "sum" and "mean"; otherwise one line of each per
/// value, named by its column or its position.
func printResult(_ result: SessionResult, json: Bool) {
    if json {
        print(result.json.serialized, terminator: "")
        return
    }
    let list = { (parties: [Int]) in parties.isEmpty ? "none" : parties.map(String.init).joined(separator: ", ") }
    var lines: [String] = []
    for (index, sum) in result.sums.enumerated() {
        let label = result.sums.count == 1 && result.names.isEmpty ? "" : " " + (result.names.isEmpty ? "[\(index + 1)]" : result.names[index])
        lines.append("sum\(label): \(sum)")
        lines.append("mean\(label): \(result.means?[index].description ?? "undefined")")
    }
    lines += ["count: \(result.count)", "contributors: \(list(result.contributors))", "blamed: \(list(result.blamed))"]
    lines.append(result.rangesDescription)
    print(lines.joined(separator: "\n"))
}
