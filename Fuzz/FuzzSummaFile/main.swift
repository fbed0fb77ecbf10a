// SummaFile.parse on the bytes: every file Summa reads (its own keys, threshold public keys, encrypted columns and
// aggregates; pheutil's JWK keys and {"v","e"} ciphertexts), at every key size (allowInsecureKeySize), then what
// Summa does next with such a file (summarize it, sum it) and a round trip: what Summa writes of a file it read
// must read back and write the same. A new kind of SummaFile fails to compile here on purpose: give it its case.
import Foundation
import FuzzSupport
import Paillier
import Summa
import SummaFormats

let pheKey = Fixtures.publicKey.paillierKey

func parse(_ data: Data) throws -> SummaFile {
    try SummaFile.parse(data, path: "fuzz.json", allowInsecureKeySize: true)
}

/// The document Summa writes for the file; nil for python-paillier ciphertexts, which carry no key to write, and for
/// binary records, which `parse` never returns (they are read from files: FuzzRecordsFile).
func document(_ file: SummaFile) -> JSONValue? {
    switch file {
    case .publicKey(let key): key.summaJSON
    case .privateKey(let key): key.summaJSON
    case .encrypted(let table): table.summaJSON
    case .aggregate(let table): table.summaJSON
    case .thresholdPublicKey(let key): key.json
    case .pheCiphertexts, .encryptedRecords: nil
    }
}

Fuzz.run { [pheKey] data in
    guard let file = try? parse(data) else { return }
    _ = file.summary
    _ = file.kind

    switch file {
    case .encrypted, .aggregate, .pheCiphertexts:
        // `summa sum` / `stats` on an outside file: validated ciphertexts through the homomorphic operations.
        for kind in AggregateKind.allCases {
            _ = try? Aggregation.aggregate([("fuzz.json", file), ("again.json", file)], kind: kind, pheKey: pheKey)
        }
    case .privateKey(let key):
        // pheutil's private JWK of the key reads back as the same key, as far as pheutil's format holds it: n, p and
        // q (a fast or fast-decryption key's base, l and subgroup orders have no place there).
        let jwk = key.pheJWK.serialized
        guard case .privateKey(let again)? = try? parse(Data(jwk.utf8)) else {
            return Fuzz.require(false, "the pheutil JWK written for a private key that was read does not read back:\n\(jwk)")
        }
        Fuzz.require(
            again.p == key.p && again.q == key.q && again.publicKey == key.publicKey.withoutFastEncryption,
            "the pheutil JWK of a private key reads back as another key")
    case .publicKey, .thresholdPublicKey, .encryptedRecords:
        break
    }

    if let written = document(file)?.prettySerialized {
        do {
            let again = try parse(Data(written.utf8))
            let rewritten = document(again)?.prettySerialized
            Fuzz.require(rewritten == written, "a file Summa wrote from one it read reads back differently:\n\(written)\n\(rewritten ?? "nil")")
        } catch {
            Fuzz.require(false, "a file Summa wrote from one it read does not read back (\(error)):\n\(written)")
        }
    }
}
