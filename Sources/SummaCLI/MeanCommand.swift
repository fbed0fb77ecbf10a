import ArgumentParser
import Foundation
import SummaFormats

struct MeanCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "mean", abstract: "Prepare encrypted means (sum and count), without the private key.",
        discussion: "`summa decrypt` of the output prints the mean, rounded half to even to the scale + 4 decimals.")

    @OptionGroup var inputs: AggregateInputs
    @OptionGroup var output: OutputOptions

    func execute() async throws {
        try SummaFile.checkOutput(output.out, inputs: inputs.paths)
        let (table, ledger) = try await inputs.aggregate(.mean)
        try inputs.write(table, ledger: ledger, to: output.out, inputs: inputs.paths, verb: "mean of")
    }
}
