#if SUMMA_FUZZ_RANDOMNESS
import Synchronization

/// Fuzz builds only (Package.swift defines SUMMA_FUZZ_RANDOMNESS for BigNum when SUMMA_FUZZ=1): a fixed stream of
/// bytes that ``SecureRandomNumberGenerator`` hands out instead of the system's once a harness has called
/// ``restart()``, which the harnesses do before every input. With real randomness an input's coverage varied from run
/// to run (the Miller–Rabin bases that test an outside modulus, rejection sampling, fresh ciphertexts and proofs a
/// party compares), so libFuzzer kept keeping inputs whose only novelty was another draw. A program in a fuzz build
/// that never calls `restart()` still draws from the system.
package enum FuzzRandomness {
    /// SplitMix64's state; nil until the first restart.
    private static let state = Mutex<UInt64?>(nil)

    /// Starts the stream over at its fixed seed.
    package static func restart() {
        state.withLock { $0 = 0 }
    }

    /// Fills `buffer` from the stream and returns true, or returns false if no harness has started it.
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        state.withLock { state in
            guard var x = state else { return false }
            var word: UInt64 = 0
            for index in 0..<buffer.count {
                if index % 8 == 0 {
                    x &+= 0x9E37_79B9_7F4A_7C15
                    word = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    word = (word ^ (word >> 27)) &* 0x94D0_49BB_1331_11EB
                    word ^= word >> 31
                }
                buffer[index] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(index % 8)))
            }
            state = x
            return true
        }
    }
}
#endif
