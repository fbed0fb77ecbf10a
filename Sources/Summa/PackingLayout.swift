import BigNum
import Paillier

/// Where the values of a table sit in the plaintexts of its ciphertexts.
///
/// Rows are encrypted in *blocks* of ``rowsPerBlock`` rows, each a fixed sequence of ``recordsPerBlock`` records
/// (ciphertexts): first the block's values in row-major order (row 0's columns, then row 1's, …) cut into records of
/// ``valueSlots`` slots, then, with squares, the squares of the same values cut into records of ``squareSlots``
/// slots. Slot i of a record is the i-th digit, from the least significant end, of its plaintext written in base
/// 2^w (w = ``valueSlotBits`` or ``squareSlotBits``). A slot of a missing row (the last block) or of an empty cell
/// holds 0.
///
/// Digits are *balanced*: −2^(w−1) < d < 2^(w−1), the plaintext being Σ dᵢ·2^(w·i) as a signed integer (a negative
/// plaintext is the residue n − |P|, as for a single value). Adding ciphertexts adds the plaintexts, hence the
/// digits slot by slot, with no carry from one slot into the next as long as every slot's sum stays inside that
/// range; so negatives need no offset, an empty cell is a plain 0 and a slot's sum does not depend on how many
/// values it counts. The guard bits make room for the sum of up to 2^``countBits`` blocks: every value is bounded by
/// |m| < 2^``mantissaBits``, its square by 2^(2·``mantissaBits``), and the slots are one bit wider than those
/// bounds times 2^``countBits``.
///
/// Unpacked (``isPacked`` false, `--no-pack`): every record holds one value as its whole plaintext, bounded by the
/// key's ``Paillier/PaillierPublicKey/valueBound`` as for a single encrypted number.
public struct PackingLayout: Sendable, Hashable {
    /// Packed values satisfy |mantissa| < 2^63 (a signed 64-bit integer but −2^63).
    public static let mantissaBits = 63
    /// Slots have room for the sum of up to 2^32 blocks (about 4.3 billion rows per record position).
    public static let countBits = 32
    /// Width of a value slot: 63 + 32 bits of magnitude and a sign bit.
    public static let packedValueSlotBits = mantissaBits + countBits + 1
    /// Width of a square slot: 126 + 32 bits of magnitude and a sign bit.
    public static let packedSquareSlotBits = 2 * mantissaBits + countBits + 1

    /// The number of columns in a row.
    public let columnCount: Int
    /// Whether the squares of the values are encrypted too (for variances).
    public let squares: Bool
    /// Bits per value slot; nil when unpacked.
    public let valueSlotBits: Int?
    /// Bits per square slot; nil when unpacked.
    public let squareSlotBits: Int?
    /// Rows per block.
    public let rowsPerBlock: Int
    /// Value slots per record (the last value record of a block may use fewer).
    public let valueSlots: Int
    /// Square slots per record (the last square record of a block may use fewer).
    public let squareSlots: Int

    /// Whether several values share a plaintext.
    public var isPacked: Bool { valueSlotBits != nil }

    /// The layout Summa chooses for `columnCount` columns under a key of `keyBits` bits: packed with as many rows per
    /// block as fill a record when the columns are few, one row per block (its columns spread over several records)
    /// when they are many; or one value per record when `packed` is false.
    public init(columnCount: Int, squares: Bool, keyBits: Int, packed: Bool = true) throws(SummaError) {
        guard columnCount > 0 else { throw .incompatible("a table needs at least one column") }
        guard packed else {
            try self.init(
                columnCount: columnCount, squares: squares, valueSlotBits: nil, squareSlotBits: nil, rowsPerBlock: 1,
                valueSlots: 1, squareSlots: 1, keyBits: keyBits)
            return
        }
        let capacity = Self.slotCapacity(keyBits: keyBits, slotBits: Self.packedValueSlotBits)
        let squareCapacity = Self.slotCapacity(keyBits: keyBits, slotBits: Self.packedSquareSlotBits)
        guard capacity >= 1, squareCapacity >= 1 else {
            throw .incompatible("a \(keyBits)-bit key is too small to pack values: use --no-pack")
        }
        let rows = max(1, capacity / columnCount)
        try self.init(
            columnCount: columnCount, squares: squares, valueSlotBits: Self.packedValueSlotBits,
            squareSlotBits: Self.packedSquareSlotBits, rowsPerBlock: rows,
            valueSlots: min(capacity, rows * columnCount), squareSlots: min(squareCapacity, rows * columnCount),
            keyBits: keyBits)
    }

