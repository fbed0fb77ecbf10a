import BigNum
import Foundation
import Summa
import SummaFormats
import Threshold

extension Message {
    /// The body as JSON.
    public var body: JSONValue {
        switch self {
        case .header(let header):
            return .object([
                ("keyFingerprint", .string(header.keyFingerprint)), ("scale", .integer(header.scale)),
                ("minimumInputs", .integer(header.minimumInputs)), ("inputDeadline", .integer(header.inputDeadline)),
            ])
        case .input(let input): return input.json
        case .acceptedList(let list):
            return .object([
                ("entries", .array(list.entries.map { entry in
                    .object([
                        ("party", .integer(entry.party)), ("input", entry.input.json),
                        ("signature", .string(Base64URL.encode(Array(entry.signature)))),
                    ])
                })),
                ("blamed", .array(list.blamed.map { .integer($0) })), ("missing", .array(list.missing.map { .integer($0) })),
            ])
        case .echo(let digest): return .object([("digest", .string(Base64URL.encode(Array(digest))))])
        case .echoes(let envelopes): return .object([("echoes", .array(envelopes.map(\.json)))])
        case .decryptionShare(let share): return Self.json(share)
        case .result(let result, let shares, let evidence):
            guard case .object(let members) = result.json else { return result.json }
            return .object(members + [
                ("sumScale", .integer(result.sum.scale)), ("shares", .array(shares.map(Self.json))),
                ("evidence", .array(evidence.map(\.json))),
            ])
        case .abort(let reason, let failed):
            return .object([("reason", .string(reason)), ("failed", .array(failed.map { .integer($0) }))])
        }
    }

    static func json(_ share: DecryptionShare) -> JSONValue {
        .object([
            ("party", .integer(share.party)), ("value", .string(share.value.description)),
            ("challenge", .string(share.challenge.description)), ("response", .string(share.response.description)),
        ])
    }

    /// Parses the body of an envelope of `round`.
    public init(round: Envelope.Round, body: JSONValue) throws(MultiPartyError) {
        do {
            let fields = try JSONFields(body, path: "message", prefix: "body")
            switch round {
            case .header:
                self = .header(Header(
                    keyFingerprint: try fields.string("keyFingerprint"),
                    scale: try fields.integer("scale", in: 0...FixedPoint.maximumScale),
                    minimumInputs: try fields.integer("minimumInputs", in: 1...64),
                    inputDeadline: try fields.integer("inputDeadline", in: 0...Header.maximumInputDeadline)))
            case .input: self = .input(try Input(fields))
            case .acceptedList:
                let entries = try fields.array("entries").enumerated().map { (index, value) throws(FormatError) in
                    let entry = try JSONFields(value, path: "message", prefix: "body.entries[\(index)]")
                    guard let signature = Base64URL.decode(try entry.string("signature")), signature.count == 64 else {
                        throw FormatError.malformedField(path: "message", field: entry.name("signature"), reason: "not 64 bytes of base64url")
                    }
                    return AcceptedList.Entry(
                        party: try entry.integer("party", in: 1...64), input: try Input(try entry.object("input")),
                        signature: Data(signature))
                }
                self = .acceptedList(AcceptedList(
                    entries: entries, blamed: try Self.parties(fields, "blamed"), missing: try Self.parties(fields, "missing")))
            case .echo:
                guard let digest = Base64URL.decode(try fields.string("digest")), digest.count == 32 else {
                    throw MultiPartyError.malformedMessage("body.digest is not 32 bytes of base64url")
                }
                self = .echo(digest: Data(digest))
            case .echoes: self = .echoes(try Self.envelopes(fields, "echoes"))
            case .decryptionShare: self = .decryptionShare(try Self.share(fields))
            case .result:
                let scale = try fields.integer("sumScale", in: 0...FixedPoint.maximumScale)
                let sum = try FixedPoint(parsing: try fields.string("sum"), field: "body.sum")
                guard sum.scale == scale else { throw MultiPartyError.malformedMessage("body.sum does not have its scale") }
                let mean = try fields.optional("mean").map { _ in
                    try FixedPoint(parsing: try fields.string("mean"), field: "body.mean")
                }
                guard let count = Int(try fields.string("count")), count >= 0 else {
                    throw MultiPartyError.malformedMessage("body.count is not a count")
                }
                let shares = try fields.array("shares").enumerated().map { (index, value) throws(FormatError) in
                    try Self.share(try JSONFields(value, path: "message", prefix: "body.shares[\(index)]"))
                }
                self = .result(SessionResult(
                    sum: sum, count: count, mean: mean, contributors: try Self.parties(fields, "contributors"),
                    blamed: try Self.parties(fields, "blamed")), shares: shares, evidence: try Self.envelopes(fields, "evidence"))
            case .abort:
                self = .abort(reason: try fields.string("reason"), failed: try Self.parties(fields, "failed"))
            }
        } catch let error as MultiPartyError {
            throw error
        } catch let error as FormatError {
            throw .malformedField(error)
        } catch let error as SummaError {
            throw .malformedValue(error)
        } catch {
            throw .malformedMessage("\(error)")
        }
    }

    /// Signed envelopes carried inside a message (relayed echoes, evidence of blame).
    static func envelopes(_ fields: JSONFields, _ key: String) throws -> [Envelope] {
        try fields.array(key).map { (value) throws(MultiPartyError) in try Envelope(parsing: Data(value.serialized.utf8)) }
    }

    static func parties(_ fields: JSONFields, _ key: String) throws(FormatError) -> [Int] {
        try fields.array(key).map { (value) throws(FormatError) in
            guard case .integer(let party) = value, (1...64).contains(party) else {
                throw .malformedField(path: fields.path, field: fields.name(key), reason: "expected party numbers")
            }
            return party
        }
    }

    static func share(_ fields: JSONFields) throws(FormatError) -> DecryptionShare {
        DecryptionShare(
            party: try fields.integer("party", in: 1...64), value: try fields.bigInteger("value"),
            challenge: try fields.bigInteger("challenge"), response: try fields.bigInteger("response"))
    }
}

extension Message.Input {
    var json: JSONValue {
        .object([
            ("ciphertext", .string(ciphertext.description)), ("count", .integer(count)),
            ("header", .string(Base64URL.encode(Array(header)))),
            ("proof", .object([
                ("commitment", .string(proof.commitment.description)), ("z", .string(proof.z.description)),
                ("w", .string(proof.w.description)),
            ])),
        ])
    }

    init(_ fields: JSONFields) throws(FormatError) {
        let proof = try fields.object("proof")
        guard let header = Base64URL.decode(try fields.string("header")), header.count == 32 else {
            throw .malformedField(path: fields.path, field: fields.name("header"), reason: "not 32 bytes of base64url")
        }
        self.init(
            ciphertext: try fields.bigInteger("ciphertext"),
            proof: PlaintextKnowledgeProof(
                commitment: try proof.bigInteger("commitment"), z: try proof.bigInteger("z"), w: try proof.bigInteger("w")),
            count: try fields.integer("count", in: 0...Int(Int32.max)), header: Data(header))
    }
}
