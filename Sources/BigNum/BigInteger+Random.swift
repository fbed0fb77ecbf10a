internal import CGMP

extension BigInteger {
    /// A uniform random integer in `0..<bound`, from the system's CSPRNG (rejection sampling, no modulo bias).
    public static func random(below bound: BigInteger) -> BigInteger {
        rejectionSample(below: bound) { random(bits: $0) }
    }

    /// A uniform random integer in `0..<bound` drawn from `generator`.
    public static func random(below bound: BigInteger, using generator: inout some RandomNumberGenerator)
        -> BigInteger
    {
        rejectionSample(below: bound) { random(bits: $0, using: &generator) }
    }

    /// Draws `bits(bound)`-bit integers until one is below `bound` (each is, with probability > 1/2).
    static func rejectionSample(below bound: BigInteger, draw: (Int) -> BigInteger) -> BigInteger {
        precondition(bound.signum > 0, "random(below:) needs a positive bound")
        while true {
            let candidate = draw(bound.bitWidth)
            if candidate < bound { return candidate }
        }
    }

    /// A uniform random integer in `0..<2^bits`, from the system's CSPRNG: all its bytes in one `getrandom` call.
    public static func random(bits: Int) -> BigInteger {
        precondition(bits >= 0)
        var bytes = [UInt8](repeating: 0, count: (bits + 7) / 8)
        bytes.withUnsafeMutableBytes { SecureRandomNumberGenerator.fill($0) }
        return fromRandomBytes(&bytes, bits: bits)
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
        return fromRandomBytes(&bytes, bits: bits)
    }

    /// The integer of `bytes` (random, ⌈bits/8⌉ of them) cut to `bits` bits; the bytes are wiped.
    static func fromRandomBytes(_ bytes: inout [UInt8], bits: Int) -> BigInteger {
        let excess = bytes.count * 8 - bits
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
