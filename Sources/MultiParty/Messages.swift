import BigNum
import Foundation
import Paillier
import RangeProofs
import Summa
import SummaFormats
import Threshold

/// The typed bodies of each round, with their JSON forms (big integers as decimal strings).
public enum Message: Sendable, Equatable {
    /// Coordinator → party: what this session computes and under which key.
    case header(Header)
    /// Party → coordinator: Enc(xᵢⱼ) for each of the header's `length` values, each with a proof of plaintext
    /// knowledge, and the row count they stand for.
    case input(Input)
    /// Coordinator → parties: the inputs accepted, and who was left out.
    case acceptedList(AcceptedList)
    /// Party → coordinator: the digest H(session, L, C) the party computed itself.
    case echo(digest: Data)
    /// Coordinator → parties: every party's signed echo, so each can check that the others saw the same list.
    case echoes([Envelope])
    /// Party → coordinator: its decryption shares of C₁…C_k with one batched proof.
    case decryptionShare(BatchDecryptionShare)
    /// Coordinator → parties: the outcome, with the shares it combined and the signed, faulty message of every
    /// party it blamed (its evidence), so that parties check every field of it.
    case result(SessionResult, shares: [BatchDecryptionShare], evidence: [Envelope])
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
        /// Values in every input, summed position by position (1 for a single sum; several for several columns).
        public let length: Int
        /// The values' names (columns), `length` of them, or none: a party contributing named columns checks that
        /// they are these, so that no column is summed into another's position.
        public let names: [String]
        /// The largest |mantissa| of a value at the session's scale, when inputs are packed (vectors: see
        /// ``SessionPacking``); nil for one ciphertext per value, bounded by the key alone.
        public let valueBound: BigInteger?
        /// The noise every party adds to its vector (packed sessions only), so that the sum is differentially
        /// private; nil for exact sums.
        public let noise: SessionNoise?
        /// The range every value must lie in, as mantissas at the session's scale: one per value, or one for all
        /// (packed sessions only, within ``valueBound``). Each input then carries a ``RangeProofs/RangeProof`` in
        /// place of its proofs of plaintext knowledge. Empty: no range is declared, and inputs are not proven in one.
        public let ranges: [ValueRange]

        public init(
            keyFingerprint: String, scale: Int, minimumInputs: Int, inputDeadline: Int, length: Int = 1, names: [String] = [],
            valueBound: BigInteger? = nil, noise: SessionNoise? = nil, ranges: [ValueRange] = []
        ) {
            self.keyFingerprint = keyFingerprint
            self.scale = scale
            self.minimumInputs = minimumInputs
            self.inputDeadline = inputDeadline
            self.length = length
            self.names = names
            self.valueBound = valueBound
            self.noise = noise
            self.ranges = ranges
        }

