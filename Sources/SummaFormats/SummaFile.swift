import Foundation
import Paillier
import Summa
import Threshold

/// A file Summa reads: one of its own versioned JSON formats, its binary encrypted columns, or one of
/// python-paillier's (pheutil's JWK keys and `{"v","e"}` ciphertexts, alone or in an array). Everything in it is
/// validated before use.
public enum SummaFile: Sendable {
    case publicKey(PaillierPublicKey)
    case privateKey(PaillierPrivateKey)
    case encrypted(EncryptedTable)
    case aggregate(AggregateTable)
    case pheCiphertexts(PheCiphertexts)
    /// A threshold public key (`summa deal`'s public.json): encrypt under its `paillierKey`.
    case thresholdPublicKey(ThresholdPublicKey)
    /// Binary encrypted columns (`summa.encrypted-records`): its header and trailer, checked; the records are
    /// streamed from the file by ``EncryptedRecords/File/open(allowInsecureKeySize:)``.
    case encryptedRecords(EncryptedRecords.File)

    /// The format names Summa writes in each file's `format` field.
    public enum Format: String, CaseIterable, Sendable {
        case publicKey = "summa.public-key"
        case privateKey = "summa.private-key"
        case encrypted = "summa.encrypted"
        case aggregate = "summa.aggregate"
        /// A threshold key (`summa deal`): read whole and checked (fingerprint included), to encrypt under its n.
        case thresholdPublicKey = "summa.threshold-public-key"
    }

    /// Whether keys below 2048 bits are accepted by default: only when the environment sets
    /// `SUMMA_INSECURE_TEST_KEYS=1`, which the tests do to run fast with 512-bit keys. Never set it in production.
    public static var insecureTestKeysAllowed: Bool {
        ProcessInfo.processInfo.environment["SUMMA_INSECURE_TEST_KEYS"] == "1"
    }

    /// The format version this build writes for keys, encrypted files and aggregates: 3, since aggregates may hold
    /// packed sums (a version-2 reader would ignore them and print a partial total). Version 2 made fingerprints
    /// cover every public field of a key (a fast key's hₛ). A deal's documents have their own,
    /// ``ThresholdFile/version``.
    public static let version = 3

    /// The versions this build reads. Version 1 is read under the rules of ``legacyVersion`` (docs/formats.md);
    /// version 2 is version 3 without packed sums.
    public static let readableVersions = 1...3

    /// Version 1, whose fingerprints covered n only. A version-1 file is read as exactly what its fingerprint
    /// covered: plain keys and the ciphertext files under them as before; a fast-encryption base in a version-1
    /// public key, encrypted file or aggregate is dropped (the key is read as the standard key of n, which encrypts
    /// more slowly and decrypts under the same private key), in a version-1 private key it is kept, checked exactly
    /// with the factors.
    public static let legacyVersion = 1

    /// What the file is, in a few words, for messages.
    public var kind: String {
        switch self {
        case .publicKey: "a public key"
        case .privateKey: "a private key"
        case .encrypted: "encrypted columns"
        case .aggregate(let table): "an encrypted \(table.kind.rawValue)"
        case .pheCiphertexts: "python-paillier ciphertexts"
        case .thresholdPublicKey: "a threshold public key"
        case .encryptedRecords: "encrypted columns (binary)"
        }
    }

    /// Reads and validates a file. A binary records file (recognised by its first bytes) is never read whole: its
    /// header and trailer are checked, and its records left in the file to be streamed.
    public static func read(path: String, allowInsecureKeySize: Bool = insecureTestKeysAllowed) throws(FormatError) -> SummaFile {
        if EncryptedRecords.Reader.isRecordsFile(atPath: path) {
            return .encryptedRecords(try EncryptedRecords.Reader(path: path, allowInsecureKeySize: allowInsecureKeySize).file)
        }
        return try parse(try contents(atPath: path), path: path, allowInsecureKeySize: allowInsecureKeySize)
    }

