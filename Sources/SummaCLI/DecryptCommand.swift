import ArgumentParser
import Provenance
import Summa
import SummaFormats

struct DecryptCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt", abstract: "Decrypt values or results with the private key.",
        discussion: """
            Prints encrypted columns one value per line in row order, and sums, means and statistics exactly \
            (means and variances rounded half to even). A result that overflowed is an error, never a wrong number.
            """)

    @Option(help: ArgumentHelp("The private key file (Summa's or pheutil's).", valueName: "file"))
    var key: String

    @Argument(help: ArgumentHelp("The encrypted file.", valueName: "file"))
    var file: String

    @Flag(help: "Print JSON (numbers as decimal strings).")
    var json = false

    @Flag(help: "Print one CSV table: the values, the statistics, or a row per group.")
    var csv = false

    @Option(parsing: .unconditional, help: "Decimals for mean, variance and standard deviation (default: the scale + 4).")
    var digits: Int?

    @Option(help: ArgumentHelp(
        "Release sums with differential privacy at this ε instead of exactly (needs --clip at encryption; see docs/analytics.md).",
        valueName: "ε"))
    var epsilon: String?

    @Option(help: ArgumentHelp("With --epsilon: release (ε, δ)-DP with discrete Gaussian noise instead of pure ε-DP with discrete Laplace.", valueName: "δ"))
    var delta: String?

    @Option(help: ArgumentHelp(
        "The public identity of a data owner you trust (repeat): every input of the aggregate must be signed by one of them, its counts and plan are checked against the signatures, and its totals against the signed bounds.",
        valueName: "identity.public.json"))
    var signer: [String] = []

    @Option(help: ArgumentHelp(
        "With --epsilon and --signer: your own clipping bounds for a column, containing the signed ones, to calibrate the noise to (repeat).",
        valueName: "column=low:high"))
    var clip: [String] = []

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        try OptionBounds.decimals.check(digits, option: "--digits")
        if delta != nil && epsilon == nil { throw ValidationError("--delta needs --epsilon") }
        if json && csv { throw ValidationError("give --json or --csv, not both") }
        if !clip.isEmpty && (epsilon == nil || signer.isEmpty) { throw ValidationError("--clip needs --epsilon and --signer") }
        _ = try AnalysisOptions.clips(clip)
        _ = try privacy()
    }

    /// The budget of `--epsilon` and `--delta`, checked by the rule every budget is (``Summa/PrivacyBudget``).
    func privacy() throws -> (epsilon: FixedPoint, delta: FixedPoint?)? {
        guard let epsilon else { return nil }
        do {
            let budget = try PrivacyBudget(
                epsilon: try FixedPoint(parsing: epsilon, field: "--epsilon"), delta: try delta.map { try FixedPoint(parsing: $0, field: "--delta") })
            return (budget.epsilon, budget.delta)
        } catch let error as SummaError {
            throw ValidationError("\(error)")
        }
    }

    /// What vouches for an aggregate's inputs: with `--signer`, the signed inputs checked (and a check of the
    /// decrypted totals against them); without, notes saying what nothing vouches for. A private release needs signers:
    /// its counts and clipping bounds decide the noise, and the aggregator could set them.
    func provenance(of encrypted: SummaFile) throws
        -> (notes: [String], check: DecryptedReport.TotalsCheck?, clips: [AnalysisPlan.Clip]?)
    {
        let trusted = try signer.map { (path) throws(ProvenanceError) in try PublicIdentity.read(path: path) }
        guard case .aggregate(let table) = encrypted else {
            if !trusted.isEmpty { throw ValidationError("--signer checks the inputs of an aggregate (written by summa sum, mean or stats)") }
            return ([], nil, nil)
        }
        let ledger = try InputLedger.read(aggregateAt: file)
        guard !trusted.isEmpty else {
            // (A grouped table, or one without a plan that bounds every column, is refused for a release anyway, saying why.)
            let releasable = !table.isGrouped && table.analysis.map { plan in plan.values.allSatisfy { plan.clip(of: $0) != nil } } == true
            if epsilon != nil, releasable {
                throw CommandFailure(description: "--epsilon needs --signer: the counts and clipping bounds that set the noise must be vouched for by the data owners' signatures, not taken from the aggregate")
            }
            return ((ledger ?? .empty).unverifiedNotes(listingSigners: true), nil, nil)
        }
        let signed = try SignedInputs(ledger: ledger, table: table, path: file, trusted: trusted)
        let clips = clip.isEmpty ? nil : try signed.releaseClips(policy: try AnalysisOptions.clips(clip))
        return ([signed.summary], signed.totalsCheck, clips)
    }

    func execute() async throws {
        let privateKey = try SummaFile.readPrivateKey(path: key)
        let encrypted = try SummaFile.read(path: file)
        let (provenanceNotes, check, clips) = try provenance(of: encrypted)
        let report = try await progress.meter("decrypting", unit: "records").tracking { update in
            try await DecryptedReport.decrypt(
                encrypted, path: file, with: privateKey, digits: digits, privacy: try privacy(), progress: update, check: check, releaseClips: clips)
        }
        for note in provenanceNotes + report.notes { printError("note: \(note)") }
        if csv {
            guard let table = report.csv else {
                throw CommandFailure(description: "\(file) decrypts to several tables (an analysis): use --json, or no option, instead of --csv")
            }
            print(table, terminator: "")
        } else if json {
            print(report.json.serialized, terminator: "")
        } else {
            print(report.lines.joined(separator: "\n"))
        }
    }
}
