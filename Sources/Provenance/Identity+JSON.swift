import Crypto
import Foundation
import SummaFormats

extension Identity {
    /// The `summa.identity` document (secret: written 0600 from its first byte).
    public static let format = "summa.identity"
    public static let version = 1

    var json: JSONValue {
        .object(
            [("format", .string(Self.format)), ("version", .integer(Self.version))] + publicIdentity.members
                + [("signingKey", .string(Base64URL.encode(Array(signingKey.rawRepresentation))))])
    }

    /// Writes the identity to `path` (secret) and its public half to `publicPath`.
    public func write(to path: String, publicTo publicPath: String) throws(ProvenanceError) {
        try ProvenanceError.catching { () throws(FormatError) in
            try SummaFile.checkOutput(publicPath, inputs: [path])
            try SummaFile.write(json, to: path, secret: true)
            try SummaFile.write(publicIdentity.json, to: publicPath, inputs: [path])
        }
    }

    /// Reads a `summa.identity` file. The signing key is never quoted in errors.
    public static func read(path: String) throws(ProvenanceError) -> Identity {
        try parse(try ProvenanceError.catching { () throws(FormatError) in try SummaFile.contents(atPath: path) }, path: path)
    }

    /// Parses a `summa.identity` document (`path` names it in errors). The signing key is never quoted in errors.
    public static func parse(_ data: Data, path: String) throws(ProvenanceError) -> Identity {
        let fields = try PublicIdentity.fields(data, path: path, format: format)
        let (name, key) = try PublicIdentity.parseMembers(fields)
        guard let raw = Base64URL.decode((try? fields.string("signingKey")) ?? ""), raw.count == 32,
            let signingKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw .malformedIdentity(path: path, field: "signingKey", reason: "not 32 bytes of base64url")
        }
        guard signingKey.publicKey.rawRepresentation == key.rawRepresentation else {
            throw .malformedIdentity(path: path, field: "publicKey", reason: "not the public half of signingKey")
        }
        return Identity(name: name, signingKey: signingKey)
    }
}

extension PublicIdentity {
    /// The `summa.identity-public` document.
    public static let format = "summa.identity-public"

    /// The members that name and identify the key, in a document of either kind or inside a statement.
    var members: [(String, JSONValue)] {
        [("name", .string(name)), ("publicKey", .string(Base64URL.encode(Array(keyBytes)))), ("fingerprint", .string(fingerprint))]
    }

    /// The `summa.identity-public` document.
    public var json: JSONValue { .object([("format", .string(Self.format)), ("version", .integer(Identity.version))] + members) }

    /// Reads a `summa.identity-public` file. A secret identity is refused: its public half is the file to hand out.
    public static func read(path: String) throws(ProvenanceError) -> PublicIdentity {
        try parse(try ProvenanceError.catching { () throws(FormatError) in try SummaFile.contents(atPath: path) }, path: path)
    }

    /// Parses a `summa.identity-public` document (`path` names it in errors).
    public static func parse(_ data: Data, path: String) throws(ProvenanceError) -> PublicIdentity {
        let (name, key) = try parseMembers(try fields(data, path: path, format: format))
        return PublicIdentity(name: name, key: key)
    }

    /// The fields of a document of `format` at version 1, or an error naming what the file is instead.
    static func fields(_ data: Data, path: String, format: String) throws(ProvenanceError) -> JSONFields {
        try ProvenanceError.catching { () throws(FormatError) in
            let fields = try JSONFields(try JSONValue(parsing: data, path: path), path: path)
            let found = try fields.string("format")
            guard found == format else {
                let hint = found == Identity.format ? ": it is a secret identity; give its public half (written by summa identity beside it)" : ""
                throw .unrecognizedFile(path: path, reason: "not a \(format) document (format \"\(found.prefix(40))\")\(hint)")
            }
            guard try fields.integer("version", in: 1...Int.max) == Identity.version else {
                throw .unsupportedVersion(path: path, format: format, version: (try? fields.integer("version", in: 1...Int.max)) ?? 0)
            }
            return fields
        }
    }

    /// `name` and `publicKey`, and the `fingerprint` when present, which must be the key's.
    static func parseMembers(_ fields: JSONFields) throws(ProvenanceError) -> (String, Curve25519.Signing.PublicKey) {
        let name = try ProvenanceError.catching { () throws(FormatError) in try fields.string("name") }
        try checkName(name, path: fields.path, field: fields.name("name"))
        guard let raw = Base64URL.decode((try? fields.string("publicKey")) ?? ""), raw.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else {
            throw .malformedIdentity(path: fields.path, field: fields.name("publicKey"), reason: "not a base64url Ed25519 key")
        }
        if fields.optional("fingerprint") != nil {
            guard (try? fields.string("fingerprint")) == PublicIdentity(name: name, key: key).fingerprint else {
                throw .malformedIdentity(path: fields.path, field: fields.name("fingerprint"), reason: "not the key's fingerprint")
            }
        }
        return (name, key)
    }
}
