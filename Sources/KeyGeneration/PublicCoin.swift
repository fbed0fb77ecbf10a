import BigNum
import Crypto
import Foundation

/// Public randomness every party derives alike from the session and what has been revealed: SHA-256 in counter
/// mode over a domain label and length-prefixed inputs. Nobody chooses these values, so nobody can bias a
/// biprimality test or pick a verification base whose logarithm they know.
enum PublicCoin {
    /// An integer uniform in 0..<bound up to 2^-128, from `label` and `inputs`.
    static func integer(_ label: String, _ inputs: [BigInteger], session: Data, below bound: BigInteger) -> BigInteger {
        let bytes = stream(label, inputs, session: session, blocks: (bound.bitWidth + 128 + 255) / 256)
        return BigInteger(bigEndianBytes: bytes).modulo(bound)
    }

    /// `blocks` × 32 bytes: SHA-256 over `label`, the session and `inputs` (each length-prefixed) keys HMAC-SHA256
    /// of a 4-byte counter 0, 1, ….
    static func stream(_ label: String, _ inputs: [BigInteger], session: Data, blocks: Int) -> [UInt8] {
        var seed = SHA256()
        for part in [Data(label.utf8), session] + inputs.map({ Data($0.bigEndianBytes()) }) {
            var length = UInt32(part.count).bigEndian
            seed.update(data: Data(bytes: &length, count: 4))
            seed.update(data: part)
        }
        let key = SymmetricKey(data: seed.finalize())
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32 * blocks)
        for counter in 0..<UInt32(blocks) {
            var block = counter.bigEndian
            bytes += HMAC<SHA256>.authenticationCode(for: Data(bytes: &block, count: 4), using: key)
        }
        return bytes
    }

    /// The base of biprimality test `round` of candidate `candidate`: g with Jacobi(g/n) = 1.
    static func biprimalityBase(session: Data, modulus: BigInteger, candidate: Int, round: Int) -> BigInteger {
        var attempt = 0
        while true {
            let g = integer(
                "summa/keygen/biprimality/v1", [modulus, BigInteger(candidate), BigInteger(round), BigInteger(attempt)],
                session: session, below: modulus)
            if g > 1, g.jacobiSymbol(modulo: modulus) == 1 { return g }
            attempt += 1
        }
    }

    /// v: a square in Z*_{n²} nobody chose, the base of the verification keys.
    static func verificationBase(session: Data, modulus: BigInteger) -> BigInteger {
        let nSquared = modulus * modulus
        let root = integer("summa/keygen/verification-base/v1", [modulus], session: session, below: nSquared)
        return root.multiplied(by: root, modulo: nSquared)
    }

    /// The plaintext and randomness of the test ciphertext every new key must decrypt.
    static func testEncryption(session: Data, modulus: BigInteger) -> (plaintext: BigInteger, randomness: BigInteger) {
        (integer("summa/keygen/test-plaintext/v1", [modulus], session: session, below: modulus),
         integer("summa/keygen/test-randomness/v1", [modulus], session: session, below: modulus))
    }
}

extension PublicCoin {
    /// `count` coefficients of 128 bits from one seed: the ``stream(_:_:session:blocks:)`` in 16-byte pieces.
    static func coefficients(_ label: String, _ inputs: [BigInteger], session: Data, count: Int) -> [BigInteger] {
        let bytes = stream(label, inputs, session: session, blocks: (count + 1) / 2)
        return (0..<count).map { BigInteger(bigEndianBytes: bytes[16 * $0..<16 * $0 + 16]) }
    }

    /// SHA-256 of a list of integers in the form they travel in (``KeyGenerationMessage/encoded(_:)``), as an
    /// integer: what a dealer publishes of the shares it sealed for one party, binding it to them.
    static func digest(_ values: [BigInteger]) -> BigInteger {
        BigInteger(bigEndianBytes: Array(SHA256.hash(data: KeyGenerationMessage.encoded(values))))
    }
}
