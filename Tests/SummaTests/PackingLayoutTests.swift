import BigNum
import Paillier
import TestSupport
import Testing

@testable import Summa

@Suite("Packing: slots, guard bits, balanced digits, bounds")
struct PackingLayoutTests {
    let key = Fixtures.smallKey
    var publicKey: PaillierPublicKey { key.publicKey }
    static let largest = BigInteger(Int.max)

    @Test func aTenColumnTableUnderA2048BitKeyPacksTwoRowsPerRecord() throws {
        let layout = try PackingLayout(columnCount: 10, squares: true, keyBits: 2048)
        // 2045 bits hold 21 slots of 96 bits (two rows of ten) and 12 of 159.
        #expect(layout.rowsPerBlock == 2 && layout.valueSlots == 20 && layout.squareSlots == 12)
        #expect(layout.valueRecordsPerBlock == 1 && layout.squareRecordsPerBlock == 2 && layout.recordsPerBlock == 3)
        #expect(layout.valueIndices(record: 0) == 0..<20)
        #expect(layout.valueIndices(record: 1) == 0..<12 && layout.valueIndices(record: 2) == 12..<20)
        let wide = try PackingLayout(columnCount: 50, squares: false, keyBits: 2048)
        #expect(wide.rowsPerBlock == 1 && wide.valueSlots == 21 && wide.recordsPerBlock == 3)
        #expect(wide.valueIndices(record: 2) == 42..<50)
        let plain = try PackingLayout(columnCount: 3, squares: true, keyBits: 2048, packed: false)
        #expect(!plain.isPacked && plain.recordsPerBlock == 6 && plain.valueIndices(record: 4) == 1..<2)
    }

    @Test func digitsRoundTripAtTheExtremesOfTheMantissaBound() throws {
        let layout = try PackingLayout(columnCount: 2, squares: true, keyBits: publicKey.bits)
        let values: [BigInteger?] = [Self.largest, -Self.largest, 0, nil, -1, 1, 12345, -67890, Self.largest, nil]
        let block = Array(values.prefix(layout.valuesPerBlock))
        let plaintexts = layout.plaintexts(block: block, publicKey: publicKey)
        for (record, residue) in plaintexts.enumerated() {
            let digits = try layout.digits(ofPlaintext: try publicKey.decode(residue: residue), record: record)
            let expected = layout.valueIndices(record: record).map { index -> BigInteger in
                let m = block[index] ?? 0
                return layout.holdsSquares(record: record) ? m * m : m
            }
            #expect(digits == expected)
        }
    }

    @Test func encryptedBlocksSumSlotBySlotWithoutCarrying() async throws {
        let layout = try PackingLayout(columnCount: 2, squares: true, keyBits: publicKey.bits)
        var blocks: [[BigInteger?]] = []
        for index in 0..<7 {
            blocks.append((0..<layout.valuesPerBlock).map { slot in
                slot == 3 && index == 2 ? nil : (index.isMultiple(of: 2) ? -Self.largest : Self.largest - BigInteger(slot))
            })
        }
        let records = await publicKey.encrypt(batch: blocks.flatMap { layout.plaintexts(block: $0, publicKey: publicKey) })
        let columns = [
            PackedAggregate.Column(name: "a", scale: 2, count: 7 * layout.rowsPerBlock),
            PackedAggregate.Column(name: "b", scale: 0, count: 7 * layout.rowsPerBlock - 1),
        ]
        let products = await PackedAggregate.blockProducts(records, layout: layout, publicKey: publicKey)
        let aggregate = try PackedAggregate(publicKey: publicKey, layout: layout, columns: columns, records: products, blocks: 7)
        let totals = try aggregate.totals(ofDecryptedResidues: products.map { key.decrypt($0) })
        for (column, total) in totals.enumerated() {
            var sum = BigInteger(0)
            var squares = BigInteger(0)
            for block in blocks {
                for index in stride(from: column, to: block.count, by: 2) {
                    sum += block[index] ?? 0
                    squares += (block[index] ?? 0) * (block[index] ?? 0)
                }
            }
            #expect(total.sum == (try FixedPoint(mantissa: sum, scale: columns[column].scale)))
            #expect(total.sumOfSquares == (try FixedPoint(mantissa: squares, scale: 2 * columns[column].scale)))
            #expect(total.count == columns[column].count)
        }
        // Merging doubles every total, and the bound follows the blocks.
        let twice = try aggregate.merged(with: aggregate)
        #expect(twice.blocks == 14)
        let doubled = try twice.totals(ofDecryptedResidues: twice.records.map { key.decrypt($0) })
        #expect(doubled[0].sum == totals[0].sum + totals[0].sum && doubled[1].count == 2 * totals[1].count)
    }

