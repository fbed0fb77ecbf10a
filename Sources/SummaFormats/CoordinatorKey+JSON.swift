import Threshold

extension CoordinatorKey {
    /// The `summa.coordinator-key` document: the deal's public key and the coordinator's Ed25519 private key (secret:
    /// write it with `secret: true`).
    public var json: JSONValue {
        .object(
            ThresholdFile.header(ThresholdFile.coordinatorKeyFormat) + [
                ("publicKey", publicKey.json), ("signingKey", .string(Base64URL.encode(Array(signingKeyBytes)))),
            ])
    }
}
