// CSVColumns.parse on the bytes as UTF-8 text (as `summa encrypt --csv` reads a file), with a few fixed column name
// sets and with the names of the text's own first line (so mutated headers still reach the rows), skipping empty
// cells or not. Every value read must print as a decimal that reads back the same, and CSVRowReader.scan (the first
// pass of `summa encrypt`, which builds no value) must succeed exactly when reading every row does, with the same
// rows, counts and scales.
import Foundation
import FuzzSupport
import Summa
import SummaFormats

let fixedNames: [[String]] = [["amount"], ["amount", "fee"], ["a", "b", "c"]]

Fuzz.run { [fixedNames] data in
    guard let text = String(data: data, encoding: .utf8) else { return }
    var nameSets = fixedNames
    let firstLine = text.prefix { !$0.isNewline }
    let own = firstLine.split(separator: ",", omittingEmptySubsequences: false).prefix(3)
        .map { $0.trimmingCharacters(in: .whitespaces) }
    if !own.isEmpty { nameSets.append(own) }
    for names in nameSets {
        for skipEmpty in [false, true] {
            let scanned = try? CSVRowReader(text: text, path: "fuzz.csv", columns: names, skipEmpty: skipEmpty).scan()
            guard let parsed = try? CSVColumns.parse(text, path: "fuzz.csv", columns: names, skipEmpty: skipEmpty) else {
                Fuzz.require(scanned == nil, "scan accepts what reading the rows refuses (\(names), skipEmpty \(skipEmpty))")
                continue
            }
            let counts = parsed.columns.map(\.values.count)
            let scales = parsed.columns.map { $0.values.map(\.scale).max() ?? 0 }
            Fuzz.require(
                scanned?.counts == counts && scanned?.scales == scales && (scanned?.rows ?? -1) >= (counts.max() ?? 0),
                "scan \(String(describing: scanned)) disagrees with the rows read (counts \(counts), scales \(scales))")
            Fuzz.require(parsed.columns.map(\.name) == names, "columns \(parsed.columns.map(\.name)) for names \(names)")
            for column in parsed.columns {
                for value in column.values {
                    Fuzz.require((try? FixedPoint(parsing: value.description)) == value, "\(value) does not read back")
                }
            }
        }
    }
}
