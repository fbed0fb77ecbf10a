import BigNum
import Foundation
import FuzzDriver

/// The entry point every harness's main.swift calls: hands `body` to libFuzzer as its test function and exits with
/// libFuzzer's status. `body` is called once per input; a trap in the code under test is a finding, and so is a
/// failed ``require(_:_:)``.
public enum Fuzz {
    nonisolated(unsafe) static var body: @Sendable (Data) -> Void = { _ in }

    /// `body` is `@Sendable` so that it is not isolated to the main actor, as a closure written in main.swift
    /// otherwise is: Swift then checks the executor at run time wherever the closure (or one it makes, such as a
    /// `filter`'s) touches main-actor state, which cost up to a tenth of an input's time. Hand it the top-level
    /// constants it needs in its capture list (`Fuzz.run { [key] data in … }`).
    public static func run(_ body: @escaping @Sendable (Data) -> Void) -> Never {
        setenv("SUMMA_INSECURE_TEST_KEYS", "1", 1)  // the fixtures are 256- and 512-bit keys
        Fuzz.body = body
        let status = summa_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
            FuzzRandomness.restart()  // the same draws for every input: its coverage is a function of its bytes
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

    /// Runs `body` with LeakSanitizer ignoring what it allocates: for the fixtures made once and kept until exit.
    /// LSan finds leaks by scanning memory for pointers, and cannot see a Swift reference kept with tag bits in an
    /// enum's spare bits (llvm/llvm-project#56751): the `Data` and `String` values those fixtures hold would look
    /// leaked at exit. (Suppressions by stack frame would need every allocation's whole stack, which scripts/fuzz.sh
    /// does not record: see `malloc_context_size` there.) A leak in the code under test, per input or at exit, is
    /// still reported.
    public static func keptUntilExit<Value>(_ body: () -> Value) -> Value {
        summa_fuzz_disable_leak_checks()
        defer { summa_fuzz_enable_leak_checks() }
        return body()
    }

    /// The harness itself cannot start (a fixture no longer loads): not a finding, a harness to update.
    public static func setupFailed(_ message: String) -> Never {
        FileHandle.standardError.write(Data("FUZZ HARNESS SETUP FAILED: \(message)\n".utf8))
        exit(3)
    }
}
