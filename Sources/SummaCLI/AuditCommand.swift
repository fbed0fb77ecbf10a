import ArgumentParser
import Provenance
import SummaFormats

struct AuditCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Recompute an aggregate from its inputs and say whether it matches, without any key.",
        discussion: """
            Give the aggregate (from sum, mean or stats) and every file it lists as an input, each once. Exits 0 only \
            when every ciphertext, count and name of the aggregate is what summing those files gives.
            """)

    @Argument(help: ArgumentHelp("The aggregate, then its input files.", valueName: "file"))
    var files: [String]

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        if files.count < 2 { throw ValidationError("give the aggregate and its input files") }
    }

    func execute() async throws {
        let ledger = try await SignedAggregation.audit(
            aggregateAt: files[0], files: Array(files.dropFirst()), sumRecords: progress.sumRecords)
        let signed = ledger.entries.filter { $0.statement != nil }.count
        print("audit: \(files[0]) matches its \(ledger.entries.count) inputs (\(signed) signed)")
    }
}
