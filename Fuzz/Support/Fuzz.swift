import Foundation
import FuzzDriver

/// The entry point every harness's main.swift calls: hands `body` to libFuzzer as its test function and exits with
/// libFuzzer's status. `body` is called once per input; a trap in the code under test is a finding, and so is a
/// failed ``require(_:_:)``.
public enum Fuzz {
    nonisolated(unsafe) static var body: (Data) -> Void = { _ in }

    public static func run(_ body: @escaping (Data) -> Void) -> Never {
        setenv("SUMMA_INSECURE_TEST_KEYS", "1", 1)  // the committed fixtures are 512-bit keys
        Fuzz.body = body
        let status = summa_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
            Fuzz.body(size == 0 ? Data() : Data(bytes: data!, count: size))
            return 0
        }
        exit(status)
    }

    /// A property the harness checks beyond "does not trap" (a parse that does not survive its own serialization,
    /// an outgoing message its receiver cannot read): when it fails, the input is a finding too.
    public static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() {
            FileHandle.standardError.write(Data("FUZZ PROPERTY FAILED: \(message())\n".utf8))
            abort()
        }
    }

    /// The harness itself cannot start (a fixture no longer loads): not a finding, a harness to update.
    public static func setupFailed(_ message: String) -> Never {
        FileHandle.standardError.write(Data("FUZZ HARNESS SETUP FAILED: \(message)\n".utf8))
        exit(3)
    }
}
