import Paillier
import Summa
import SummaFormats
import Threshold

/// Everything that can go wrong between the parties of a session. Messages name the party and the round.
public enum MultiPartyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A frame announced more bytes than allowed; the connection is dropped before buffering them.
    case frameTooLarge(length: Int, maximum: Int)
    /// A message that is not valid JSON or not a known envelope.
    case malformedMessage(String)
    /// A field of a message that is missing or malformed (the formats layer's error names the field).
    case malformedField(FormatError)
    /// A number in a message that is not a valid value (the numbers layer's error says why).
    case malformedValue(SummaError)
    /// A message of a protocol version this build does not speak.
    case unsupportedVersion(Int)
    /// A message for another session (or replayed from one).
    case wrongSession
    /// A signature that does not verify under the roster key of the claimed sender.
    case badSignature(sender: Int)
    /// A sender index outside the roster.
    case unknownSender(Int)
    /// An input whose ciphertext is not in the key's group.
    case invalidCiphertext(party: Int, PaillierError)
    /// An input made for other session parameters than the header's (another scale, say).
    case inputUnderOtherParameters(party: Int)
    /// An input with another number of ciphertexts than the session's values take.
    case inputOfWrongLength(party: Int, length: Int, expected: Int)
    /// An input whose proof of plaintext knowledge does not verify for its party and this session.
    case invalidInputProof(party: Int)
    /// An accepted list with fewer inputs than the session needs, or with a party twice.
    case tooFewInputs(minimum: Int)
    /// An accepted-list entry its party did not sign.
    case unsignedInput(party: Int)
    /// Accepted inputs whose sum the key cannot hold.
    case inputsDoNotSum(SummaError)
    /// A relayed echo that is not an echo of this session signed by its sender.
    case invalidEcho(party: Int)
    /// An echo of another digest: that party saw a different accepted list.
    case echoMismatch(party: Int)
    /// A decryption share not from its sender, or whose proof does not verify for C.
    case invalidDecryptionShare(party: Int)
    /// A result's decryption shares that do not combine.
    case sharesDoNotCombine(ThresholdError)
    /// A result's shares that combine to a residue which is not a value of the sum.
    case undecodableSum(SummaError)
    /// A packed sum whose slots do not decode within ±ℓ·B: some party packed values beyond the session's bound.
    case packedValuesBeyondBound
    /// A result whose sum or count is not what its shares decrypt C to.
    case resultDoesNotMatchShares
    /// A result whose contributors are not the accepted list's parties.
    case resultDoesNotMatchList
    /// A result whose mean is not its sum divided by its count.
    case resultMeanIsWrong
    /// A range a coordinator was asked to declare that is malformed, beyond the bound or for no column.
    case invalidRange(String)
    /// A result that blames a party without its signed, faulty message, or leaves out one it has evidence against.
    case unprovenBlame(party: Int)

    public var description: String {
        switch self {
        case .frameTooLarge(let length, let maximum): "a frame of \(length) bytes exceeds the \(maximum)-byte limit"
        case .malformedMessage(let reason): "malformed message: \(reason)"
        case .malformedField(let error): "malformed message: \(error)"
        case .malformedValue(let error): "malformed message: \(error)"
        case .unsupportedVersion(let version): "protocol version \(version) is not supported"
        case .wrongSession: "a message for another session (or a replay)"
        case .badSignature(let sender): "the message claimed to be from party \(sender) has an invalid signature"
        case .unknownSender(let sender): "no party \(sender) in the roster"
        case .invalidCiphertext(let party, let error): "party \(party)'s input: \(error)"
        case .inputUnderOtherParameters(let party): "party \(party)'s input was made for other session parameters"
        case .invalidInputProof(let party): "party \(party)'s input proof does not verify"
        case .inputOfWrongLength(let party, let length, let expected):
            "party \(party)'s input holds \(length) ciphertexts where the session's values take \(expected)"
        case .tooFewInputs(let minimum): "the accepted list has fewer than \(minimum) distinct inputs"
        case .unsignedInput(let party): "the coordinator put an input in the accepted list that party \(party) did not sign"
        case .inputsDoNotSum(let error): error.description
        case .invalidEcho(let party): "the relayed echo of party \(party) is not a signed echo of this session"
        case .echoMismatch(let party): "party \(party) signed a different accepted list"
        case .invalidDecryptionShare(let party): "party \(party)'s decryption share does not verify"
        case .sharesDoNotCombine(let error): error.description
        case .undecodableSum(let error): error.description
        case .packedValuesBeyondBound:
            "the decrypted sums lie beyond the session's bound: a party packed values beyond it (which one cannot be told)"
        case .resultDoesNotMatchShares: "the result does not match the decryption shares"
        case .resultDoesNotMatchList: "the result's contributors or names are not the accepted list's"
        case .resultMeanIsWrong: "the result's mean is not its sum divided by its count"
        case .invalidRange(let reason): reason
        case .unprovenBlame(let party): "the result's blame of party \(party) is not backed by a faulty message party \(party) signed"
        }
    }
}
