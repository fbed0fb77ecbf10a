import Foundation
import Paillier
import Summa

/// The header of a binary file of encrypted columns, `summa.encrypted-records` (docs/formats.md, "Binary
/// encrypted columns"): the key the records are encrypted under, the columns with their scales, and where their
/// values sit in the records (a ``Summa/PackingLayout``).
///
/// The file is this header, then fixed-width records (each a ciphertext, big-endian, ``recordBytes`` bytes), then a
/// ``Trailer`` with the counts and a SHA-256 over every byte before it. ``Writer`` writes one and ``Reader`` reads
/// one as streams, so that neither ever holds a whole file in memory.
public struct EncryptedRecords: Sendable, Equatable {
    /// A column: its name and the scale (decimals) of its values.
    public struct Column: Sendable, Hashable {
        public let name: String
        public let scale: Int

        public init(name: String, scale: Int) {
            self.name = name
            self.scale = scale
        }
    }

    /// The counts the file ends with, before its digest: rows, records, the non-empty values of each column, and
    /// in a grouped file the size of its group section.
    public struct Trailer: Sendable, Equatable {
        public let rows: Int
        public let recordCount: Int
        /// One per column, in the header's order: how many of its cells hold a value (empty cells hold 0).
        public let counts: [Int]
        /// The bytes of the group section between the records and the trailer; nil in a file without groups.
        public let groupSectionBytes: Int?

        public init(rows: Int, recordCount: Int, counts: [Int], groupSectionBytes: Int? = nil) {
            self.rows = rows
            self.recordCount = recordCount
            self.counts = counts
            self.groupSectionBytes = groupSectionBytes
        }

        /// Its bytes up to the digest: the trailer magic, then every number as 8 bytes big-endian.
        var fields: [UInt8] {
            ([rows, recordCount] + counts + (groupSectionBytes.map { [$0] } ?? [])).reduce(into: EncryptedRecords.trailerMagic) {
                bytes, number in bytes += EncryptedRecords.bigEndian(number)
            }
        }
    }

    /// A group of a file encrypted with kept (clear) columns: its key, its rows and non-empty values per column,
    /// and how many blocks hold them (each block holds the rows of one group only).
    public struct Group: Sendable, Equatable {
        /// The kept columns' texts, in the header's ``groupBy`` order.
        public let key: [String]
        public let rows: Int
        public let counts: [Int]
        public let blocks: Int

        public init(key: [String], rows: Int, counts: [Int], blocks: Int) {
            self.key = key
            self.rows = rows
            self.counts = counts
            self.blocks = blocks
        }
    }

    /// The group section of a grouped file: the groups in the order first seen, and the group of every block.
    public struct Groups: Sendable, Equatable {
        public let groups: [Group]
        /// Per block of the file, in order, the index of its group in ``groups``.
        public let blockGroups: [UInt32]

        public init(groups: [Group], blockGroups: [UInt32]) {
            self.groups = groups
            self.blockGroups = blockGroups
        }

        /// "SUMMAGRP", the number of groups, each group (its key as the 4-byte length of a compact JSON array of
        /// strings and that JSON, its rows, a count per column, its blocks, numbers 8 bytes big-endian), then 4 bytes
        /// per block: its group.
        var encoded: [UInt8] {
            var bytes = EncryptedRecords.groupMagic + EncryptedRecords.bigEndian(groups.count)
            for group in groups {
                let key = Array(JSONValue.array(group.key.map { .string($0) }).serialized.utf8)
                bytes += withUnsafeBytes(of: UInt32(key.count).bigEndian, Array.init) + key
                bytes += ([group.rows] + group.counts + [group.blocks]).flatMap(EncryptedRecords.bigEndian)
            }
            for index in blockGroups { bytes += withUnsafeBytes(of: index.bigEndian, Array.init) }
            return bytes
        }
    }

    /// The key the records are encrypted under.
    public let publicKey: PaillierPublicKey
    /// The columns, in the order of the layout's values.
    public let columns: [Column]
    /// Where each value and square sits in the records of a block.
    public let layout: PackingLayout
    /// What the columns derive from the CSV file's (levels, buckets, products, clipping), when more than its values.
    public let analysis: AnalysisPlan?
    /// The kept columns, in clear, that group the rows (`summa encrypt --keep`); empty for a file without groups.
    public let groupBy: [String]

