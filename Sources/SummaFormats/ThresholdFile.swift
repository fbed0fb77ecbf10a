import Foundation
import Paillier
import Threshold

/// The versioned JSON documents of `summa deal`: the threshold public key (everyone) and one share file per
/// party (secret). Parsing validates everything and names the field at fault; writing is the caller's
/// (``SummaFile/write(_:to:secret:inputs:)-(JSONValue,_,_,_)``), since this module does no I/O.
public enum ThresholdFile {
    public static let publicKeyFormat = SummaFile.Format.thresholdPublicKey.rawValue
    public static let shareFormat = "summa.threshold-share"
    public static let coordinatorKeyFormat = "summa.coordinator-key"
    /// The documents of a deal, which are read at ``version`` only.
    static let formats: Set<String> = [publicKeyFormat, shareFormat, coordinatorKeyFormat]

    /// The version of a deal's documents: 3 since the public key names the coordinator's key. Versions 1 (whose
    /// fingerprint covered n only) and 2 (no coordinator key) are refused: deal again.
    public static let version = 3

    static func header(_ format: String) -> [(String, JSONValue)] {
        [("format", .string(format)), ("version", .integer(version))]
    }

    /// Why a deal document of an earlier version is refused, and what to do.
    package static func remedy(forVersion version: Int) -> String {
        (version == SummaFile.legacyVersion
            ? "its fingerprint covers only n, not the threshold, parties, verification keys or roster"
            : "it names no coordinator key, and sessions now authenticate the coordinator")
            + "; deal a new key with `summa deal`"
    }

