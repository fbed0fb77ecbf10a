import SummaFormats

/// Everything that can go wrong with identities, signed inputs and what an aggregate says of its inputs. Each
/// message names the file and what is wrong, never a secret.
public enum ProvenanceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read or written, or is not what it should be.
    case file(FormatError)
    /// A roster that cannot serve: its sizes, a repeated identity, or a fingerprint that is not its own.
    case invalidRoster(path: String, reason: String)
    /// An identity file's field is wrong.
    case malformedIdentity(path: String, field: String, reason: String)
    /// A signed statement's signature does not verify (it was altered, or signed by another key).
    case badSignature(path: String)
    /// A statement signs another file than the one beside it, or another key's ciphertexts.
    case statementMismatch(path: String, reason: String)
    /// The same input (the same bytes) appears twice among the inputs of a sum.
    case duplicateInput(path: String, digest: String)
    /// An input is unsigned, or signed by someone not among the signers the key holder trusts.
    case untrustedInput(file: String, reason: String)
    /// An aggregate disagrees with the signed statements of its inputs (counts, plan, key).
    case aggregateMismatch(path: String, reason: String)
    /// Decrypted totals contradict what the signed inputs allow (a count beyond the rows, a sum beyond the bounds).
    case implausibleTotals(reason: String)
    /// An audit recomputed the aggregate and got something else.
    case auditFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .file(let error): error.description
        case .invalidRoster(let path, let reason): "\(path): \(reason)"
        case .malformedIdentity(let path, let field, let reason): "\(path): field \(field): \(reason)"
        case .badSignature(let path): "\(path): the signature does not verify: the statement was altered or signed by another key"
        case .statementMismatch(let path, let reason): "\(path): \(reason)"
        case .duplicateInput(let path, let digest): "\(path): the same input (\(digest)) is summed twice"
        case .untrustedInput(let file, let reason): "input \(file): \(reason)"
        case .aggregateMismatch(let path, let reason): "\(path): \(reason)"
        case .implausibleTotals(let reason): "the decrypted totals contradict the signed inputs: \(reason)"
        case .auditFailed(let path, let reason): "\(path): audit failed: \(reason)"
        }
    }

    /// Runs `body`, turning a formats error into ``file(_:)``.
    static func catching<T>(_ body: () throws(FormatError) -> T) throws(ProvenanceError) -> T {
        do { return try body() } catch { throw .file(error) }
    }
}
