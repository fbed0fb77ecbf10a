import BigNum
import Crypto
import Foundation

/// Builds a key fingerprint that commits to every public field of a key: SHA-256 over a domain label naming the
/// kind of key, then each field, every item written as a 4-byte big-endian length followed by its bytes (integers
/// as big-endian bytes without leading zeros, zero as no bytes). Text form: `sha256:` and 64 lowercase hex digits.
///
/// Each kind of key fixes its label and the order and number of its fields (docs/formats.md), so two different
/// keys never hash the same bytes. The one exception to this encoding is the plain Paillier key, whose fingerprint
/// stays SHA-256 of n's bytes alone (``PaillierPublicKey/fingerprint(of:)``): python-paillier keys hold only n, and a
/// pheutil key and a Summa key with the same n must agree.
public struct KeyFingerprint {
    private var hasher = SHA256()

    /// Starts a fingerprint for keys of one kind, such as `summa/key-fingerprint/threshold/v1`.
    public init(label: String) {
        append(Data(label.utf8))
    }

    /// Appends one field: its length, then its bytes.
    public mutating func append(_ bytes: Data) {
        var length = UInt32(bytes.count).bigEndian
        hasher.update(data: Data(bytes: &length, count: 4))
        hasher.update(data: bytes)
    }

    /// Appends a non-negative integer as its big-endian bytes.
    public mutating func append(_ number: BigInteger) { append(Data(number.bigEndianBytes())) }

    /// Appends a small non-negative integer (a count, a threshold) exactly as ``append(_:)-(BigInteger)`` would.
    public mutating func append(_ integer: Int) { append(BigInteger(integer)) }

    /// The fingerprint: `sha256:` and the hex digest.
    public func finalize() -> String { Self.text(of: Array(hasher.finalize())) }

    /// `sha256:` and the lowercase hex of a 32-byte digest.
    static func text(of digest: [UInt8]) -> String {
        "sha256:" + digest.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
    }
}
