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

    /// Reads a `layout` object (of a binary file's header, or of a packed sum in an aggregate: one rule for both, so
    /// that `summa sum` never writes a sum that `summa decrypt` refuses) for `columnCount` columns under a key of
    /// `keyBits` bits. Counts and widths are first held to the key's bits, so that no product of them can overflow,
    /// then checked by the layout initializer that takes every count and width.
    public init(json fields: JSONFields, columnCount: Int, keyBits: Int) throws(FormatError) {
        let limit = 1...keyBits
        let packed = try fields.bool("packed")
        let squares = try fields.bool("squares")
        var bits: (value: Int, square: Int)?
        if packed {
            bits = (try fields.integer("valueSlotBits", in: limit), try fields.integer("squareSlotBits", in: limit))
            let mantissaBits = try fields.integer("mantissaBits", in: 0...Int.max)
            guard mantissaBits == Self.mantissaBits else {
                throw .malformedField(
                    path: fields.path, field: fields.name("mantissaBits"),
                    reason: "\(mantissaBits), but this version of summa packs values of \(Self.mantissaBits) bits")
            }
        } else if let member = ["valueSlotBits", "squareSlotBits", "mantissaBits"].first(where: { fields.optional($0) != nil }) {
            throw .malformedField(path: fields.path, field: fields.name(member), reason: "an unpacked layout has no slots")
        }
        let rows = try fields.integer("rowsPerBlock", in: limit)
        let valueSlots = try fields.integer("valueSlots", in: limit)
        let squareSlots = try fields.integer("squareSlots", in: limit)
        do {
            try self.init(
                columnCount: columnCount, squares: squares, valueSlotBits: bits?.value, squareSlotBits: bits?.square,
                rowsPerBlock: rows, valueSlots: valueSlots, squareSlots: squareSlots, keyBits: keyBits)
        } catch {
            throw .invalidLayout(path: fields.path, field: fields.prefix.isEmpty ? "layout" : fields.prefix, error)
        }
    }
}
