// EncryptedRecords.Reader on the bytes, saved as a file (the reader reads files, never memory): header, trailer,
// the group section of a grouped file, every record in chunks, the digest; verifyDigest must agree with the
// streaming pass; SummaFile.read of a file with the magic, and its summary. Then a round trip: header, counts, groups and records that read (whether or not
// the digest matched) are written again by EncryptedRecords.Writer, and that file must read back as the same, its digest
// matching; when the input's header is already the one Summa writes, the new file must be the input byte for byte.
import Foundation
import FuzzSupport
import Paillier
import SummaFormats

// In memory (tmpfs) where there is one: the writer syncs every file it finishes, which on a disk costs milliseconds.
nonisolated(unsafe) let folder =
    (access("/dev/shm", W_OK) == 0 ? "/dev/shm/" : NSTemporaryDirectory()) + "summa-fuzz-records-\(getpid())"
try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
atexit { try? FileManager.default.removeItem(atPath: folder) }
let input = folder + "/input.summa"
let output = folder + "/output.summa"

/// Everything the reader hands out of the file at `path`, and whether the digest matched; nil if it failed otherwise.
func readAll(_ path: String) -> (reader: EncryptedRecords.Reader, records: [PaillierCiphertext], intact: Bool)? {
    guard let reader = try? EncryptedRecords.Reader(path: path, allowInsecureKeySize: true) else { return nil }
    var records: [PaillierCiphertext] = []
    do {
        while let chunk = try reader.nextChunk(maximumRecords: 3) { records += chunk }
        return (reader, records, true)
    } catch .digestMismatch {
        return (reader, records, false)
    } catch {
        return nil
    }
}

Fuzz.run { [input, output] data in
    guard FileManager.default.createFile(atPath: input, contents: data) else { Fuzz.setupFailed("cannot write \(input)") }
    // Other files go to the JSON readers, which FuzzSummaFile fuzzes from memory.
    if data.starts(with: EncryptedRecords.magic), let file = try? SummaFile.read(path: input, allowInsecureKeySize: true) {
        _ = file.summary
        _ = file.kind
    }
    guard let read = readAll(input) else { return }
    let (reader, records, intact) = read
    let verified = (try? reader.verifyDigest()) != nil
    Fuzz.require(verified == intact, "verifyDigest says \(verified), the streaming pass \(intact)")

    do {
        let writer = try EncryptedRecords.Writer(path: output, header: reader.header)
        try writer.append(records)
        try writer.finish(rows: reader.rows, counts: reader.counts, groups: reader.groups)
    } catch {
        return Fuzz.require(false, "what was read of a records file cannot be written again (\(error))")
    }
    guard let again = readAll(output) else { return Fuzz.require(false, "a records file Summa wrote does not read back") }
    Fuzz.require(again.intact, "a records file Summa wrote fails its digest")
    Fuzz.require(
        again.reader.header == reader.header && again.reader.trailer == reader.trailer && again.reader.groups == reader.groups
            && again.records == records,
        "a records file Summa wrote reads back differently")
    let written = FileManager.default.contents(atPath: output) ?? Data()
    let header = Data(written.prefix(
        written.count - reader.recordCount * reader.header.recordBytes - (reader.trailer.groupSectionBytes ?? 0) - reader.header.trailerBytes))
    if intact && data.starts(with: header) {
        Fuzz.require(written == data, "a records file Summa wrote from one it read, with the same header, differs from it")
    }
}