        /// The longest input deadline a party accepts: a day.
        public static let maximumInputDeadline = 86_400
        /// The most ciphertexts an input holds: each comes with its proof (about 4 KiB at 2048 bits), and the
        /// accepted list carries every party's. Unpacked, the most values too.
        public static let maximumLength = 4096
        /// The most values a packed input holds.
        public static let maximumPackedLength = 1_000_000
        /// The largest value bound: values of a packed session fit a signed 64-bit integer at its scale.
        public static let maximumValueBound = BigInteger(Int.max)
        /// The longest name of a value.
        public static let maximumNameLength = 256
    }

    public struct Input: Sendable, Equatable {
        /// One ciphertext per value of the header's `length`, in order.
        public let ciphertexts: [BigInteger]
        /// A proof of plaintext knowledge for each ciphertext (none when the header declares ranges).
        public let proofs: [PlaintextKnowledgeProof]
        /// With declared ranges: the proof that every value lies in its range, which also proves knowledge of the
        /// plaintexts.
        public let rangeProof: RangeProof?
        /// How many rows the encrypted sums stand for (1 for single values).
        public let count: Int
        /// H(header): the session parameters this input was made for (its scale above all). Signed with the input,
        /// so an input made under parameters other than the session's is refused, never summed at the wrong scale.
        public let header: Data

        public init(ciphertexts: [BigInteger], proofs: [PlaintextKnowledgeProof] = [], rangeProof: RangeProof? = nil, count: Int, header: Data) {
            self.ciphertexts = ciphertexts
            self.proofs = proofs
            self.rangeProof = rangeProof
            self.count = count
            self.header = header
        }
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

/// What a finished session computed: for each value of the inputs, its exact sum and its mean over all rows, rounded
/// half to even to scale + 4 decimals.
public struct SessionResult: Sendable, Equatable {
    /// The values' names from the header (none when the session did not name them).
    public let names: [String]
    /// One sum per value position.
    public let sums: [FixedPoint]
    public let count: Int
    /// One mean per value position; nil when no rows were contributed.
    public let means: [FixedPoint]?
    public let contributors: [Int]
    public let blamed: [Int]
    /// The header's declared ranges (mantissas at the sums' scale): every contributor proved its values in them.
    /// Empty when the session declared none, so the output can say its inputs were not proven in any range.
    public let ranges: [ValueRange]

    public init(
        names: [String], sums: [FixedPoint], count: Int, means: [FixedPoint]?, contributors: [Int], blamed: [Int],
        ranges: [ValueRange] = []
    ) {
        self.ranges = ranges
        self.names = names
        self.sums = sums
        self.count = count
        self.means = means
        self.contributors = contributors
        self.blamed = blamed
    }

    /// The result of `sums` over `count` rows: each mean is its sum over the count.
    init(names: [String], sums: [FixedPoint], count: Int, contributors: [Int], blamed: [Int], ranges: [ValueRange]) throws(SummaError) {
        self.init(
            names: names, sums: sums, count: count, means: try Self.means(of: sums, count: count),
            contributors: contributors, blamed: blamed, ranges: ranges)
    }

    /// One line saying what every contributor proved its values to lie in, or that no range was declared.
    public var rangesDescription: String {
        guard !ranges.isEmpty else { return "ranges: none declared: inputs were not proven to lie in any range" }
        let scale = sums.first?.scale ?? 0
        let shown = { (range: ValueRange) in range.decimals(scale: scale).joined(separator: ":") }
        guard ranges.count > 1 else { return "ranges: every value \(shown(ranges[0])), proven by every contributor" }
        let labels = names.isEmpty ? ranges.indices.map { "[\($0 + 1)]" } : names
        return "ranges: " + zip(labels, ranges).map { "\($0) \(shown($1))" }.joined(separator: ", ") + ", proven by every contributor"
    }

    /// Each sum over `count` (nil for no rows), rounded as ``ColumnStatistics`` rounds a mean.
    static func means(of sums: [FixedPoint], count: Int) throws(SummaError) -> [FixedPoint]? {
        guard count > 0 else { return nil }
        return try sums.map { (sum) throws(SummaError) in
            try ColumnStatistics(count: count, sum: sum, sumOfSquares: nil).mean!
        }
    }

    /// The `--json` form: numbers as decimal strings.
    public var json: JSONValue {
        .object([
            ("names", .array(names.map { .string($0) })), ("sums", .array(sums.map { .string($0.description) })),
            ("means", means.map { .array($0.map { .string($0.description) }) } ?? .null),
            ("count", .string(String(count))), ("contributors", .array(contributors.map { .integer($0) })),
            ("blamed", .array(blamed.map { .integer($0) })), ("ranges", Message.json(ranges)),
        ])
    }
}

extension ValueRange {
    /// The range's ends as decimals at `scale` (a party's refusal and a result's ranges line show them).
    func decimals(scale: Int) -> [String] {
        [lower, upper].map { (try? FixedPoint(mantissa: $0, scale: scale))?.description ?? $0.description }
    }
}