    @Test func sumsThatCouldCarryIntoTheNextSlotAreRefusedBeforeComputing() throws {
        let layout = try PackingLayout(columnCount: 1, squares: false, keyBits: publicKey.bits)
        let columns = [PackedAggregate.Column(name: "a", scale: 0, count: 0)]
        let records = [PaillierCiphertext(unchecked: 1)]
        _ = try PackedAggregate(publicKey: publicKey, layout: layout, columns: columns, records: records, blocks: 1 << 32)
        #expect(throws: SummaError.boundExceeded(operation: "summing 4294967297 blocks of packed values")) {
            try PackedAggregate(publicKey: publicKey, layout: layout, columns: columns, records: records, blocks: (1 << 32) + 1)
        }
        #expect(throws: SummaError.incompatible("a packed sum counts more values than its 1 blocks hold")) {
            try PackedAggregate(
                publicKey: publicKey, layout: layout, columns: [.init(name: "a", scale: 0, count: layout.rowsPerBlock + 1)],
                records: records, blocks: 1)
        }
    }

    @Test func aResidueBeyondItsBoundOrItsSlotsIsAnOverflowNeverAWrongNumber() throws {
        let layout = try PackingLayout(columnCount: 1, squares: false, keyBits: publicKey.bits)
        let aggregate = try PackedAggregate(
            publicKey: publicKey, layout: layout, columns: [.init(name: "a", scale: 0, count: 1)],
            records: [PaillierCiphertext(unchecked: 1)], blocks: 1)
        // One block: every digit is at most 2^63 − 1 in magnitude; 2^63 in the first slot is not a sum it can hold.
        #expect(throws: SummaError.overflow) { try aggregate.totals(ofDecryptedResidues: [Self.largest + 1]) }
        // A digit above the last slot.
        let beyond = BigInteger(1).shiftedLeft(layout.valueSlots * PackingLayout.packedValueSlotBits)
        #expect(throws: SummaError.overflow) { try layout.digits(ofPlaintext: beyond, record: 0) }
    }

    @Test func layoutsReadFromFilesAreChecked() throws {
        func layout(
            value: Int? = 96, square: Int? = 159, rows: Int = 5, slots: Int = 5, squareSlots: Int = 3, bits: Int = 512
        ) throws(SummaError) -> PackingLayout {
            try PackingLayout(
                columnCount: 1, squares: true, valueSlotBits: value, squareSlotBits: square, rowsPerBlock: rows,
                valueSlots: slots, squareSlots: squareSlots, keyBits: bits)
        }
        #expect(try layout() == PackingLayout(columnCount: 1, squares: true, keyBits: 512))
        #expect(throws: SummaError.incompatible("the slots do not fit in the plaintext of a 512-bit key")) {
            try layout(rows: 6, slots: 6)
        }
        #expect(throws: SummaError.incompatible("slots of 95 and 159 bits are narrower than the guard bits need (96 and 159)")) {
            try layout(value: 95)
        }
        #expect(throws: SummaError.incompatible("the slot layout packs values but not squares, or squares but not values")) {
            try layout(square: nil)
        }
        #expect(throws: SummaError.incompatible("a record has more slots than its block has values")) { try layout(rows: 4) }
        #expect(throws: SummaError.incompatible("an unpacked layout has one row per block and one slot per record")) {
            try layout(value: nil, square: nil)
        }
        #expect(throws: SummaError.incompatible("the slot layout needs positive counts of columns, rows per block and slots")) {
            try layout(rows: 0)
        }
        #expect(throws: SummaError.incompatible("a 150-bit key is too small to pack values: use --no-pack")) {
            try PackingLayout(columnCount: 1, squares: true, keyBits: 150)
        }
    }
}
