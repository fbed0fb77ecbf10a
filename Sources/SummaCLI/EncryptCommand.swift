import ArgumentParser
import Foundation
import Paillier
import Provenance
import Summa
import SummaFormats

struct EncryptCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt", abstract: "Encrypt columns of a CSV file.",
        discussion: """
            Amounts are plain decimals (1234.56, -0.5). Each column gets one scale: the most decimals in it, or --scale. \
            The output is a binary file in which several values share each ciphertext (packed: each value's mantissa at \
            its column's scale must stay below 2^63 in magnitude); --no-pack writes one ciphertext per value, --format \
            json Summa's JSON (one ciphertext per value, for small files), --format phe pheutil's. The CSV is read as a \
            stream, twice (to check every cell, then to encrypt), and encryption uses all cores. A private key as --key \
            encrypts as the key owner (about 3× faster); --fast encrypts with a Damgård–Jurik–Nielsen base drawn by \
            this process under any key (about 10× faster, on an assumption beyond Paillier's: see docs/security.md); \
            a key made with keygen --fast always uses its own base.
            """)

    @Option(help: ArgumentHelp("A public key (or private key) file, Summa's or pheutil's.", valueName: "file"))
    var key: String

    @Option(help: ArgumentHelp("A column to encrypt (repeat for several).", valueName: "name"))
    var column: [String]

    @Flag(help: "Also encrypt the squares, so that variance and standard deviation can be computed.")
    var squares = false

    @Option(parsing: .unconditional, help: "Decimals to keep (default: the most decimals in each column).")
    var scale: Int?

    @Flag(name: .customLong("skip-empty"), help: "Leave out empty cells instead of failing.")
    var skipEmpty = false

    @Flag(help: "Encrypt with a fixed base this process draws (DJN; for any key, pheutil's too; never written out).")
    var fast = false

    @Flag(name: .customLong("no-pack"), help: "One ciphertext per value (values up to the key's bound, not 2^63).")
    var noPack = false

    @Option(help: "binary (default), json (Summa's JSON, unpacked), or phe: a JSON array of pheutil ciphertexts (one column, no squares).")
    var format: EncryptedFormat = .binary

    @Argument(help: ArgumentHelp("The CSV file (with a header row).", valueName: "input.csv"))
    var input: String

    @Option(help: ArgumentHelp(
        "A text column kept in clear to group by (sum --by); the aggregator sees it and each group's size. Repeat for several.",
        valueName: "name"))
    var keep: [String] = []

    @Option(help: ArgumentHelp(
        "Sign the output with this identity (summa identity): its digest, rows, counts and plan go into <out>.sig.",
        valueName: "identity.json"))
    var sign: String?

    @OptionGroup(title: "Analyses") var analysis: AnalysisOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        if column.isEmpty { throw ValidationError("name at least one column with --column") }
        try checkColumns(column)
        try OptionBounds.decimals.check(scale, option: "--scale")
        if format == .phe && (column.count > 1 || squares) {
            throw ValidationError("--format phe writes one column without squares")
        }
        if format != .binary && !analysis.isEmpty {
            throw ValidationError("--category, --bins, --products and --clip need the binary format")
        }
        if format != .binary && !keep.isEmpty { throw ValidationError("--keep needs the binary format") }
        if format != .binary && sign != nil { throw ValidationError("--sign needs the binary format") }
        try checkColumns(keep)
        _ = try analysis.derivations(columns: column)
    }

    func execute() async throws {
        let signature = InputStatement.sidecarPath(of: output.out)
        let identity = try sign.map { (path) throws in
            try SummaFile.checkOutput(signature, inputs: [key, input, path])
            return try Identity.read(path: path)
        }
        try SummaFile.checkOutput(output.out, inputs: [key, input] + (sign.map { [$0] } ?? []))
        let keyFile = try SummaFile.read(path: key)
        guard let publicKey = keyFile.publicKey else {
            throw FormatError.unrecognizedFile(path: key, reason: "holds ciphertexts, not a key")
        }
        let encryptor: Encryptor =
            if fast { .fast(FastEncryptor(publicKey: publicKey)) }
            else if case .privateKey(let privateKey) = keyFile { .privateKey(privateKey) }
            else { .publicKey(publicKey) }
        guard format != .binary else {
            let summary = try await progress.meter("encrypting", unit: "rows").tracking { update in
                try await CSVEncryption.encrypt(
                    csv: input, columns: column, derivations: try analysis.derivations(columns: column), to: output.out,
                    with: encryptor, scale: scale, squares: squares, packed: !noPack, skipEmpty: skipEmpty, keep: keep,
                    inputs: [key, input], progress: update)
            }
            for note in summary.notes { printError("note: \(note)") }
            var counts = summary.columns.prefix(column.count).map { "\($0.name): \($0.count) values, scale \($0.scale)" }
            if summary.columns.count > column.count { counts.append("\(summary.columns.count - column.count) derived columns") }
            if !keep.isEmpty { counts.append("\(summary.groups.count) groups of \(keep.joined(separator: ", ")) in clear") }
            let packing = summary.layout.isPacked
                ? "packed, \(summary.layout.valueSlots) values per ciphertext" : "one value per ciphertext"
            printError("encrypted \(summary.rows) rows (\(counts.joined(separator: "; "))) into \(summary.records) ciphertexts, \(packing) -> \(output.out)")
            if let identity { try signOutput(as: identity, statementPath: signature) }
            return
        }
        let columns = try CSVColumns.read(path: input, columns: column, skipEmpty: skipEmpty)
        if format == .phe {
            let values = columns.columns[0].values
            let ciphertexts = try await progress.meter("encrypting", unit: "values").tracking { (update) async throws(FormatError) in
                try await PheCiphertexts.encrypt(values, scale: scale, with: encryptor, progress: update)
            }
            try SummaFile.write(ciphertexts, to: output.out, inputs: [key, input])
            printError("encrypted \(column[0]): \(values.count) values in pheutil's format -> \(output.out)")
            return
        }
        let table = try await progress.meter("encrypting", unit: "values").tracking { update in
            try await EncryptedTable.encrypt(columns.columns, with: encryptor, scale: scale, squares: squares, progress: update)
        }
        try SummaFile.write(table.summaJSON, to: output.out, inputs: [key, input])
        let counts = table.columns.map { "\($0.name): \($0.values.count) values, scale \($0.scale)" }
        printError("encrypted \(counts.joined(separator: "; ")) -> \(output.out)")
    }
}

extension EncryptCommand {
    /// Signs the file just written and puts the statement beside it; if that fails, the file goes too, so that no
    /// output is left half made.
    func signOutput(as identity: Identity, statementPath: String) throws {
        do {
            let statement = try InputStatement.sign(recordsFileAt: output.out, as: identity)
            try SummaFile.write(statement.json, to: statementPath, inputs: [key, input, output.out])
            printError("signed as \(identity.publicIdentity.label) -> \(statementPath)")
        } catch {
            unlink(output.out)
            throw error
        }
    }
}

/// What `summa encrypt` writes.
enum EncryptedFormat: String, ExpressibleByArgument, CaseIterable {
    case binary, json, phe
}
