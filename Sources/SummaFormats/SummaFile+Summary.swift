import Paillier
import Summa
import Threshold

extension SummaFile {
    /// What the file holds, without any secret: kind, key fingerprint and size, columns with counts and scales.
    public var summary: [String] {
        func key(_ key: PaillierPublicKey) -> [String] {
            ["key: \(key.fingerprint)", "key size: \(key.bits) bits" + (key.hasFastEncryption ? ", fast encryption (DJN)" : "")]
        }
        switch self {
        case .publicKey(let publicKey):
            return ["kind: public key"] + key(publicKey)
        case .privateKey(let privateKey):
            return ["kind: private key (secret: keep it safe)"] + key(privateKey.publicKey)
        case .encrypted(let table):
            return ["kind: encrypted columns"] + key(table.publicKey) + table.columns.map { column in
                "column \(column.name): \(column.values.count) values, scale \(column.scale)"
                    + (column.squares == nil ? "" : ", with squares")
            }
        case .aggregate(let table):
            return ["kind: encrypted \(table.kind.rawValue)"] + key(table.publicKey) + table.columns.map { column in
                "column \(column.name): sum of \(column.aggregate.count) values, scale \(column.aggregate.sum.scale)"
                    + (column.aggregate.sumOfSquares == nil ? "" : ", with sum of squares")
            }
        case .thresholdPublicKey(let thresholdKey):
            return [
                "kind: threshold public key, \(thresholdKey.threshold) of \(thresholdKey.partyCount) parties",
                "key: \(thresholdKey.fingerprint)",
                "key size: \(thresholdKey.paillierKey.bits) bits",
                "encrypts under: \(thresholdKey.paillierKey.fingerprint) (the key fingerprint of files encrypted under it)",
            ]
        case .pheCiphertexts(let ciphertexts):
            let exponents = Set(ciphertexts.entries.map(\.exponent)).sorted().map(String.init).joined(separator: ", ")
            return [
                "kind: python-paillier ciphertext" + (ciphertexts.isArray ? " array" : ""),
                "values: \(ciphertexts.entries.count), base-16 exponents: \(exponents)",
                "key: not recorded in python-paillier files",
            ]
        }
    }
}
