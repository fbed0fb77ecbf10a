import Foundation
import Summa
import SummaFormats
import TestSupport
import Testing

/// scripts/spark-summa.py in Spark's local mode, run by the python that has pyspark: .ci/run exports
/// SUMMA_SPARK_PYTHON when it installed pyspark and Java is on PATH. Without them these tests are reported skipped.
@Suite(
    "Spark scale-out (scripts/spark-summa.py)",
    .enabled(
        if: SparkJob.python != nil,
        "SUMMA_SPARK_PYTHON is not set: .ci/run sets it to a python with pyspark when Java is on PATH"))
struct SparkTests {
    /// A CSV of `rows` rows whose memos hold quotes, commas and line breaks (so that quoted records straddle
    /// partitions), amounts in cents from -999.99 to 999.99 and fees in tenths; with the exact sums in those units and
    /// the line each row starts on. Row `badRow`'s amount is "12,x".
    static func transactions(rows: Int, badRow: Int? = nil) -> (csv: String, cents: Int, tenths: Int, lines: [Int]) {
        let memos = ["plain", "said \"hi\", left", "two\nlines", "a,b", "three\nline\nmemo", ""]
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {  // a fixed sequence (an LCG), so that a failure can be replayed
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var csv = "id,memo,amount,fee\n", cents = 0, tenths = 0, lines: [Int] = [], line = 2
        for id in 0..<rows {
            let memo = memos[next(memos.count)]
            let amount = next(199_999) - 99_999, fee = next(51)
            cents += amount
            tenths += fee
            lines.append(line)
            line += 1 + memo.filter(\.isNewline).count
            let amountCell = id == badRow ? "\"12,x\"" : decimalText(amount, scale: 2)
            csv += "\(id),\"\(memo.replacingOccurrences(of: "\"", with: "\"\""))\",\(amountCell),\(decimalText(fee, scale: 1))\n"
        }
        return (csv, cents, tenths, lines)
    }

    /// `units` × 10^(−scale) as summa prints it: "-0.05".
    static func decimalText(_ units: Int, scale: Int) -> String {
        let digits = String(abs(units))
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        return (units < 0 ? "-" : "") + padded.dropLast(scale) + (scale > 0 ? "." + padded.suffix(scale) : "")
    }

    @Test func partitionsEncryptAndTheirSumsMergeToTheExactTotal() throws {
        let w = Workspace()
        let data = Self.transactions(rows: 3000)
        let csv = w.write(data.csv, to: "transactions.csv")
        try SummaFile.write(Fixtures.smallKey.publicKey.summaJSON, to: w.file("public.json"))
        // No --scale: the job finds it (amounts have 2 decimals, fees 1) and encrypts every partition at 2.
        let job = try SparkJob(
            csv, "--key", w.file("public.json"), "--column", "amount", "--column", "fee", "--partitions", "6",
            "--out-dir", w.file("out"), in: w)
        #expect(job.status == 0, "\(job.output)")
        #expect(job.output.contains("spark-summa: --scale 2, the most decimals in column(s) amount, fee"))
        #expect(job.output.contains("summed amount (3000 values), fee (3000 values) -> \(w.file("out/sum.json"))"))
        let partials = try FileManager.default.contentsOfDirectory(atPath: w.file("out/partials"))
        #expect(partials.count >= 6, "\(partials)")

        let decrypted = try SummaProcess("decrypt", "--key", Fixtures.path("small-private.json"), w.file("out/sum.json"), "--json")
        #expect(decrypted.status == 0, "\(decrypted.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(decrypted.stdout.utf8)) as? [String: [String: Any]]
        #expect(json?["amount"]?["sum"] as? String == Self.decimalText(data.cents, scale: 2))
        #expect(json?["amount"]?["count"] as? Int == 3000)
        #expect(json?["fee"]?["sum"] as? String == Self.decimalText(data.tenths * 10, scale: 2))
        #expect(json?["fee"]?["count"] as? Int == 3000)
    }

    @Test func aBadCellFailsTheJobWithItsPartitionAndSummasMessage() throws {
        let w = Workspace()
        let data = Self.transactions(rows: 400, badRow: 300)
        let csv = w.write(data.csv, to: "bad.csv")
        try SummaFile.write(Fixtures.smallKey.publicKey.summaJSON, to: w.file("public.json"))

        // summa on the whole file says where the bad cell is; the job says the same, naming the partition.
        let whole = try SummaProcess("encrypt", "--key", w.file("public.json"), "--column", "amount", csv, "--out", w.file("all.enc"))
        let message = "\(csv):\(data.lines[300]): column amount: \"12,x\" is not a decimal number (expected digits, an optional sign and point)"
        #expect(whole.stderr == "Error: \(message)\n")
        let job = try SparkJob(
            csv, "--key", w.file("public.json"), "--column", "amount", "--scale", "2", "--partitions", "4",
            "--out-dir", w.file("out"), in: w)
        #expect(job.status == 1)
        // The script's own line; Spark's log lines may surround it (its progress bar is off: it redrew lines with \r).
        let lines = job.output.split(whereSeparator: \.isNewline).map(String.init)
        let last = lines.last { $0.hasPrefix("spark-summa: ") } ?? ""
        #expect(last.wholeMatch(of: /spark-summa: partition [0-3] of 4: summa encrypt: (.*)/)?.output.1 == message[...], "\(job.output)")
        #expect(lines.filter { $0.hasPrefix("spark-summa: ") }.count == 1, "one line from the script")
        #expect(!w.exists("out/sum.json"))

        // A private key is refused before Spark starts: encryption needs only the public key.
        let privateKey = try SparkJob(csv, "--key", Fixtures.path("small-private.json"), "--column", "amount", "--out-dir", w.file("out"), in: w)
        #expect(privateKey.status == 1)
        #expect(privateKey.output.hasPrefix("spark-summa: \(Fixtures.path("small-private.json")) is a private key: give the public key"))
    }
}

/// A run of scripts/spark-summa.py in Spark's local mode on two cores, with the built summa binary.
struct SparkJob {
    static let python = ProcessInfo.processInfo.environment["SUMMA_SPARK_PYTHON"]
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/spark-summa.py").standardized.path

    let status: Int32
    /// Standard output and error: the script writes only to standard error.
    let output: String

    init(_ arguments: String..., in folder: TemporaryFolder) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = [Self.script] + arguments + ["--summa", SummaProcess.executable.path, "--master", "local[2]"]
        // The executors' python is the driver's, which has pyspark; the fixture key has 512 bits.
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["PYSPARK_PYTHON": Self.python!, "SUMMA_INSECURE_TEST_KEYS": "1"]) { $1 }
        // Spark writes much: to a file, not a pipe that could fill up while the job waits on it.
        let log = folder.file("spark-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        status = process.terminationStatus
        output = try String(contentsOfFile: log, encoding: .utf8)
    }
}
