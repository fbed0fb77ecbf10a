import Paillier

/// Named aggregates under one public key: what `summa sum`, `summa mean` and `summa stats` write.
public struct AggregateTable: Sendable {
    public let publicKey: PaillierPublicKey
    public let kind: AggregateKind
    public let columns: [(name: String, aggregate: EncryptedAggregate)]

    public init(publicKey: PaillierPublicKey, kind: AggregateKind, columns: [(name: String, aggregate: EncryptedAggregate)]) {
        self.publicKey = publicKey
        self.kind = kind
        self.columns = columns
    }
}
