import ArgumentParser
import Paillier
import SummaFormats

/// Options shared by the commands that create key files (`keygen`, `deal`).
struct KeyFileOptions: ParsableArguments {
    @Flag(help: "Overwrite existing key files.")
    var force = false

    /// Allows keys below 2048 bits, for tests only; needs SUMMA_INSECURE_TEST_KEYS=1 in the environment too.
    @Flag(name: .customLong("insecure-test-key"), help: .hidden)
    var insecureTestKey = false

    /// Whether keys below `PaillierPublicKey.minimumSecureBits` may be made: only for tests that ask twice.
    var allowsInsecureKeySize: Bool { insecureTestKey && SummaFile.insecureTestKeysAllowed }
}