    /// The bytes of a file, or an error saying whether it is missing or unreadable: how every reader of this
    /// module opens its input.
    public static func contents(atPath path: String) throws(FormatError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        return data
    }

    /// Parses and validates file contents; `path` names the file in errors.
    public static func parse(_ data: Data, path: String, allowInsecureKeySize: Bool = insecureTestKeysAllowed) throws(FormatError)
        -> SummaFile
    {
        if data.starts(with: EncryptedRecords.magic) {
            throw .unrecognizedFile(path: path, reason: "binary encrypted columns, which are read from a file (SummaFile.read), not from memory")
        }
        let json = try JSONValue(parsing: data, path: path)
        let reader = Reader(path: path, allowInsecureKeySize: allowInsecureKeySize)
        if case .array(let elements) = json {
            return .pheCiphertexts(try reader.pheCiphertexts(elements, isArray: true))
        }
        let fields = try JSONFields(json, path: path)
        if fields.optional("format") != nil {
            let (name, version) = try fields.formatAndVersion()
            guard let format = Format(rawValue: name) else {
                throw .unrecognizedFile(path: path, reason: "unknown format \"\(name.prefix(40))\"")
            }
            let reader = Reader(path: path, allowInsecureKeySize: allowInsecureKeySize, version: version)
            switch format {
            case .publicKey: return .publicKey(try reader.publicKey(fields))
            case .thresholdPublicKey:
                return .thresholdPublicKey(
                    try ThresholdFile.publicKey(
                        fields, allowInsecureKeySize: allowInsecureKeySize,
                        allowInsecureThreshold: allowInsecureKeySize))
            case .privateKey: return .privateKey(try reader.privateKey(fields))
            case .encrypted: return .encrypted(try reader.encryptedTable(fields))
            case .aggregate: return .aggregate(try reader.aggregateTable(fields))
            }
        }
        if fields.optional("kty") != nil {
            return fields.optional("p") != nil || fields.optional("pub") != nil
                ? .privateKey(try reader.jwkPrivateKey(fields)) : .publicKey(try reader.jwkPublicKey(fields))
        }
        if fields.optional("v") != nil {
            return .pheCiphertexts(try reader.pheCiphertexts([json], isArray: false))
        }
        throw .unrecognizedFile(
            path: path, reason: "not a Summa file (no \"format\" field) nor a python-paillier key or ciphertext")
    }

    /// The public key the file holds or is encrypted under; nil for python-paillier ciphertexts, which carry none.
    public var publicKey: PaillierPublicKey? {
        switch self {
        case .publicKey(let key): key
        case .privateKey(let key): key.publicKey
        case .encrypted(let table): table.publicKey
        case .aggregate(let table): table.publicKey
        case .pheCiphertexts: nil
        case .thresholdPublicKey(let key): key.paillierKey
        case .encryptedRecords(let file): file.header.publicKey
        }
    }

    /// The public key of a key file (public or private, Summa's or pheutil's; a threshold public key's Paillier key)
    /// or of an encrypted file.
    public static func readPublicKey(path: String, allowInsecureKeySize: Bool = insecureTestKeysAllowed) throws(FormatError)
        -> PaillierPublicKey
    {
        guard let key = try read(path: path, allowInsecureKeySize: allowInsecureKeySize).publicKey else {
            throw .unrecognizedFile(path: path, reason: "holds ciphertexts, not a key")
        }
        return key
    }

    /// The private key of a private key file (Summa's or pheutil's).
    public static func readPrivateKey(path: String, allowInsecureKeySize: Bool = insecureTestKeysAllowed) throws(FormatError)
        -> PaillierPrivateKey
    {
        let file = try read(path: path, allowInsecureKeySize: allowInsecureKeySize)
        guard case .privateKey(let key) = file else {
            throw .unrecognizedFile(path: path, reason: "holds \(file.kind), not a private key")
        }
        return key
    }
}
