import BigNum
import Foundation
import Paillier
import Summa
import TestSupport
import Testing

@testable import SummaFormats

@Suite("Binary encrypted columns: round trips, and every damaged file refused")
struct EncryptedRecordsTests {
    let key = Fixtures.smallKey
    /// Two columns (amount at scale 2, fee at scale 3), five rows, negatives, extremes and an empty cell.
    static let rows: [[BigInteger?]] = [
        [1250, -125], [-99_999, nil], [0, 7], [BigInteger(Int.max), -BigInteger(Int.max)], [-4200, 30_000],
    ]
    static let counts = [5, 4]
    static let columns = [EncryptedRecords.Column(name: "amount", scale: 2), EncryptedRecords.Column(name: "fee", scale: 3)]

    func header(packed: Bool = true, squares: Bool = true) throws -> EncryptedRecords {
        let layout = try PackingLayout(columnCount: 2, squares: squares, keyBits: key.publicKey.bits, packed: packed)
        return try EncryptedRecords(publicKey: key.publicKey, columns: Self.columns, layout: layout)
    }

    /// The rows in blocks of the layout, row-major, the last block padded with empty rows.
    static func blocks(_ rows: [[BigInteger?]], layout: PackingLayout) -> [[BigInteger?]] {
        stride(from: 0, to: rows.count, by: layout.rowsPerBlock).map { start in
            let values = rows[start..<min(start + layout.rowsPerBlock, rows.count)].flatMap { $0 }
            return values + Array(repeating: nil, count: layout.valuesPerBlock - values.count)
        }
    }

    /// The records of `rows`, as `summa encrypt` makes them: each block's plaintexts, encrypted.
    func records(_ rows: [[BigInteger?]], layout: PackingLayout) async -> [PaillierCiphertext] {
        let plaintexts = Self.blocks(rows, layout: layout).flatMap { layout.plaintexts(block: $0, publicKey: key.publicKey) }
        return await key.publicKey.encrypt(batch: plaintexts)
    }

    /// Writes the five rows under `header` at `path`, appending the records in two parts.
    @discardableResult
    func write(_ header: EncryptedRecords, to path: String) async throws -> [PaillierCiphertext] {
        let written = await records(Self.rows, layout: header.layout)
        let writer = try EncryptedRecords.Writer(path: path, header: header)
        try writer.append(Array(written.prefix(2)))
        try writer.append(Array(written.dropFirst(2)))
        try writer.finish(rows: Self.rows.count, counts: Self.counts)
        return written
    }

    /// Every record of the file, streamed in chunks of `chunk`, the digest checked at the end.
    static func readAll(_ path: String, chunk: Int = 4) throws(FormatError) -> [PaillierCiphertext] {
        let reader = try EncryptedRecords.Reader(path: path, allowInsecureKeySize: true)
        var records: [PaillierCiphertext] = []
        while let next = try reader.nextChunk(maximumRecords: chunk) { records += next }
        return records
    }

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func recordsRoundTripAndDecryptToTheValues(packed: Bool, squares: Bool) async throws {
        let folder = TemporaryFolder()
        let path = folder.file("t.summa")
        let header = try header(packed: packed, squares: squares)
        let written = try await write(header, to: path)
        #expect(folder.contents == ["t.summa"])

        let reader = try EncryptedRecords.Reader(path: path, allowInsecureKeySize: true)
        #expect(reader.header == header)
        #expect(reader.rows == 5 && reader.counts == Self.counts && reader.recordCount == written.count)
        #expect(reader.recordCount == header.recordCount(rows: 5))
        try reader.verifyDigest()
        var read: [PaillierCiphertext] = []
        while let chunk = try reader.nextChunk(maximumRecords: 3) { read += chunk }
        #expect(read == written)
        #expect(try reader.nextChunk(maximumRecords: 3) == nil)

        // Decrypted, each record's balanced digits are its slots' values (or squares), empty cells 0.
        let layout = header.layout
        let blocks = Self.blocks(Self.rows, layout: layout)
        for (index, record) in read.enumerated() {
            let position = index % layout.recordsPerBlock
            let block = blocks[index / layout.recordsPerBlock]
            let digits = try layout.digits(ofPlaintext: try key.publicKey.decode(residue: key.decrypt(record)), record: position)
            let expected = layout.valueIndices(record: position).map { slot -> BigInteger in
                let value = block[slot] ?? 0
                return layout.holdsSquares(record: position) ? value * value : value
            }
            #expect(digits == expected, "record \(index)")
        }

        // The file is the header, the records and the trailer, nothing more.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size == header.encoded.count + written.count * header.recordBytes + header.trailerBytes)
    }

