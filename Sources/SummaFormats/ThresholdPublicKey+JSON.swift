import Paillier
import Threshold

extension ThresholdPublicKey {
    /// The `summa.threshold-public-key` document: its fingerprint (over every field), n, ℓ, t, v, vᵢ, the roster of
    /// signing keys and the coordinator's key; never m.
    public var json: JSONValue {
        .object(
            ThresholdFile.header(ThresholdFile.publicKeyFormat) + [
                ("fingerprint", .string(fingerprint)), ("bits", .integer(paillierKey.bits)),
                ("n", .string(n.description)), ("parties", .integer(partyCount)), ("threshold", .integer(threshold)),
                ("v", .string(v.description)),
                ("verificationKeys", .array(verificationKeys.map { .string($0.description) })),
                ("signingKeys", .array(signingKeys.map { .string(Base64URL.encode(Array($0))) })),
                ("coordinatorKey", .string(Base64URL.encode(Array(coordinatorKey)))),
            ])
    }
}
