import BigNum
import Paillier
import Threshold

extension KeyShare {
    /// The `summa.threshold-share` document of this party (secret: write it with `secret: true`).
    public var json: JSONValue {
        .object(
            ThresholdFile.shareMembers(party: index, publicKey: publicKey, secret: secret)
                + [("signingKey", .string(Base64URL.encode(Array(signingKeyBytes))))])
    }
}

extension DealtShare {
    /// The `summa.threshold-share` document of a share dealt to a party with its own identity: no `signingKey`, which
    /// only the party holds (secret: write it with `secret: true`).
    public var json: JSONValue { .object(ThresholdFile.shareMembers(party: index, publicKey: publicKey, secret: secret)) }
}

extension ThresholdFile {
    /// The members of a share document before its optional `signingKey`.
    static func shareMembers(party: Int, publicKey: ThresholdPublicKey, secret: BigInteger) -> [(String, JSONValue)] {
        header(shareFormat) + [
            ("party", .integer(party)), ("publicKey", publicKey.json), ("share", .string(secret.description)),
        ]
    }
}
