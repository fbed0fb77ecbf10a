import ArgumentParser
import MultiParty
import Summa
import SummaFormats

/// The values each numeric option accepts, written once for every command that has the option. Each command checks
/// its options in `validate()`, before any file is read, and each such option is parsed unconditionally so that a
/// negative value reaches the check instead of being taken for an option name.
enum OptionBounds {
    /// `--scale` and `--digits`: the decimals an exact number can have.
    static let decimals = 0...FixedPoint.maximumScale
    /// A session's `--timeout`, in seconds: at least one, and at most a day, the longest input deadline a party
    /// accepts in a session's header (docs/formats.md), so that the coordinator refuses what its parties would.
    static let sessionSeconds = 1...Message.Header.maximumInputDeadline
    /// A session's `--length`: values in every input.
    static let sessionLength = 1...Message.Header.maximumLength
    /// A packed session's `--length` (with `--bound`).
    static let packedSessionLength = 1...Message.Header.maximumPackedLength
    /// `demo --rows` and `bench --count`: values held in memory at once, with their ciphertexts.
    static let values = 1...1_000_000
    /// `coordinate --keygen --batch`: candidate pairs per round trip of a key generation.
    static let keyGenerationBatch = 1...16384
    /// `bench --seconds`.
    static let benchSeconds = 0.1...3600.0
}

extension ClosedRange {
    /// The bounds as help texts show them: "1…86400".
    var shown: String { "\(lowerBound)…\(upperBound)" }

    /// Refuses `value`, the value of `option`, outside these bounds (a NaN included), in one line naming the option.
    func check(_ value: Bound?, option: String) throws {
        guard let value, !contains(value) else { return }
        throw ValidationError("\(option) must be from \(lowerBound) to \(upperBound)")
    }
}

/// The hidden option of every command that can be asked for something insecure, for tests only: keys below 2048
/// bits, a threshold of 1, a session of a single input. It acts only with `SUMMA_INSECURE_TEST_KEYS=1` in the
/// environment too, so that a test asks twice and nobody asks by accident.
struct InsecureTestOption: ParsableArguments {
    @Flag(name: .customLong("insecure-test-key"), help: .hidden)
    var insecureTestKey = false

    /// Whether what is refused as insecure is allowed.
    var allowsInsecure: Bool { insecureTestKey && SummaFile.insecureTestKeysAllowed }
}

/// Refuses a `--column` given twice, before any file is read, in the library's words
/// (`FormatError.requireDistinctColumns(_:)`).
func checkColumns(_ names: [String]) throws {
    do {
        try FormatError.requireDistinctColumns(names)
    } catch {
        throw ValidationError(error.description)
    }
}
