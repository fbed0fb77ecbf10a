import Crypto
import Foundation
import Paillier
import Summa
import Threshold

extension SummaFile {
    /// What the file at `path` holds, as `summa inspect` shows it: any file ``read(path:allowInsecureKeySize:)``
    /// reads, or a deal's secret file (a party's key share, the coordinator's key), which only `summa party` and
    /// `summa coordinate` take. Each is checked as those commands check it. Shows no secret.
    public static func summary(ofFileAt path: String) throws(FormatError) -> [String] {
        if EncryptedRecords.Reader.isRecordsFile(atPath: path) {
            // Checked as decrypt checks it: nothing is shown of an altered file.
            let file = try read(path: path)
            if case .encryptedRecords(let records) = file { try records.open().verifyDigest() }
            return file.summary
        }
        let data = try contents(atPath: path)
        switch JSONValue(parsing: data)?["format"] {
        case .string(ThresholdFile.shareFormat):
            // A share dealt to the party's own identity holds no signing key: checked without one.
            let (index, publicKey, ownIdentity) = try ThresholdFile.dealtShare(from: data, path: path)
            return ["kind: threshold key share (secret: for party \(index) only)",
                    "party: \(index) of \(publicKey.partyCount)"
                        + (ownIdentity ? " (dealt to its own identity: it signs with summa party --identity)" : "")]
                + publicKey.summary
        case .string(ThresholdFile.coordinatorKeyFormat):
            let key = try ThresholdFile.coordinatorKey(from: data, path: path)
            return ["kind: coordinator key (secret: for the coordinator only)"] + key.publicKey.summary
        default:
            return try parse(data, path: path).summary
        }
    }

    /// ", fast encryption (DJN)" or ", fast decryption (l = 448)" after a key's size; nothing for a standard key.
    static func keyKind(_ key: PaillierPublicKey) -> String {
        if let l = key.shortExponentBits { return ", fast decryption and encryption (Ma–Han–Lei, l = \(l))" }
        return key.hasFastEncryption ? ", fast encryption (DJN)" : ""
    }

    /// What the file holds, without any secret: kind, key fingerprint and size, columns with counts and scales.
    public var summary: [String] {
        func key(_ key: PaillierPublicKey) -> [String] {
            ["key: \(key.fingerprint)", "key size: \(key.bits) bits" + Self.keyKind(key)]
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
        case .aggregate(let table) where table.isGrouped:
            return ["kind: encrypted \(table.kind.rawValue) by \(table.groupBy.joined(separator: ", "))"] + key(table.publicKey)
                + ["columns: \(table.columnNames.joined(separator: ", "))", "groups: \(table.groups.count)"]
        case .aggregate(let table):
            return ["kind: encrypted \(table.kind.rawValue)"] + key(table.publicKey) + table.columns.map { column in
                "column \(column.name): sum of \(column.aggregate.count) values, scale \(column.aggregate.sum.scale)"
                    + (column.aggregate.sumOfSquares == nil ? "" : ", with sum of squares")
            }
        case .thresholdPublicKey(let thresholdKey):
            return ["kind: threshold public key"] + thresholdKey.summary
        case .encryptedRecords(let file):
            let header = file.header
            let version = header.isGrouped ? EncryptedRecords.groupedVersion : EncryptedRecords.version
            return ["kind: encrypted columns (binary)", "format: \(EncryptedRecords.format) version \(version)"]
                + key(header.publicKey)
                + zip(header.columns, file.trailer.counts).map { column, count in
                    "column \(column.name): \(count) values, scale \(column.scale)" + (header.layout.squares ? ", with squares" : "")
                }
                + (header.isGrouped ? ["kept in clear: \(header.groupBy.joined(separator: ", "))"] : [])
                + (header.analysis.map { ["derived columns: \(header.columns.count - $0.values.count) (analysis plan)"] } ?? [])
                + ["rows: \(file.trailer.rows)", "layout: \(header.layout.summary)",
                   "records: \(file.trailer.recordCount) of \(header.recordBytes) bytes"]
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

extension ThresholdPublicKey {
    /// What a threshold key's files show of it: t and ℓ, both fingerprints, the size, and the identity every party
    /// and the coordinator signs with (their fingerprints, as `summa inspect` shows a roster's, to compare).
    var summary: [String] {
        [
            "threshold: any \(threshold) of the \(partyCount) parties decrypt together (t = \(threshold), ℓ = \(partyCount))",
            "key: \(fingerprint)",
            "key size: \(paillierKey.bits) bits",
            "encrypts under: \(paillierKey.fingerprint) (the key fingerprint of files encrypted under it)",
        ] + signingKeys.enumerated().map { "party \($0 + 1): \(IdentityFingerprint.of($1))" }
            + ["coordinator: \(IdentityFingerprint.of(coordinatorKey))"]
    }
}

/// How an Ed25519 identity key is shown to people: `ed25519:` and the first 16 bytes of SHA-256 over the raw key,
/// in hex. Rosters, identities and threshold keys show their keys this way, so that they can be compared.
public enum IdentityFingerprint {
    public static func of(_ key: Data) -> String {
        "ed25519:" + SHA256.hash(data: key).prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}

extension PackingLayout {
    /// How the values sit in the records, in one line.
    var summary: String {
        let block = "\(rowsPerBlock) row\(rowsPerBlock == 1 ? "" : "s") per block, \(recordsPerBlock) record\(recordsPerBlock == 1 ? "" : "s") per block"
        guard let valueSlotBits, let squareSlotBits else { return "unpacked (one value per record), " + block }
        return "packed, \(valueSlots) value slots of \(valueSlotBits) bits per record"
            + (squares ? " and \(squareSlots) square slots of \(squareSlotBits) bits" : "") + ", " + block
    }
}
