internal import CGMP

/// Powers of one fixed base for constant-time exponentiation with secret exponents: T[i][d] = base^(d·16^i) mod m,
/// so base^e costs one multiplication per 4 exponent bits and no squarings, with every table row scanned whole
/// (see `summa_sec_fixed_base_powm`). About 2× faster than `power(secretExponent:modulo:)` once built; building
/// costs 16 multiplications per row, so it pays off only for a base used many times (a threshold key's v in a
/// long-lived process).
public final class SecretFixedBaseTable: @unchecked Sendable {
    /// The largest exponent size, in bits, the table covers.
    public let exponentBits: Int
    public let modulus: BigInteger
    let rows: Int
    let limbCount: Int
    /// rows × 16 × limbCount limbs; immutable after init (hence the unchecked Sendable).
    let limbs: UnsafeMutablePointer<mp_limb_t>

    public init(base: BigInteger, modulus: BigInteger, exponentBits: Int) {
        precondition(modulus > 1 && exponentBits > 0)
        self.exponentBits = exponentBits
        self.modulus = modulus
        rows = (exponentBits + 3) / 4
        limbCount = modulus.withUnsafeMPZ { Int(summa_mpz_limb_count($0)) }
        let total = rows * 16 * limbCount
        limbs = .allocate(capacity: total)
        limbs.initialize(repeating: 0, count: total)
        var rowBase = base.modulo(modulus)
        for row in 0..<rows {
            var power = BigInteger(1)
            for digit in 0..<16 {
                let slot = limbs + (row * 16 + digit) * limbCount
                power.withUnsafeMPZ { x in _ = __gmpz_export(slot, nil, -1, MemoryLayout<mp_limb_t>.size, 0, 0, x) }
                power.formProduct(with: rowBase, modulo: modulus)
            }
            rowBase = power  // base^(16^(row + 1))
        }
    }

    deinit {
        limbs.deallocate()
    }

    /// base^exponent mod m in constant time, for 0 ≤ exponent < 2^exponentBits.
    public func power(_ exponent: BigInteger) -> BigInteger {
        precondition(!exponent.isNegative && exponent.bitWidth <= exponentBits, "exponent outside the table")
        return BigInteger.make { r in
            exponent.withUnsafeMPZ { e in
                modulus.withUnsafeMPZ { m in summa_sec_fixed_base_powm(r, limbs, rows, limbCount, e, m) }
            }
        }
    }
}
