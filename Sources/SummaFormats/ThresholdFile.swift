import Foundation
import Paillier
import Threshold

/// The versioned JSON documents of `summa deal`: the threshold public key (everyone) and one share file per
/// party (secret). Parsing validates everything and names the field at fault; writing is the caller's
/// (``SummaFile/write(_:to:secret:inputs:)-(JSONValue,_,_,_)``), since this module does no I/O.
public enum ThresholdFile {
    public static let publicKeyFormat = SummaFile.Format.thresholdPublicKey.rawValue
    public static let shareFormat = "summa.threshold-share"

    static func header(_ format: String) -> [(String, JSONValue)] {
        [("format", .string(format)), ("version", .integer(SummaFile.version))]
    }

    /// Parses a threshold public key file. Keys below 2048 bits only with `allowInsecureKeySize`, thresholds below
    /// 2 only with `allowInsecureThreshold` (both for tests). A version-1 file is refused: its fingerprint covered n
    /// only.
    public static func publicKey(
        from data: Data, path: String, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        allowInsecureThreshold: Bool = SummaFile.insecureTestKeysAllowed
    ) throws(FormatError) -> ThresholdPublicKey {
        let (fields, version) = try fields(of: data, path: path, format: publicKeyFormat)
        return try publicKey(
            fields, version: version, allowInsecureKeySize: allowInsecureKeySize, allowInsecureThreshold: allowInsecureThreshold)
    }

    /// Reads a threshold public key file.
    public static func readPublicKey(
        path: String, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        allowInsecureThreshold: Bool = SummaFile.insecureTestKeysAllowed
    ) throws(FormatError) -> ThresholdPublicKey {
        try publicKey(
            from: try SummaFile.contents(atPath: path), path: path, allowInsecureKeySize: allowInsecureKeySize,
            allowInsecureThreshold: allowInsecureThreshold)
    }

    /// Reads a share file (see ``share(from:path:allowInsecureKeySize:allowInsecureThreshold:)``).
    public static func readShare(
        path: String, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        allowInsecureThreshold: Bool = SummaFile.insecureTestKeysAllowed
    ) throws(FormatError) -> KeyShare {
        try share(
            from: try SummaFile.contents(atPath: path), path: path, allowInsecureKeySize: allowInsecureKeySize,
            allowInsecureThreshold: allowInsecureThreshold)
    }

    /// Parses a share file and checks the share against its verification key (a share from another deal, or an
    /// altered one, is refused here). The embedded public key is checked as a public key file is, fingerprint
    /// included; a version-1 share file is refused.
    public static func share(
        from data: Data, path: String, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        allowInsecureThreshold: Bool = SummaFile.insecureTestKeysAllowed
    ) throws(FormatError) -> KeyShare {
        let (fields, version) = try fields(of: data, path: path, format: shareFormat)
        if version == SummaFile.legacyVersion {
            throw .obsoleteVersion(path: path, format: shareFormat, version: version, remedy: SummaFile.redealRemedy)
        }
        let publicKey = try publicKey(
            try fields.object("publicKey"), version: version, allowInsecureKeySize: allowInsecureKeySize,
            allowInsecureThreshold: allowInsecureThreshold)
        let party = try fields.integer("party", in: 1...publicKey.partyCount)
        let secret = try fields.secretBigInteger("share")
        let signingText = try fields.string("signingKey")
        guard let signing = Base64URL.decode(signingText).map({ Data($0) }) else {
            throw .malformedField(path: path, field: "signingKey", reason: "not base64url")
        }
        do throws(ThresholdError) {
            return try KeyShare(publicKey: publicKey, index: party, secret: secret, signingKey: signing)
        } catch {
            throw .invalidThresholdKey(path: path, field: "share", error)
        }
    }

    /// The fields of a document of `format`, with its version; a version-1 threshold document is refused.
    static func fields(of data: Data, path: String, format: String) throws(FormatError) -> (JSONFields, version: Int) {
        let fields = try JSONFields(try JSONValue(parsing: data, path: path), path: path)
        let (name, version) = try fields.formatAndVersion()
        guard name == format else {
            throw .unrecognizedFile(path: path, reason: "holds \"\(name.prefix(40))\", not \(format)")
        }
        return (fields, version)
    }

    /// A threshold public key document (a file, or the `publicKey` member of a share file), validated field by
    /// field (``Threshold/ThresholdPublicKey/init(paillierKey:partyCount:threshold:v:verificationKeys:signingKeys:allowInsecureThreshold:)``),
    /// then its declared `fingerprint` checked against the key's, which covers every field: a key with any field
    /// replaced is refused as altered. `version` is the document's; version 1 is refused.
    static func publicKey(
        _ fields: JSONFields, version: Int, allowInsecureKeySize: Bool, allowInsecureThreshold: Bool
    ) throws(FormatError) -> ThresholdPublicKey {
        let path = fields.path
        if version == SummaFile.legacyVersion {
            throw .obsoleteVersion(path: path, format: publicKeyFormat, version: version, remedy: SummaFile.redealRemedy)
        }
        let n = try fields.bigInteger("n")
        let bits = try fields.integer("bits", in: 1...PaillierPublicKey.maximumBits)
        let paillier: PaillierPublicKey
        do throws(PaillierError) {
            paillier = try PaillierPublicKey(
                validatingModulus: n, declaredBits: bits, allowInsecureKeySize: allowInsecureKeySize)
        } catch {
            throw .invalidKey(path: path, field: fields.name("n"), error)
        }
        let declaredFingerprint = try fields.string("fingerprint")
        let verificationKeys = try fields.array("verificationKeys").enumerated().map { (index, value) throws(FormatError) in
            try JSONFields.decimal(value, path: path, field: fields.name("verificationKeys[\(index)]"))
        }
        let signingKeys = try fields.array("signingKeys").enumerated().map { (index, value) throws(FormatError) in
            guard case .string(let text) = value, let bytes = Base64URL.decode(text).map({ Data($0) }), bytes.count == 32 else {
                throw .malformedField(path: path, field: fields.name("signingKeys[\(index)]"), reason: "not a base64url Ed25519 key")
            }
            return bytes
        }
        let parties = try fields.integer("parties", in: 1...64)
        let threshold = try fields.integer("threshold", in: 1...64)
        let v = try fields.bigInteger("v")
        let key: ThresholdPublicKey
        do throws(ThresholdError) {
            key = try ThresholdPublicKey(
                paillierKey: paillier, partyCount: parties, threshold: threshold, v: v,
                verificationKeys: verificationKeys, signingKeys: signingKeys, allowInsecureThreshold: allowInsecureThreshold)
        } catch {
            throw .invalidThresholdKey(path: path, field: fields.prefix.isEmpty ? "threshold key" : fields.prefix, error)
        }
        guard declaredFingerprint == key.fingerprint else { throw .fingerprintMismatch(path: path) }
        return key
    }
}