    /// The format name in the header's `format` member.
    public static let format = "summa.encrypted-records"
    /// The version of a file without groups; files with groups (``groupBy``) are ``groupedVersion``. This build
    /// reads both and no other.
    public static let version = 1
    public static let groupedVersion = 2
    /// The first 8 bytes of a group section, "SUMMAGRP".
    public static let groupMagic: [UInt8] = Array("SUMMAGRP".utf8)
    /// The most kept columns, and the most groups, a file may have.
    public static let maximumGroupColumns = 16
    public static let maximumGroups = 100_000
    /// The first 8 bytes of the file: 0x93, "SUMMA", CR, LF. 0x93 cannot start a UTF-8 character, so the file is
    /// never taken for text or JSON, and a CR LF turned into LF by a text transfer shows at once.
    public static let magic: [UInt8] = [0x93, 0x53, 0x55, 0x4D, 0x4D, 0x41, 0x0D, 0x0A]
    /// The first 8 bytes of the trailer, "SUMMAEND".
    public static let trailerMagic: [UInt8] = Array("SUMMAEND".utf8)
    /// The largest header (its JSON) a reader accepts: 1 MiB, so that a corrupted length cannot make it allocate more.
    public static let maximumHeaderBytes = 1 << 20
    /// The magic and the 4-byte header length.
    static let prefixBytes = 12
    static let digestBytes = 32

    /// A header for writing, checked as a reader would check it: a column per value of the layout, names distinct
    /// and non-empty, scales in 0…`FixedPoint.maximumScale`, and a layout whose slots fit the key.
    public init(
        publicKey: PaillierPublicKey, columns: [Column], layout: PackingLayout, analysis: AnalysisPlan? = nil,
        groupBy: [String] = []
    ) throws(FormatError) {
        if let analysis, analysis.columns.map(\.name) != columns.map(\.name) {
            throw .incompatible("the analysis plan does not derive the columns written")
        }
        try Self.checkGroupBy(groupBy, columns: columns.map(\.name)) { reason in .incompatible(reason) }
        guard columns.count == layout.columnCount else {
            throw .incompatible("\(columns.count) columns for a layout of \(layout.columnCount)")
        }
        try FormatError.requireDistinctColumns(columns.map(\.name))
        if let column = columns.first(where: { $0.name.isEmpty || !(0...FixedPoint.maximumScale).contains($0.scale) }) {
            throw .incompatible("column \"\(column.name)\": a column needs a name and a scale in 0…\(FixedPoint.maximumScale)")
        }
        do {
            _ = try PackingLayout(
                columnCount: layout.columnCount, squares: layout.squares, valueSlotBits: layout.valueSlotBits,
                squareSlotBits: layout.squareSlotBits, rowsPerBlock: layout.rowsPerBlock, valueSlots: layout.valueSlots,
                squareSlots: layout.squareSlots, keyBits: publicKey.bits)
        } catch { throw .number(error) }
        self.init(checked: publicKey, columns: columns, layout: layout, analysis: analysis, groupBy: groupBy)
    }

    private init(
        checked publicKey: PaillierPublicKey, columns: [Column], layout: PackingLayout, analysis: AnalysisPlan?, groupBy: [String]
    ) {
        self.publicKey = publicKey
        self.columns = columns
        self.layout = layout
        self.analysis = analysis
        self.groupBy = groupBy
    }

    /// Kept columns: at most ``maximumGroupColumns``, distinct, named, none of them an encrypted column.
    static func checkGroupBy(_ names: [String], columns: [String], error: (String) -> FormatError) throws(FormatError) {
        guard names.count <= maximumGroupColumns, Set(names).count == names.count, !names.contains(where: \.isEmpty) else {
            throw error("at most \(maximumGroupColumns) kept columns, distinct and named")
        }
        if let both = names.first(where: columns.contains) {
            throw error("column \(both) is both kept in clear and encrypted")
        }
    }

    /// Whether the rows are grouped by kept columns.
    public var isGrouped: Bool { !groupBy.isEmpty }

