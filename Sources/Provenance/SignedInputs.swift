import BigNum
import Foundation
import Summa
import SummaFormats

/// An aggregate's inputs once checked against the signers the key holder trusts (`summa decrypt --signer`): every
/// input signed by one of them, none twice, all under the aggregate's key and plan, and the aggregate's counts the
/// signed ones. What it vouches for is then checked once more against the decrypted totals (``check(groupKey:totals:)``).
public struct SignedInputs: Sendable {
    /// The plan every input was signed with (the same for all): its clipping bounds are the data owners'.
    public let plan: AnalysisPlan?
    /// Rows and per-column counts by group key (the bytes of the aggregate's group texts; an empty key without groups).
    let rows: [[[UInt8]]: Int]
    let counts: [[[UInt8]]: [String: Int]]
    /// The signers, for the line the key holder reads.
    public let signers: [PublicIdentity]
    public let inputCount: Int

    /// Checks `ledger` (the aggregate at `path`, read as `table`) against `trusted`.
    public init(ledger: InputLedger?, table: AggregateTable, path: String, trusted: [PublicIdentity]) throws(ProvenanceError) {
        guard let ledger, !ledger.entries.isEmpty else {
            throw .untrustedInput(file: path, reason: "the aggregate lists no signed inputs, so nothing vouches for its sums (sum signed files with this version of summa)")
        }
        var statements: [InputStatement] = []
        for entry in ledger.entries {
            guard let statement = entry.statement else {
                throw .untrustedInput(file: entry.file, reason: "unsigned: nothing vouches for it (encrypt it with --sign)")
            }
            guard trusted.contains(statement.signer) else {
                throw .untrustedInput(file: entry.file, reason: "signed by \(statement.signer.label), who is not among the --signer identities")
            }
            guard statement.keyFingerprint == table.publicKey.fingerprint else {
                throw .aggregateMismatch(path: path, reason: "input \(entry.file) is signed for another key (\(statement.keyFingerprint))")
            }
            statements.append(statement)
        }
        let plan = statements[0].analysis
        guard statements.allSatisfy({ $0.analysis == plan }) else {
            throw .aggregateMismatch(path: path, reason: "its inputs were signed with different plans or clipping bounds")
        }
        let tables = table.isGrouped ? table.groups.map { ($0.key, $0.table) } : [([String](), table)]
        // The aggregate's plan (and so every clipping bound a release uses) must be the signed one.
        for (_, part) in tables where part.analysis != nil && part.analysis != plan {
            throw .aggregateMismatch(path: path, reason: "its analysis plan (clipping bounds, levels, buckets) is not the one its inputs were signed with")
        }
        // What the signed statements say each group (projected on the aggregate's kept columns) holds.
        var rows: [[[UInt8]]: Int] = [:]
        var counts: [[[UInt8]]: [String: Int]] = [:]
        func add(_ key: [String], rows groupRows: Int, counts groupCounts: [(String, Int)]) throws(ProvenanceError) {
            try Self.countChecked(path: path) { () throws(SummaError) in
                rows[key.exactBytes] = try (rows[key.exactBytes] ?? 0).addingCount(groupRows)
                for (name, count) in groupCounts {
                    counts[key.exactBytes, default: [:]][name] = try (counts[key.exactBytes]?[name] ?? 0).addingCount(count)
                }
            }
        }
        for statement in statements {
            if table.isGrouped {
                let positions = table.groupBy.map { statement.groupBy.firstIndex(of: $0) }
                guard !positions.contains(nil) else {
                    throw .aggregateMismatch(path: path, reason: "it is grouped by \(table.groupBy.joined(separator: ", ")), which an input was not signed with")
                }
                for group in statement.groups {
                    try add(positions.map { group.key[$0!] }, rows: group.rows, counts: Array(zip(statement.columns, group.counts)))
                }
            } else {
                try add([], rows: statement.rows, counts: Array(zip(statement.columns, statement.counts)))
            }
        }
        guard Set(tables.map { $0.0.exactBytes }) == Set(rows.keys) else {
            throw .aggregateMismatch(path: path, reason: "its groups are not those of its signed inputs")
        }
        for (key, part) in tables {
            let shown = try Self.countChecked(path: path) { () throws(SummaError) in try part.counts() }
            for (name, count) in shown where count != counts[key.exactBytes]?[name] ?? 0 {
                let group = key.isEmpty ? "" : " in group \(key.debugDescription)"
                throw .aggregateMismatch(
                    path: path, reason: "column \(name)\(group) counts \(count) values, its signed inputs \(counts[key.exactBytes]?[name] ?? 0)")
            }
        }
        self.plan = plan
        self.rows = rows
        self.counts = counts
        signers = Array(Set(statements.map(\.signer))).sorted { $0.label < $1.label }
        inputCount = statements.count
    }

