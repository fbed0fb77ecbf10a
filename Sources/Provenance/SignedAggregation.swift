import Foundation
import Paillier
import Summa
import SummaFormats

/// Sums, means and statistics over files with their provenance: what `summa sum`, `mean`, `stats` and `audit` do.
/// Each input's digest (and statement, when signed) goes into the aggregate's ``InputLedger``, and an input that
/// appears twice, by its bytes, is refused before anything is summed.
public enum SignedAggregation {
    /// How a binary file is summed: the caller's, so that it can show progress.
    public typealias RecordsSummer = (_ path: String, _ file: EncryptedRecords.File) async throws(FormatError) -> AggregateTable

    /// Reads `paths`, records their provenance, and aggregates them (as `Aggregation` in SummaFormats does).
    public static func aggregate(
        _ paths: [String], columns: [String]?, kind: AggregateKind, pheKey: PaillierPublicKey?, by: [String]?,
        sumRecords: RecordsSummer
    ) async throws(ProvenanceError) -> (table: AggregateTable, ledger: InputLedger) {
        var read: [(path: String, file: SummaFile)] = []
        var entries: [[InputLedger.Entry]] = []
        for path in paths {
            let file = try ProvenanceError.catching { () throws(FormatError) in try SummaFile.read(path: path) }
            entries.append(try InputLedger.entries(ofInput: path, file: file))
            read.append((path, file))
        }
        // Before anything is summed: an input given twice is never summed.
        let ledger = try InputLedger(merging: entries)
        var summed: [(path: String, file: SummaFile)] = []
        for (path, file) in read {
            guard case .encryptedRecords(let records) = file else {
                summed.append((path, file))
                continue
            }
            do { summed.append((path, .aggregate(try await sumRecords(path, records)))) } catch { throw .file(error) }
        }
        let table = try ProvenanceError.catching { () throws(FormatError) in
            try Aggregation.aggregate(summed, columns: columns, kind: kind, pheKey: pheKey, by: by)
        }
        // Counts read from files add up here without overflow, or not at all.
        do { _ = try table.counts() } catch { throw .file(.number(error)) }
        return (table, ledger)
    }

    /// Recomputes the aggregate at `path` from `files`, which must be exactly its listed inputs (by digest, each
    /// once), and compares every ciphertext, count and name. Needs no private key: anyone holding the inputs can
    /// check an aggregator. Returns the ledger it checked.
    public static func audit(
        aggregateAt path: String, files: [String], sumRecords: RecordsSummer
    ) async throws(ProvenanceError) -> InputLedger {
        let claimed = try ProvenanceError.catching { () throws(FormatError) in try SummaFile.read(path: path) }
        guard case .aggregate(let table) = claimed else {
            throw .auditFailed(path: path, reason: "not an aggregate (summa sum, mean or stats writes one)")
        }
        guard let ledger = try InputLedger.read(aggregateAt: path) else {
            throw .auditFailed(path: path, reason: "it lists no inputs to recompute it from")
        }
        var byDigest: [String: String] = [:]
        for file in files {
            let digest = try ProvenanceError.catching { () throws(FormatError) in try FileDigest.sha256(path: file) }
            guard ledger.entries.contains(where: { $0.digest == digest }) else {
                throw .auditFailed(path: path, reason: "\(file) is not among its inputs")
            }
            guard byDigest.updateValue(file, forKey: digest) == nil else { throw .duplicateInput(path: file, digest: digest) }
        }
        let missing = ledger.entries.filter { byDigest[$0.digest] == nil }
        guard missing.isEmpty else {
            throw .auditFailed(path: path, reason: "inputs not given: \(missing.map(\.file).joined(separator: ", "))")
        }
        // In the ledger's order, so that the sums are formed as the aggregator formed them.
        let ordered = ledger.entries.map { byDigest[$0.digest]! }
        let (recomputed, recomputedLedger) = try await aggregate(
            ordered, columns: table.columnNames, kind: table.kind, pheKey: nil, by: table.isGrouped ? table.groupBy : nil,
            sumRecords: sumRecords)
        guard recomputedLedger.entries.map(\.digest) == ledger.entries.map(\.digest) else {
            throw .auditFailed(path: path, reason: "its inputs' statements are not those beside the files")
        }
        guard recomputed.summaJSON == table.summaJSON else {
            throw .auditFailed(path: path, reason: "its sums, counts or layout differ from the sum of its inputs")
        }
        return ledger
    }
}
