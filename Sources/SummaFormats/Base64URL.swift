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
        if let bytes = text.utf8.withContiguousStorageIfAvailable(decode(symbols:)) { return bytes }
        return Array(text.utf8).withUnsafeBufferPointer(decode(symbols:))
    }

    /// Four symbols to three bytes at a time, with one test of the four values: 4 to 8 times as fast as symbol by
    /// symbol with a test and an append each (optimized build; a key generation's transcript holds megabytes).
    static func decode(symbols text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var count = text.count
        while count > 0, text[count - 1] == UInt8(ascii: "=") { count -= 1 }
        let (quads, rest) = count.quotientAndRemainder(dividingBy: 4)
        guard rest != 1 else { return nil }
        let byteCount = 3 * quads + max(0, rest - 1)
        let table = values
        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { out, initialized in
            table.withUnsafeBufferPointer { table in
                // The values of up to four symbols as one number, 6 bits each; nil for a symbol not in the
                // alphabet (its value 255 has the top bits set).
                func packed(_ start: Int, _ length: Int) -> UInt32? {
                    var word: UInt32 = 0
                    var all: UInt8 = 0
                    for offset in 0..<length {
                        let value = table[Int(text[start + offset])]
                        all |= value
                        word = word << 6 | UInt32(value)
                    }
                    return all & 0xC0 == 0 ? word : nil
                }
                for quad in 0..<quads {
                    guard let word = packed(4 * quad, 4) else { valid = false; return }
                    out[3 * quad] = UInt8(word >> 16)
                    out[3 * quad + 1] = UInt8(truncatingIfNeeded: word >> 8)
                    out[3 * quad + 2] = UInt8(truncatingIfNeeded: word)
                }
                guard rest > 0 else { return }
                // Two symbols hold a byte and 4 bits, three hold two bytes and 2 bits: canonical text leaves them 0.
                let leftover = UInt32(6 * rest % 8)
                guard let word = packed(4 * quads, rest), word & ((1 << leftover) - 1) == 0 else { valid = false; return }
                for index in 0..<rest - 1 {
                    out[3 * quads + index] = UInt8(truncatingIfNeeded: word >> (leftover + UInt32(8 * (rest - 2 - index))))
                }
            }
            initialized = valid ? byteCount : 0
        }
        return valid ? bytes : nil
    }
}
