import Foundation

/// A key standing for some bytes in a ``BytesMemo``: their hash by Swift's `Hasher` (SipHash, 64 bits; seeded at
/// random per process unless `SWIFT_DETERMINISTIC_HASHING` is set, as scripts/fuzz.sh does). It was SHA-256, which
/// callgrind counted at a quarter of `FuzzTranscript`'s instructions (every prefix of every input, every line
/// re-signed); a memo needs no preimage resistance, only few collisions: with at
/// most 16,384 keys kept and 10^8 lookups a process, the chance of any is below 10^-7, and one would only resume
/// an input from another's state or re-sign a line wrongly.
public struct BytesKey: Hashable, Sendable {
    let value: Int

    init(value: Int) {
        self.value = value
    }

    /// The key of `bytes`.
    public init(of bytes: UnsafeRawBufferPointer) {
        var builder = Builder()
        builder.add(bytes)
        self = builder.key
    }

    /// The keys of the prefixes of some bytes, fed in order.
    public struct Builder {
        var hasher = Hasher()

        public init() {}

        /// Appends the next bytes (hashed as one stream: the key does not depend on how the bytes were split).
        public mutating func add(_ bytes: UnsafeRawBufferPointer) {
            hasher.combine(bytes: bytes)
        }

        /// The key of the bytes added so far.
        public var key: BytesKey { BytesKey(value: hasher.finalize()) }
    }
}

extension Fuzz {
    /// Whether to take a costly extra path (running an input from the start as well as from a prefix) for this
    /// input: for about one input in `n`, by a hash of all its bytes that is the same in every process (so a
    /// reproducer takes the path again, even where `Hasher` is seeded per process). It was the length
    /// (`count % n == 0`), but the extra path adds coverage, so libFuzzer kept such inputs (16% of
    /// `FuzzTranscript`'s corpus had a length that is a multiple of 128) and most mutations keep the length: 8.6% of
    /// executions took the path instead of 1 in 128. A hash changes with any mutation. Eight bytes at a time
    /// (FNV-1a's multiplier, folded so that high bits reach the low ones): a few instructions per eight bytes, against
    /// SipHash's few per byte.
    public static func oneIn(_ n: UInt64, _ data: Data) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset + 8 <= bytes.count {
                hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01b3
                hash ^= hash >> 32
                offset += 8
            }
            while offset < bytes.count {
                hash = (hash ^ UInt64(bytes[offset])) &* 0x100_0000_01b3
                offset += 1
            }
        }
        hash ^= hash >> 29
        return hash % n == 0
    }
}
