// CSVColumns.parse on the bytes as UTF-8 text (as `summa encrypt --csv` reads a file), with a few fixed column name
// sets and with the names of the text's own first line (so mutated headers still reach the rows), skipping empty
// cells or not. Every value read must print as a decimal that reads back the same.
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
            guard let parsed = try? CSVColumns.parse(text, path: "fuzz.csv", columns: names, skipEmpty: skipEmpty) else {
                continue
            }
            Fuzz.require(parsed.columns.map(\.name) == names, "columns \(parsed.columns.map(\.name)) for names \(names)")
            for column in parsed.columns {
                for value in column.values {
                    Fuzz.require((try? FixedPoint(parsing: value.description)) == value, "\(value) does not read back")
                }
            }
        }
    }
}
