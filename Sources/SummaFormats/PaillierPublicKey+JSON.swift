import Paillier

extension PaillierPublicKey {
    /// The `summa.public-key` document.
    public var summaJSON: JSONValue {
        var members: [(String, JSONValue)] = [
            ("format", .string(SummaFile.Format.publicKey.rawValue)), ("version", .integer(SummaFile.version)),
            ("fingerprint", .string(fingerprint)), ("bits", .integer(bits)), ("n", .string(n.description)),
        ]
        if let base = fastEncryptionBase { members.append(("fastEncryptionBase", .string(base.description))) }
        if let shortExponentBits { members.append(("shortExponentBits", .integer(shortExponentBits))) }
        return .object(members)
    }

    /// pheutil's public JWK: `{"kty":"DAJ","alg":"PAI-GN1","key_ops":["encrypt"],"n":…,"kid":…}`.
    public func pheJWK(kid: String = "Paillier public key written by summa") -> JSONValue {
        .object([
            ("kty", .string("DAJ")), ("alg", .string("PAI-GN1")), ("key_ops", .array([.string("encrypt")])),
            ("n", .string(n.base64URLEncoded)), ("kid", .string(kid)),
        ])
    }
}
