import BigNum
import Foundation
import Paillier
import Synchronization

/// A t-of-ℓ threshold Paillier public key (Shoup / Damgård–Jurik with s = 1): anyone encrypts under n as usual;
/// any t of the ℓ parties decrypt together, each proving its share correct against the public vᵢ.
///
/// It holds n, ℓ, t, v and v₁…v_ℓ, each party's public signing key (the roster) and the coordinator's, all covered
/// by its ``fingerprint``. Never m = p′q′: with n it would give p′ + q′ and factor n.
public struct ThresholdPublicKey: Sendable {
    /// The Paillier key to encrypt under (g = n + 1).
    public let paillierKey: PaillierPublicKey
    public let partyCount: Int
    public let threshold: Int
    /// A random square in Z*_{n²}.
    public let v: BigInteger
    /// vᵢ = v^(Δ·sᵢ) mod n², for parties 1…ℓ (index i − 1).
    public let verificationKeys: [BigInteger]
    /// Each party's Ed25519 public key (32 bytes), for signing protocol messages (index i − 1).
    public let signingKeys: [Data]
    /// The coordinator's Ed25519 public key (32 bytes): its TLS identity, which parties pin, so that nobody else can
    /// run this key's sessions or read their messages.
    public let coordinatorKey: Data
    /// Identifies the key and commits to every public field of it: n, ℓ, t, v, every vᵢ, the whole roster and the
    /// coordinator's key (``fingerprint(n:partyCount:threshold:v:verificationKeys:signingKeys:coordinatorKey:)``). Unlike `paillierKey.fingerprint`,
    /// which covers n only, it changes when any of them is replaced: what sessions and files compare.
    public let fingerprint: String

    /// A fixed-base table for v, when ``precomputeTables()`` was called; shared by copies of the key.
    let tables = PrecomputedTables()

    public var n: BigInteger { paillierKey.n }
    public var nSquared: BigInteger { paillierKey.nSquared }

    /// Δ = ℓ!.
    public var delta: BigInteger { Self.delta(partyCount: partyCount) }

    /// Δ = ℓ! for ℓ parties: it clears the denominators of every Lagrange coefficient.
    static func delta(partyCount: Int) -> BigInteger { (1...partyCount).reduce(BigInteger(1)) { $0 * BigInteger($1) } }

    /// Checks a key from outside (a file) or just dealt, field by field:
    /// - 1 ≤ ℓ ≤ 64 and 2 ≤ t ≤ ℓ; t = 1 (a 1-of-ℓ or 1-of-1 key, with which any one party decrypts every input
    ///   alone) only with `allowInsecureThreshold`, for tests;
    /// - exactly ℓ verification keys and exactly ℓ signing keys; every signing key, the coordinator's included, 32
    ///   bytes and no two equal;
    /// - v and every vᵢ a unit of Z_{n²} (in 1..<n², prime to n) other than ±1; v, moreover, not ±1 modulo n (its
    ///   square not 1 mod n), which rules out every small-order or additive element anyone could write down without
    ///   n's factors.
    ///
    /// The Paillier key is used as the plain key of n: threshold keys have no fast-encryption base.
    public init(
        paillierKey: PaillierPublicKey, partyCount: Int, threshold: Int, v: BigInteger, verificationKeys: [BigInteger],
        signingKeys: [Data], coordinatorKey: Data, allowInsecureThreshold: Bool = false
    ) throws(ThresholdError) {
        guard (1...64).contains(partyCount), (1...partyCount).contains(threshold) else {
            throw .invalidParameters(parties: partyCount, threshold: threshold)
        }
        guard threshold >= 2 || allowInsecureThreshold else {
            throw .thresholdTooLow(parties: partyCount, threshold: threshold)
        }
        guard verificationKeys.count == partyCount else {
            throw .verificationKeyCount(expected: partyCount, actual: verificationKeys.count)
        }
        guard signingKeys.count == partyCount else {
            throw .signingKeyCount(expected: partyCount, actual: signingKeys.count)
        }
        for (index, key) in signingKeys.enumerated() {
            guard key.count == 32 else { throw .invalidSigningKey(party: index + 1) }
            if let earlier = signingKeys[..<index].firstIndex(of: key) {
                throw .duplicateSigningKey(party: index + 1, sameAs: earlier + 1)
            }
        }
        guard coordinatorKey.count == 32 else { throw .invalidCoordinatorKey }
        if let party = signingKeys.firstIndex(of: coordinatorKey) { throw .coordinatorKeyIsAPartyKey(party: party + 1) }
        let n = paillierKey.n, nSquared = paillierKey.nSquared
        for (index, value) in ([v] + verificationKeys).enumerated() {
            let name = index == 0 ? "v" : "verification key \(index)"
            guard value > 0, value < nSquared, BigInteger.gcd(value, n) == 1 else { throw .outOfRange(name) }
            guard value != 1, value != nSquared - 1 else { throw .degenerateElement(name) }
        }
        // v generates the group the proofs live in: it must not be ±1 times a power of 1 + n (v ≡ ±1 mod n), nor a
        // root of 1 mod n. (A vᵢ may be ≡ 1 mod n: in a 1-of-ℓ deal every sᵢ = d ≡ 0 mod m, so vᵢ = v^(Δd) is.)
        let reduced = v.modulo(n)
        guard reduced.multiplied(by: reduced, modulo: n) != 1 else { throw .degenerateElement("v") }
        self.paillierKey = paillierKey.hasFastEncryption ? paillierKey.withoutFastEncryption : paillierKey
        self.partyCount = partyCount
        self.threshold = threshold
        self.v = v
        self.verificationKeys = verificationKeys
        self.signingKeys = signingKeys
        self.coordinatorKey = coordinatorKey
        self.fingerprint = Self.fingerprint(
            n: n, partyCount: partyCount, threshold: threshold, v: v, verificationKeys: verificationKeys,
            signingKeys: signingKeys, coordinatorKey: coordinatorKey)
    }

