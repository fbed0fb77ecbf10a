import BigNum
import Crypto
import Foundation
import Paillier

/// The public parameters of range proofs under one Paillier modulus n, derived from n by hashing, so that no
/// prover chooses them and nobody who lacks n's factors knows a relation between them:
///
/// - integer commitments mod n: t = −s² and bases g₀, g₁, … of Jacobi symbol 1, each from SHA-256 of n, a label
///   and an index. J = {x : (x/n) = 1} is cyclic of order 2p′q′ for a product of safe primes, and t generates it
///   unless s² misses a generator of the squares (probability about 1/p′ + 1/q′), so t^r·∏gᵢ^uᵢ with r of
///   bits(n) + σ random bits hides the uᵢ statistically; binding and the integrality of openings rest on the strong
///   RSA assumption for n, as for Damgård–Fujisaki commitments (docs/design.md, "Range proofs").
/// - a Damgård–Jurik–Nielsen base hₛ = (−x²)ⁿ mod n² for the inputs' ciphertexts, so that a proof's Paillier
///   equations cost a fixed-base exponentiation with a short exponent instead of an n-th power.
///
/// Bases are made on demand and kept: a session's coordinator derives the bases of the longest input once.
public final class RangeCommitmentKey: @unchecked Sendable {
    /// The Paillier key the ciphertexts are under; its modulus is the commitments' modulus.
    public let publicKey: PaillierPublicKey
    /// t, the randomness base of the commitments.
    let randomnessBase: BigInteger
    let randomnessTable: FixedBaseTable
    /// hₛ, the mask base of the ciphertexts, with its table mod n².
    let maskBase: BigInteger
    let maskTable: FixedBaseTable
    /// Bits of a ciphertext's mask exponent a (⌈bits(n)/2⌉, as ``Paillier/FastEncryptor`` draws them).
    let maskExponentBits: Int
    private let lock = NSLock()
    private var bases: [BigInteger] = []

    /// λ: bits of the challenge.
    static let challengeBits = 128
    /// σ: statistical hiding of every masked response.
    static let hidingBits = 80

    public init(publicKey: PaillierPublicKey) {
        self.publicKey = publicKey
        let n = publicKey.n
        let s = Self.element(of: n, label: "randomness", index: 0)
        randomnessBase = n - s.multiplied(by: s, modulo: n)
        randomnessTable = FixedBaseTable(base: randomnessBase, modulus: n, exponentBits: Self.randomnessBits(n) + 8, window: 6)
        let x = Self.element(of: n, label: "ciphertext-mask", index: 0)
        maskBase = (n - x.multiplied(by: x, modulo: n)).power(n, modulo: publicKey.nSquared)
        maskExponentBits = (publicKey.bits + 1) / 2
        // Room for a batch of 2²⁰ responses folded by 128-bit coefficients.
        maskTable = FixedBaseTable(
            base: maskBase, modulus: publicKey.nSquared,
            exponentBits: maskExponentBits + Self.challengeBits + Self.hidingBits + 1 + 128 + 21, window: 6)
    }

    /// Bits of the largest randomness exponent a proof uses: bits(n) + λ + 2σ, plus one for a response's carry.
    static func randomnessBits(_ n: BigInteger) -> Int { n.bitWidth + challengeBits + 2 * hidingBits + 1 }

    /// t^exponent mod n.
    func randomnessPower(_ exponent: BigInteger) -> BigInteger { randomnessTable.power(exponent) }

    /// hₛ^exponent mod n².
    func maskPower(_ exponent: BigInteger) -> BigInteger { maskTable.power(exponent) }

    /// The first `count` commitment bases.
    func bases(count: Int) -> ArraySlice<BigInteger> {
        lock.lock()
        defer { lock.unlock() }
        if bases.count < count {
            let n = publicKey.n
            bases += (bases.count..<count).map { Self.element(of: n, label: "base", index: $0) }
        }
        return bases[0..<count]
    }

    /// A unit of Jacobi symbol 1 mod n from SHA-256 in counter mode over (domain, n, label, index, attempt),
    /// bits(n) + 128 bits reduced mod n (statistically close to uniform); about two attempts.
    static func element(of n: BigInteger, label: String, index: Int) -> BigInteger {
        let byteCount = (n.bitWidth + 128 + 7) / 8
        var attempt = 0
        while true {
            var prefix = SHA256()
            for part in [Data("summa/range-proof/element/v1".utf8), Data(n.bigEndianBytes()), Data(label.utf8)] {
                var length = UInt32(part.count).bigEndian
                prefix.update(data: Data(bytes: &length, count: 4))
                prefix.update(data: part)
            }
            var counters = [UInt64(index).bigEndian, UInt64(attempt).bigEndian]
            prefix.update(data: Data(bytes: &counters, count: 16))
            var bytes: [UInt8] = []
            bytes.reserveCapacity(byteCount + 32)
            var block: UInt32 = 0
            while bytes.count < byteCount {
                var hasher = prefix
                var blockIndex = block.bigEndian
                hasher.update(data: Data(bytes: &blockIndex, count: 4))
                bytes += hasher.finalize()
                block += 1
            }
            let candidate = BigInteger(bigEndianBytes: bytes.prefix(byteCount)).modulo(n)
            if candidate > 1, candidate.jacobiSymbol(modulo: n) == 1 { return candidate }
            attempt += 1
        }
    }

    /// Encrypts `plaintext` as (1 + m·n)·hₛᵃ mod n² with a fresh a of ``maskExponentBits`` bits, returning a.
    func encrypt(_ plaintext: BigInteger) -> (ciphertext: BigInteger, exponent: BigInteger) {
        let a = BigInteger.random(bits: maskExponentBits)
        return (publicKey.encrypt(plaintext, mask: maskPower(a)).value, a)
    }
}

extension RangeCommitmentKey {
    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [BigInteger: RangeCommitmentKey] = [:]

    /// The parameters of `publicKey`, made once per process and modulus (their tables take a fraction of a
    /// second at 2048 bits, and every proof of a session uses them).
    public static func shared(for publicKey: PaillierPublicKey) -> RangeCommitmentKey {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let key = cache[publicKey.n] { return key }
        let key = RangeCommitmentKey(publicKey: publicKey)
        if cache.count >= 8 { cache.removeAll() }
        cache[publicKey.n] = key
        return key
    }
}
