import Summa

extension PackingLayout {
    /// The `layout` object of binary encrypted files and of packed sums in aggregates.
    public var summaJSON: JSONValue {
        var members: [(String, JSONValue)] = [("packed", .bool(isPacked)), ("squares", .bool(squares))]
        if let valueSlotBits, let squareSlotBits {
            members += [
                ("valueSlotBits", .integer(valueSlotBits)), ("squareSlotBits", .integer(squareSlotBits)),
                ("mantissaBits", .integer(Self.mantissaBits)),
            ]
        }
        members += [
            ("rowsPerBlock", .integer(rowsPerBlock)), ("valueSlots", .integer(valueSlots)),
            ("squareSlots", .integer(squareSlots)),
        ]
        return .object(members)
    }

    /// Reads a `layout` object for `columnCount` columns under a key of `keyBits` bits, checked by
    /// the layout initializer that takes every count and width (`PackingLayout(columnCount:squares:valueSlotBits:…)`).
    public init(json fields: JSONFields, columnCount: Int, keyBits: Int) throws(FormatError) {
        let packed = try fields.bool("packed")
        let slotLimit = 1...keyBits
        var bits: (value: Int, square: Int)?
        if packed {
            guard try fields.integer("mantissaBits", in: 1...Int.max) == Self.mantissaBits else {
                throw .malformedField(path: fields.path, field: fields.name("mantissaBits"),
                                      reason: "this build packs mantissas of \(Self.mantissaBits) bits only")
            }
            bits = (try fields.integer("valueSlotBits", in: slotLimit), try fields.integer("squareSlotBits", in: slotLimit))
        }
        let squares = try fields.bool("squares")
        let rows = try fields.integer("rowsPerBlock", in: 1...keyBits)
        let valueSlots = try fields.integer("valueSlots", in: 1...keyBits)
        let squareSlots = try fields.integer("squareSlots", in: 1...keyBits)
        do {
            try self.init(
                columnCount: columnCount, squares: squares, valueSlotBits: bits?.value, squareSlotBits: bits?.square,
                rowsPerBlock: rows, valueSlots: valueSlots, squareSlots: squareSlots, keyBits: keyBits)
        } catch {
            throw .malformedField(path: fields.path, field: fields.prefix.isEmpty ? "layout" : fields.prefix, reason: error.description)
        }
    }
}
