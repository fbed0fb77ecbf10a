import BigNum
import Foundation
import Paillier
import Summa
import SummaFormats

/// One side's list, read from a CSV file: per row the point of its identifier and, for the side that brings values,
/// each value column's mantissa at the column's scale (clipped when a bound is given) and the row's group.
///
/// Identifiers are normalized by ``JoinIdentifier``. An identifier that appears twice is refused with both lines: a
/// join counts each customer once, and a list with repeats would count them twice on the other side's behalf.
public struct JoinList: Sendable {
    /// A value column: its name, the decimals its mantissas are at, and its clipping bounds if any.
    public struct Column: Sendable, Equatable {
        public let name: String
        public let scale: Int
        public let clip: AnalysisPlan.Clip?
        /// The largest |mantissa| any row may have: the clip's magnitude, else the largest in the file.
        public let magnitude: BigInteger
    }

    public let path: String
    /// How the identifiers were normalized.
    public let rule: JoinIdentifier.Rule
    /// Per row, the point of its identifier, in file order.
    public let points: [JoinPoint]
    public let columns: [Column]
    /// Row-major mantissas, `columns.count` per row.
    public let values: [Int64]
    /// The distinct texts of the kept column, in order of first appearance; empty when nothing is kept.
    public let groupNames: [String]
    /// The kept column's name, if any.
    public let keep: String?
    /// Per row, its group's index in ``groupNames`` (all 0 when nothing is kept).
    public let groups: [UInt16]

    public var count: Int { points.count }

    /// The most groups a kept column may have: each group takes slots in every row's ciphertexts.
    public static let maximumGroups = 256
    /// The most rows a list may have.
    public static let maximumRows = 100_000_000

    /// Reads `path`: the identifiers of `identifierColumn`, the decimal `valueColumns` (each clipped to its bound in
    /// `clips` when there is one) and the labels of `keep`.
    public static func read(
        path: String, identifierColumn: String, rule: JoinIdentifier.Rule, valueColumns: [String] = [],
        clips: [AnalysisPlan.Clip] = [], keep: String? = nil
    ) async throws(PrivateJoinError) -> JoinList {
        for clip in clips where !valueColumns.contains(clip.column) {
            throw .incompatible("--clip \(clip.column): not a value column of the join (give it with --column)")
        }
        for clip in clips where clip.lower > clip.upper {
            throw .incompatible("--clip \(clip.column): the low bound \(clip.lower) is above the high bound \(clip.upper)")
        }
        let labels = [identifierColumn] + (keep.map { [$0] } ?? [])
        do {
            // A first pass for the columns' scales and the groups, a second for the rows.
            var scales: [Int] = []
            var groupNames: [String] = []
            if !valueColumns.isEmpty || keep != nil {
                let summary = try CSVRowReader(path: path, columns: valueColumns, labels: keep.map { [$0] } ?? []).scan()
                scales = summary.scales
                if let keep {
                    guard let names = summary.labels[0], names.count <= maximumGroups else {
                        throw PrivateJoinError.incompatible(
                            "\(path): column \(keep) has more than \(maximumGroups) distinct values, too many groups to keep")
                    }
                    groupNames = names
                }
            }
            let columnScales = try valueColumns.enumerated().map { (index, name) throws(PrivateJoinError) in
                let clip = clips.first { $0.column == name }
                return max(scales[index], clip?.lower.scale ?? 0, clip?.upper.scale ?? 0)
            }
            let groupIndex = Dictionary(uniqueKeysWithValues: groupNames.enumerated().map { ($1, UInt16($0)) })
            let reader = try CSVRowReader(path: path, columns: valueColumns, labels: labels)
            var points: [JoinPoint] = []
            var values: [Int64] = []
            var groups: [UInt16] = []
            var magnitudes = [BigInteger](repeating: 0, count: valueColumns.count)
            var firstLine: [JoinPoint: Int] = [:]
            var pending: [(line: Int, identifier: [UInt8])] = []
            // Identifiers are hashed to the curve in batches on all cores: hashing is most of reading.
            func flush() async throws(PrivateJoinError) {
                let hashed = await parallelMap(pending) { JoinPoint.hashing($0.identifier) }
                for (index, point) in hashed.enumerated() {
                    if let first = firstLine.updateValue(pending[index].line, forKey: point) {
                        throw .duplicateIdentifier(path: path, line: pending[index].line, firstLine: first)
                    }
                }
                points += hashed
                pending.removeAll(keepingCapacity: true)
            }
            while let row = try reader.next() {
                guard points.count + pending.count < maximumRows else {
                    throw PrivateJoinError.incompatible("\(path): more than \(maximumRows) rows")
                }
                let identifier = JoinIdentifier.normalize(row.labels[0], rule: rule)
                guard !identifier.isEmpty else { throw PrivateJoinError.emptyIdentifier(path: path, line: row.line) }
                pending.append((row.line, identifier))
                for (index, name) in valueColumns.enumerated() {
                    var value = row.values[index]!
                    if let clip = clips.first(where: { $0.column == name }) { value = min(max(value, clip.lower), clip.upper) }
                    let mantissa = try value.mantissa(atColumnScale: columnScales[index], field: name)
                    guard let exact = mantissa.intValue.map(Int64.init) else {
                        throw PrivateJoinError.value(
                            path: path, line: row.line, column: name, reason: "\(value) does not fit 64 bits at \(columnScales[index]) decimals")
                    }
                    values.append(exact)
                    magnitudes[index] = max(magnitudes[index], mantissa.magnitude)
                }
                if keep != nil { groups.append(groupIndex[row.labels[1]] ?? 0) } else { groups.append(0) }
                if pending.count == 16_384 { try await flush() }
            }
            try await flush()
            let columns = try valueColumns.enumerated().map { (index, name) throws(SummaError) in
                let clip = clips.first { $0.column == name }
                let magnitude = try clip.map { (clip) throws(SummaError) in try clip.magnitude.rescaled(to: columnScales[index]).mantissa }
                    ?? magnitudes[index]
                return Column(name: name, scale: columnScales[index], clip: clip, magnitude: magnitude)
            }
            return JoinList(
                path: path, rule: rule, points: points, columns: columns, values: values, groupNames: groupNames, keep: keep, groups: groups)
        } catch let error as PrivateJoinError {
            throw error
        } catch let error as FormatError {
            throw .file(error)
        } catch let error as SummaError {
            throw .file(.number(error))
        } catch {
            throw .incompatible("\(path): \(error)")
        }
    }
}

/// How identifiers are made comparable before they are hashed: Unicode NFC (so that "é" typed either way is one
/// identifier), surrounding white space and line ends trimmed, and, when asked, case folded (Unicode's default
/// lowercase mapping, independent of locale). Both sides must use the same rule; the join checks that they do.
public enum JoinIdentifier {
    public enum Rule: String, Sendable, Equatable, CaseIterable {
        case exact = "nfc-trim"
        case caseFolded = "nfc-trim-casefold"
    }

    /// The normalized identifier's UTF-8 bytes (empty if nothing is left).
    public static func normalize(_ text: String, rule: Rule) -> [UInt8] {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if rule == .caseFolded { text = text.lowercased() }
        return Array(text.precomposedStringWithCanonicalMapping.utf8)
    }
}
