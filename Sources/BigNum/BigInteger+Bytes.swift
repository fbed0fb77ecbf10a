internal import CGMP

extension BigInteger {
    /// The non-negative integer whose big-endian bytes are `bytes` (an empty sequence is zero).
    public init(bigEndianBytes bytes: some Collection<UInt8>) {
        self.init()
        let array = Array(bytes)
        guard !array.isEmpty else { return }
        array.withUnsafeBytes { raw in
            __gmpz_import(storage.pointer, raw.count, 1, 1, 1, 0, raw.baseAddress)
        }
    }

    /// The big-endian bytes of |self|, without leading zeros (zero gives no bytes).
    public func magnitudeBytes() -> [UInt8] {
        let count = (bitWidth + 7) / 8
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        var written = 0
        withUnsafeMPZ { x in
            bytes.withUnsafeMutableBytes { raw in
                _ = __gmpz_export(raw.baseAddress, &written, 1, 1, 1, 0, x)
            }
        }
        precondition(written == count)
        return bytes
    }

    /// The big-endian bytes of a non-negative value, left-padded with zeros to at least `minimumCount` bytes.
    public func bigEndianBytes(minimumCount: Int = 0) -> [UInt8] {
        precondition(!isNegative, "bigEndianBytes of a negative number")
        let bytes = magnitudeBytes()
        return bytes.count >= minimumCount ? bytes : [UInt8](repeating: 0, count: minimumCount - bytes.count) + bytes
    }
}