    @Test func summaFileReadsTheHeaderAndTrailerOnlyAndInspectShowsThem() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("t.summa")
        let header = try header()
        try await write(header, to: path)
        let file = try SummaFile.read(path: path, allowInsecureKeySize: true)
        guard case .encryptedRecords(let records) = file else { Issue.record("not read as records"); return }
        #expect(records.header == header && records.trailer == EncryptedRecords.Trailer(rows: 5, recordCount: 9, counts: [5, 4]))
        #expect(file.kind == "encrypted columns (binary)")
        #expect(file.publicKey == key.publicKey)
        #expect(try records.open(allowInsecureKeySize: true).recordCount == 9)
        #expect(file.summary == [
            "kind: encrypted columns (binary)",
            "format: summa.encrypted-records version 1",
            "key: \(key.publicKey.fingerprint)",
            "key size: 512 bits",
            "column amount: 5 values, scale 2, with squares",
            "column fee: 4 values, scale 3, with squares",
            "rows: 5",
            "layout: packed, 4 value slots of 96 bits per record and 3 square slots of 159 bits, 2 rows per block, 3 records per block",
            "records: 9 of 128 bytes",
        ])
        // `summa inspect` goes through the binary reader: it shows the same, or, where the environment does not
        // allow test keys (SUMMA_INSECURE_TEST_KEYS), refuses the 512-bit key, never the file as broken JSON.
        do {
            #expect(try SummaFile.summary(ofFileAt: path) == file.summary)
        } catch {
            #expect(error == .invalidKey(path: path, field: "publicKey.n", .keyTooSmall(bits: 512, minimum: 2048)))
        }
        // In memory, the bytes are refused with the reason rather than as broken JSON.
        #expect(throws: FormatError.unrecognizedFile(
            path: "m", reason: "binary encrypted columns, which are read from a file (SummaFile.read), not from memory")) {
            try SummaFile.parse(Data(EncryptedRecords.magic + Array("{}".utf8)), path: "m")
        }
    }

    @Test func unpackedLayoutsAreWrittenWithoutSlotWidths() throws {
        let layout = try #require(try header(packed: false).json["layout"])
        #expect(layout == .object([
            ("packed", .bool(false)), ("squares", .bool(true)), ("rowsPerBlock", .integer(1)), ("valueSlots", .integer(1)),
            ("squareSlots", .integer(1)),
        ]))
        #expect(try header().json["layout"]?["mantissaBits"] == .integer(63))
    }

    // MARK: damaged files

    /// The bytes of a valid file (packed, with squares: 9 records of 128 bytes) and where its parts start.
    func validFile() async throws -> (bytes: [UInt8], recordsStart: Int, trailerStart: Int) {
        let folder = TemporaryFolder()
        let header = try header()
        try await write(header, to: folder.file("t.summa"))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.file("t.summa"))))
        return (bytes, header.encoded.count, bytes.count - header.trailerBytes)
    }

    /// `bytes` saved as a file in a new temporary folder (kept while the folder is).
    static func saved(_ bytes: [UInt8]) -> (folder: TemporaryFolder, path: String) {
        let folder = TemporaryFolder()
        precondition(FileManager.default.createFile(atPath: folder.file("bad.summa"), contents: Data(bytes)))
        return (folder, folder.file("bad.summa"))
    }

    /// Expects the file of `bytes` to be refused, while streamed, with exactly `expected(path)`.
    func expectRefused(
        _ bytes: [UInt8], _ expected: (String) -> FormatError, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (folder, path) = Self.saved(bytes)
        #expect(throws: expected(path), sourceLocation: sourceLocation) { try Self.readAll(path) }
        _ = folder
    }

    @Test func truncatedOrExtendedFilesAreRefused() async throws {
        let (bytes, recordsStart, trailerStart) = try await validFile()
        let trailerBytes = bytes.count - trailerStart
        let noTrailer = "no trailer (SUMMAEND) where the file should end: it is truncated, unfinished, or has bytes appended"
        for cut in [recordsStart + 200, trailerStart - 1, trailerStart + 9, bytes.count - 1] {
            expectRefused(Array(bytes.prefix(cut))) { .malformedBinary(path: $0, offset: cut - trailerBytes, reason: noTrailer) }
        }
        expectRefused(bytes + [0]) { .malformedBinary(path: $0, offset: bytes.count + 1 - trailerBytes, reason: noTrailer) }
        expectRefused(Array(bytes.prefix(recordsStart + 50))) {
            .malformedBinary(path: $0, offset: nil, reason: "\(recordsStart + 50) bytes are too few for its header and trailer (truncated)")
        }
        expectRefused(Array(bytes.prefix(5))) {
            .malformedBinary(path: $0, offset: nil, reason: "5 bytes are too few for a summa.encrypted-records file")
        }
        // A whole block cut out, the trailer kept: the count no longer matches the size.
        expectRefused(Array(bytes.prefix(trailerStart - 3 * 128) + bytes.suffix(from: trailerStart))) {
            .malformedBinary(
                path: $0, offset: nil,
                reason: "\(bytes.count - 384) bytes, but its header, 9 records of 128 bytes and trailer take \(bytes.count)")
        }
    }

    @Test func aFlippedByteAnywhereIsCaughtByTheDigest() async throws {
        let (bytes, recordsStart, trailerStart) = try await validFile()
        let amount = try #require(bytes.indices.first { bytes[$0...].starts(with: Array("\"amount\"".utf8)) })
        // The last byte of record 1, a letter of a column name in the header, a count and a byte of the digest.
        for index in [recordsStart + 2 * 128 - 1, amount + 3, trailerStart + 31, bytes.count - 1] {
            var damaged = bytes
            damaged[index] ^= 0x01
            expectRefused(damaged) { .digestMismatch(path: $0) }
            // verifyDigest finds it before a single record is handed out.
            let (folder, path) = Self.saved(damaged)
            #expect(throws: FormatError.digestMismatch(path: path)) {
                try EncryptedRecords.Reader(path: path, allowInsecureKeySize: true).verifyDigest()
            }
            _ = folder
        }
    }

    @Test func framingAndTrailerErrorsAreNamed() async throws {
        let (bytes, recordsStart, trailerStart) = try await validFile()
        var magic = bytes
        magic[0] = UInt8(ascii: "{")
        expectRefused(magic) {
            .unrecognizedFile(path: $0, reason: "not a summa.encrypted-records file (it does not start with 93 53 55 4D 4D 41 0D 0A)")
        }
        var length = bytes
        length[9] = 0x10  // 1 MiB + the real length
        expectRefused(length) {
            .malformedBinary(path: $0, offset: 8, reason: "a header of \(0x10_0000 + recordsStart - 12) bytes is beyond the limit of 1048576")
        }
        length[9] = 0x0F
        expectRefused(length) {
            .malformedBinary(path: $0, offset: 8, reason: "a header of \(0x0F_0000 + recordsStart - 12) bytes goes beyond the end of the file (\(bytes.count) bytes)")
        }
        // Rows said to be 7: 4 blocks, 12 records, where the file has 9.
        var rows = bytes
        rows[trailerStart + 15] = 7
        expectRefused(rows) {
            .malformedBinary(
                path: $0, offset: trailerStart + 16,
                reason: "9 records, but 7 rows in blocks of 2 rows, 3 records each, take 12")
        }
        var count = bytes
        count[trailerStart + 31] = 6
        expectRefused(count) { .malformedBinary(path: $0, offset: trailerStart + 24, reason: "column amount counts 6 values in 5 rows") }
        var huge = bytes
        huge[trailerStart + 8] = 0x80
        expectRefused(huge) {
            .malformedBinary(path: $0, offset: trailerStart + 8, reason: "the trailer's number \(UInt64(1) << 63 | 5) is too large")
        }
        // Record 4 set to n² (all of its bytes), beyond any ciphertext: refused before the digest is reached.
        var record = bytes
        let nSquared = key.publicKey.nSquared.bigEndianBytes(minimumCount: 128)
        record.replaceSubrange(recordsStart + 4 * 128..<recordsStart + 5 * 128, with: nSquared)
        expectRefused(record) { .invalidRecord(path: $0, record: 4, offset: recordsStart + 4 * 128, .ciphertextOutOfRange) }
        record.replaceSubrange(recordsStart + 4 * 128..<recordsStart + 5 * 128, with: key.publicKey.n.bigEndianBytes(minimumCount: 128))
        expectRefused(record) { .invalidRecord(path: $0, record: 4, offset: recordsStart + 4 * 128, .ciphertextNotInvertible) }
    }

    /// A file with `header` as its JSON text and the trailer of the valid file's records: the header is checked
    /// before anything else, so the digest need not match.
    func withHeader(_ header: String, bytes: [UInt8], recordsStart: Int) -> [UInt8] {
        let text = Array(header.utf8)
        return EncryptedRecords.magic + withUnsafeBytes(of: UInt32(text.count).bigEndian, Array.init) + text
            + bytes.suffix(from: recordsStart)
    }

    @Test func malformedHeadersAreRefusedNamingTheField() async throws {
        let (bytes, recordsStart, _) = try await validFile()
        let json = try header().json
        func refused(_ document: JSONValue, _ expected: @escaping (String) -> FormatError, sourceLocation: SourceLocation = #_sourceLocation) {
            expectRefused(withHeader(document.serialized, bytes: bytes, recordsStart: recordsStart), expected, sourceLocation: sourceLocation)
        }
        expectRefused(withHeader("{\"format\": ", bytes: bytes, recordsStart: recordsStart)) {
            .malformedBinary(path: $0, offset: 12, reason: "the header is not valid JSON")
        }
        refused(json.replacing([.key("format")], with: .string("summa.encrypted"))) {
            .unrecognizedFile(path: $0, reason: "its binary header names the format \"summa.encrypted\", not summa.encrypted-records")
        }
        refused(json.replacing([.key("version")], with: .integer(2))) {
            .malformedField(path: $0, field: "groupBy", reason: "missing")
        }
        refused(json.replacing([.key("version")], with: .integer(3))) {
            .unreadableVersion(
                path: $0, format: "summa.encrypted-records", version: 3,
                remedy: "read it with the summa that wrote it, or encrypt the columns again with this one")
        }
        refused(json.replacing([.key("keyFingerprint")], with: .string(Fixtures.otherPheKey.publicKey.fingerprint))) {
            .fingerprintMismatch(path: $0)
        }
        refused(json.replacing([.key("layout"), .key("valueSlots")], with: .integer(6))) {
            .invalidLayout(path: $0, field: "layout", .incompatible("the slots do not fit in the plaintext of a 512-bit key"))
        }
        refused(json.replacing([.key("layout"), .key("mantissaBits")], with: .integer(64))) {
            .malformedField(path: $0, field: "layout.mantissaBits", reason: "64, but this version of summa packs values of 63 bits")
        }
        refused(json.replacing([.key("layout"), .key("rowsPerBlock")], with: .integer(Int.max))) {
            .malformedField(path: $0, field: "layout.rowsPerBlock", reason: "\(Int.max) is outside 1…512")
        }
        refused(json.replacing([.key("recordBytes")], with: .integer(127))) {
            .malformedField(path: $0, field: "recordBytes", reason: "127, but n² of the 512-bit key takes 128 bytes")
        }
        refused(json.replacing([.key("columns"), .index(1), .key("name")], with: .string("amount"))) {
            .malformedField(path: $0, field: "columns[1].name", reason: "duplicate column \"amount\"")
        }
        refused(json.replacing([.key("columns"), .index(0), .key("scale")], with: .integer(513))) {
            .malformedField(path: $0, field: "columns[0].scale", reason: "513 is outside 0…512")
        }
        refused(json.replacing([.key("columns")], with: .array([]))) {
            .malformedField(path: $0, field: "columns", reason: "no columns")
        }
        let unpacked = try header(packed: false).json
        refused(unpacked.replacing([.key("layout")], with: try #require(json["layout"]).replacing([.key("packed")], with: .bool(false)))) {
            .malformedField(path: $0, field: "layout.valueSlotBits", reason: "an unpacked layout has no slots")
        }
    }

    // MARK: writing

    @Test func anUnfinishedWriterLeavesNothingAndReplacesNothing() async throws {
        let folder = TemporaryFolder()
        let header = try header()
        let records = await records(Self.rows, layout: header.layout)
        do {
            let writer = try EncryptedRecords.Writer(path: folder.file("a.summa"), header: header)
            try writer.append(records)
            writer.abandon()
        }
        do {
            // Let go of without finishing.
            let writer = try EncryptedRecords.Writer(path: folder.file("a.summa"), header: header)
            try writer.append(records)
        }
        #expect(folder.contents.isEmpty)

        let existing = folder.write("keep me", to: "b.summa")
        let writer = try EncryptedRecords.Writer(path: existing, header: header)
        try writer.append(Array(records.prefix(3)))
        #expect(throws: FormatError.incompatible("\(existing): 3 records written, but 5 rows take 9")) {
            try writer.finish(rows: 5, counts: Self.counts)
        }
        #expect(folder.contents == ["b.summa"])
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")

        let other = try EncryptedRecords.Writer(path: existing, header: header)
        #expect(throws: FormatError.invalidRecord(path: existing, record: 0, offset: header.encoded.count, .ciphertextOutOfRange)) {
            try other.append([PaillierCiphertext(unchecked: key.publicKey.nSquared)])
        }
        #expect(folder.contents == ["b.summa"])
        let counted = try EncryptedRecords.Writer(path: existing, header: header)
        try counted.append(records)
        #expect(throws: FormatError.incompatible("\(existing): 2 counts for 2 columns, each 0…5 (the rows)")) {
            try counted.finish(rows: 5, counts: [6, 0])
        }
        #expect(folder.contents == ["b.summa"])
    }

    @Test func headersThatNoReaderWouldAcceptAreNotWritten() throws {
        let layout = try PackingLayout(columnCount: 2, squares: false, keyBits: 2048)
        #expect(throws: FormatError.number(.incompatible("the slots do not fit in the plaintext of a 512-bit key"))) {
            try EncryptedRecords(publicKey: key.publicKey, columns: Self.columns, layout: layout)
        }
        let one = try PackingLayout(columnCount: 1, squares: false, keyBits: 512)
        #expect(throws: FormatError.incompatible("2 columns for a layout of 1")) {
            try EncryptedRecords(publicKey: key.publicKey, columns: Self.columns, layout: one)
        }
        #expect(throws: FormatError.incompatible("--column amount is given twice: name each column once")) {
            try EncryptedRecords(publicKey: key.publicKey, columns: [Self.columns[0], Self.columns[0]], layout: try header().layout)
        }
    }

    // MARK: python-paillier

    /// scripts/read-summa-records.py, run with the python of CI's python-paillier venv (beside SUMMA_PHEUTIL),
    /// reads what Summa writes: packed with squares and unpacked, negatives included.
    @Test(.enabled(
        if: RecordsReadersAgreeTests.python != nil,
        "python-paillier is not installed (SUMMA_PHEUTIL unset): bash .ci/run installs it"))
    func pythonPaillierReadsTheRecords() async throws {
        let python = try #require(RecordsReadersAgreeTests.python)
        let script = RecordsReadersAgreeTests.script
        let folder = TemporaryFolder()
        /// The script's lines for the file at `path`, after checking it exits 0.
        func read(_ path: String) throws -> [String] {
            let run = try ProgramRun(python, [script.path, path, Fixtures.path("small-private.json")])
            #expect(run.status == 0)
            return run.lines
        }
        for (packed, squares) in [(true, true), (false, false)] {
            let path = folder.file("t-\(packed).summa")
            try await write(try header(packed: packed, squares: squares), to: path)
            let expected = [squares ? "amount,fee,amount^2,fee^2" : "amount,fee"] + Self.rows.map { row in
                let values = zip(row, Self.columns).map { value, column in (value ?? 0, column.scale) }
                let cells = values + (squares ? values.map { ($0 * $0, 2 * $1) } : [])
                return try! cells.map { try FixedPoint(mantissa: $0, scale: $1).description }.joined(separator: ",")
            }
            #expect(try read(path) == expected)
        }
        // A grouped file: the kept column first, rows group by group.
        let grouped = folder.file("g.summa")
        _ = try await writeGrouped(to: grouped)
        let lines = try read(grouped)
        #expect(lines.first == "region,amount,fee" && lines.count == 6)
        #expect(lines.filter { $0.hasPrefix("a,") }.count == 3 && lines.filter { $0.hasPrefix("b,") }.count == 2)
        #expect(lines.contains("b,-999.99,0.000"))
    }

    // MARK: grouped files

    /// The five rows in two groups (rows 0, 2, 4 in "a"; 1, 3 in "b"), each group's blocks its own, interleaved.
    func writeGrouped(to path: String) async throws -> (header: EncryptedRecords, groups: EncryptedRecords.Groups) {
        let layout = try PackingLayout(columnCount: 2, squares: false, keyBits: key.publicKey.bits)
        let header = try EncryptedRecords(publicKey: key.publicKey, columns: Self.columns, layout: layout, groupBy: ["region"])
        let a = [Self.rows[0], Self.rows[2], Self.rows[4]], b = [Self.rows[1], Self.rows[3]]
        let blocksA = Self.blocks(a, layout: layout), blocksB = Self.blocks(b, layout: layout)
        var order: [(group: UInt32, block: [BigInteger?])] = []
        for index in 0..<max(blocksA.count, blocksB.count) {
            if index < blocksA.count { order.append((0, blocksA[index])) }
            if index < blocksB.count { order.append((1, blocksB[index])) }
        }
        let writer = try EncryptedRecords.Writer(path: path, header: header)
        for (_, block) in order {
            try writer.append(await key.publicKey.encrypt(batch: layout.plaintexts(block: block, publicKey: key.publicKey)))
        }
        let groups = EncryptedRecords.Groups(
            groups: [.init(key: ["a"], rows: 3, counts: [3, 3], blocks: blocksA.count), .init(key: ["b"], rows: 2, counts: [2, 1], blocks: blocksB.count)],
            blockGroups: order.map(\.group))
        try writer.finish(rows: 5, counts: Self.counts, groups: groups)
        return (header, groups)
    }

    @Test func groupedFilesRoundTripWithTheirGroupTable() async throws {
        let folder = TemporaryFolder()
        let (header, groups) = try await writeGrouped(to: folder.file("g.summa"))
        let reader = try EncryptedRecords.Reader(path: folder.file("g.summa"), allowInsecureKeySize: true)
        #expect(reader.header == header && reader.header.groupBy == ["region"] && reader.groups == groups)
        #expect(try Self.readAll(folder.file("g.summa")).count == reader.recordCount)
        // Summed per group: the sums of each group's rows.
        let sum = try await Aggregation.sum(records: EncryptedRecords.File(path: folder.file("g.summa"), header: reader.header, trailer: reader.trailer), allowInsecureKeySize: true)
        #expect(sum.isGrouped && sum.groups.map(\.key) == [["a"], ["b"]])
        let totals = try await key.totals(of: sum.groups[1].table)
        #expect(totals[0].totals.sum == (try FixedPoint(mantissa: -99_999 + BigInteger(Int.max), scale: 2)))
        #expect(totals.map(\.totals.count) == [2, 1])
    }

    @Test func damagedGroupSectionsAreRefused() async throws {
        let folder = TemporaryFolder()
        _ = try await writeGrouped(to: folder.file("g.summa"))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.file("g.summa"))))
        let layout = try PackingLayout(columnCount: 2, squares: false, keyBits: key.publicKey.bits)
        let header = try EncryptedRecords(publicKey: key.publicKey, columns: Self.columns, layout: layout, groupBy: ["region"])
        let trailerStart = bytes.count - header.trailerBytes
        let sectionBytes = Int(bytes[trailerStart + 8 + 8 * 4..<trailerStart + 8 + 8 * 5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let sectionStart = trailerStart - sectionBytes
        // The last block said to be of a third group; then of group b instead of a.
        var third = bytes
        third[trailerStart - 1] = 2
        #expect(throws: FormatError.self) { try Self.readAll(Self.saved(third).path) }
        var swapped = bytes
        swapped[trailerStart - 1] ^= 1
        #expect(throws: FormatError.self) { try Self.readAll(Self.saved(swapped).path) }
        // A group's row count that no longer adds up; the section's magic.
        var magic = bytes
        magic[sectionStart] = UInt8(ascii: "X")
        expectRefused(magic) { .malformedBinary(path: $0, offset: sectionStart, reason: "no group section (SUMMAGRP) before the trailer") }
        // A grouped file's header without its groupBy, or an ungrouped one claiming version 2, is refused.
        let text = String(decoding: header.encoded.dropFirst(EncryptedRecords.prefixBytes), as: UTF8.self)
        #expect(throws: FormatError.self) {
            try EncryptedRecords.parse(Array(text.replacingOccurrences(of: "\"groupBy\":[\"region\"],", with: "").utf8), path: "h", allowInsecureKeySize: true)
        }
        #expect(throws: FormatError.self) {
            try EncryptedRecords(publicKey: key.publicKey, columns: Self.columns, layout: layout, groupBy: ["amount"])
        }
    }
}
