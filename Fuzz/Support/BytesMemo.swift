import Foundation

/// Remembers a function of bytes for the last `capacity` inputs it was asked about. The harnesses that re-sign
/// envelopes ask about the same lines and frames over and over, since a mutation changes one or two of them: only
/// for a function whose value for the same bytes is always the same (or as good: see the callers).
///
/// Once full it frees one entry for each it adds, so that libFuzzer, which runs an input again to look for a leak
/// when it allocated more than it freed, seldom has to. Keys are bytes and values should hold bytes and integers,
/// which LeakSanitizer can follow (see ``Fuzz/keptUntilExit(_:)``).
final class BytesMemo<Value> {
    /// Bytes hashed and compared in one call each (an array of bytes hashes and compares byte by byte).
    struct Key: Hashable {
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }

        static func == (a: Key, b: Key) -> Bool {
            guard a.bytes.count == b.bytes.count else { return false }
            guard !a.bytes.isEmpty else { return true }
            return a.bytes.withUnsafeBytes { x in b.bytes.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
        }
    }

    let capacity: Int
    var slots: [(key: Key, value: Value)] = []
    var index: [Key: Int] = [:]
    /// The slot the next new entry replaces once full (the oldest).
    var next = 0

    init(capacity: Int) {
        self.capacity = capacity
        slots.reserveCapacity(capacity)
        index.reserveCapacity(capacity)
    }

    func value(for bytes: [UInt8], make: () -> Value) -> Value {
        let key = Key(bytes: bytes)
        if let slot = index[key] { return slots[slot].value }
        let value = make()
        if slots.count < capacity {
            index[key] = slots.count
            slots.append((key, value))
        } else {
            index[slots[next].key] = nil
            slots[next] = (key, value)
            index[key] = next
            next = (next + 1) % capacity
        }
        return value
    }
}
