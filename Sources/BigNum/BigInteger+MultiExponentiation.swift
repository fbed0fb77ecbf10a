internal import CGMP

extension BigInteger {
    /// ∏ bᵢ^eᵢ mod m for non-negative exponents, by simultaneous exponentiation (Straus's method with 4-bit windows):
    /// one chain of squarings serves every base. For k bases and exponents of ℓ bits that is about ℓ squarings and
    /// (14 + ℓ/4)·k multiplications, where k separate exponentiations cost about k·(ℓ + ℓ/5); with 128-bit
    /// exponents, a third of the work.
    ///
    /// Variable time: for public exponents only (verifying proofs, folding statements by public coefficients).
    public static func product(of bases: [BigInteger], raisedTo exponents: [BigInteger], modulo modulus: BigInteger) -> BigInteger {
        precondition(bases.count == exponents.count, "one exponent per base")
        precondition(exponents.allSatisfy { !$0.isNegative }, "non-negative exponents only")
        guard bases.count <= 32 else { return bucketProduct(of: bases, raisedTo: exponents, modulo: modulus) }
        let windowBits = 4
        // tables[i][d] = bᵢ^d mod m for d = 1…15 (index 0 unused).
        let tables = bases.map { base in
            let reduced = base.modulo(modulus)
            var powers = [BigInteger(1), reduced]
            for _ in 2..<(1 << windowBits) { powers.append(powers[powers.count - 1].multiplied(by: reduced, modulo: modulus)) }
            return powers
        }
        let width = exponents.map(\.bitWidth).max() ?? 0
        var result = BigInteger(1)
        var window = (width + windowBits - 1) / windowBits - 1
        while window >= 0 {
            for _ in 0..<windowBits { result.formSquare(modulo: modulus) }
            for (index, exponent) in exponents.enumerated() {
                let digit = exponent.bits(from: window * windowBits, count: windowBits)
                if digit != 0 { result.formProduct(with: tables[index][digit], modulo: modulus) }
            }
            window -= 1
        }
        return result.modulo(modulus)
    }

    /// ∏ bᵢ^eᵢ mod m by Pippenger's bucket method, for many bases: per window of c exponent bits, each base is
    /// multiplied into the bucket of its digit, and the buckets are summed as ∑ d·bucket_d with 2·2^c
    /// multiplications (a running product). For k bases and ℓ-bit exponents that is about (ℓ/c)·(k + 2^(c+1))
    /// multiplications and ℓ squarings, with memory for 2^c buckets: Straus's 4-bit tables cost 16 numbers per
    /// base, which is 1.6 GB for the 400,000 bases of a range proof over 10⁵ values.
    static func bucketProduct(of bases: [BigInteger], raisedTo exponents: [BigInteger], modulo modulus: BigInteger) -> BigInteger {
        let width = exponents.map(\.bitWidth).max() ?? 0
        guard width > 0 else { return BigInteger(1).modulo(modulus) }
        // c minimising (ℓ/c)·(k + 2^(c+1)): about log₂ k − 1.
        var windowBits = 1
        var bestCost = Double.infinity
        for c in 1...16 {
            let cost = Double((width + c - 1) / c) * (Double(bases.count) + Double(1 << (c + 1)))
            if cost < bestCost { bestCost = cost; windowBits = c }
        }
        let reduced = bases.map { $0.modulo(modulus) }
        var result: BigInteger? = nil
        var window = (width + windowBits - 1) / windowBits - 1
        var buckets = [BigInteger?](repeating: nil, count: 1 << windowBits)
        while window >= 0 {
            if result != nil { for _ in 0..<windowBits { result!.formSquare(modulo: modulus) } }
            for index in buckets.indices { buckets[index] = nil }
            for (index, exponent) in exponents.enumerated() {
                let digit = exponent.bits(from: window * windowBits, count: windowBits)
                guard digit != 0 else { continue }
                if buckets[digit] == nil {
                    buckets[digit] = reduced[index]
                } else {
                    buckets[digit]!.formProduct(with: reduced[index], modulo: modulus)
                }
            }
            // ∏ bucket_d^d = ∏_{d} (∏_{d' ≥ d} bucket_d'): a running product of the buckets from the top, multiplied in.
            var running: BigInteger? = nil
            var sum: BigInteger? = nil
            for digit in stride(from: buckets.count - 1, through: 1, by: -1) {
                if let bucket = buckets[digit] {
                    if running == nil { running = bucket } else { running!.formProduct(with: bucket, modulo: modulus) }
                }
                if let running {
                    if sum == nil { sum = running } else { sum!.formProduct(with: running, modulo: modulus) }
                }
            }
            if let sum {
                if result == nil { result = sum } else { result!.formProduct(with: sum, modulo: modulus) }
            }
            window -= 1
        }
        return result ?? BigInteger(1).modulo(modulus)
    }

    /// Bits `start`…`start + count − 1` of a non-negative number (count ≤ 32), as an integer.
    func bits(from start: Int, count: Int) -> Int {
        withUnsafeMPZ { x in
            let limbCount = Int(summa_mpz_limb_count(x))
            let limb = start / 64
            guard limb < limbCount else { return 0 }
            let limbs = x.pointee._mp_d!
            var digit = UInt64(limbs[limb]) >> UInt64(start % 64)
            if start % 64 + count > 64 && limb + 1 < limbCount { digit |= UInt64(limbs[limb + 1]) << UInt64(64 - start % 64) }
            return Int(truncatingIfNeeded: digit & ((1 << UInt64(count)) - 1))
        }
    }

    /// `self = self² mod m` in place: squaring through ``formProduct(with:modulo:)`` passes `self` as its own
    /// operand, so the storage is shared and every squaring copied the number first (with the `== 1` test it
    /// replaces, which made a `BigInteger(1)` each time, 35% of a ranged transcript's check under the fuzzers).
    mutating func formSquare(modulo modulus: BigInteger) {
        modulus.withUnsafeMPZ { m in
            withUnsafeMutableMPZ { a in
                __gmpz_mul(a, a, a)
                __gmpz_mod(a, a, m)
            }
        }
    }
}
