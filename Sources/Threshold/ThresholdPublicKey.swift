import BigNum
import Foundation
import Paillier
import Synchronization

/// A t-of-ℓ threshold Paillier public key (Shoup / Damgård–Jurik with s = 1): anyone encrypts under n as usual;
/// any t of the ℓ parties decrypt together, each proving its share correct against the public vᵢ.
///
/// It holds n, ℓ, t, v and v₁…v_ℓ, and each party's public signing key (the roster). Never m = p′q′: with n it
/// would give p′ + q′ and factor n.
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

    /// A fixed-base table for v, when ``precomputeTables()`` was called; shared by copies of the key.
    let tables = PrecomputedTables()

    public var n: BigInteger { paillierKey.n }
    public var nSquared: BigInteger { paillierKey.nSquared }

    /// Δ = ℓ!.
    public var delta: BigInteger { Self.delta(partyCount: partyCount) }

    /// Δ = ℓ! for ℓ parties: it clears the denominators of every Lagrange coefficient.
    static func delta(partyCount: Int) -> BigInteger { (1...partyCount).reduce(BigInteger(1)) { $0 * BigInteger($1) } }

    /// Checks the shape of a key from outside: parameters, vᵢ count and range, v a unit of Z_{n²}.
    public init(
        paillierKey: PaillierPublicKey, partyCount: Int, threshold: Int, v: BigInteger, verificationKeys: [BigInteger],
        signingKeys: [Data]
    ) throws(ThresholdError) {
        guard (1...64).contains(partyCount), (1...partyCount).contains(threshold) else {
            throw .invalidParameters(parties: partyCount, threshold: threshold)
        }
        let nSquared = paillierKey.nSquared
        for (index, value) in ([v] + verificationKeys).enumerated() {
            guard value > 1, value < nSquared, BigInteger.gcd(value, paillierKey.n) == 1 else {
                throw .outOfRange(index == 0 ? "v" : "verification key \(index)")
            }
        }
        guard verificationKeys.count == partyCount, signingKeys.count == partyCount,
            signingKeys.allSatisfy({ $0.count == 32 })
        else { throw .invalidParameters(parties: partyCount, threshold: threshold) }
        self.paillierKey = paillierKey
        self.partyCount = partyCount
        self.threshold = threshold
        self.v = v
        self.verificationKeys = verificationKeys
        self.signingKeys = signingKeys
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
    }
}

/// Tables built on request, shared by copies of a key.
final class PrecomputedTables: Sendable {
    let v = Mutex<SecretFixedBaseTable?>(nil)
}
