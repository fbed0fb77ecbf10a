import Foundation

/// 4-byte big-endian length-prefixed frames. The decoder checks the announced length against a hard maximum as
/// soon as the prefix arrives, before buffering any of the payload (swift-nio-extras' length-field decoder has no
/// such limit, hence this small type).
public struct FrameDecoder: Sendable {
    /// The largest payload accepted; a transport may raise it once the peer is authenticated.
    public var maximumLength: Int
    private var buffer = Data()

    public init(maximumLength: Int = 1 << 20) {
        self.maximumLength = maximumLength
    }

    /// A payload in its frame.
    public static func frame(_ payload: Data) -> Data {
        var length = UInt32(payload.count).bigEndian
        return Data(bytes: &length, count: 4) + payload
    }

    /// Bytes still waiting for the rest of their frame (a half-sent frame stays here until more bytes or the end).
    public var pendingByteCount: Int { buffer.count }

    /// Adds received bytes and returns every complete payload, in order. Throws (and keeps nothing) as soon as a
    /// prefix announces more than ``maximumLength``.
    public mutating func append(_ bytes: Data) throws(MultiPartyError) -> [Data] {
        // Always a copy, never the caller's storage: a decoder kept between reads must not hold a whole read buffer
        // alive for a few bytes of it (and the fuzz harnesses' kept states must own what they hold).
        buffer.append(bytes)
        var payloads: [Data] = []
        // Frames are read from `start` on and the rest kept once at the end: copying what follows each frame as it
        // is read made bytes holding many frames cost time quadratic in their length.
        var start = buffer.startIndex
        while buffer.endIndex - start >= 4 {
            // One load of the prefix: a `reduce` over its four bytes made a Data iterator for every frame and every
            // chunk that did not complete one (a quarter of FuzzFrames' instructions, which feeds chunks of 1–64).
            let offset = start - buffer.startIndex
            let prefix = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
            let length = Int(UInt32(bigEndian: prefix))
            guard length <= maximumLength else {
                buffer.removeAll()
                throw .frameTooLarge(length: length, maximum: maximumLength)
            }
            guard buffer.endIndex - start - 4 >= length else { break }
            payloads.append(buffer.subdata(in: start + 4..<start + 4 + length))
            start += 4 + length
        }
        if start != buffer.startIndex { buffer = buffer.subdata(in: start..<buffer.endIndex) }
        return payloads
    }
}