    /// `number` as 8 bytes big-endian.
    static func bigEndian(_ number: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(number).bigEndian, Array.init) }

    /// Bytes per record: those of n², every ciphertext left-padded with zeros to this width.
    public var recordBytes: Int { (publicKey.nSquared.bitWidth + 7) / 8 }

    /// Bytes of the trailer: its magic, rows, record count, a count per column, the group section's size in a grouped
    /// file, and the digest.
    public var trailerBytes: Int {
        EncryptedRecords.trailerMagic.count + 8 * (2 + columns.count + (isGrouped ? 1 : 0)) + Self.digestBytes
    }

    /// The records `rows` rows take: whole blocks of `PackingLayout.recordsPerBlock` records, the last
    /// block padded with empty rows; nil if the number does not fit an Int.
    public func recordCount(rows: Int) -> Int? {
        guard rows >= 0 else { return nil }
        let blocks = rows / layout.rowsPerBlock + (rows % layout.rowsPerBlock == 0 ? 0 : 1)
        let (records, overflow) = blocks.multipliedReportingOverflow(by: layout.recordsPerBlock)
        return overflow ? nil : records
    }

    /// The header's JSON object, members in the documented order.
    public var json: JSONValue {
        var layoutMembers: [(String, JSONValue)] = [
            ("packed", .bool(layout.isPacked)), ("squares", .bool(layout.squares)),
            ("rowsPerBlock", .integer(layout.rowsPerBlock)),
        ]
        if let valueSlotBits = layout.valueSlotBits, let squareSlotBits = layout.squareSlotBits {
            layoutMembers += [("valueSlotBits", .integer(valueSlotBits)), ("squareSlotBits", .integer(squareSlotBits))]
        }
        layoutMembers += [("valueSlots", .integer(layout.valueSlots)), ("squareSlots", .integer(layout.squareSlots))]
        if layout.isPacked { layoutMembers.append(("mantissaBits", .integer(PackingLayout.mantissaBits))) }
        return .object(
            SummaFile.header(format: Self.format, version: isGrouped ? Self.groupedVersion : Self.version, publicKey: publicKey) + [
                ("columns", .array(columns.map { .object([("name", .string($0.name)), ("scale", .integer($0.scale))]) })),
            ] + (analysis.map { [("analysis", $0.json)] } ?? [])
                + (isGrouped ? [("groupBy", .array(groupBy.map { .string($0) }))] : []) + [
                ("layout", .object(layoutMembers)), ("recordBytes", .integer(recordBytes)),
            ])
    }

    /// The file's first bytes: the magic, the header's length (4 bytes big-endian) and the header (compact JSON).
    var encoded: [UInt8] {
        let text = Array(json.serialized.utf8)
        return Self.magic + withUnsafeBytes(of: UInt32(truncatingIfNeeded: text.count).bigEndian, Array.init) + text
    }

    /// Parses and validates a header's JSON (the bytes after its length); `path` names the file in errors. The key
    /// is read and checked as in every other Summa ciphertext file (fingerprint included).
    static func parse(_ bytes: [UInt8], path: String, allowInsecureKeySize: Bool) throws(FormatError) -> EncryptedRecords {
        guard let json = JSONValue(parsing: Data(bytes)) else {
            throw .malformedBinary(path: path, offset: prefixBytes, reason: "the header is not valid JSON")
        }
        let fields = try JSONFields(json, path: path)
        let name = try fields.string("format")
        guard name == format else {
            throw .unrecognizedFile(path: path, reason: "its binary header names the format \"\(name.prefix(40))\", not \(format)")
        }
        let version = try fields.integer("version", in: 1...Int.max)
        guard version == Self.version || version == Self.groupedVersion else {
            throw .unreadableVersion(
                path: path, format: format, version: version,
                remedy: "read it with the summa that wrote it, or encrypt the columns again with this one")
        }
        let reader = SummaFile.Reader(path: path, allowInsecureKeySize: allowInsecureKeySize)
        let key = try reader.embeddedKey(fields)
        let columns = try reader.columnList(fields).map { (column) throws(FormatError) in
            let name = try column.string("name")
            guard !name.isEmpty else { throw .malformedField(path: path, field: column.name("name"), reason: "empty") }
            return Column(name: name, scale: try column.integer("scale", in: 0...FixedPoint.maximumScale))
        }
        guard !columns.isEmpty else { throw .malformedField(path: path, field: "columns", reason: "no columns") }
        let layout = try PackingLayout(json: try fields.object("layout"), columnCount: columns.count, keyBits: key.bits)
        let analysis = try fields.optional("analysis").map { _ throws(FormatError) in
            try AnalysisPlan.parse(try fields.object("analysis"), columns: columns.map(\.name))
        }
        var groupBy: [String] = []
        if version == Self.groupedVersion {
            groupBy = try fields.strings("groupBy")
            guard !groupBy.isEmpty else { throw .malformedField(path: path, field: "groupBy", reason: "a version-2 file keeps columns") }
            try checkGroupBy(groupBy, columns: columns.map(\.name)) { reason in .malformedField(path: path, field: "groupBy", reason: reason) }
        } else if fields.optional("groupBy") != nil {
            throw .malformedField(path: path, field: "groupBy", reason: "a version-1 file has no groups")
        }
        let header = EncryptedRecords(checked: key, columns: columns, layout: layout, analysis: analysis, groupBy: groupBy)
        let recordBytes = try fields.integer("recordBytes", in: 0...Int.max)
        guard recordBytes == header.recordBytes else {
            throw .malformedField(
                path: path, field: "recordBytes",
                reason: "\(recordBytes), but n² of the \(key.bits)-bit key takes \(header.recordBytes) bytes")
        }
        return header
    }
}
