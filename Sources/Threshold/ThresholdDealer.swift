import BigNum
import Crypto
import Foundation
import Paillier

/// The trusted dealer: makes n from two safe primes, shares the decryption exponent d (d ≡ 0 mod m, d ≡ 1 mod n,
/// m = p′q′) with a random polynomial of degree t − 1 over Z_{n·m}, publishes v and vᵢ = v^(Δ·sᵢ), and keeps
/// nothing: p, q, m, d and the polynomial are local values, their limbs zeroed when freed.
public enum ThresholdDealer {
    /// Deals a t-of-ℓ key with fresh safe primes of bits/2 bits each (seconds to minutes: sieved search).
    /// - Parameters:
    ///   - bits: the size of n, even; p and q have bits/2 bits each.
    ///   - parties: ℓ, the number of key shares, 1…64.
    ///   - threshold: t, the number of parties needed to decrypt, 1…ℓ.
    ///   - allowInsecureThreshold: allow t = 1 (1-of-ℓ, 1-of-1), with which any one party decrypts every
    ///     input alone: for tests only. Without it a threshold below 2 is refused before any search.
    public static func deal(bits: Int, parties: Int, threshold: Int, allowInsecureThreshold: Bool = false)
        throws(ThresholdError) -> (publicKey: ThresholdPublicKey, shares: [KeyShare], coordinator: CoordinatorKey)
    {
        let (p, q) = try safePrimes(bits: bits, parties: parties, threshold: threshold, allowInsecureThreshold: allowInsecureThreshold)
        return try deal(p: p, q: q, parties: parties, threshold: threshold, allowInsecureThreshold: allowInsecureThreshold)
    }

    /// Two distinct safe primes of bits/2 bits each, once the parameters are known to be dealable (checked first, so
    /// that a bad threshold is refused before any search).
    static func safePrimes(bits: Int, parties: Int, threshold: Int, allowInsecureThreshold: Bool) throws(ThresholdError)
        -> (BigInteger, BigInteger)
    {
        try checkParameters(parties: parties, threshold: threshold, allowInsecureThreshold: allowInsecureThreshold)
        guard bits >= 128, bits % 2 == 0 else { throw .invalidSafePrime }
        let p = BigInteger.randomSafePrime(bits: bits / 2)
        var q = BigInteger.randomSafePrime(bits: bits / 2)
        while q == p { q = BigInteger.randomSafePrime(bits: bits / 2) }
        return (p, q)
    }

    /// 1 ≤ t ≤ ℓ ≤ 64, and t ≥ 2 unless `allowInsecureThreshold`.
    static func checkParameters(parties: Int, threshold: Int, allowInsecureThreshold: Bool) throws(ThresholdError) {
        guard (1...64).contains(parties), (1...parties).contains(threshold) else {
            throw .invalidParameters(parties: parties, threshold: threshold)
        }
        guard threshold >= 2 || allowInsecureThreshold else { throw .thresholdTooLow(parties: parties, threshold: threshold) }
    }

    /// Deals with given safe primes (tests use committed ones). The key is the size of p·q; small keys are for
    /// tests only, and the Paillier layer refuses them elsewhere. `allowInsecureThreshold` as in
    /// ``deal(bits:parties:threshold:allowInsecureThreshold:)``.
    public static func deal(
        p: BigInteger, q: BigInteger, parties: Int, threshold: Int, allowInsecureThreshold: Bool = false
    ) throws(ThresholdError) -> (publicKey: ThresholdPublicKey, shares: [KeyShare], coordinator: CoordinatorKey) {
        let signingKeys = (0..<parties).map { _ in Curve25519.Signing.PrivateKey() }
        let coordinatorKey = Curve25519.Signing.PrivateKey()
        let (publicKey, secrets) = try dealSecrets(
            p: p, q: q, parties: parties, threshold: threshold, signingKeys: signingKeys.map(\.publicKey.rawRepresentation),
            coordinatorKey: coordinatorKey.publicKey.rawRepresentation, allowInsecureThreshold: allowInsecureThreshold)
        let shares = (1...parties).map { i in
            KeyShare(trusted: publicKey, index: i, secret: secrets[i - 1], signingKey: signingKeys[i - 1].rawRepresentation)
        }
        return (publicKey, shares, CoordinatorKey(trusted: publicKey, signingKey: coordinatorKey.rawRepresentation))
    }

    /// Deals to parties and a coordinator that bring their own Ed25519 identities (`identities`: each party's public
    /// key in party order, and the coordinator's): the threshold key names them, and the dealer never holds, nor
    /// writes, anyone's signing key. Each ``DealtShare`` becomes a ``KeyShare`` only with its owner's private key.
    public static func deal(
        bits: Int, threshold: Int, identities: (parties: [Data], coordinator: Data), allowInsecureThreshold: Bool = false
    ) throws(ThresholdError) -> (publicKey: ThresholdPublicKey, shares: [DealtShare]) {
        let (p, q) = try safePrimes(
            bits: bits, parties: identities.parties.count, threshold: threshold, allowInsecureThreshold: allowInsecureThreshold)
        return try deal(p: p, q: q, threshold: threshold, identities: identities, allowInsecureThreshold: allowInsecureThreshold)
    }

    /// ``deal(bits:threshold:identities:allowInsecureThreshold:)`` with given safe primes (tests use committed ones).
    public static func deal(
        p: BigInteger, q: BigInteger, threshold: Int, identities: (parties: [Data], coordinator: Data),
        allowInsecureThreshold: Bool = false
    ) throws(ThresholdError) -> (publicKey: ThresholdPublicKey, shares: [DealtShare]) {
        let (publicKey, secrets) = try dealSecrets(
            p: p, q: q, parties: identities.parties.count, threshold: threshold, signingKeys: identities.parties,
            coordinatorKey: identities.coordinator, allowInsecureThreshold: allowInsecureThreshold)
        return (publicKey, secrets.enumerated().map { DealtShare(publicKey: publicKey, index: $0 + 1, secret: $1) })
    }

    /// The threshold key naming `signingKeys` and `coordinatorKey`, and every party's secret share.
    static func dealSecrets(
        p: BigInteger, q: BigInteger, parties: Int, threshold: Int, signingKeys: [Data], coordinatorKey: Data,
        allowInsecureThreshold: Bool
    ) throws(ThresholdError) -> (publicKey: ThresholdPublicKey, secrets: [BigInteger]) {
        try checkParameters(parties: parties, threshold: threshold, allowInsecureThreshold: allowInsecureThreshold)
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
        var square: BigInteger  // v: a random square, drawn again in the negligible case that it is ±1 mod n
        repeat {
            let root = BigInteger.randomUnit(modulo: nSquared)
            square = root.multiplied(by: root, modulo: nSquared)
        } while square.modulo(n).multiplied(by: square.modulo(n), modulo: n) == 1
        let delta = ThresholdPublicKey.delta(partyCount: parties)
        let verificationKeys = secrets.map { square.power(secretExponent: delta * $0, modulo: nSquared) }
        let publicKey = try ThresholdPublicKey(
            paillierKey: paillierKey, partyCount: parties, threshold: threshold, v: square,
            verificationKeys: verificationKeys, signingKeys: signingKeys, coordinatorKey: coordinatorKey,
            allowInsecureThreshold: allowInsecureThreshold)
        return (publicKey, secrets)
    }
}
