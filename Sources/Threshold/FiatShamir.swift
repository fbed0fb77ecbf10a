import BigNum
import Crypto
import Foundation

/// Fiat–Shamir challenges: SHA-256 over a domain label and length-prefixed big-endian encodings of every
/// public value of the statement, including the session id, the party index and n (public threshold libraries
/// have been broken by hashes that omit any of them).
package struct FiatShamir {
    private var hasher = SHA256()

    /// Starts a challenge with the context every statement of a session is bound to, in this order: the domain
    /// label, the session id, the prover's party index and the modulus.
    package init(domain: String, session: Data, party: Int, modulus: BigInteger) {
        absorb(Data(domain.utf8))
        absorb(session)
        absorb(party)
        absorb(modulus)
    }

    package mutating func absorb(_ bytes: Data) {
        var length = UInt32(bytes.count).bigEndian
        hasher.update(data: Data(bytes: &length, count: 4))
        hasher.update(data: bytes)
    }

    package mutating func absorb(_ number: BigInteger) { absorb(Data(number.bigEndianBytes())) }

    package mutating func absorb(_ integer: Int) { absorb(BigInteger(integer)) }

    /// The 256-bit challenge.
    package func challenge() -> BigInteger { BigInteger(bigEndianBytes: Array(hasher.finalize())) }

    /// Bits of a challenge.
    static let challengeBits = 256
}
