import Paillier
import Summa
import Threshold

/// Everything that can go wrong reading or writing a file. Each case names the file and, where there is one, the
/// line or field at fault; an error of a lower layer (a key that fails validation, a value that is not a number) is
/// kept whole beside that path, never flattened to text. Messages never quote a secret.
public enum FormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A file is not valid JSON, or not one of Summa's or python-paillier's formats.
    case unrecognizedFile(path: String, reason: String)
    /// A field of a file is missing or malformed.
    case malformedField(path: String, field: String, reason: String)
    /// A file names a format version this build does not read.
    case unsupportedVersion(path: String, format: String, version: Int)
    /// A file of an older format version this build refuses, because that version's fingerprint did not cover the
    /// whole key (version-1 threshold keys and shares); `remedy` says what to do instead.
    case obsoleteVersion(path: String, format: String, version: Int, remedy: String)
    /// The key inside a file does not match the fingerprint the file declares: it was altered.
    case fingerprintMismatch(path: String)
    /// A Paillier key or ciphertext in a file failed validation.
    case invalidKey(path: String, field: String, PaillierError)
    /// A threshold key or key share in a file failed validation.
    case invalidThresholdKey(path: String, field: String, ThresholdError)
    /// A CSV file is malformed at a line.
    case csv(path: String, line: Int, reason: String)
    /// A CSV cell is not a value Summa can take (the numbers layer's error says which column and why).
    case csvValue(path: String, line: Int, SummaError)
    /// A column was asked for that the file does not have.
    case missingColumn(String, path: String, available: [String])
    /// A file given to be combined is under another key than the first file.
    case fileKeyMismatch(path: String, firstPath: String)
    /// A file of python-paillier fractions (binary: values m × 16^e with e < 0, doubles as pheutil writes them) and
    /// a file of Summa's exact decimals given to be summed in one column: their sum would be neither exact decimals
    /// nor a double, so it is refused rather than shown rounded.
    case binaryAndDecimalValues(binaryPath: String, decimalPath: String, column: String)
    /// Files that cannot be combined or used as asked, with the reason.
    case incompatible(String)
    /// Arithmetic on the numbers a file holds failed (an overflow, a bound exceeded, the wrong private key).
    case number(SummaError)
    /// A file names a version of its format this build does not read; `remedy` says what to do instead.
    case unreadableVersion(path: String, format: String, version: Int, remedy: String)
    /// The packing layout a file declares is not one its key can hold (the numbers layer's error says why).
    case invalidLayout(path: String, field: String, SummaError)
    /// A binary file's padding rows or empty cells decrypt to something other than zero: a value hidden where its
    /// own decryption does not show it, but a sum would add it.
    case paddingNotEmpty(path: String, column: String)
    /// A binary file's framing is broken: truncated, extended, or with lengths and counts that disagree.
    /// `offset` is the byte where it shows, when there is one.
    case malformedBinary(path: String, offset: Int?, reason: String)
    /// A record of a binary file (numbered from 0, starting at byte `offset`) is not a ciphertext under its key.
    case invalidRecord(path: String, record: Int, offset: Int, PaillierError)
    /// The SHA-256 digest a binary file ends with does not match its bytes: the file was altered or corrupted.
    case digestMismatch(path: String)

    public var description: String {
        switch self {
        case .io(let path, let reason): "\(path): \(reason)"
        case .unrecognizedFile(let path, let reason): "\(path): \(reason)"
        case .malformedField(let path, let field, let reason): "\(path): field \(field): \(reason)"
        case .unsupportedVersion(let path, let format, let version):
            "\(path): \(format) version \(version) is not supported by this version of summa"
        case .obsoleteVersion(let path, let format, let version, let remedy):
            "\(path): \(format) version \(version) is no longer accepted: \(remedy)"
        case .fingerprintMismatch(let path):
            "\(path): the key in the file does not match its declared fingerprint (the file was altered)"
        case .invalidKey(let path, let field, let error): "\(path): field \(field): \(error)"
        case .invalidThresholdKey(let path, let field, let error): "\(path): field \(field): \(error)"
        case .csv(let path, let line, let reason): "\(path):\(line): \(reason)"
        case .csvValue(let path, let line, let error): "\(path):\(line): \(error)"
        case .missingColumn(let name, let path, let available):
            "\(path): no column \"\(name)\" (available: \(available.joined(separator: ", ")))"
        case .fileKeyMismatch(let path, let firstPath):
            "\(path) is encrypted under a different key than \(firstPath): files can only be combined under one key"
        case .binaryAndDecimalValues(let binaryPath, let decimalPath, let column):
            "\(binaryPath) holds python-paillier fractions (binary, like doubles) and \(decimalPath) Summa's exact decimals: "
                + "column \(column) cannot sum both without rounding; sum each kind on its own"
        case .incompatible(let reason): reason
        case .number(let error): error.description
        case .unreadableVersion(let path, let format, let version, let remedy):
            "\(path): \(format) version \(version) is not supported by this version of summa: \(remedy)"
        case .invalidLayout(let path, let field, let error): "\(path): field \(field): \(error)"
        case .paddingNotEmpty(let path, let column):
            "\(path): column \(column) holds a value in a padding row or an empty cell, which a sum would add unseen: the file was not written by summa encrypt"
        case .malformedBinary(let path, let offset, let reason):
            offset.map { "\(path): at byte \($0): \(reason)" } ?? "\(path): \(reason)"
        case .invalidRecord(let path, let record, let offset, let error):
            "\(path): record \(record) (at byte \(offset)): \(error)"
        case .digestMismatch(let path):
            "\(path): the SHA-256 digest in its trailer does not match its contents (the file was altered or corrupted)"
        }
    }
}

extension FormatError {
    /// Refuses a list of column names (to read from a CSV file, or to aggregate) that names one twice: the file
    /// written from it would hold two columns of one name, which no reader accepts.
    public static func requireDistinctColumns(_ names: [String]) throws(FormatError) {
        var seen = Set<String>()
        if let repeated = names.first(where: { !seen.insert($0).inserted }) {
            throw .incompatible("--column \(repeated) is given twice: name each column once")
        }
    }

    /// Runs arithmetic of the numbers layer on what files hold, keeping its error whole as ``number(_:)``.
    static func catching<T>(_ body: () throws(SummaError) -> T) throws(FormatError) -> T {
        do { return try body() } catch { throw .number(error) }
    }

    /// The asynchronous form of ``catching(_:)``.
    static func catching<T>(_ body: () async throws(SummaError) -> T) async throws(FormatError) -> T {
        do { return try await body() } catch { throw .number(error) }
    }
}
