import BigNum
import Foundation
import MultiParty
import Summa
import SummaFormats

/// The typed bodies of a private join's rounds (docs/protocol.md), with their JSON forms. Points and rows travel
/// as one base64url string of fixed-size records per message, so that reading 10⁶ rows is decoding, not parsing.
public enum JoinMessage: Sendable, Equatable {
    /// Recipient → contributor, first: the list's size, the recipient's public point, its identifier rule and its
    /// minimum intersection.
    case hello(Hello)
    /// Recipient → contributor: its blinded identifiers α·H(a), shuffled, from position `first` on.
    case points(first: Int, points: [JoinPoint])
    /// Contributor → recipient: the Paillier key, the layout, the row count and the noise.
    case offer(Offer)
    /// Contributor → recipient: the recipient's points blinded again, β·α·H(a), with the noise rows' points, shuffled.
    case doubled(first: Int, points: [JoinPoint])
    /// Contributor → recipient: rows from position `first` on, each β·H(b) and its ciphertexts, as raw records
    /// (their size depends on the offer's key and layout: ``Offer/rowRecordSize``).
    case rows(first: Int, records: [UInt8])
    /// Recipient → contributor: the sums over the intersection, each plus a uniform mask mod n, encrypted.
    case masked([BigInteger])
    /// Contributor → recipient: the masked sums decrypted, noise added.
    case decrypted([BigInteger])
    /// Either side: the join stops.
    case abort(reason: String)

    public struct Hello: Sendable, Equatable {
        public let rows: Int
        public let publicPoint: JoinPoint
        public let rule: JoinIdentifier.Rule
        public let minimumIntersection: Int
    }

    public struct Offer: Sendable, Equatable {
        public let modulus: BigInteger
        public let layout: JoinLayout
        /// The kept column's name, when groups are kept.
        public let keep: String?
        /// Rows to come, noise rows included.
        public let rows: Int
        public let dummies: Int
        public let offset: Int
        public let minimumIntersection: Int
        /// The noise, for the recipient to report; nil for an exact join.
        public let noise: NoiseDescription?

        /// Bytes of one row record: the point and the ciphertexts, each as long as n².
        public var rowRecordSize: Int { JoinPoint.byteCount + layout.ciphertextsPerRow * ciphertextSize }
        public var ciphertextSize: Int { (modulus.bitWidth * 2 + 7) / 8 }
    }

    public struct NoiseDescription: Sendable, Equatable {
        public let epsilon: FixedPoint
        public let delta: FixedPoint
        public let families: [Family]

        public struct Family: Sendable, Equatable {
            public let name: String
            /// σ to two decimals, as text: for reading, never recomputed.
            public let sigma: String
        }

        /// As the offer carries it and the result reports it.
        public var json: JSONValue {
            .object([
                ("epsilon", .string(epsilon.description)), ("delta", .string(delta.description)),
                ("families", .array(families.map { .object([("name", .string($0.name)), ("sigma", .string($0.sigma))]) })),
            ])
        }
    }

    /// The most rows either list may announce.
    public static let maximumRows = JoinList.maximumRows
    /// The most points or rows one message carries.
    public static let maximumRecords = 16_384
    /// The largest modulus accepted, in bits.
    public static let maximumModulusBits = 8192
    static let protocolName = "summa.join"
    static let protocolVersion = 1

    public var round: Envelope.Round {
        switch self {
        case .hello: .joinHello
        case .points: .joinPoints
        case .offer: .joinOffer
        case .doubled: .joinDoubled
        case .rows: .joinRows
        case .masked: .joinMasked
        case .decrypted: .joinDecrypted
        case .abort: .abort
        }
    }

    public var json: JSONValue {
        func points(_ first: Int, _ points: [JoinPoint]) -> JSONValue {
            .object([("first", .integer(first)), ("points", .string(Base64URL.encode(points.flatMap(\.bytes))))])
        }
        switch self {
        case .hello(let hello):
            return .object([
                ("protocol", .string(Self.protocolName)), ("version", .integer(Self.protocolVersion)),
                ("rows", .integer(hello.rows)), ("public-point", .string(Base64URL.encode(hello.publicPoint.bytes))),
                ("normalization", .string(hello.rule.rawValue)), ("min-intersection", .integer(hello.minimumIntersection)),
            ])
        case .points(let first, let list): return points(first, list)
        case .doubled(let first, let list): return points(first, list)
        case .offer(let offer):
            return .object([
                ("modulus", .string(offer.modulus.description)),
                ("columns", .array(offer.layout.columns.map { .object([("name", .string($0.name)), ("scale", .integer($0.scale))]) })),
                ("keep", offer.keep.map { .string($0) } ?? .null),
                ("groups", .array(offer.layout.groups.map { .string($0) })), ("width", .integer(offer.layout.width)),
                ("rows", .integer(offer.rows)), ("dummies", .integer(offer.dummies)), ("offset", .integer(offer.offset)),
                ("min-intersection", .integer(offer.minimumIntersection)), ("noise", offer.noise?.json ?? .null),
            ])
        case .rows(let first, let records):
            return .object([("first", .integer(first)), ("records", .string(Base64URL.encode(records)))])
        case .masked(let values): return .object([("ciphertexts", .array(values.map { .string($0.description) }))])
        case .decrypted(let values): return .object([("plaintexts", .array(values.map { .string($0.description) }))])
        case .abort(let reason): return .object([("reason", .string(reason)), ("failed", .array([]))])
        }
    }

