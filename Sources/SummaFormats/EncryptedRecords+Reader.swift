import BigNum
import Crypto
import Foundation
import Paillier
import Summa

extension EncryptedRecords {
    /// Reads a `summa.encrypted-records` file as a stream. Opening it reads and checks the header (key, fingerprint,
    /// columns, layout) and the trailer (its counts against the layout and the file's size); ``nextChunk(maximumRecords:)``
    /// then hands out the records in order, each validated as a ciphertext under the key, and checks the digest
    /// once the last has been read. Nothing is read whole: memory stays within the chunks asked for.
    ///
    /// The digest is checked only at the end of a pass: a caller that must not act on a corrupted file before it
    /// knows (print nothing, write nothing) calls ``verifyDigest()`` first, a pass that only hashes. After an error
    /// the reader is not to be used again.
    public final class Reader {
        /// The file, as named in errors.
        public let path: String
        /// The header, validated.
        public let header: EncryptedRecords
        /// The trailer's counts, checked against the layout and the file's size.
        public let trailer: Trailer
        /// How many records ``nextChunk(maximumRecords:)`` has handed out.
        public private(set) var recordsRead = 0
        /// The groups of a grouped file (``EncryptedRecords/groupBy``), checked against the records; nil otherwise.
        public let groups: Groups?

        private let input: Input
        /// Where the records start: after the magic, the header's length and the header.
        private let recordsStart: Int
        /// The digest the trailer ends with.
        private let digest: [UInt8]
        /// The group section's bytes, hashed after the records.
        private let groupSection: [UInt8]
        /// SHA-256 of everything read so far in the pass of ``nextChunk(maximumRecords:)``.
        private var hasher = SHA256()
        private var finished = false

        /// Rows in the file.
        public var rows: Int { trailer.rows }
        /// Non-empty values of each column, in the header's order.
        public var counts: [Int] { trailer.counts }
        /// Records in the file.
        public var recordCount: Int { trailer.recordCount }
        /// What was read of the file, for ``SummaFile``.
        public var file: File { File(path: path, header: header, trailer: trailer) }

