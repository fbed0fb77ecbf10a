import Foundation
import Testing

/// scripts/federated-logistic.py, two rounds with three parties, run by a python with numpy and scikit-learn: .ci/run
/// exports SUMMA_SKLEARN_PYTHON when it installed them. Without it the test is reported skipped.
@Suite(
    "Federated logistic regression (scripts/federated-logistic.py)",
    .enabled(
        if: ProcessInfo.processInfo.environment["SUMMA_SKLEARN_PYTHON"] != nil,
        "SUMMA_SKLEARN_PYTHON is not set: .ci/run sets it to a python with scikit-learn"))
struct FederatedLearningTests {
    @Test func twoRoundsWithThreePartiesMatchCentralTrainingAndANoisyRunTrains() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/federated-logistic.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["SUMMA_SKLEARN_PYTHON"]!)
        process.arguments = [
            script.path, "--parties", "3", "--rounds", "2", "--bits", "512", "--epsilons", "8",
            "--summa", SummaProcess.executable.path,
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(["SUMMA_INSECURE_TEST_KEYS": "1"]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)\n\(errors)")
        // One standardization session, two federated rounds, two noisy rounds.
        #expect(output.contains("3 parties, 455 training and 114 test rows, 512-bit key, 5 summa sessions"), "\(output)")
        let rows = output.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("1 ") || $0.trimmingCharacters(in: .whitespaces).hasPrefix("2 ") }
        #expect(rows.count == 2)
        // The federated model's accuracy is the central one's, every round, and above chance.
        for row in rows {
            let cells = row.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cells.count == 4 && cells[1] == cells[2] && (Double(cells[1]) ?? 0) > 0.8, "\(row)")
        }
        #expect(output.contains("each party adds discrete Gaussian noise of σ = "))
        #expect(output.contains("largest difference between the federated and central weights"))
    }
}
