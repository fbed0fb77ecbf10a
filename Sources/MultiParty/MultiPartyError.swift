import Summa
import SummaFormats

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
        }
    }
}
