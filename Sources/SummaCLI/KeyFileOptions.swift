import ArgumentParser
import Paillier
import SummaFormats

/// Options shared by the commands that create key files (`keygen`, `deal`).
struct KeyFileOptions: ParsableArguments {
    @Flag(help: "Overwrite existing key files.")
    var force = false

    @OptionGroup var insecureTest: InsecureTestOption

    /// Whether keys below `PaillierPublicKey.minimumSecureBits` may be made: only for tests that ask twice.
    var allowsInsecureKeySize: Bool { insecureTest.allowsInsecure }
}

/// Refuses a `--bits` for a new key that key generation would refuse, before any prime is searched for: odd,
/// beyond `PaillierPublicKey.maximumBits`, or below `PaillierPublicKey.minimumSecureBits` without
/// `allowingInsecureSize` (with which key generation still refuses sizes too small to be keys at all).
func checkKeyBits(_ bits: Int, allowingInsecureSize: Bool) throws {
    if bits < PaillierPublicKey.minimumSecureBits && !allowingInsecureSize {
        throw ValidationError("--bits \(bits): at least \(PaillierPublicKey.minimumSecureBits) bits are required")
    }
    if bits % 2 != 0 || bits > PaillierPublicKey.maximumBits {
        throw ValidationError("--bits must be even, at most \(PaillierPublicKey.maximumBits)")
    }
}
