import Foundation

/// Reads a fuzzer's input as a stream of small fields; past the end, every read is empty.
public struct ByteReader {
    let bytes: [UInt8]
    var index = 0

    public init(_ data: Data) { bytes = Array(data) }

    public var isAtEnd: Bool { index >= bytes.count }

    /// How many bytes were read; set it to read from there again.
    public var position: Int {
        get { index }
        set { index = min(max(0, newValue), bytes.count) }
    }

    public mutating func byte() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    /// A big-endian 16-bit length.
    public mutating func length() -> Int? {
        guard let high = byte(), let low = byte() else { return nil }
        return Int(high) << 8 | Int(low)
    }

    /// Up to `count` bytes (fewer at the end).
    public mutating func take(_ count: Int) -> Data {
        let end = min(bytes.count, index + max(0, count))
        defer { index = end }
        return Data(bytes[index..<end])
    }

    /// Everything left.
    public mutating func rest() -> Data { take(bytes.count - index) }
}

/// Cuts bytes into chunks whose sizes come from `seed` (1…64 bytes, or everything at once for seed 0): how bytes
/// arrive from a socket, so that every frame boundary falls everywhere.
public func chunks(of data: Data, seed: UInt8) -> [Data] {
    guard seed != 0 else { return [data] }
    var state = UInt32(seed) &* 2_654_435_761
    var chunks: [Data] = []
    var start = data.startIndex
    while start < data.endIndex {
        state = state &* 1_103_515_245 &+ 12_345
        let size = Int((state >> 16) % 64) + 1
        let end = min(data.endIndex, start + size)
        chunks.append(data[start..<end])
        start = end
    }
    return chunks
}

/// The byte offsets of every newline in `bytes`, found with memchr: a harness's own byte-by-byte loop is instrumented
/// by -sanitize=fuzzer (a comparison hook per byte), which cost a fifth of FuzzTranscript's time.
public func newlineOffsets(_ bytes: [UInt8]) -> [Int] {
    bytes.withUnsafeBufferPointer { buffer in
        var offsets: [Int] = []
        guard let base = buffer.baseAddress else { return offsets }
        var position = 0
        while position < buffer.count, let found = memchr(base + position, Int32(UInt8(ascii: "\n")), buffer.count - position) {
            let offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            offsets.append(offset)
            position = offset + 1
        }
        return offsets
    }
}
