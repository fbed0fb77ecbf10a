import Crypto
import Foundation
import Paillier

extension EncryptedRecords {
    /// Writes a `summa.encrypted-records` file as a stream: the header at once, records as they are appended, the
    /// trailer and its digest at ``finish(rows:counts:groups:)``, which moves the file into place. The file is written
    /// through an ``AtomicFile``: until it is finished nothing is at the path (an existing file stays as it was),
    /// and a failure, ``abandon()``, or letting go of a writer not finished removes what was written.
    public final class Writer {
        /// The header the file starts with.
        public let header: EncryptedRecords
        /// How many records have been appended.
        public private(set) var recordCount = 0

        /// The file being written; nil once finished or abandoned.
        private var file: AtomicFile?
        /// Bytes not yet written, so that records go to the file a megabyte at a time, not one call each.
        private var buffer: [UInt8] = []
        /// SHA-256 of every byte written so far.
        private var hasher = SHA256()
        /// Where the records start: after the magic, the header's length and the header.
        private let recordsStart: Int
        private static let bufferBytes = 1 << 20

        /// The path the file goes to.
        public var path: String { file?.path ?? "" }

        /// Starts a file at `path` (which must pass ``SummaFile/checkOutput(_:inputs:)``): creates the temporary file
        /// and writes the header. A header beyond what readers accept (1 MiB of JSON) is refused.
        public init(path: String, header: EncryptedRecords, inputs: [String] = []) throws(FormatError) {
            let encoded = header.encoded
            let headerBytes = encoded.count - EncryptedRecords.prefixBytes
            guard headerBytes <= EncryptedRecords.maximumHeaderBytes else {
                throw .incompatible("\(path): a header of \(headerBytes) bytes is beyond the \(EncryptedRecords.maximumHeaderBytes) readers accept (too many columns)")
            }
            file = try AtomicFile(path: path, inputs: inputs)
            self.header = header
            recordsStart = encoded.count
            buffer = encoded
            buffer.reserveCapacity(Self.bufferBytes + header.recordBytes)
        }

        deinit { abandon() }

        /// Appends records, in order. Each must be a ciphertext under the header's key (in 1..<n²; the writer does
        /// not spend a gcd per record on checking it is prime to n, which the key's operations ensure).
        public func append(_ records: [PaillierCiphertext]) throws(FormatError) {
            precondition(file != nil, "EncryptedRecords.Writer.append after finish or abandon")
            let width = header.recordBytes
            for record in records {
                guard record.value.signum > 0, record.value < header.publicKey.nSquared else {
                    let path = path
                    abandon()
                    throw .invalidRecord(path: path, record: recordCount, offset: recordsStart + recordCount * width, .ciphertextOutOfRange)
                }
                buffer += record.value.bigEndianBytes(minimumCount: width)
                recordCount += 1
                if buffer.count >= Self.bufferBytes { try flush() }
            }
        }

        /// Writes the trailer (`rows`, the record count, `counts` and the digest), syncs the file and moves it into
        /// place. `counts` holds, per column, how many cells hold a value, each at most `rows`; the records appended
        /// must be exactly those of `rows` rows (``EncryptedRecords/recordCount(rows:)``). On any failure the file
        /// is removed.
        /// A grouped file (``EncryptedRecords/groupBy``) also takes its `groups`: the group table and the group of
        /// every block appended, which must add up to `rows`, `counts` and the records.
        public func finish(rows: Int, counts: [Int], groups: Groups? = nil) throws(FormatError) {
            guard let file else { preconditionFailure("EncryptedRecords.Writer.finish after finish or abandon") }
            guard (groups != nil) == header.isGrouped else {
                abandon()
                throw .incompatible("\(file.path): a grouped file needs its groups, and only a grouped file has them")
            }
            guard counts.count == header.columns.count, rows >= 0, counts.allSatisfy({ (0...rows).contains($0) }) else {
                abandon()
                throw .incompatible("\(file.path): \(counts.count) counts for \(header.columns.count) columns, each 0…\(rows) (the rows)")
            }
            let section = groups?.encoded ?? []
            let trailer = Trailer(rows: rows, recordCount: recordCount, counts: counts, groupSectionBytes: groups.map { _ in section.count })
            if groups != nil {
                // Checked as a reader will check it, so that no file is written that cannot be read back.
                do {
                    _ = try Reader.parseGroups(section, at: 0, header: header, trailer: trailer, path: file.path)
                } catch {
                    abandon()
                    throw error
                }
            } else if header.recordCount(rows: rows) != recordCount {
                abandon()
                throw .incompatible("\(file.path): \(recordCount) records written, but \(rows) rows take \(header.recordCount(rows: rows).map(String.init) ?? "more")")
            }
            buffer += section + trailer.fields
            hasher.update(data: buffer)
            buffer += Array(hasher.finalize())
            self.file = nil
            try file.write(buffer)
            try file.commit()
        }

        /// Removes what was written; nothing is left at the path. Nothing happens once finished or abandoned.
        public func abandon() {
            file?.discard()
            file = nil
            buffer = []
        }

        private func flush() throws(FormatError) {
            hasher.update(data: buffer)
            do {
                try file?.write(buffer)
            } catch {
                file = nil
                throw error
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
