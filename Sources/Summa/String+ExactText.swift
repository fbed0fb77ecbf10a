extension String {
    /// The first character that may not stand in a text a table, CSV file or log line shows (a column name, a kept
    /// column's text, a category level), or nil: control characters (C0, DEL, C1), line and paragraph separators,
    /// and the bidirectional overrides and isolates. A newline in a kept text would forge a row of the key holder's
    /// table; an override would reorder what the terminal shows.
    public var firstUnprintableScalar: Unicode.Scalar? {
        unicodeScalars.first { scalar in
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
    }

    /// The text's UTF-8 bytes, for comparing texts exactly: Swift's `==` on strings treats canonically equivalent
    /// texts as equal ("K" and the Kelvin sign, "Å" as one or two code points), which would merge groups whose keys
    /// differ in bytes and show them under a spelling one of them never had.
    public var exactBytes: [UInt8] { Array(utf8) }
}

extension Array<String> {
    /// Each text's UTF-8 bytes: a group key compared and hashed exactly.
    public var exactBytes: [[UInt8]] { map(\.exactBytes) }

    /// Whether `self` sorts before `other` by bytes, text by text.
    public func bytesPrecede(_ other: [String]) -> Bool {
        exactBytes.lexicographicallyPrecedes(other.exactBytes) { $0.lexicographicallyPrecedes($1) }
    }
}
