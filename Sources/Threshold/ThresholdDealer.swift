import BigNum
import Crypto
import Foundation
import Paillier

/// The trusted dealer: makes n from two safe primes, shares the decryption exponent d (d ≡ 0 mod m, d ≡ 1 mod n,
/// m = p′q′) with a random polynomial of degree t − 1 over Z_{n·m}, publishes v and vᵢ = v^(Δ·sᵢ), and keeps
/// nothing: p, q, m, d and the polynomial are local values, their limbs zeroed when freed.
public enum ThresholdDealer {
    /// Deals a t-of-ℓ key with fresh safe primes of bits/2 bits each (seconds to minutes: sieved search).
    public static func deal(bits: Int, parties: Int, threshold: Int) throws(ThresholdError)
        -> (publicKey: ThresholdPublicKey, shares: [KeyShare])
    {
        guard bits >= 128, bits % 2 == 0 else { throw .invalidSafePrime }
        let p = BigInteger.randomSafePrime(bits: bits / 2)
        var q = BigInteger.randomSafePrime(bits: bits / 2)
        while q == p { q = BigInteger.randomSafePrime(bits: bits / 2) }
        return try deal(p: p, q: q, parties: parties, threshold: threshold)
    }

    /// Deals with given safe primes (tests use committed ones). The key is the size of p·q; small keys are for
    /// tests only, and the Paillier layer refuses them elsewhere.
    public static func deal(p: BigInteger, q: BigInteger, parties: Int, threshold: Int) throws(ThresholdError)
        -> (publicKey: ThresholdPublicKey, shares: [KeyShare])
    {
        guard (1...64).contains(parties), (1...parties).contains(threshold) else {
            throw .invalidParameters(parties: parties, threshold: threshold)
        }
        let pPrime = (p - 1).shiftedRight(1), qPrime = (q - 1).shiftedRight(1)
        guard p != q, p.bitWidth == q.bitWidth, p.isProbablePrime(), q.isProbablePrime(), pPrime.isProbablePrime(),
            qPrime.isProbablePrime()
        else { throw .invalidSafePrime }
        let n = p * q
        let m = pPrime * qPrime
        let nm = n * m
        // d = m · (m⁻¹ mod n): d ≡ 0 (mod m), d ≡ 1 (mod n).
        guard let mInverse = m.inverse(modulo: n) else { throw .invalidSafePrime }
        let d = m * mInverse
        let coefficients = [d] + (1..<threshold).map { _ in BigInteger.random(below: nm) }
        let secrets = (1...parties).map { i in
            coefficients.reversed().reduce(BigInteger.zero) { ($0 * BigInteger(i) + $1) }.modulo(nm)
        }
        let paillierKey: PaillierPublicKey
        do {
            paillierKey = try PaillierPublicKey(validatingModulus: n, allowInsecureKeySize: true)
        } catch {
            throw .invalidSafePrime
        }
        let nSquared = paillierKey.nSquared
        let root = BigInteger.randomUnit(modulo: nSquared)
        let square = root.multiplied(by: root, modulo: nSquared)  // v: a random square
        let delta = ThresholdPublicKey.delta(partyCount: parties)
        let verificationKeys = secrets.map { square.power(secretExponent: delta * $0, modulo: nSquared) }
        let signingKeys = (0..<parties).map { _ in Curve25519.Signing.PrivateKey() }
        let publicKey = try ThresholdPublicKey(
            paillierKey: paillierKey, partyCount: parties, threshold: threshold, v: square,
            verificationKeys: verificationKeys, signingKeys: signingKeys.map(\.publicKey.rawRepresentation))
        let shares = (1...parties).map { i in
            KeyShare(trusted: publicKey, index: i, secret: secrets[i - 1], signingKey: signingKeys[i - 1].rawRepresentation)
        }
        return (publicKey, shares)
    }
}