    static func countChecked<T>(path: String, _ body: () throws(SummaError) -> T) throws(ProvenanceError) -> T {
        do { return try body() } catch { throw .aggregateMismatch(path: path, reason: error.description) }
    }

    /// "12 inputs signed by bank-a (ed25519:…), bank-b (ed25519:…); counts and plan checked".
    public var summary: String {
        "\(inputCount) input\(inputCount == 1 ? "" : "s") signed by \(signers.map(\.label).joined(separator: ", ")); counts, plan and bounds checked"
    }

    /// The clipping bounds a private release uses: the signed ones, or the key holder's own `policy` for a column,
    /// which must contain the signed bounds (wider bounds only add noise; narrower ones would understate what one row
    /// can change). A policy for a column the data owners did not clip is refused: no signature bounds its rows.
    public func releaseClips(policy: [AnalysisPlan.Clip]) throws(ProvenanceError) -> [AnalysisPlan.Clip] {
        let signed = plan?.clips ?? []
        for bound in policy {
            guard let clip = signed.first(where: { $0.column == bound.column }) else {
                throw .untrustedInput(file: "--clip \(bound.column)", reason: "the data owners signed no clipping bounds for \(bound.column)")
            }
            guard bound.lower <= clip.lower, clip.upper <= bound.upper else {
                throw .untrustedInput(
                    file: "--clip \(bound.column)",
                    reason: "\(bound.lower)…\(bound.upper) does not contain the signed bounds \(clip.lower)…\(clip.upper)")
            }
        }
        return signed.map { clip in policy.first { $0.column == clip.column } ?? clip }
    }

    /// ``check(groupKey:totals:)`` as decryption takes it.
    public var totalsCheck: DecryptedReport.TotalsCheck {
        { groupKey, totals throws(SummaError) in
            do throws(ProvenanceError) { try check(groupKey: groupKey, totals: totals) } catch { throw .incompatible(error.description) }
        }
    }

    /// Checks decrypted totals against what the signatures allow, before anything is shown: each value column's sum
    /// within its count times the signed clipping bounds, each level's and bucket's count within the rows, a
    /// category's counts adding up to its rows (with `--other`) and a histogram's to its column's count. A sum
    /// amplified by raising a ciphertext to a power, or a count column forged, fails here.
    public func check(groupKey: [String]?, totals: [(name: String, totals: ColumnTotals)]) throws(ProvenanceError) {
        let key = (groupKey ?? []).exactBytes
        let rows = rows[key] ?? 0
        let byName = Dictionary(totals.map { ($0.name, $0.totals) }, uniquingKeysWith: { first, _ in first })
        func fail(_ reason: String) -> ProvenanceError {
            .implausibleTotals(reason: groupKey.map { "group \($0.debugDescription): " } ?? "" + reason)
        }
        guard let plan else { return }
        for clip in plan.clips {
            guard let total = byName[clip.column] else { continue }
            let count = BigInteger(total.count)
            let low = try? FixedPoint(mantissa: clip.lower.mantissa * count, scale: clip.lower.scale)
            let high = try? FixedPoint(mantissa: clip.upper.mantissa * count, scale: clip.upper.scale)
            guard let low, let high, low <= total.sum, total.sum <= high else {
                throw fail("the sum of \(clip.column) lies outside \(total.count) values clipped to \(clip.lower)…\(clip.upper)")
            }
        }
        func countValue(_ name: String) throws(ProvenanceError) -> BigInteger? {
            guard let total = byName[name] else { return nil }
            guard total.sum.scale == 0 || total.sum.mantissa.isZero else { throw fail("\(name) is not a whole count") }
            return total.sum.mantissa
        }
        for category in plan.categories {
            var sum = BigInteger(0)
            for level in category.allLevels {
                guard let count = try countValue(category.countName(level)) else { continue }
                guard count >= 0, count <= BigInteger(rows) else { throw fail("\(category.countName(level)) is \(count), of \(rows) rows") }
                sum += count
            }
            guard category.other ? sum == BigInteger(rows) : sum <= BigInteger(rows) else {
                throw fail("the levels of \(category.column) count \(sum) rows, of \(rows)")
            }
        }
        for histogram in plan.bins {
            guard let values = byName[histogram.column]?.count else { continue }
            var sum = BigInteger(0)
            for bucket in histogram.buckets {
                guard let count = try countValue(histogram.countName(bucket)) else { continue }
                guard count >= 0, count <= BigInteger(values) else { throw fail("\(histogram.countName(bucket)) is \(count), of \(values) values") }
                sum += count
            }
            guard sum == BigInteger(values) else { throw fail("the buckets of \(histogram.column) count \(sum) values, of \(values)") }
        }
    }
}
