import Foundation

/// A program run to its end with standard input empty and standard error discarded: its exit status and standard
/// output. What the tests that hand Summa's files to python-paillier and to the Python reader need.
public struct ProgramRun {
    public let status: Int32
    public let stdout: String

    public init(_ program: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: output, as: UTF8.self)
    }

    /// Standard output's lines.
    public var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}
