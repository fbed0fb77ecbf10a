import BigNum
import Foundation
import RangeProofs
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
                ("length", .integer(header.length)), ("names", .array(header.names.map { .string($0) })),
            ] + (header.valueBound.map { [("valueBound", .string($0.description))] } ?? [])
                + (header.noise.map { noise in
                    [("noise", .object([
                        ("epsilon", .string(noise.epsilon.description)), ("delta", .string(noise.delta.description)),
                        ("clipNorm", .string(noise.clipNorm.description)), ("honestParties", .integer(noise.honestParties)),
                    ]))]
                } ?? []) + [("ranges", Self.json(header.ranges))])
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
                ("sumScale", .integer(result.sums.first?.scale ?? 0)), ("shares", .array(shares.map(Self.json))),
                ("evidence", .array(evidence.map(\.json))),
            ])
        case .abort(let reason, let failed):
            return .object([("reason", .string(reason)), ("failed", .array(failed.map { .integer($0) }))])
        }
    }

    /// Ranges as [{"lower", "upper"}] with mantissas as decimal strings.
    static func json(_ ranges: [ValueRange]) -> JSONValue {
        .array(ranges.map { .object([("lower", .string($0.lower.description)), ("upper", .string($0.upper.description))]) })
    }

    /// Ranges of a header or result: none, one for all values or one per value, each lower ≤ upper with both within
    /// ±2⁶³ − 1 (and, given `bound`, within it).
    static func ranges(_ fields: JSONFields, _ key: String, length: Int, bound: BigInteger?) throws -> [ValueRange] {
        guard fields.optional(key) != nil else { return [] }
        let values = try fields.array(key)
        guard values.isEmpty || values.count == 1 || values.count == length else {
            throw MultiPartyError.malformedMessage("\(fields.name(key)) has \(values.count) ranges for \(length) values")
        }
        let limit = bound ?? Header.maximumValueBound
        return try values.enumerated().map { (index, value) throws in
            let range = try JSONFields(value, path: fields.path, prefix: "\(fields.name(key))[\(index)]")
            let lower = try range.signedBigInteger("lower"), upper = try range.signedBigInteger("upper")
            guard let valueRange = ValueRange(lower: lower, upper: upper), valueRange.magnitude <= limit else {
                throw MultiPartyError.malformedMessage("\(fields.name(key))[\(index)] is not lower ≤ upper within ±\(limit)")
            }
            return valueRange
        }
    }

    static func json(_ share: BatchDecryptionShare) -> JSONValue {
        .object([
            ("party", .integer(share.party)), ("values", .array(share.values.map { .string($0.description) })),
            ("challenge", .string(share.challenge.description)), ("response", .string(share.response.description)),
        ])
    }

    /// Parses the body of an envelope of `round`.
    public init(round: Envelope.Round, body: JSONValue) throws(MultiPartyError) {
        do {
            let fields = try JSONFields(body, path: "message", prefix: "body")
            switch round {
            case .header:
                let valueBound = try fields.optional("valueBound").map { _ throws(FormatError) in try fields.bigInteger("valueBound") }
                if let valueBound, !(1...Header.maximumValueBound).contains(valueBound) {
                    throw MultiPartyError.malformedMessage("body.valueBound is not in 1…2⁶³ − 1")
                }
                let length = try fields.integer("length", in: 1...(valueBound == nil ? Header.maximumLength : Header.maximumPackedLength))
                let names = try Self.names(fields, "names")
                guard names.isEmpty || names.count == length else {
                    throw MultiPartyError.malformedMessage("body.names has \(names.count) names for \(length) values")
                }
                let ranges = try Self.ranges(fields, "ranges", length: length, bound: valueBound)
                guard ranges.isEmpty || valueBound != nil else {
                    throw MultiPartyError.malformedMessage("body.ranges needs body.valueBound: ranges are proven of packed inputs")
                }
                self = .header(Header(
                    keyFingerprint: try fields.string("keyFingerprint"),
                    scale: try fields.integer("scale", in: 0...FixedPoint.maximumScale),
                    minimumInputs: try fields.integer("minimumInputs", in: 1...64),
                    inputDeadline: try fields.integer("inputDeadline", in: 0...Header.maximumInputDeadline),
                    length: length, names: names, valueBound: valueBound, noise: try Self.noise(fields, packed: valueBound != nil),
                    ranges: ranges))
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
                let sums = try Self.decimals(fields, "sums")
                guard !sums.isEmpty, sums.count <= Header.maximumPackedLength, sums.allSatisfy({ $0.scale == scale }) else {
                    throw MultiPartyError.malformedMessage("body.sums are not 1…\(Header.maximumPackedLength) sums at body.sumScale")
                }
                let means = try fields.optional("means").map { _ in try Self.decimals(fields, "means") }
                guard let count = Int(try fields.string("count")), count >= 0 else {
                    throw MultiPartyError.malformedMessage("body.count is not a count")
                }
                let shares = try fields.array("shares").enumerated().map { (index, value) throws(FormatError) in
                    try Self.share(try JSONFields(value, path: "message", prefix: "body.shares[\(index)]"))
                }
                self = .result(SessionResult(
                    names: try Self.names(fields, "names"), sums: sums, count: count, means: means,
                    contributors: try Self.parties(fields, "contributors"), blamed: try Self.parties(fields, "blamed"),
                    ranges: try Self.ranges(fields, "ranges", length: sums.count, bound: nil)),
                    shares: shares, evidence: try Self.envelopes(fields, "evidence"))
            case .abort:
                self = .abort(reason: try fields.string("reason"), failed: try Self.parties(fields, "failed"))
            case .joinHello, .joinPoints, .joinOffer, .joinDoubled, .joinRows, .joinMasked, .joinDecrypted:
                throw MultiPartyError.malformedMessage("a private join's \(round.rawValue) message in a session")
            case .keygenHello, .keygenKey, .keygenPublic, .keygenPrivate, .keygenResult, .keygenComplaint:
                throw MultiPartyError.malformedMessage("a key generation's \(round.rawValue) message in a session")
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

    /// A header's `noise`: only in a packed session, checked by ``SessionNoise``'s one rule.
    static func noise(_ fields: JSONFields, packed: Bool) throws -> SessionNoise? {
        guard fields.optional("noise") != nil else { return nil }
        guard packed else { throw MultiPartyError.malformedMessage("body.noise needs body.valueBound: noise is added to packed vectors") }
        let noise = try fields.object("noise")
        let decimal = { (name: String) throws -> FixedPoint in try FixedPoint(parsing: try noise.string(name), field: noise.name(name)) }
        do {
            return try SessionNoise(
                epsilon: try decimal("epsilon"), delta: try decimal("delta"), clipNorm: try decimal("clipNorm"),
                honestParties: try noise.integer("honestParties", in: 1...SessionNoise.maximumParties))
        } catch let error as SummaError {
            throw MultiPartyError.malformedMessage("body.noise: \(error)")
        }
    }

    /// Names of values: at most ``Header/maximumLength`` strings of 1…``Header/maximumNameLength`` characters.
    static func names(_ fields: JSONFields, _ key: String) throws(FormatError) -> [String] {
        let values = try fields.array(key)
        guard values.count <= Header.maximumLength else {
            throw .malformedField(path: fields.path, field: fields.name(key), reason: "more than \(Header.maximumLength) names")
        }
        return try values.map { (value) throws(FormatError) in
            guard case .string(let name) = value, (1...Header.maximumNameLength).contains(name.count) else {
                throw .malformedField(
                    path: fields.path, field: fields.name(key), reason: "expected names of 1…\(Header.maximumNameLength) characters")
            }
            return name
        }
    }

    /// Decimal numbers written as strings.
    static func decimals(_ fields: JSONFields, _ key: String) throws -> [FixedPoint] {
        try fields.array(key).enumerated().map { (index, value) throws in
            guard case .string(let text) = value else {
                throw FormatError.malformedField(path: fields.path, field: "\(fields.name(key))[\(index)]", reason: "expected a decimal string")
            }
            return try FixedPoint(parsing: text, field: "\(fields.name(key))[\(index)]")
        }
    }

    static func share(_ fields: JSONFields) throws(FormatError) -> BatchDecryptionShare {
        let values = try fields.bigIntegers("values")
        guard (1...Header.maximumLength).contains(values.count) else {
            throw .malformedField(path: fields.path, field: fields.name("values"), reason: "expected 1…\(Header.maximumLength) values")
        }
        return BatchDecryptionShare(
            party: try fields.integer("party", in: 1...64), values: values,
            challenge: try fields.bigInteger("challenge"), response: try fields.bigInteger("response"))
    }
}

extension Message.Input {
    var json: JSONValue {
        .object([
            ("ciphertexts", .array(ciphertexts.map { .string($0.description) })), ("count", .integer(count)),
            ("header", .string(Base64URL.encode(Array(header)))),
            ("proofs", .array(proofs.map { proof in
                .object([
                    ("commitment", .string(proof.commitment.description)), ("z", .string(proof.z.description)),
                    ("w", .string(proof.w.description)),
                ])
            })),
        ] + (rangeProof.map { [("rangeProof", $0.json)] } ?? []))
    }

    init(_ fields: JSONFields) throws(FormatError) {
        guard let header = Base64URL.decode(try fields.string("header")), header.count == 32 else {
            throw .malformedField(path: fields.path, field: fields.name("header"), reason: "not 32 bytes of base64url")
        }
        let ciphertexts = try fields.bigIntegers("ciphertexts")
        guard (1...Message.Header.maximumLength).contains(ciphertexts.count) else {
            throw .malformedField(
                path: fields.path, field: fields.name("ciphertexts"), reason: "expected 1…\(Message.Header.maximumLength) ciphertexts")
        }
        let proofs = try fields.array("proofs").enumerated().map { (index, value) throws(FormatError) in
            let proof = try JSONFields(value, path: fields.path, prefix: "\(fields.name("proofs"))[\(index)]")
            return PlaintextKnowledgeProof(
                commitment: try proof.bigInteger("commitment"), z: try proof.bigInteger("z"), w: try proof.bigInteger("w"))
        }
        let rangeProof = try fields.optional("rangeProof").map { _ throws(FormatError) in
            try RangeProof(try fields.object("rangeProof"))
        }
        guard rangeProof == nil ? proofs.count == ciphertexts.count : proofs.isEmpty else {
            throw .malformedField(
                path: fields.path, field: fields.name("proofs"), reason: "expected one proof per ciphertext, or none beside a range proof")
        }
        self.init(
            ciphertexts: ciphertexts, proofs: proofs, rangeProof: rangeProof, count: try fields.integer("count", in: 0...Int(Int32.max)),
            header: Data(header))
    }
}
