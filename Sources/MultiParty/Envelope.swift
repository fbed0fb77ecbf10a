import BigNum
import Crypto
import Foundation
import Summa
import SummaFormats

/// A protocol message: version, session id, round, sender (0 for the coordinator, i for party i), a typed body and
/// an Ed25519 signature by the sender's roster key over everything else, domain-separated. Envelopes travel as
/// the compact JSON of ``json`` inside one frame.
public struct Envelope: Sendable, Equatable {
    /// The rounds of a session, then those of a private join and of a key generation (docs/protocol.md). `abort`
    /// ends any of them.
    public enum Round: String, Sendable, CaseIterable {
        case header, input, acceptedList = "accepted-list", echo, echoes, decryptionShare = "decryption-share"
        case result, abort
        case joinHello = "join-hello", joinPoints = "join-points", joinOffer = "join-offer", joinDoubled = "join-doubled"
        case joinRows = "join-rows", joinMasked = "join-masked", joinDecrypted = "join-decrypted"
        case keygenHello = "keygen-hello", keygenKey = "keygen-key", keygenPublic = "keygen-public"
        case keygenPrivate = "keygen-private", keygenResult = "keygen-result", keygenComplaint = "keygen-complaint"

        /// The rounds of a private join; a session refuses them, and a join refuses the others.
        public var isJoinRound: Bool { rawValue.hasPrefix("join-") }
        /// The rounds of a dealer-free key generation; sessions and joins refuse them.
        public var isKeyGenerationRound: Bool { rawValue.hasPrefix("keygen-") }
    }

    /// The protocol version: 2 bound the header into the echo digest and made results carry evidence of blame; 3
    /// makes every input a vector of values, decrypted with one batched share proof per party; 4 adds declared
    /// ranges to the header (always written, so a party of version 3 could never ignore them) and range proofs to
    /// inputs.
    public static let version = 4
    static let signingDomain = "summa/multiparty/envelope/v1"

    public let session: Data
    public let round: Round
    public let sender: Int
    public let body: JSONValue
    /// 64 bytes; empty for the coordinator's messages, which parties cross-check in the echo round instead.
    public let signature: Data

    /// An unsigned envelope (the coordinator's).
    public init(session: Data, round: Round, sender: Int, body: JSONValue, signature: Data = Data()) {
        self.session = session
        self.round = round
        self.sender = sender
        self.body = body
        self.signature = signature
    }

    /// An envelope signed with a party's key.
    public init(session: Data, round: Round, sender: Int, body: JSONValue, signingKey: Curve25519.Signing.PrivateKey) throws {
        let unsigned = Envelope(session: session, round: round, sender: sender, body: body)
        self.init(session: session, round: round, sender: sender, body: body,
                  signature: try signingKey.signature(for: unsigned.signedBytes))
    }

    /// What the signature covers: the domain label and every field but the signature.
    var signedBytes: Data {
        Data(Self.signingDomain.utf8) + Data(unsignedJSON.canonical.serialized.utf8)
    }

    var unsignedJSON: JSONValue {
        .object([
            ("version", .integer(Self.version)), ("session", .string(Base64URL.encode(Array(session)))),
            ("round", .string(round.rawValue)), ("sender", .integer(sender)), ("body", body),
        ])
    }

    /// The envelope as JSON, the signature last.
    public var json: JSONValue {
        guard case .object(let members) = unsignedJSON else { return unsignedJSON }
        return .object(members + [("signature", .string(Base64URL.encode(Array(signature))))])
    }

    /// The bytes of one frame's payload: ``json`` serialized, what ``init(parsing:expectedSession:)`` reads back.
    public var payload: Data { Data(json.serialized.utf8) }

    /// Checks the signature against the roster key of the sender (parties 1…ℓ; keys[i − 1]).
    public func verifySignature(roster: [Data]) throws(MultiPartyError) {
        guard (1...roster.count).contains(sender) else { throw .unknownSender(sender) }
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: roster[sender - 1]),
            key.isValidSignature(signature, for: signedBytes)
        else { throw .badSignature(sender: sender) }
    }

    /// Parses a frame's payload, checking the version and, when given, the session.
    public init(parsing payload: Data, expectedSession: Data? = nil) throws(MultiPartyError) {
        guard let json = JSONValue(parsing: payload) else { throw .malformedMessage("not JSON") }
        let fields: JSONFields
        do {
            fields = try JSONFields(json, path: "message")
            let version = try fields.integer("version", in: 0...Int.max)
            guard version == Self.version else { throw MultiPartyError.unsupportedVersion(version) }
            guard let session = Base64URL.decode(try fields.string("session")), session.count == 32 else {
                throw MultiPartyError.malformedMessage("session id is not 32 bytes of base64url")
            }
            guard let round = Round(rawValue: try fields.string("round")) else {
                throw MultiPartyError.malformedMessage("unknown round")
            }
            let sender = try fields.integer("sender", in: 0...64)
            guard let signature = Base64URL.decode(try fields.string("signature")) else {
                throw MultiPartyError.malformedMessage("signature is not base64url")
            }
            self.init(session: Data(session), round: round, sender: sender, body: try fields.required("body"),
                      signature: Data(signature))
        } catch let error as MultiPartyError {
            throw error
        } catch {
            throw .malformedMessage("\(error)")
        }
        if let expectedSession, expectedSession != session { throw .wrongSession }
    }
}
