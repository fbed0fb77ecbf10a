internal import CGMP

/// The system's CSPRNG (getrandom(2); arc4random_buf on Apple) as a `RandomNumberGenerator`: what every random
/// integer, mask, nonce and noise sample in Summa is drawn from.
///
/// Unlike `SystemRandomNumberGenerator`, ``fill(_:)`` takes any number of bytes in one system call, which
/// `BigInteger.random(bits:)` needs (one call per 8 bytes dominated drawing thousands of 2,000-bit shares); and a fuzz
/// build can restart it at a fixed seed before every input, so that what an input covers depends on its bytes alone.
public struct SecureRandomNumberGenerator: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 {
        var word: UInt64 = 0
        withUnsafeMutableBytes(of: &word) { Self.fill($0) }
        return word
    }

    /// `count` random bytes (session ids, nonces).
    public static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { fill($0) }
        return bytes
    }

    /// Fills `buffer` with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        #if SUMMA_FUZZ_RANDOMNESS
        if FuzzRandomness.fill(buffer) { return }
        #endif
        precondition(summa_random_bytes(base, buffer.count) == 0, "the system's random number generator failed")
    }
}