    /// The domain label of threshold keys' fingerprints.
    public static let fingerprintLabel = "summa/key-fingerprint/threshold/v2"

    /// The fingerprint of a threshold key with these fields: a `KeyFingerprint` over (``fingerprintLabel``, n, ℓ,
    /// t, v, v₁ … v_ℓ, the ℓ 32-byte signing keys, the coordinator's key), each length-prefixed (docs/formats.md).
    public static func fingerprint(
        n: BigInteger, partyCount: Int, threshold: Int, v: BigInteger, verificationKeys: [BigInteger], signingKeys: [Data],
        coordinatorKey: Data
    ) -> String {
        var fingerprint = KeyFingerprint(label: fingerprintLabel)
        fingerprint.append(n)
        fingerprint.append(partyCount)
        fingerprint.append(threshold)
        fingerprint.append(v)
        for key in verificationKeys { fingerprint.append(key) }
        for key in signingKeys { fingerprint.append(key) }
        fingerprint.append(coordinatorKey)
        return fingerprint.finalize()
    }

    /// Builds a constant-time fixed-base table for v (about 0.15 s and 9 MB at 2048 bits), so that each proof and
    /// each verification saves one large exponentiation. Worth it in a process that proves or verifies many times;
    /// a party that proves once per run should not.
    public func precomputeTables() {
        tables.v.withLock { table in
            if table == nil { table = SecretFixedBaseTable(base: v, modulus: nSquared, exponentBits: proofExponentBits) }
        }
    }

    /// An upper bound on the proof exponents r and z: |Δ·sᵢ| + |e| + 128 bits, sᵢ < n·m < n², plus carries.
    public var proofExponentBits: Int { (delta.bitWidth + 2 * n.bitWidth).roundedUpToByte + FiatShamir.challengeBits + 128 + 8 }

    /// v^exponent mod n²: through the table when there is one and the exponent fits, else `mpz_powm_sec` for a
    /// secret exponent (positive) and `mpz_powm` for a public one.
    func vPower(_ exponent: BigInteger, secret: Bool) -> BigInteger {
        if let table = tables.v.withLock({ $0 }), exponent.bitWidth <= table.exponentBits {
            return table.power(exponent)
        }
        return secret ? v.power(secretExponent: exponent, modulo: nSquared) : v.power(exponent, modulo: nSquared)
    }

    /// vᵢ for party i (1…ℓ).
    public func verificationKey(of party: Int) throws(ThresholdError) -> BigInteger {
        guard (1...partyCount).contains(party) else { throw .unknownParty(party) }
        return verificationKeys[party - 1]
    }
}

extension ThresholdPublicKey: Equatable {
    public static func == (lhs: ThresholdPublicKey, rhs: ThresholdPublicKey) -> Bool {
        lhs.paillierKey == rhs.paillierKey && lhs.partyCount == rhs.partyCount && lhs.threshold == rhs.threshold
            && lhs.v == rhs.v && lhs.verificationKeys == rhs.verificationKeys && lhs.signingKeys == rhs.signingKeys
            && lhs.coordinatorKey == rhs.coordinatorKey
    }
}

/// Tables built on request, shared by copies of a key.
final class PrecomputedTables: Sendable {
    let v = Mutex<SecretFixedBaseTable?>(nil)
}
