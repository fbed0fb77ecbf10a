import Paillier
import Threshold

extension KeyShare {
    /// The `summa.threshold-share` document of this party (secret: write it with `secret: true`).
    public var json: JSONValue {
        .object(
            ThresholdFile.header(ThresholdFile.shareFormat) + [
                ("party", .integer(index)), ("publicKey", publicKey.json), ("share", .string(secret.description)),
                ("signingKey", .string(Base64URL.encode(Array(signingKeyBytes)))),
            ])
    }
}