    /// A layout read from a file, checked against the key it is used with: every slot must fit the plaintext range
    /// with its guard bits, and the counts must be positive and consistent. Throws ``SummaError/incompatible(_:)``
    /// naming what is wrong.
    public init(
        columnCount: Int, squares: Bool, valueSlotBits: Int?, squareSlotBits: Int?, rowsPerBlock: Int,
        valueSlots: Int, squareSlots: Int, keyBits: Int
    ) throws(SummaError) {
        guard columnCount > 0, rowsPerBlock > 0, valueSlots > 0, squareSlots > 0 else {
            throw .incompatible("the slot layout needs positive counts of columns, rows per block and slots")
        }
        guard (valueSlotBits == nil) == (squareSlotBits == nil) else {
            throw .incompatible("the slot layout packs values but not squares, or squares but not values")
        }
        if let valueSlotBits, let squareSlotBits {
            guard valueSlotBits >= Self.packedValueSlotBits, squareSlotBits >= Self.packedSquareSlotBits else {
                throw .incompatible("slots of \(valueSlotBits) and \(squareSlotBits) bits are narrower than the guard bits need (\(Self.packedValueSlotBits) and \(Self.packedSquareSlotBits))")
            }
            guard valueSlots <= Self.slotCapacity(keyBits: keyBits, slotBits: valueSlotBits),
                squareSlots <= Self.slotCapacity(keyBits: keyBits, slotBits: squareSlotBits)
            else { throw .incompatible("the slots do not fit in the plaintext of a \(keyBits)-bit key") }
            guard valueSlots <= rowsPerBlock * columnCount, squareSlots <= rowsPerBlock * columnCount else {
                throw .incompatible("a record has more slots than its block has values")
            }
            // Dense, as Summa lays blocks out: several rows per block only when they fill one value record, and every
            // record but a block's last of each kind full. A sparse layout (2,000 columns of 16,384 rows, one slot a
            // record) would make a 70 KB file ask its summer for 32 million accumulators.
            let capacity = Self.slotCapacity(keyBits: keyBits, slotBits: valueSlotBits)
            guard rowsPerBlock == 1 || rowsPerBlock * columnCount <= valueSlots,
                valueSlots == min(capacity, rowsPerBlock * columnCount),
                squareSlots == min(Self.slotCapacity(keyBits: keyBits, slotBits: squareSlotBits), rowsPerBlock * columnCount)
            else {
                throw .incompatible("the slot layout is not dense: a block of several rows must fill one record, and every record as many slots as fit")
            }
        } else {
            guard rowsPerBlock == 1, valueSlots == 1, squareSlots == 1 else {
                throw .incompatible("an unpacked layout has one row per block and one slot per record")
            }
        }
        self.columnCount = columnCount
        self.squares = squares
        self.valueSlotBits = valueSlotBits
        self.squareSlotBits = squareSlotBits
        self.rowsPerBlock = rowsPerBlock
        self.valueSlots = valueSlots
        self.squareSlots = squareSlots
    }

    /// How many slots of `slotBits` fit a `keyBits`-bit key: k with k·w ≤ keyBits − 3, so that |P| < 2^(k·w−1) stays
    /// below the plaintext range n/3 > 2^(keyBits−3).
    public static func slotCapacity(keyBits: Int, slotBits: Int) -> Int { max(0, keyBits - 3) / slotBits }

