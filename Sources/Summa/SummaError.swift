import Paillier

/// Everything that can go wrong in the number, statistics and file layer. Each message names the file, line or
/// field at fault, and never a secret or a plaintext value it was not given.
public enum SummaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Text that is not a decimal number (`field` says where it came from, e.g. "line 7, column amount").
    case invalidNumber(String, field: String)
    /// A scale (number of decimals) outside 0…``FixedPoint/maximumScale``.
    case scaleOutOfRange(Int)
    /// A value does not fit the key's plaintext space (|m| ≤ n/3 − 1), before encryption or after arithmetic.
    case valueTooLarge(field: String)
    /// A decrypted value fell outside the guard band: the sum or product overflowed. Never a wrong number.
    case overflow
    /// An operation could produce a value beyond the plaintext range (its public bound says so): refused before
    /// computing, because a wrapped-around result could decrypt to a wrong number.
    case boundExceeded(operation: String)
    /// Two encrypted values under different keys were combined.
    case keyMismatch(expected: String, found: String)
    /// A file given to be combined is under another key than the first file.
    case fileKeyMismatch(path: String, firstPath: String)
    /// A file was decrypted with a private key it was not encrypted under.
    case wrongPrivateKey(fileKey: String, privateKey: String)
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A file is not valid JSON, or not one of Summa's or python-paillier's formats.
    case unrecognizedFile(path: String, reason: String)
    /// A field of a file is missing or malformed.
    case malformedField(path: String, field: String, reason: String)
    /// A file names a format version this build does not read.
    case unsupportedVersion(path: String, format: String, version: Int)
    /// The key inside a file does not match the fingerprint the file declares: it was altered.
    case fingerprintMismatch(path: String)
    /// A key or ciphertext in a file failed validation.
    case invalidKey(path: String, field: String, PaillierError)
    /// A column was asked for that the data does not have.
    case missingColumn(String, path: String, available: [String])
    /// Inputs that cannot be combined (different columns, scales or kinds), with the reason.
    case incompatible(String)
    /// A statistic needs data it does not have (a mean of zero values, a variance without squares).
    case notComputable(String)
    /// A CSV file is malformed at a line.
    case csv(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidNumber(let text, let field):
            "\(field): \"\(text.prefix(40))\" is not a decimal number (expected digits, an optional sign and point)"
        case .scaleOutOfRange(let scale):
            "scale \(scale) is out of range: 0 to \(FixedPoint.maximumScale) decimals are supported"
        case .valueTooLarge(let field): "\(field): the value is too large for the key's plaintext space"
        case .overflow:
            "overflow: the result left the key's plaintext range (|value| must stay below n/3); it cannot be decrypted correctly"
        case .boundExceeded(let operation):
            "\(operation): the result could exceed the key's plaintext range and could not be decrypted reliably (use a larger key, fewer values or fewer decimals)"
        case .keyMismatch(let expected, let found):
            "the inputs are encrypted under different keys (\(expected) and \(found))"
        case .fileKeyMismatch(let path, let firstPath):
            "\(path) is encrypted under a different key than \(firstPath): files can only be combined under one key"
        case .wrongPrivateKey(let fileKey, let privateKey):
            "wrong private key: the data is encrypted under \(fileKey), the private key is \(privateKey)"
        case .io(let path, let reason): "\(path): \(reason)"
        case .unrecognizedFile(let path, let reason): "\(path): \(reason)"
        case .malformedField(let path, let field, let reason): "\(path): field \(field): \(reason)"
        case .unsupportedVersion(let path, let format, let version):
            "\(path): \(format) version \(version) is not supported by this version of summa"
        case .fingerprintMismatch(let path):
            "\(path): the key in the file does not match its declared fingerprint (the file was altered)"
        case .invalidKey(let path, let field, let error): "\(path): field \(field): \(error)"
        case .missingColumn(let name, let path, let available):
            "\(path): no column \"\(name)\" (available: \(available.joined(separator: ", ")))"
        case .incompatible(let reason): reason
        case .notComputable(let reason): reason
        case .csv(let path, let line, let reason): "\(path):\(line): \(reason)"
        }
    }
}