        /// Opens the file at `path` and checks its header and trailer. Keys below 2048 bits are refused unless
        /// `allowInsecureKeySize`.
        public init(path: String, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed) throws(FormatError) {
            let input = try Input(path: path)
            let prefixBytes = EncryptedRecords.prefixBytes
            guard input.size >= prefixBytes else {
                throw .malformedBinary(path: path, offset: nil, reason: "\(input.size) bytes are too few for a \(EncryptedRecords.format) file")
            }
            let prefix = try input.read(prefixBytes, at: 0)
            guard Array(prefix.prefix(8)) == EncryptedRecords.magic else {
                throw .unrecognizedFile(path: path, reason: "not a \(EncryptedRecords.format) file (it does not start with 93 53 55 4D 4D 41 0D 0A)")
            }
            let headerBytes = prefix.suffix(4).reduce(0) { $0 << 8 | Int($1) }
            guard headerBytes <= EncryptedRecords.maximumHeaderBytes else {
                throw .malformedBinary(path: path, offset: 8, reason: "a header of \(headerBytes) bytes is beyond the limit of \(EncryptedRecords.maximumHeaderBytes)")
            }
            let recordsStart = prefixBytes + headerBytes
            guard recordsStart <= input.size else {
                throw .malformedBinary(path: path, offset: 8, reason: "a header of \(headerBytes) bytes goes beyond the end of the file (\(input.size) bytes)")
            }
            let headerText = try input.read(headerBytes, at: prefixBytes)
            let header = try EncryptedRecords.parse(headerText, path: path, allowInsecureKeySize: allowInsecureKeySize)

            let trailerStart = input.size - header.trailerBytes
            guard trailerStart >= recordsStart else {
                throw .malformedBinary(path: path, offset: nil, reason: "\(input.size) bytes are too few for its header and trailer (truncated)")
            }
            let trailerBytes = try input.read(header.trailerBytes, at: trailerStart)
            guard Array(trailerBytes.prefix(8)) == EncryptedRecords.trailerMagic else {
                throw .malformedBinary(
                    path: path, offset: trailerStart,
                    reason: "no trailer (SUMMAEND) where the file should end: it is truncated, unfinished, or has bytes appended")
            }
            let numbers = try (0..<(2 + header.columns.count + (header.isGrouped ? 1 : 0))).map { (index) throws(FormatError) in
                let offset = 8 + 8 * index
                let number = trailerBytes[offset..<offset + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                guard let value = Int(exactly: number) else {
                    throw .malformedBinary(path: path, offset: trailerStart + offset, reason: "the trailer's number \(number) is too large")
                }
                return value
            }
            let trailer = Trailer(
                rows: numbers[0], recordCount: numbers[1], counts: Array(numbers[2..<2 + header.columns.count]),
                groupSectionBytes: header.isGrouped ? numbers.last : nil)
            let layout = header.layout
            var recordsEnd = trailerStart
            var groupSection: [UInt8] = []
            var groups: Groups?
            if let size = trailer.groupSectionBytes {
                guard size <= trailerStart - recordsStart else {
                    throw .malformedBinary(path: path, offset: trailerStart, reason: "a group section of \(size) bytes does not fit before the trailer")
                }
                recordsEnd = trailerStart - size
                groupSection = try input.read(size, at: recordsEnd)
                groups = try Self.parseGroups(groupSection, at: recordsEnd, header: header, trailer: trailer, path: path)
            } else if let expected = header.recordCount(rows: trailer.rows), expected != trailer.recordCount {
                throw .malformedBinary(
                    path: path, offset: trailerStart + 16,
                    reason: "\(trailer.recordCount) records, but \(trailer.rows) rows in blocks of \(layout.rowsPerBlock) rows, "
                        + "\(layout.recordsPerBlock) records each, take \(expected)")
            }
            guard header.isGrouped || header.recordCount(rows: trailer.rows) != nil else {
                throw .malformedBinary(
                    path: path, offset: trailerStart + 16,
                    reason: "\(trailer.recordCount) records, but \(trailer.rows) rows in blocks of \(layout.rowsPerBlock) rows, "
                        + "\(layout.recordsPerBlock) records each, take \(header.recordCount(rows: trailer.rows).map(String.init) ?? "more")")
            }
            for (index, (column, count)) in zip(header.columns, trailer.counts).enumerated() where count > trailer.rows {
                throw .malformedBinary(
                    path: path, offset: trailerStart + 24 + 8 * index,
                    reason: "column \(column.name) counts \(count) values in \(trailer.rows) rows")
            }
            let (recordsSize, overflow) = trailer.recordCount.multipliedReportingOverflow(by: header.recordBytes)
            guard !overflow, recordsSize == recordsEnd - recordsStart else {
                throw .malformedBinary(
                    path: path, offset: nil,
                    reason: "\(input.size) bytes, but its header, \(trailer.recordCount) records of \(header.recordBytes) bytes "
                        + "and trailer take \(overflow ? "more" : String(recordsStart + recordsSize + groupSection.count + header.trailerBytes))")
            }
            self.path = path
            self.header = header
            self.trailer = trailer
            self.input = input
            self.recordsStart = recordsStart
            self.digest = Array(trailerBytes.suffix(EncryptedRecords.digestBytes))
            self.groupSection = groupSection
            self.groups = groups
            hasher.update(data: prefix)
            hasher.update(data: headerText)
        }

        /// The next records, at most `maximumRecords` of them, each checked to be a ciphertext under the key (in
        /// 1..<n², prime to n). Nil once every record has been handed out, after checking the digest over the
        /// whole file (``FormatError/digestMismatch(path:)`` if it does not match).
        public func nextChunk(maximumRecords: Int) throws(FormatError) -> [PaillierCiphertext]? {
            precondition(maximumRecords > 0, "a chunk holds at least one record")
            let width = header.recordBytes
            let count = min(maximumRecords, trailer.recordCount - recordsRead)
            guard count > 0 else {
                if !finished {
                    hasher.update(data: groupSection)
                    hasher.update(data: trailer.fields)
                    guard Array(hasher.finalize()) == digest else { throw .digestMismatch(path: path) }
                    finished = true
                }
                return nil
            }
            let start = recordsStart + recordsRead * width
            let bytes = try input.read(count * width, at: start)
            hasher.update(data: bytes)
            // Records are parsed and checked (each a gcd with n) on all cores: on one thread this was most of the
            // time of summing a file (2 million records: 64 s of CPU, all of it on one core).
            var checked = [Result<PaillierCiphertext, PaillierError>?](repeating: nil, count: count)
            let key = header.publicKey
            let parts = min(count, 4 * ProcessInfo.processInfo.activeProcessorCount)
            checked.withUnsafeMutableBufferPointer { buffer in
                let slots = Slots(base: buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    for index in stride(from: part, to: count, by: parts) {
                        let value = BigInteger(bigEndianBytes: bytes[index * width..<(index + 1) * width])
                        slots.base[index] = Result { () throws(PaillierError) in try key.ciphertext(validating: value) }
                    }
                }
            }
            var records: [PaillierCiphertext] = []
            records.reserveCapacity(count)
            for (index, result) in checked.enumerated() {
                switch result! {
                case .success(let record): records.append(record)
                case .failure(let error):
                    throw .invalidRecord(path: path, record: recordsRead + index, offset: start + index * width, error)
                }
            }
            recordsRead += count
            return records
        }

        /// The results of ``nextChunk(maximumRecords:)``'s checks, written by the cores that make them: each slot by one
        /// iteration only, read after all have finished.
        private struct Slots: @unchecked Sendable {
            let base: UnsafeMutablePointer<Result<PaillierCiphertext, PaillierError>?>
        }

        /// Hashes the whole file, apart from this reader's place in it, and checks the digest in its trailer:
        /// for a caller that must know the file is intact before it acts on any record.
        public func verifyDigest() throws(FormatError) {
            var hasher = SHA256()
            let end = input.size - EncryptedRecords.digestBytes
            var offset = 0
            while offset < end {
                let count = min(Self.hashingChunk, end - offset)
                hasher.update(data: try input.read(count, at: offset))
                offset += count
            }
            guard Array(hasher.finalize()) == digest else { throw .digestMismatch(path: path) }
        }

        /// Reads a group section (at `offset` in the file) and checks it against the header and trailer: every
        /// group's key has a text per kept column and appears once, its rows fill exactly its blocks, the groups add up
        /// to the trailer's rows, counts and records, and every block names a group, as often as that group says.
        static func parseGroups(
            _ bytes: [UInt8], at offset: Int, header: EncryptedRecords, trailer: Trailer, path: String
        ) throws(FormatError) -> Groups {
            var position = 0
            func fail(_ reason: String) -> FormatError { .malformedBinary(path: path, offset: offset + position, reason: reason) }
            func number(_ width: Int) throws(FormatError) -> Int {
                guard bytes.count - position >= width else { throw fail("the group section ends early") }
                let value = bytes[position..<position + width].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                guard let result = Int(exactly: value), result <= Int(Int32.max) << 16 else { throw fail("the number \(value) is too large") }
                position += width
                return result
            }
            guard bytes.count >= 8, Array(bytes.prefix(8)) == EncryptedRecords.groupMagic else {
                throw fail("no group section (SUMMAGRP) before the trailer")
            }
            position = 8
            let groupCount = try number(8)
            guard groupCount <= EncryptedRecords.maximumGroups else { throw fail("\(groupCount) groups, beyond the \(EncryptedRecords.maximumGroups) allowed") }
            var groups: [Group] = []
            var keys = Set<[[UInt8]]>()
            let layout = header.layout
            for _ in 0..<groupCount {
                let keyBytes = try number(4)
                guard keyBytes <= 1 << 16, bytes.count - position >= keyBytes else { throw fail("a group key of \(keyBytes) bytes") }
                guard let json = JSONValue(parsing: Data(bytes[position..<position + keyBytes])), case .array(let items) = json,
                    items.count == header.groupBy.count
                else { throw fail("a group key is not a JSON array of \(header.groupBy.count) strings") }
                let key = try items.map { (item) throws(FormatError) in
                    guard case .string(let text) = item else { throw fail("a group key is not a JSON array of strings") }
                    return text
                }
                guard keys.insert(key.exactBytes).inserted else { throw fail("the group \(key.debugDescription) appears twice") }
                if let text = key.first(where: { $0.firstUnprintableScalar != nil }) {
                    throw fail("the group key \(text.debugDescription) holds a control character")
                }
                position += keyBytes
                let rows = try number(8)
                let counts = try header.columns.map { _ throws(FormatError) in try number(8) }
                let blocks = try number(8)
                guard rows > 0, counts.allSatisfy({ $0 <= rows }), blocks == (rows + layout.rowsPerBlock - 1) / layout.rowsPerBlock else {
                    throw fail("the group \(key) has \(rows) rows in \(blocks) blocks of \(layout.rowsPerBlock) rows (and counts \(counts))")
                }
                groups.append(Group(key: key, rows: rows, counts: counts, blocks: blocks))
            }
            // Checked: up to 100,000 groups of numbers up to 2⁴⁷ each can add up beyond 2⁶³.
            let sums = try? FormatError.catching { () throws(SummaError) in
                (blocks: try groups.map(\.blocks).countSum(), rows: try groups.map(\.rows).countSum(),
                 counts: try header.columns.indices.map { (column) throws(SummaError) in try groups.map { $0.counts[column] }.countSum() })
            }
            guard let sums, sums.rows == trailer.rows, sums.counts == trailer.counts,
                sums.blocks.multipliedReportingOverflow(by: layout.recordsPerBlock) == (trailer.recordCount, false)
            else { throw fail("the groups do not add up to the trailer's rows, counts and records") }
            let blockCount = sums.blocks
            guard bytes.count - position == 4 * blockCount else { throw fail("\(bytes.count - position) bytes for the groups of \(blockCount) blocks") }
            var seen = Array(repeating: 0, count: groups.count)
            var blockGroups: [UInt32] = []
            blockGroups.reserveCapacity(blockCount)
            for _ in 0..<blockCount {
                let group = try number(4)
                guard group < groups.count else { throw fail("a block of group \(group), of \(groups.count)") }
                seen[group] += 1
                blockGroups.append(UInt32(group))
            }
            guard seen == groups.map(\.blocks) else { throw fail("the blocks of each group do not match the group table") }
            return Groups(groups: groups, blockGroups: blockGroups)
        }

        /// Bytes read at a time by ``verifyDigest()``.
        private static let hashingChunk = 1 << 20

        /// Whether the file at `path` starts with the magic: a regular file of at least 8 bytes that can be read.
        /// Anything else is left to the readers of other formats, which say what is wrong with it.
        static func isRecordsFile(atPath path: String) -> Bool {
            guard let input = try? Input(path: path), input.size >= EncryptedRecords.magic.count else { return false }
            return (try? input.read(EncryptedRecords.magic.count, at: 0)) == EncryptedRecords.magic
        }
    }

