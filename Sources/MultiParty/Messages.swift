import BigNum
import Foundation
import Paillier
import Summa
import SummaFormats
import Threshold

/// The typed bodies of each round, with their JSON forms (big integers as decimal strings).
public enum Message: Sendable, Equatable {
    /// Coordinator → party: what this session computes and under which key.
    case header(Header)
    /// Party → coordinator: Enc(xᵢ) with a proof of plaintext knowledge, and the row count it stands for.
    case input(Input)
    /// Coordinator → parties: the inputs accepted, and who was left out.
    case acceptedList(AcceptedList)
    /// Party → coordinator: the digest H(session, L, C) the party computed itself.
    case echo(digest: Data)
    /// Coordinator → parties: every party's signed echo, so each can check that the others saw the same list.
    case echoes([Envelope])
    /// Party → coordinator: its decryption share of C with its proof.
    case decryptionShare(DecryptionShare)
    /// Coordinator → parties: the outcome, with the shares it combined and the signed, faulty message of every
    /// party it blamed (its evidence), so that parties check every field of it.
    case result(SessionResult, shares: [DecryptionShare], evidence: [Envelope])
    /// Coordinator → parties: the session cannot finish.
    case abort(reason: String, failed: [Int])

    public struct Header: Sendable, Equatable {
        /// The threshold key's fingerprint (the parameter hash: a party under another key refuses).
        public let keyFingerprint: String
        /// Decimals of every input (inputs are raised to it; more decimals are refused by the party).
        public let scale: Int
        /// Inputs needed for the session to go on.
        public let minimumInputs: Int
        /// Seconds the coordinator waits for inputs.
        public let inputDeadline: Int

        /// The longest input deadline a party accepts: a day.
        public static let maximumInputDeadline = 86_400
    }

    public struct Input: Sendable, Equatable {
        public let ciphertext: BigInteger
        public let proof: PlaintextKnowledgeProof
        /// How many rows the encrypted sum stands for (1 for a single value).
        public let count: Int
        /// H(header): the session parameters this input was made for (its scale above all). Signed with the input,
        /// so an input made under parameters other than the session's is refused, never summed at the wrong scale.
        public let header: Data
    }

    public struct AcceptedList: Sendable, Equatable {
        /// (party, input), in party order.
        public let entries: [Entry]
        public let blamed: [Int]
        public let missing: [Int]

        public struct Entry: Sendable, Equatable {
            public let party: Int
            public let input: Input
            /// The party's signature of its input envelope: every party checks it, so a coordinator cannot slip
            /// a made-up input (with an honest-looking proof of its own) into the sum.
            public let signature: Data

            /// Checks ``signature`` against the party's roster key.
            public func verifySignature(session: Data, roster: [Data]) throws(MultiPartyError) {
                try Envelope(session: session, round: .input, sender: party, body: Message.input(input).body, signature: signature)
                    .verifySignature(roster: roster)
            }
        }
    }

    public var round: Envelope.Round {
        switch self {
        case .header: .header
        case .input: .input
        case .acceptedList: .acceptedList
        case .echo: .echo
        case .echoes: .echoes
        case .decryptionShare: .decryptionShare
        case .result: .result
        case .abort: .abort
        }
    }
}

/// What a finished session computed: exact sum and count, the mean rounded half to even to scale + 4 decimals.
public struct SessionResult: Sendable, Equatable {
    public let sum: FixedPoint
    public let count: Int
    public let mean: FixedPoint?
    public let contributors: [Int]
    public let blamed: [Int]

    /// The `--json` form: numbers as decimal strings.
    public var json: JSONValue {
        .object([
            ("sum", .string(sum.description)), ("mean", mean.map { .string($0.description) } ?? .null),
            ("count", .string(String(count))), ("contributors", .array(contributors.map { .integer($0) })),
            ("blamed", .array(blamed.map { .integer($0) })),
        ])
    }
}
