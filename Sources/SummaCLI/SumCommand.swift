import ArgumentParser
import Foundation
import SummaFormats

struct SumCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "sum", abstract: "Sum encrypted columns, without the private key.",
        discussion: "Several files (shards, machines) are merged; they must share one key. The count travels along.")

    @OptionGroup var inputs: AggregateInputs

    @Option(help: "summa (default) or phe: one pheutil ciphertext object (needs a single column).")
    var format: OutputFormat = .summa

    @OptionGroup var output: OutputOptions

    func execute() async throws {
        try SummaFile.checkOutput(output.out, inputs: inputs.paths)
        let (table, ledger) = try await inputs.aggregate(.sum)
        if format == .phe {
            guard table.packed.isEmpty else {
                throw CommandFailure(description: "--format phe writes one ciphertext of one sum, which packed files cannot give: encrypt with --no-pack")
            }
            guard table.columns.count == 1 else {
                throw CommandFailure(description: "--format phe writes one sum: choose a column with --column")
            }
            let summary = try describe(table)
            try SummaFile.write(try table.columns[0].aggregate.sum.pheJSON(), to: output.out, inputs: inputs.paths)
            printError("summed \(summary) -> \(output.out) (pheutil's format, which lists no inputs)")
        } else {
            try inputs.write(table, ledger: ledger, to: output.out, inputs: inputs.paths, verb: "summed")
        }
    }
}
