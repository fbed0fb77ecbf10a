/// Why a range proof could not be made or does not verify.
public enum RangeProofError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The prover's value at this index lies outside its range: no proof exists.
    case valueOutOfRange(index: Int)
    /// The proof does not have the statement's shape (counts, widths, numbers out of their groups or bounds).
    case malformedProof(String)
    /// An equation of the proof fails: the values are not in range, or the proof was made for another ciphertext,
    /// sender or session.
    case proofDoesNotVerify

    public var description: String {
        switch self {
        case .valueOutOfRange(let index): "value \(index + 1) lies outside its range"
        case .malformedProof(let reason): "a malformed range proof: \(reason)"
        case .proofDoesNotVerify: "the range proof does not verify"
        }
    }
}
