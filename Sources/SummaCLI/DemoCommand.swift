import ArgumentParser
import Foundation
import Paillier
import Summa
import SummaFormats

struct DemoCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run the whole pipeline on built-in synthetic transactions, narrating each step.")

    @Option(parsing: .unconditional, help: "Number of synthetic transactions.")
    var rows = 1000

    @Option(parsing: .unconditional, help: "Key size in bits.")
    var bits = 2048

    @Option(help: ArgumentHelp("Keep the files in this folder (default: a temporary folder, removed after).", valueName: "dir"))
    var dir: String?

    func validate() throws {
        try OptionBounds.values.check(rows, option: "--rows")
        try checkKeyBits(bits, allowingInsecureSize: false)
    }

    func execute() async throws {
        let folder = dir ?? NSTemporaryDirectory() + "summa-demo-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let path = { (name: String) in folder + "/" + name }
        let clock = ContinuousClock()
        func timed<T>(_ body: () async throws -> T) async rethrows -> (T, String) {
            let start = clock.now
            let value = try await body()
            let elapsed = clock.now - start
            return (value, String(format: "%.2f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }

        print("Summa demo: \(rows) synthetic transactions, a \(bits)-bit key, files in \(folder)\n")
        print("1. The key holder generates a key pair with fast (Damgård–Jurik–Nielsen) encryption.")
        print("   $ summa keygen --bits \(bits) --fast --out private.json --public-out public.json")
        let (key, keyTime) = try await timed { try PaillierPrivateKey(generatingBits: bits, fastEncryption: true) }
        try SummaFile.write(key.summaJSON, to: path("private.json"), secret: true)
        try SummaFile.write(key.publicKey.summaJSON, to: path("public.json"))
        print("   key \(key.publicKey.fingerprint.prefix(23))… in \(keyTime)\n")

        let csv = SampleData.transactionsCSV(rows: rows)
        try SummaFile.write(Data(csv.utf8), to: path("transactions.csv"))
        print("2. The data owner encrypts the amount and fee columns (and their squares) with the public key.")
        print("   $ summa encrypt --key public.json --column amount --column fee --squares transactions.csv --out enc.json")
        let columns = try CSVColumns.read(path: path("transactions.csv"), columns: ["amount", "fee"])
        let (table, encryptTime) = try await timed {
            try await EncryptedTable.encrypt(columns.columns, with: .publicKey(key.publicKey), squares: true)
        }
        try SummaFile.write(table.summaJSON, to: path("enc.json"))
        print("   \(rows * 4) ciphertexts on \(ProcessInfo.processInfo.activeProcessorCount) cores in \(encryptTime)\n")

        print("3. An analyst without the private key computes encrypted statistics from enc.json alone.")
        print("   $ summa stats enc.json --out stats.json")
        let encrypted = try SummaFile.read(path: path("enc.json"))
        let (aggregate, sumTime) = try await timed {
            try Aggregation.aggregate([(path("enc.json"), encrypted)], kind: .stats)
        }
        try SummaFile.write(aggregate.summaJSON, to: path("stats.json"))
        print("   summed \(rows) ciphertexts per column in \(sumTime); the analyst saw no amount\n")

        print("4. The key holder decrypts only the results.")
        print("   $ summa decrypt --key private.json stats.json")
        let report = try await DecryptedReport.decrypt(try SummaFile.read(path: path("stats.json")), path: "stats.json", with: key)
        for line in report.lines { print("   " + line) }

        guard case .statistics(_, let results) = report.content else { return }
        var exact = true
        for (column, result) in zip(columns.columns, results) {
            let sum = column.values.reduce(FixedPoint.zero, +)
            let squares = column.values.reduce(FixedPoint.zero) { $0 + $1 * $1 }
            let expected = try ColumnStatistics(count: column.values.count, sum: sum, sumOfSquares: squares)
            exact = exact && expected == result.statistics
        }
        print(exact
            ? "\n   ✓ identical to the same statistics computed on the plaintext, to the last decimal\n"
            : "\n   ✗ MISMATCH with the plaintext computation\n")

        print("5. Mistakes are refused, not silently wrong:")
        let other = try PaillierPrivateKey(generatingBits: bits)
        do {
            _ = try await DecryptedReport.decrypt(encrypted, path: "enc.json", with: other)
        } catch {
            print("   decrypting with another key: \(error)")
        }
        do {
            _ = try key.publicKey.encrypt(FixedPoint(key.publicKey.valueBound + 1))
        } catch {
            print("   a value too large for the key: \(error)")
        }
        let altered = try String(contentsOfFile: path("enc.json"), encoding: .utf8)
            .replacingOccurrences(of: key.publicKey.fingerprint, with: other.publicKey.fingerprint)
        try SummaFile.write(Data(altered.utf8), to: path("altered.json"))
        do {
            _ = try SummaFile.read(path: path("altered.json"))
        } catch {
            print("   an altered file: \(error)")
        }
        if !exact { throw CommandFailure(description: "the demo's decrypted statistics do not match the plaintext") }
    }
}