    /// Values in a block.
    public var valuesPerBlock: Int { rowsPerBlock * columnCount }
    /// Records holding values in a block.
    public var valueRecordsPerBlock: Int { (valuesPerBlock + valueSlots - 1) / valueSlots }
    /// Records holding squares in a block.
    public var squareRecordsPerBlock: Int { squares ? (valuesPerBlock + squareSlots - 1) / squareSlots : 0 }
    /// Records per block.
    public var recordsPerBlock: Int { valueRecordsPerBlock + squareRecordsPerBlock }

    /// The largest |mantissa| a value may have in this layout.
    public func maximumMantissa(publicKey: PaillierPublicKey) -> BigInteger {
        isPacked ? BigInteger(Int.max) : publicKey.valueBound
    }

    /// Whether record `record` of a block holds squares.
    public func holdsSquares(record: Int) -> Bool { record >= valueRecordsPerBlock }

    /// The value index in the block (row-major: row·columnCount + column) of each slot of record `record`.
    public func valueIndices(record: Int) -> Range<Int> {
        let (start, slots) =
            holdsSquares(record: record)
            ? ((record - valueRecordsPerBlock) * squareSlots, squareSlots) : (record * valueSlots, valueSlots)
        return start..<min(start + slots, valuesPerBlock)
    }

    /// The width of record `record`'s slots; nil when unpacked.
    func slotBits(record: Int) -> Int? { holdsSquares(record: record) ? squareSlotBits : valueSlotBits }

    /// The plaintext residues of one block. `mantissas` holds the block's values in row-major order at their
    /// columns' scales, nil for an empty cell or a missing row; each must be within ``maximumMantissa(publicKey:)``
    /// (the caller checks it, to name the line and column).
    public func plaintexts(block mantissas: [BigInteger?], publicKey: PaillierPublicKey) -> [BigInteger] {
        precondition(mantissas.count == valuesPerBlock, "a block has \(valuesPerBlock) values")
        return (0..<recordsPerBlock).map { record in
            let square = holdsSquares(record: record)
            let digits = valueIndices(record: record).map { index -> BigInteger in
                guard let m = mantissas[index] else { return 0 }
                return square ? m * m : m
            }
            return publicKey.residue(Self.joined(digits, slotBits: slotBits(record: record)))
        }
    }

    /// Σ dᵢ·2^(w·i); the single digit itself when unpacked.
    public static func joined(_ digits: [BigInteger], slotBits: Int?) -> BigInteger {
        guard let slotBits else { return digits[0] }
        var plaintext = BigInteger(0)
        for digit in digits.reversed() { plaintext = plaintext.shiftedLeft(slotBits) + digit }
        return plaintext
    }

    /// The `count` balanced digits of a signed plaintext in base 2^`slotBits`, least significant first, each in
    /// −2^(w−1)…2^(w−1) − 1. Throws ``SummaError/overflow`` when the plaintext has more digits than `count`.
    public static func balancedDigits(of plaintext: BigInteger, slotBits w: Int, count: Int) throws(SummaError) -> [BigInteger] {
        let base = BigInteger(1).shiftedLeft(w)
        let half = BigInteger(1).shiftedLeft(w - 1)
        var rest = plaintext
        var digits: [BigInteger] = []
        digits.reserveCapacity(count)
        for _ in 0..<count {
            var digit = rest - rest.shiftedRight(w).shiftedLeft(w)
            if digit >= half { digit -= base }
            digits.append(digit)
            rest = (rest - digit).shiftedRight(w)
        }
        guard rest.isZero else { throw .overflow }
        return digits
    }

    /// The balanced digits of a decrypted signed plaintext of record `record`, one per slot of the record.
    /// Throws ``SummaError/overflow`` when the plaintext has more digits than the record has slots.
    public func digits(ofPlaintext plaintext: BigInteger, record: Int) throws(SummaError) -> [BigInteger] {
        guard let w = slotBits(record: record) else { return [plaintext] }
        return try Self.balancedDigits(of: plaintext, slotBits: w, count: valueIndices(record: record).count)
    }
}
