import ArgumentParser
import Foundation
import Paillier
import Provenance
import Summa
import SummaFormats

/// Inputs shared by sum, mean and stats: files to combine, columns, and the key python-paillier files need.
struct AggregateInputs: ParsableArguments {
    @Argument(help: ArgumentHelp("Encrypted files (Summa's, or pheutil ciphertexts with --key).", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("A column to include (repeat; default: all of the first file's).", valueName: "name"))
    var column: [String] = []

    @Option(help: ArgumentHelp("The public key of python-paillier ciphertext inputs.", valueName: "file"))
    var key: String?

    @Option(help: ArgumentHelp("A kept column to group by (repeat for several; the files must be encrypted with --keep).", valueName: "name"))
    var by: [String] = []

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one encrypted file") }
        try checkColumns(column)
        try checkColumns(by)
    }

    /// Reads the inputs with their provenance (refusing one given twice), sums binary files as they stream (with a
    /// progress line per file on a terminal), and merges everything into one aggregate.
    func aggregate(_ kind: AggregateKind) async throws -> (table: AggregateTable, ledger: InputLedger) {
        let pheKey = try key.map { (path) throws(FormatError) in try SummaFile.readPublicKey(path: path) }
        return try await SignedAggregation.aggregate(
            files, columns: column.isEmpty ? nil : column, kind: kind, pheKey: pheKey, by: by.isEmpty ? nil : by,
            sumRecords: progress.sumRecords)
    }

    /// Writes the aggregate with its inputs to `out`, then says what it holds and what vouches for it.
    func write(_ table: AggregateTable, ledger: InputLedger, to out: String, inputs paths: [String], verb: String) throws {
        let summary = try describe(table)
        try SummaFile.write(ledger.document(of: table), to: out, inputs: paths)
        printError("\(verb) \(summary) -> \(out)")
        for note in ledger.unverifiedNotes(listingSigners: false) { printError("note: \(note)") }
    }
}

/// The columns summed, with their values; derived columns only counted, groups named.
func describe(_ table: AggregateTable) throws -> String {
    let values = table.analysis?.values.count ?? table.columnNames.count
    var text = try table.counts().prefix(values).map { "\($0.name) (\($0.count) values)" }.joined(separator: ", ")
    if table.columnNames.count > values { text += " and \(table.columnNames.count - values) derived columns" }
    if table.isGrouped { text += " in \(table.groups.count) groups by \(table.groupBy.joined(separator: ", "))" }
    return text
}

extension ProgressOptions {
    /// Sums one binary file, with a progress line on a terminal.
    func sumRecords(_ path: String, _ records: EncryptedRecords.File) async throws(FormatError) -> AggregateTable {
        try await meter("summing \(path)", unit: "records").tracking { (update) async throws(FormatError) in
            try await Aggregation.sum(records: records, progress: update)
        }
    }
}
