import BigNum
import Paillier

/// How a contributed row's figures are packed into Paillier plaintexts: per group (one, when nothing is kept), a
/// signed slot of `width` bits per value column and, when groups are kept, a count slot; slots fill plaintexts from
/// the low bits up, ``slotsPerCiphertext`` each.
///
/// Slots are signed: a sum of packed plaintexts mod n, lifted to (−n/2, n/2), splits back into its slots when every
/// slot's total lies in (−2^(width−2), 2^(width−2)) and width × slots < bits(n). The contributor sets the width from
/// its row count, its values' bound and its noise's bound, so that no total, noise included, can reach a neighbour.
public struct JoinLayout: Sendable, Equatable {
    /// The value columns: name and decimals.
    public let columns: [Column]
    /// The kept groups' names; empty when nothing is kept (one group, no count slot).
    public let groups: [String]
    /// Bits per slot.
    public let width: Int
    /// Slots per plaintext.
    public let slotsPerCiphertext: Int

    public struct Column: Sendable, Equatable {
        public let name: String
        public let scale: Int

        public init(name: String, scale: Int) {
            self.name = name
            self.scale = scale
        }
    }

    /// The most plaintexts a row may take.
    public static let maximumCiphertextsPerRow = 64

    /// A layout for a modulus of `modulusBits` bits; throws when it does not fit.
    public init(columns: [Column], groups: [String], width: Int, modulusBits: Int) throws(PrivateJoinError) {
        guard width >= 3, width < modulusBits else {
            throw .incompatible("a slot of \(width) bits does not fit a \(modulusBits)-bit key")
        }
        self.columns = columns
        self.groups = groups
        self.width = width
        slotsPerCiphertext = (modulusBits - 1) / width
        guard ciphertextsPerRow <= Self.maximumCiphertextsPerRow else {
            throw .incompatible(
                "\(slotCount) slots of \(width) bits take \(ciphertextsPerRow) ciphertexts per row, more than \(Self.maximumCiphertextsPerRow): keep fewer groups or columns")
        }
    }

    /// The width a contributor needs for totals bounded in magnitude by `bounds` (one per slot kind).
    public static func width(for bounds: [BigInteger]) -> Int { (bounds.max() ?? 1).bitWidth + 2 }

    public var hasCounts: Bool { !groups.isEmpty }
    public var groupCount: Int { max(1, groups.count) }
    public var slotsPerGroup: Int { columns.count + (hasCounts ? 1 : 0) }
    public var slotCount: Int { groupCount * slotsPerGroup }
    public var ciphertextsPerRow: Int { (slotCount + slotsPerCiphertext - 1) / slotsPerCiphertext }

    /// The slot of a column's sum in a group.
    public func sumSlot(group: Int, column: Int) -> Int { group * slotsPerGroup + column }
    /// The slot of a group's count (kept groups only).
    public func countSlot(group: Int) -> Int { group * slotsPerGroup + columns.count }

    /// The plaintexts holding `slots` (signed, `slotCount` of them), each reduced mod n.
    public func pack(_ slots: [BigInteger], modulus n: BigInteger) -> [BigInteger] {
        (0..<ciphertextsPerRow).map { index in
            var plaintext = BigInteger(0)
            let range = index * slotsPerCiphertext..<min(slots.count, (index + 1) * slotsPerCiphertext)
            for slot in range.reversed() { plaintext = plaintext.shiftedLeft(width) + slots[slot] }
            return plaintext.modulo(n)
        }
    }

    /// The plaintexts of one row: its values in its group's slots and, with groups, a count of 1.
    public func pack(values: some Collection<Int64>, group: Int, modulus n: BigInteger) -> [BigInteger] {
        var slots = [BigInteger](repeating: 0, count: slotCount)
        for (column, value) in values.enumerated() { slots[sumSlot(group: group, column: column)] = BigInteger(Int(value)) }
        if hasCounts { slots[countSlot(group: group)] = 1 }
        return pack(slots, modulus: n)
    }

    /// The signed slots of decrypted plaintexts; nil when a plaintext does not split into slots of this width.
    public func unpack(_ plaintexts: [BigInteger], modulus n: BigInteger) -> [BigInteger]? {
        guard plaintexts.count == ciphertextsPerRow else { return nil }
        var slots: [BigInteger] = []
        let half = n.shiftedRight(1)
        let unit = BigInteger(1).shiftedLeft(width)
        let halfUnit = BigInteger(1).shiftedLeft(width - 1)
        for (index, plaintext) in plaintexts.enumerated() {
            var rest = plaintext.modulo(n)
            if rest > half { rest = rest - n }
            let count = min(slotsPerCiphertext, slotCount - index * slotsPerCiphertext)
            for _ in 0..<count {
                var slot = rest.modulo(unit)
                if slot >= halfUnit { slot = slot - unit }
                slots.append(slot)
                rest = (rest - slot).shiftedRight(width)
            }
            guard rest.isZero else { return nil }
        }
        return slots
    }
}
