internal import CGMP

extension BigInteger {
    /// A uniform random integer in `0..<bound`, from the system's CSPRNG (rejection sampling, no modulo bias).
    public static func random(below bound: BigInteger) -> BigInteger {
        precondition(bound.signum > 0, "random(below:) needs a positive bound")
        while true {
            let candidate = random(bits: bound.bitWidth)
            if candidate < bound { return candidate }  // accepted with probability > 1/2
        }
    }

    /// A uniform random integer in `0..<bound` drawn from `generator`.
    public static func random(below bound: BigInteger, using generator: inout some RandomNumberGenerator)
        -> BigInteger
    {
        precondition(bound.signum > 0, "random(below:) needs a positive bound")
        let bits = bound.bitWidth
        while true {
            let candidate = random(bits: bits, using: &generator)
            if candidate < bound { return candidate }  // accepted with probability > 1/2
        }
    }

    /// A uniform random integer in `0..<2^bits`, from the system's CSPRNG: all its bytes in one `getrandom` call.
    public static func random(bits: Int) -> BigInteger {
        precondition(bits >= 0)
        var bytes = [UInt8](repeating: 0, count: (bits + 7) / 8)
        let status = bytes.withUnsafeMutableBytes { raw in raw.count == 0 ? 0 : summa_random_bytes(raw.baseAddress!, raw.count) }
        precondition(status == 0, "the system's random number generator failed")
        let excess = bytes.count * 8 - bits
        if excess > 0 { bytes[0] &= UInt8(0xFF) >> excess }
        defer { wipe(&bytes) }
        return BigInteger(bigEndianBytes: bytes)
    }

    /// A uniform random integer in `0..<2^bits` drawn from `generator`.
    public static func random(bits: Int, using generator: inout some RandomNumberGenerator) -> BigInteger {
        precondition(bits >= 0)
        let byteCount = (bits + 7) / 8
        var bytes = [UInt8](repeating: 0, count: byteCount)
        var index = 0
        while index < byteCount {
            var word = generator.next()
            for _ in 0..<min(8, byteCount - index) {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        let excess = byteCount * 8 - bits
        if excess > 0 { bytes[0] &= UInt8(0xFF) >> excess }
        defer { wipe(&bytes) }
        return BigInteger(bigEndianBytes: bytes)
    }

    /// A uniform random unit of Z*_modulus (an integer in 1..<modulus coprime to it).
    public static func randomUnit(modulo modulus: BigInteger) -> BigInteger {
        while true {
            let candidate = random(below: modulus)
            if !candidate.isZero && gcd(candidate, modulus) == 1 { return candidate }
        }
    }
}

/// Overwrites a buffer that held secret bytes.
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { raw in
        if let base = raw.baseAddress { summa_secure_zero(base, raw.count) }
    }
}
