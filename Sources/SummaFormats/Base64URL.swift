/// Base64url without padding (RFC 4648 §5, RFC 7515 appendix C). Foundation only speaks the standard alphabet and
/// would need two string rewrites per number; this is a few lines.
public enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Each byte's value in the alphabet, or 255: a table, because searching the alphabet for every symbol made
    /// decoding a key generation's megabytes of shares most of the coordinator's time.
    static let values: [UInt8] = (0..<256).map { byte in alphabet.firstIndex(of: UInt8(byte)).map(UInt8.init) ?? 255 }

    /// The unpadded base64url text of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var word = 0
            for (offset, byte) in chunk.enumerated() { word |= Int(byte) << (16 - 8 * offset) }
            for position in 0...chunk.count { out.append(alphabet[(word >> (18 - 6 * position)) & 63]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of (padded or unpadded) base64url text; nil when it is not canonical base64url.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var symbols = Array(text.utf8)
        while symbols.last == UInt8(ascii: "=") { symbols.removeLast() }
        guard symbols.count % 4 != 1 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(symbols.count * 3 / 4)
        var word = 0
        var bits = 0
        for symbol in symbols {
            let value = values[Int(symbol)]
            guard value != 255 else { return nil }
            word = ((word << 6) | Int(value)) & 0xFFFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((word >> bits) & 0xFF))
            }
        }
        // Leftover bits must be zero in canonical base64.
        guard word & ((1 << bits) - 1) == 0 else { return nil }
        return out
    }
}
