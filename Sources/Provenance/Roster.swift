import Crypto
import Foundation
import Paillier
import SummaFormats

/// Who takes part in a threshold key, agreed out of band before the key exists: the parties' and the coordinator's
/// public identities (each made by its owner with `summa identity`), the threshold t and the key size. Its
/// ``fingerprint`` covers all of it; comparing fingerprints is how everyone checks they hold the same roster.
///
/// A roster is checked when it is made and whenever it is read: 2 ≤ t, ℓ ≥ 2t − 1 (an honest majority among any t
/// parties' complement, which the dealer-free key generation's multiplications need: a product of two degree t − 1
/// sharings has degree 2t − 2), ℓ ≤ 64, every identity distinct, and a key size Summa makes.
public struct Roster: Sendable, Equatable {
    public let parties: [PublicIdentity]
    public let coordinator: PublicIdentity
    public let threshold: Int
    public let bits: Int

    /// The `summa.roster` document.
    public static let format = "summa.roster"
    public static let version = 1

    /// A checked roster; `path` names it in errors.
    public init(
        parties: [PublicIdentity], coordinator: PublicIdentity, threshold: Int, bits: Int, path: String = "roster",
        allowInsecureKeySize: Bool = false
    ) throws(ProvenanceError) {
        guard (2...64).contains(parties.count) else { throw .invalidRoster(path: path, reason: "\(parties.count) parties: a roster has 2 to 64") }
        guard threshold >= 2, 2 * threshold - 1 <= parties.count else {
            throw .invalidRoster(
                path: path,
                reason: "a threshold of \(threshold) needs 2 ≤ t and at least 2t − 1 = \(2 * threshold - 1) parties (an honest majority), not \(parties.count)")
        }
        let everyone = parties + [coordinator]
        if let repeated = everyone.first(where: { identity in everyone.filter { $0 == identity }.count > 1 }) {
            throw .invalidRoster(path: path, reason: "\(repeated.label) is named twice: everyone needs an identity of their own")
        }
        let smallest = allowInsecureKeySize ? 256 : PaillierPublicKey.minimumSecureBits
        guard bits % 2 == 0, (smallest...PaillierPublicKey.maximumBits).contains(bits) else {
            throw .invalidRoster(path: path, reason: "a key of \(bits) bits: an even size from \(smallest) to \(PaillierPublicKey.maximumBits)")
        }
        self.parties = parties
        self.coordinator = coordinator
        self.threshold = threshold
        self.bits = bits
    }

    /// `sha256:` and the hex SHA-256 of the roster's canonical JSON without its fingerprint.
    public var fingerprint: String {
        let digest = SHA256.hash(data: Data(Self.canonicalBody(unsignedMembers).serialized.utf8))
        return "sha256:" + digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Every member but the fingerprint.
    var unsignedMembers: [(String, JSONValue)] {
        [
            ("format", .string(Self.format)), ("version", .integer(Self.version)), ("threshold", .integer(threshold)),
            ("bits", .integer(bits)), ("parties", .array(parties.map { .object($0.members) })),
            ("coordinator", .object(coordinator.members)),
        ]
    }

    static func canonicalBody(_ members: [(String, JSONValue)]) -> JSONValue { JSONValue.object(members).canonical }

    public var json: JSONValue { .object(unsignedMembers + [("fingerprint", .string(fingerprint))]) }

    /// Reads a `summa.roster` file, checking it as a roster and its fingerprint as its own.
    public static func read(path: String, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed) throws(ProvenanceError) -> Roster {
        try parse(
            try ProvenanceError.catching { () throws(FormatError) in try SummaFile.contents(atPath: path) }, path: path,
            allowInsecureKeySize: allowInsecureKeySize)
    }

    /// Parses a `summa.roster` document (`path` names it in errors).
    public static func parse(_ data: Data, path: String, allowInsecureKeySize: Bool = false) throws(ProvenanceError) -> Roster {
        let fields = try PublicIdentity.fields(data, path: path, format: format)
        let (threshold, bits, partyValues, coordinatorFields, fingerprint) = try ProvenanceError.catching {
            () throws(FormatError) in
            (try fields.integer("threshold", in: 0...64), try fields.integer("bits", in: 0...PaillierPublicKey.maximumBits),
             try fields.array("parties"), try fields.object("coordinator"), try fields.string("fingerprint"))
        }
        guard partyValues.count <= 64 else { throw .invalidRoster(path: path, reason: "more than 64 parties") }
        var parties: [PublicIdentity] = []
        for (index, value) in partyValues.enumerated() {
            let party = try ProvenanceError.catching { () throws(FormatError) in
                try JSONFields(value, path: path, prefix: "parties[\(index)]")
            }
            let (name, key) = try PublicIdentity.parseMembers(party)
            parties.append(PublicIdentity(name: name, key: key))
        }
        let (name, key) = try PublicIdentity.parseMembers(coordinatorFields)
        let roster = try Roster(
            parties: parties, coordinator: PublicIdentity(name: name, key: key), threshold: threshold, bits: bits, path: path,
            allowInsecureKeySize: allowInsecureKeySize)
        guard roster.fingerprint == fingerprint else {
            throw .invalidRoster(path: path, reason: "the fingerprint is not the roster's: it was altered after it was made")
        }
        return roster
    }

    /// What `summa inspect` shows.
    public var summary: [String] {
        ["kind: roster", "fingerprint: \(fingerprint)", "threshold: \(threshold) of \(parties.count) parties", "key: \(bits) bits"]
            + parties.enumerated().map { "party \($0 + 1): \($1.label)" } + ["coordinator: \(coordinator.label)"]
    }

    /// Writes the roster (public) to `path`.
    public func write(to path: String) throws(ProvenanceError) {
        try ProvenanceError.catching { () throws(FormatError) in try SummaFile.write(json, to: path) }
    }
}
