import Paillier

/// Encrypted columns under one public key: what `summa encrypt` writes.
public struct EncryptedTable: Sendable {
    public let publicKey: PaillierPublicKey
    public let columns: [EncryptedColumn]

    public init(publicKey: PaillierPublicKey, columns: [EncryptedColumn]) {
        self.publicKey = publicKey
        self.columns = columns
    }
}
