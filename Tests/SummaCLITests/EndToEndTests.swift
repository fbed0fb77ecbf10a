import Foundation
import Summa
import SummaFormats
import TestSupport
import Testing

/// Runs the built `summa` binary (beside the test bundle) and captures its output and exit status.
struct SummaProcess {
    static let executable: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("summa").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("summa")
    }()

    let status: Int32
    let stdout: String
    let stderr: String

    init(_ arguments: String...) throws { try self.init(arguments) }

    /// Runs `program` (summa by default) with `arguments`, standard input empty.
    init(_ arguments: [String], program: URL = Self.executable) throws {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.environment = ProcessInfo.processInfo.environment.merging(["SUMMA_INSECURE_TEST_KEYS": "1"]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errData, as: UTF8.self)
    }
}

@Suite("summa binary, end to end", .serialized)
struct EndToEndTests {
    @Test func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: SummaProcess.executable.path), "\(SummaProcess.executable.path)")
    }

    /// Speed depends on the GMP the process loads, so the binary says which it is.
    @Test func theVersionNamesTheGMPItRunsOn() throws {
        let run = try SummaProcess("--version")
        #expect(run.status == 0)
        #expect(run.stdout.range(of: #"^0\.1\.0 \(GMP \d+\.\d+\.\d+\)\n$"#, options: .regularExpression) != nil, "\(run.stdout)")
    }

    @Test func demoRunsAndItsResultsMatchThePlaintext() throws {
        let run = try SummaProcess("demo", "--rows", "40")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("✓ identical to the same statistics computed on the plaintext"))
        #expect(run.stdout.contains("decrypting with another key: wrong private key"))
    }

    @Test func sessionPrintsExactValuesAndFailsWithOneLine() throws {
        let w = Workspace()
        let keygen = try SummaProcess("keygen", "--bits", "512", "--insecure-test-key", "--out", w.file("private.json"), "--public-out", w.file("public.json"))
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let csv = w.write("amount\n0.10\n0.20\n-0.05\n", to: "t.csv")
        #expect(try SummaProcess("encrypt", "--key", w.file("public.json"), "--column", "amount", csv, "--out", w.file("enc.json")).status == 0)
        #expect(try SummaProcess("sum", w.file("enc.json"), "--out", w.file("sum.json")).status == 0)
        let values = try SummaProcess("decrypt", "--key", w.file("private.json"), w.file("enc.json"))
        #expect(values.stdout == "0.10\n0.20\n-0.05\n")
        let sum = try SummaProcess("decrypt", "--key", w.file("private.json"), w.file("sum.json"), "--json")
        #expect(sum.stdout.contains("\"sum\":\"0.25\""))
        let inspect = try SummaProcess("inspect", w.file("enc.json"))
        #expect(inspect.stdout.contains("column amount: 3 values, scale 2"))
        let privateKey = try SummaProcess("inspect", w.file("private.json"))
        #expect(privateKey.stdout.hasPrefix("kind: private key"))
        _ = allowTestKeys
        guard case .privateKey(let key) = try SummaFile.read(path: w.file("private.json")) else {
            Issue.record("not a private key"); return
        }
        #expect(!privateKey.stdout.contains(key.p.description) && !privateKey.stdout.contains(key.q.description))

        let missing = try SummaProcess("sum", w.file("nope.json"), "--out", w.file("x.json"))
        #expect(missing.status != 0)
        #expect(missing.stderr == "Error: \(w.file("nope.json")): no such file\n")
        #expect(!w.exists("x.json"))
    }

    /// summa on a pseudo-terminal, which script(1) gives it: what the terminal showed, stdout and stderr together.
    static func onATerminal(_ arguments: [String]) throws -> String {
        let command = ([SummaProcess.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let run = try SummaProcess(
            ["--quiet", "--return", "--command", command, "/dev/null"], program: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        return run.stdout
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a pseudo-terminal"))
    func progressIsShownOnATerminalUnlessQuietAndNeverInAPipe() throws {
        let w = Workspace()
        // 8,000 unpacked values under the 512-bit key take about a second in a debug build: long enough to draw.
        let csv = w.write("amount\n" + (0..<8_000).map { "\($0 % 997).\($0 % 10)5" }.joined(separator: "\n") + "\n", to: "t.csv")
        let key = Fixtures.path("small-private.json")
        let encrypt = ["encrypt", "--key", key, "--column", "amount", csv, "--no-pack", "--out"]

        let shown = try Self.onATerminal(encrypt + [w.file("a.bin")])
        #expect(shown.contains("\rencrypting: "), "\(shown)")
        #expect(shown.contains(#/encrypting: 8,000 rows in \d+s \([0-9,]+ rows\/s\)/#), "\(shown)")
        #expect(shown.contains("encrypted 8000 rows"))

        let quiet = try Self.onATerminal(encrypt + [w.file("b.bin"), "--quiet"])
        #expect(!quiet.contains("encrypting:"), "\(quiet)")
        #expect(quiet.contains("encrypted 8000 rows"))

        let piped = try SummaProcess(encrypt + [w.file("c.bin")])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!piped.stderr.contains("encrypting:") && !piped.stderr.contains("\r"), "\(piped.stderr)")
        #expect(piped.stderr.hasPrefix("encrypted 8000 rows"))
    }
}
