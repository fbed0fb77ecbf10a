import Foundation

/// Remembers a function of bytes for the last `capacity` inputs it was asked about. The harnesses that re-sign
/// envelopes ask about the same lines and frames over and over, since a mutation changes one or two of them: only
/// for a function whose value for the same bytes is always the same (or as good: see the callers).
///
/// Every input must allocate as much as it frees, or libFuzzer runs it again to look for a leak (and, when the
/// second run does not balance either, stops the process for a LeakSanitizer scan): a quarter of `FuzzTranscript`'s
/// time went to that when this kept copies of the bytes and remembered nils. So the key is a hash of the bytes (no
/// allocation; see ``BytesKey``), only non-nil values are kept (a nil means the bytes were not an envelope, which is
/// found out cheaply), and a value should hold exactly one allocation (an array of bytes, say): once full, each entry
/// added then frees the one it replaces. Values should hold only bytes and integers, which LeakSanitizer can follow
/// (see ``Fuzz/keptUntilExit(_:)``). Unlocked: libFuzzer runs one input at a time, on one thread.
public final class BytesMemo<Value>: @unchecked Sendable {
    let capacity: Int
    var slots: [(key: BytesKey, value: Value)] = []
    var index: [BytesKey: Int] = [:]
    /// The slot the next new entry replaces once full (the oldest).
    var next = 0

    public init(capacity: Int) {
        self.capacity = capacity
        slots.reserveCapacity(capacity)
        index.reserveCapacity(capacity)
    }

    public func value(for bytes: [UInt8], make: () -> Value?) -> Value? {
        let key = bytes.withUnsafeBytes { BytesKey(of: $0) }
        if let value = self[key] { return value }
        guard let value = make() else { return nil }
        remember(value, for: key)
        return value
    }

    /// The value kept for a key of bytes, if any.
    public subscript(key: BytesKey) -> Value? {
        index[key].map { slots[$0].value }
    }

    /// Keeps `value` for a key of bytes (a new key: see ``subscript(_:)``), in place of the oldest once full.
    public func remember(_ value: Value, for key: BytesKey) {
        if slots.count < capacity {
            index[key] = slots.count
            slots.append((key, value))
        } else {
            index[slots[next].key] = nil
            slots[next] = (key, value)
            index[key] = next
            next = (next + 1) % capacity
        }
    }
}
