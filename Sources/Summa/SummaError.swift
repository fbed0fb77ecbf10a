import Paillier

/// Everything that can go wrong with encrypted numbers and statistics. Each message names the value or operation
/// at fault, and never a secret or a plaintext value it was not given. Errors of files are the formats layer's.
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
    /// A file was decrypted with a private key it was not encrypted under.
    case wrongPrivateKey(fileKey: String, privateKey: String)
    /// Inputs that cannot be combined (different columns, scales or kinds), with the reason.
    case incompatible(String)
    /// A statistic needs data it does not have (a mean of zero values, a variance without squares).
    case notComputable(String)

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
        case .wrongPrivateKey(let fileKey, let privateKey):
            "wrong private key: the data is encrypted under \(fileKey), the private key is \(privateKey)"
        case .incompatible(let reason): reason
        case .notComputable(let reason): reason
        }
    }
}
