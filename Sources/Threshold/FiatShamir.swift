import BigNum
import Crypto
import Foundation

/// Fiat–Shamir challenges: SHA-256 over a domain label and length-prefixed big-endian encodings of every
/// public value of the statement, including the session id, the party index and n (public threshold libraries
/// have been broken by hashes that omit any of them).
struct FiatShamir {
    private var hasher = SHA256()

    init(domain: String) { absorb(Data(domain.utf8)) }

    mutating func absorb(_ bytes: Data) {
        var length = UInt32(bytes.count).bigEndian
        hasher.update(data: Data(bytes: &length, count: 4))
        hasher.update(data: bytes)
    }

    mutating func absorb(_ number: BigInteger) { absorb(Data(number.bigEndianBytes())) }

    mutating func absorb(_ integer: Int) { absorb(BigInteger(integer)) }

    /// The 256-bit challenge.
    func challenge() -> BigInteger { BigInteger(bigEndianBytes: Array(hasher.finalize())) }

    /// Bits of a challenge.
    static let challengeBits = 256
}