    /// Parses a threshold public key file. Keys below 2048 bits only with `allowInsecureKeySize`, thresholds below
    /// 2 only with `allowInsecureThreshold` (both for tests). Files of versions 1 and 2 are refused (``version``).
    public static func publicKey(
        from data: Data, path: String, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        allowInsecureThreshold: Bool = SummaFile.insecureTestKeysAllowed
    ) throws(FormatError) -> ThresholdPublicKey {
        let fields = try fields(of: data, path: path, format: publicKeyFormat)
        return try publicKey(
            fields, allowInsecureKeySize: allowInsecureKeySize, allowInsecureThreshold: allowInsecureThreshold)
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

    /// Reads a share file (see ``share(from:path:signingKey:allowInsecureKeySize:allowInsecureThreshold:)``).
    public static func readShare(
        path: String, signingKey: Data? = nil, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        allowInsecureThreshold: Bool = SummaFile.insecureTestKeysAllowed
    ) throws(FormatError) -> KeyShare {
        try share(
            from: try SummaFile.contents(atPath: path), path: path, signingKey: signingKey,
            allowInsecureKeySize: allowInsecureKeySize, allowInsecureThreshold: allowInsecureThreshold)
    }

    /// Parses a share file and checks the share against its verification key (a share from another deal, or an
    /// altered one, is refused here). The embedded public key is checked as a public key file is, fingerprint
    /// included.
    ///
    /// A share dealt to a party with its own identity (`summa deal --party-identity`) holds no `signingKey`: the
    /// party's private key comes as `signingKey` (its `summa identity`), and must be the one the deal names for it.
    public static func share(
        from data: Data, path: String, signingKey: Data? = nil, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        allowInsecureThreshold: Bool = SummaFile.insecureTestKeysAllowed
    ) throws(FormatError) -> KeyShare {
        let (fields, publicKey) = try holder(
            data, path: path, format: shareFormat, allowInsecureKeySize: allowInsecureKeySize,
            allowInsecureThreshold: allowInsecureThreshold)
        let party = try fields.integer("party", in: 1...publicKey.partyCount)
        let secret = try fields.secretBigInteger("share")
        let signing: Data
        switch (fields.optional("signingKey"), signingKey) {
        case (nil, nil):
            throw .malformedField(
                path: path, field: "signingKey",
                reason: "missing: this share was dealt to a party's own identity; give that identity (summa party --identity)")
        case (nil, let given?): signing = given
        case (_?, nil): signing = try privateSigningKey(fields)
        case (_?, _?):
            throw .incompatible("\(path) holds its own signing key: it was dealt with one, so give no --identity")
        }
        do throws(ThresholdError) {
            return try KeyShare(publicKey: publicKey, index: party, secret: secret, signingKey: signing)
        } catch {
            guard fields.optional("signingKey") == nil else { throw .invalidThresholdKey(path: path, field: "share", error) }
            throw .incompatible("\(path): the identity given is not the one party \(party) was dealt to, or the share is not its deal's")
        }
    }

    /// A share file checked as far as it can be without its owner's identity: the embedded public key, the party,
    /// and the share against its verification key (and the signing key, when the file holds one). For `summa inspect`.
    /// Returns whether the share was dealt to the party's own identity (it holds no signing key).
    static func dealtShare(from data: Data, path: String) throws(FormatError)
        -> (index: Int, publicKey: ThresholdPublicKey, ownIdentity: Bool)
    {
        let (fields, publicKey) = try holder(
            data, path: path, format: shareFormat, allowInsecureKeySize: SummaFile.insecureTestKeysAllowed,
            allowInsecureThreshold: SummaFile.insecureTestKeysAllowed)
        guard fields.optional("signingKey") == nil else {
            let share = try share(from: data, path: path)
            return (share.index, share.publicKey, false)
        }
        let party = try fields.integer("party", in: 1...publicKey.partyCount)
        let secret = try fields.secretBigInteger("share")
        do throws(ThresholdError) {
            _ = try DealtShare(validating: publicKey, index: party, secret: secret)
        } catch {
            throw .invalidThresholdKey(path: path, field: "share", error)
        }
        return (party, publicKey, true)
    }

    /// Reads the coordinator's key file (see ``coordinatorKey(from:path:allowInsecureKeySize:allowInsecureThreshold:)``).
    public static func readCoordinatorKey(
        path: String, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        allowInsecureThreshold: Bool = SummaFile.insecureTestKeysAllowed
    ) throws(FormatError) -> CoordinatorKey {
        try coordinatorKey(
            from: try SummaFile.contents(atPath: path), path: path, allowInsecureKeySize: allowInsecureKeySize,
            allowInsecureThreshold: allowInsecureThreshold)
    }

    /// Parses the coordinator's key file: the deal's public key (checked as a public key file is) and the private
    /// key whose public half it names.
    public static func coordinatorKey(
        from data: Data, path: String, allowInsecureKeySize: Bool = SummaFile.insecureTestKeysAllowed,
        allowInsecureThreshold: Bool = SummaFile.insecureTestKeysAllowed
    ) throws(FormatError) -> CoordinatorKey {
        let (fields, publicKey) = try holder(
            data, path: path, format: coordinatorKeyFormat, allowInsecureKeySize: allowInsecureKeySize,
            allowInsecureThreshold: allowInsecureThreshold)
        let signing = try privateSigningKey(fields)
        do throws(ThresholdError) {
            return try CoordinatorKey(publicKey: publicKey, signingKey: signing)
        } catch {
            throw .invalidThresholdKey(path: path, field: "signingKey", error)
        }
    }

    /// A key holder's document (a party's share, the coordinator's key) of `format`: its fields and the deal's public
    /// key it embeds, checked as a public key file is, fingerprint included.
    static func holder(
        _ data: Data, path: String, format: String, allowInsecureKeySize: Bool, allowInsecureThreshold: Bool
    ) throws(FormatError) -> (fields: JSONFields, publicKey: ThresholdPublicKey) {
        let fields = try fields(of: data, path: path, format: format)
        let publicKey = try publicKey(
            try fields.object("publicKey"), allowInsecureKeySize: allowInsecureKeySize,
            allowInsecureThreshold: allowInsecureThreshold)
        return (fields, publicKey)
    }

    /// The secret `signingKey` member: 32 bytes of base64url, never quoted in errors.
    static func privateSigningKey(_ fields: JSONFields) throws(FormatError) -> Data {
        guard let bytes = Base64URL.decode(try fields.string("signingKey")), bytes.count == 32 else {
            throw .malformedField(path: fields.path, field: fields.name("signingKey"), reason: "not 32 bytes of base64url")
        }
        return Data(bytes)
    }

    /// The fields of a document of `format` (at ``version``: `formatAndVersion()` refuses earlier ones).
    static func fields(of data: Data, path: String, format: String) throws(FormatError) -> JSONFields {
        let fields = try JSONFields(try JSONValue(parsing: data, path: path), path: path)
        let name = try fields.versionedFormat()
        guard name == format else {
            let hint = [
                coordinatorKeyFormat: ": the coordinator's key file is coordinator.json, written by `summa deal`",
                shareFormat: ": a party's key file is its party-i.json, written by `summa deal`",
            ][format] ?? ""
            throw .unrecognizedFile(path: path, reason: "holds \"\(name.prefix(40))\", not \(format)\(hint)")
        }
        return fields
    }

    /// A threshold public key document (a file, or the `publicKey` member of a share file), validated field by
    /// field (``Threshold/ThresholdPublicKey/init(paillierKey:partyCount:threshold:v:verificationKeys:signingKeys:allowInsecureThreshold:)``),
    /// then its declared `fingerprint` checked against the key's, which covers every field: a key with any field
    /// replaced is refused as altered.
    static func publicKey(
        _ fields: JSONFields, allowInsecureKeySize: Bool, allowInsecureThreshold: Bool
    ) throws(FormatError) -> ThresholdPublicKey {
        let path = fields.path
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
        guard let coordinatorKey = Base64URL.decode(try fields.string("coordinatorKey")), coordinatorKey.count == 32 else {
            throw .malformedField(path: path, field: fields.name("coordinatorKey"), reason: "not a base64url Ed25519 key")
        }
        let parties = try fields.integer("parties", in: 1...64)
        // Named here, where the list is, rather than as the whole key's fault by the key's own check.
        for (list, count) in [("verificationKeys", verificationKeys.count), ("signingKeys", signingKeys.count)] where count != parties {
            throw .malformedField(
                path: path, field: fields.name(list), reason: "expected \(parties) keys, one per party (ℓ = \(parties)), got \(count)")
        }
        let threshold = try fields.integer("threshold", in: 1...64)
        let v = try fields.bigInteger("v")
        let key: ThresholdPublicKey
        do throws(ThresholdError) {
            key = try ThresholdPublicKey(
                paillierKey: paillier, partyCount: parties, threshold: threshold, v: v,
                verificationKeys: verificationKeys, signingKeys: signingKeys, coordinatorKey: Data(coordinatorKey),
                allowInsecureThreshold: allowInsecureThreshold)
        } catch {
            throw .invalidThresholdKey(path: path, field: fields.prefix.isEmpty ? "threshold key" : fields.prefix, error)
        }
        guard declaredFingerprint == key.fingerprint else { throw .fingerprintMismatch(path: path) }
        return key
    }
}
