import Summa
import BigNum
import Foundation
import Paillier

extension PaillierPublicKey {
    /// The `summa.public-key` document.
    public var summaJSON: JSONValue {
        var members: [(String, JSONValue)] = [
            ("format", .string(SummaFile.Format.publicKey.rawValue)), ("version", .integer(SummaFile.version)),
            ("fingerprint", .string(fingerprint)), ("bits", .integer(bits)), ("n", .string(n.description)),
        ]
        if let base = fastEncryptionBase { members.append(("fastEncryptionBase", .string(base.description))) }
        return .object(members)
    }

    /// pheutil's public JWK: `{"kty":"DAJ","alg":"PAI-GN1","key_ops":["encrypt"],"n":…,"kid":…}`.
    public func pheJWK(kid: String = "Paillier public key written by summa") -> JSONValue {
        .object([
            ("kty", .string("DAJ")), ("alg", .string("PAI-GN1")), ("key_ops", .array([.string("encrypt")])),
            ("n", .string(n.base64URLEncoded)), ("kid", .string(kid)),
        ])
    }
}

extension PaillierPrivateKey {
    /// The `summa.private-key` document (holds the secret primes: write it with ``SummaFile/write(_:to:secret:)``).
    public var summaJSON: JSONValue {
        .object([
            ("format", .string(SummaFile.Format.privateKey.rawValue)), ("version", .integer(SummaFile.version)),
            ("publicKey", publicKey.summaJSON), ("p", .string(p.description)), ("q", .string(q.description)),
        ])
    }

    /// pheutil's private JWK.
    public var pheJWK: JSONValue {
        .object([
            ("kty", .string("DAJ")), ("key_ops", .array([.string("decrypt")])), ("p", .string(p.base64URLEncoded)),
            ("q", .string(q.base64URLEncoded)), ("pub", publicKey.pheJWK()),
            ("kid", .string("Paillier private key written by summa")),
        ])
    }
}

extension EncryptedTable {
    /// The `summa.encrypted` document.
    public var summaJSON: JSONValue {
        .object(
            SummaFile.header(.encrypted, publicKey: publicKey) + [
                ("columns", .array(columns.map { column in
                    var members: [(String, JSONValue)] = [
                        ("name", .string(column.name)), ("scale", .integer(column.scale)),
                        ("count", .integer(column.values.count)),
                        ("values", .array(column.values.map { .string($0.value.description) })),
                    ]
                    if let squares = column.squares {
                        members.append(("squares", .array(squares.map { .string($0.value.description) })))
                    }
                    return .object(members)
                }))
            ])
    }
}

extension AggregateTable {
    /// The `summa.aggregate` document.
    public var summaJSON: JSONValue {
        .object(
            SummaFile.header(.aggregate, publicKey: publicKey) + [("statistic", .string(kind.rawValue))] + [
                ("columns", .array(columns.map { column in
                    let sum = column.aggregate.sum
                    var members: [(String, JSONValue)] = [("name", .string(column.name)), ("scale", .integer(sum.scale))]
                    if !sum.denominator.isDecimal {
                        members.append(("denominator", .object([
                            ("twos", .integer(sum.denominator.twos)), ("fives", .integer(sum.denominator.fives)),
                        ])))
                    }
                    members += [
                        ("count", .integer(column.aggregate.count)), ("sum", .string(sum.ciphertext.value.description)),
                    ]
                    if let bound = column.aggregate.sum.bound { members.append(("bound", .string(bound.description))) }
                    if let squares = column.aggregate.sumOfSquares {
                        members.append(("sumOfSquares", .string(squares.ciphertext.value.description)))
                        if let bound = squares.bound { members.append(("sumOfSquaresBound", .string(bound.description))) }
                    }
                    return .object(members)
                }))
            ])
    }
}

extension EncryptedNumber {
    /// The smallest base-16 exponent magnitude python-paillier's pheutil uses for fractions.
    static let pheFractionExponent = 32

    /// This number as pheutil's ciphertext `{"v": "<decimal>", "e": <exponent>}` (value = mantissa × 16^e).
    ///
    /// Exact when the denominator has no factor 5: integers (e ≤ 0) and values read from python-paillier. A decimal
    /// fraction has no exact base-16 form, so for scale s > 0 the ciphertext is multiplied by round(16^k / 10^s)
    /// with e = −k, k ≥ 32 chosen so that the relative error is below 2⁻⁶⁴: python-paillier decodes every value
    /// to a double anyway, and gets the double nearest the exact value.
    public func pheJSON() throws(FormatError) -> JSONValue {
        // value = M · 2^(−t) · 5^(−f) = M′ · 16^(−k)  ⇔  M′ = M · 2^(4k − t) · 5^(−f).
        let (t, f) = (denominator.twos, denominator.fives)
        let k: Int
        let factor: BigInteger
        if f <= 0 {
            k = t > 0 ? (t + 3) / 4 : -(-t / 4)  // the smallest k with 4k ≥ t
            factor = BigInteger(2).power(4 * k - t) * BigInteger(5).power(-f)
        } else {
            // 2^(4k − t) ≥ 2^64 · 5^f, with log2(5) < 2.33.
            k = max(Self.pheFractionExponent, (t + 64 + (233 * f + 99) / 100 + 3) / 4)
            factor = FixedPoint.roundedQuotient(BigInteger(2).power(4 * k - t), BigInteger(5).power(f))
        }
        let scaled = try FormatError.catching { () throws(SummaError) in try multiplied(by: FixedPoint(factor)).ciphertext }
        return .object([("v", .string(scaled.value.description)), ("e", .integer(-k))])
    }
}

extension SummaFile {
    /// The members every ciphertext file starts with: format, version, the key's fingerprint and the key.
    static func header(_ format: Format, publicKey: PaillierPublicKey) -> [(String, JSONValue)] {
        [
            ("format", .string(format.rawValue)), ("version", .integer(version)),
            ("keyFingerprint", .string(publicKey.fingerprint)), ("publicKey", publicKey.summaJSON),
        ]
    }

    /// Writes a document atomically: to a temporary file beside `path`, then renamed into place, so a failed or
    /// interrupted write never leaves a half-written file. `secret` files are created readable by the owner only.
    public static func write(_ document: JSONValue, to path: String, secret: Bool = false) throws(FormatError) {
        try write(Data(document.prettySerialized.utf8), to: path, secret: secret)
    }

    /// Writes bytes atomically (see ``write(_:to:secret:)``).
    public static func write(_ data: Data, to path: String, secret: Bool = false) throws(FormatError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .io(path: path, reason: "cannot write: the folder \(directory) does not exist")
        }
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let created = FileManager.default.createFile(
            atPath: temporary, contents: data, attributes: [.posixPermissions: secret ? 0o600 : 0o644])
        guard created else { throw .io(path: path, reason: "cannot write (permission denied or disk full?)") }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(path: path, reason: "cannot write (is it a folder, or read-only?)")
        }
    }
}
