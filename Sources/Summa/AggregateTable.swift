import Paillier

/// Which statistic an aggregate was made for (it decides what `summa decrypt` prints): a sum, a mean, or all of
/// count, sum, mean, variance and standard deviation.
public enum AggregateKind: String, Sendable, CaseIterable {
    case sum, mean, stats
}

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