    /// Parses an envelope's body for its round, checking every size against the limits (points are checked on the
    /// curve where they are used).
    public init(round: Envelope.Round, body: JSONValue) throws(PrivateJoinError) {
        do {
            let fields = try JSONFields(body, path: "message", prefix: "body")
            func base64(_ key: String) throws -> [UInt8] {
                guard let bytes = Base64URL.decode(try fields.string(key)) else {
                    throw PrivateJoinError.protocolViolation("\(round.rawValue): \(key) is not base64url")
                }
                return bytes
            }
            func points(_ key: String) throws -> (Int, [JoinPoint]) {
                let first = try fields.integer("first", in: 0...Self.maximumRows)
                let bytes = try base64(key)
                guard bytes.count % JoinPoint.byteCount == 0, bytes.count / JoinPoint.byteCount <= Self.maximumRecords else {
                    throw PrivateJoinError.protocolViolation("\(round.rawValue): \(bytes.count) bytes are not up to \(Self.maximumRecords) points of 32 bytes")
                }
                // Checked on the curve where they are used: blinding refuses a point off the curve.
                let list = stride(from: 0, to: bytes.count, by: JoinPoint.byteCount).map {
                    JoinPoint(unchecked: bytes[$0..<$0 + JoinPoint.byteCount])
                }
                return (first, list)
            }
            func numbers(_ key: String) throws -> [BigInteger] {
                let values = try fields.bigIntegers(key)
                guard (1...JoinLayout.maximumCiphertextsPerRow).contains(values.count) else {
                    throw PrivateJoinError.protocolViolation("\(round.rawValue): \(values.count) \(key), not 1 to \(JoinLayout.maximumCiphertextsPerRow)")
                }
                return values
            }
            switch round {
            case .joinHello:
                guard try fields.string("protocol") == Self.protocolName,
                    try fields.integer("version", in: 0...Int.max) == Self.protocolVersion
                else { throw PrivateJoinError.protocolViolation("not a summa.join hello of version \(Self.protocolVersion)") }
                guard let point = JoinPoint(bytes: try base64("public-point")) else {
                    throw PrivateJoinError.protocolViolation("join-hello: public-point is not a point of P-256")
                }
                guard let rule = JoinIdentifier.Rule(rawValue: try fields.string("normalization")) else {
                    throw PrivateJoinError.protocolViolation("join-hello: unknown normalization")
                }
                self = .hello(Hello(
                    rows: try fields.integer("rows", in: 0...Self.maximumRows), publicPoint: point, rule: rule,
                    minimumIntersection: try fields.integer("min-intersection", in: 0...Self.maximumRows)))
            case .joinPoints:
                let (first, list) = try points("points")
                self = .points(first: first, points: list)
            case .joinDoubled:
                let (first, list) = try points("points")
                self = .doubled(first: first, points: list)
            case .joinOffer:
                let modulus = try fields.bigInteger("modulus")
                guard modulus > 1, modulus.bitWidth <= Self.maximumModulusBits else {
                    throw PrivateJoinError.protocolViolation("join-offer: the modulus is not 2 to \(Self.maximumModulusBits) bits")
                }
                let columns = try fields.array("columns").enumerated().map { (index, value) in
                    let column = try JSONFields(value, path: "message", prefix: "body.columns[\(index)]")
                    return JoinLayout.Column(
                        name: try column.string("name"), scale: try column.integer("scale", in: 0...FixedPoint.maximumScale))
                }
                let groups = try fields.strings("groups")
                guard columns.count <= 256, groups.count <= JoinList.maximumGroups else {
                    throw PrivateJoinError.protocolViolation("join-offer: more than 256 columns or \(JoinList.maximumGroups) groups")
                }
                let keep = fields.optional("keep") == nil ? nil : try fields.string("keep")
                guard (keep == nil) == groups.isEmpty else {
                    throw PrivateJoinError.protocolViolation("join-offer: groups without a kept column, or the reverse")
                }
                let layout = try JoinLayout(
                    columns: columns, groups: groups, width: try fields.integer("width", in: 0...Self.maximumModulusBits),
                    modulusBits: modulus.bitWidth)
                let noise = try fields.optional("noise").map { value in
                    let noise = try JSONFields(value, path: "message", prefix: "body.noise")
                    return NoiseDescription(
                        epsilon: try FixedPoint(parsing: try noise.string("epsilon"), field: "body.noise.epsilon"),
                        delta: try FixedPoint(parsing: try noise.string("delta"), field: "body.noise.delta"),
                        families: try noise.array("families").enumerated().map { (index, value) in
                            let family = try JSONFields(value, path: "message", prefix: "body.noise.families[\(index)]")
                            return NoiseDescription.Family(name: try family.string("name"), sigma: try family.string("sigma"))
                        })
                }
                let rows = try fields.integer("rows", in: 0...Self.maximumRows + JoinNoise.maximumDummies)
                let dummies = try fields.integer("dummies", in: 0...min(rows, JoinNoise.maximumDummies))
                self = .offer(Offer(
                    modulus: modulus, layout: layout, keep: keep, rows: rows, dummies: dummies,
                    offset: try fields.integer("offset", in: 0...dummies),
                    minimumIntersection: try fields.integer("min-intersection", in: 0...Self.maximumRows), noise: noise))
            case .joinRows:
                self = .rows(first: try fields.integer("first", in: 0...Self.maximumRows + JoinNoise.maximumDummies), records: try base64("records"))
            case .joinMasked: self = .masked(try numbers("ciphertexts"))
            case .joinDecrypted: self = .decrypted(try numbers("plaintexts"))
            case .abort: self = .abort(reason: try fields.string("reason"))
            default: throw PrivateJoinError.protocolViolation("a session's \(round.rawValue) message in a join")
            }
        } catch let error as PrivateJoinError {
            throw error
        } catch let error as FormatError {
            throw .protocolViolation("\(error)")
        } catch {
            throw .protocolViolation("\(round.rawValue): \(error)")
        }
    }
}