    /// A records file whose header and trailer were read and checked: what ``SummaFile/read(path:allowInsecureKeySize:)``
    /// returns for one, without its records. ``open(allowInsecureKeySize:)`` reads it again to stream them.
    public struct File: Sendable {
        public let path: String
        public let header: EncryptedRecords
        public let trailer: Trailer

        /// A reader of the records, refusing a file whose header or trailer changed since this was read.
        public func open(allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed) throws(FormatError) -> Reader {
            let reader = try Reader(path: path, allowInsecureKeySize: allowInsecureKeySize)
            guard reader.header == header, reader.trailer == trailer else {
                throw .malformedBinary(path: path, offset: nil, reason: "changed since it was first read")
            }
            return reader
        }
    }
}

/// A regular file open for reading at given offsets; closed when released, so that a reader that fails while
/// opening leaves no descriptor behind.
private final class Input {
    let path: String
    let descriptor: Int32
    let size: Int

    init(path: String) throws(FormatError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .io(path: path, reason: errno == ENOENT ? "no such file" : "cannot be read (\(systemError()))")
        }
        self.path = path
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw .io(path: path, reason: "cannot be read: not a regular file")
        }
        size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// Exactly `count` bytes from `offset`; an error if the file ends before (it shrank since it was opened).
    func read(_ count: Int, at offset: Int) throws(FormatError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                throw got == 0
                    ? .malformedBinary(path: path, offset: offset + done, reason: "the file ends here (it was truncated while being read)")
                    : .io(path: path, reason: "cannot be read (\(systemError()))")
            }
            done += got
        }
        return bytes
    }
}
