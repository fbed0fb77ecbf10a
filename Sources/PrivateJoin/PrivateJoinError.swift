import MultiParty
import Summa
import SummaFormats

/// Everything that can go wrong in a private join: each case names the file and line, the field, or the side.
public enum PrivateJoinError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A list that cannot be read (the formats layer's error names the file and line).
    case file(FormatError)
    /// An identifier that is empty once normalized.
    case emptyIdentifier(path: String, line: Int)
    /// The same identifier twice in one list (after normalization): a join counts each customer once.
    case duplicateIdentifier(path: String, line: Int, firstLine: Int)
    /// A value that does not fit the join's arithmetic, or a bound or budget that cannot be met.
    case value(path: String, line: Int, column: String, reason: String)
    /// Options that cannot work together.
    case incompatible(String)
    /// A message from the other side that breaks the protocol: garbage, a wrong size, an unexpected round.
    case protocolViolation(String)
    /// The other side gave up and said why.
    case peerAborted(String)
    /// Fewer matches than the minimum intersection: nothing is released.
    case intersectionTooSmall(minimum: Int)

    public var description: String {
        switch self {
        case .file(let error): "\(error)"
        case .emptyIdentifier(let path, let line): "\(path): line \(line): the identifier is empty"
        case .duplicateIdentifier(let path, let line, let firstLine):
            "\(path): line \(line): the identifier of line \(firstLine) again (after normalization); each identifier may appear once"
        case .value(let path, let line, let column, let reason): "\(path): line \(line): column \(column): \(reason)"
        case .incompatible(let reason): reason
        case .protocolViolation(let reason): "the other side broke the protocol: \(reason)"
        case .peerAborted(let reason): "the other side stopped: \(reason)"
        case .intersectionTooSmall(let minimum):
            "the intersection has fewer than \(minimum) matches (the minimum intersection): nothing is released"
        }
    }
}
