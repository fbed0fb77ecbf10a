/// Everything that can go wrong in the Paillier layer. Messages name the defect, never a secret value.
public enum PaillierError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key of `bits` bits was asked for or given, below the `minimum` allowed without the insecure option.
    case keyTooSmall(bits: Int, minimum: Int)
    /// A key size that cannot be made: odd, or outside the supported range.
    case unsupportedKeySize(bits: Int)
    /// The modulus is even (or below 3).
    case modulusNotOdd
    /// The modulus is a perfect power, so it is not a product of two distinct primes.
    case modulusIsPerfectPower
    /// The modulus has a prime factor below 2²⁰ (`BigInteger.smallFactorBound`): anyone can factor it.
    case modulusHasSmallFactor(UInt32)
    /// The modulus is (probably) prime: φ(n) = n − 1 is public, so anyone can decrypt.
    case modulusIsPrime
    /// The modulus has `actual` bits where `expected` were declared.
    case modulusSizeMismatch(expected: Int, actual: Int)
    /// A private key's primes do not multiply to its public modulus.
    case privateKeyDoesNotMatchPublicKey
    /// A private key's prime is not prime, or the two primes are equal.
    case privateKeyFactorInvalid
    /// The fast-encryption base hₛ is not in 1..<n².
    case fastEncryptionBaseOutOfRange
    /// The fast-encryption base is 1 or n² − 1 (±1): every mask would be ±1 and every ciphertext readable by anyone.
    case fastEncryptionBaseTrivial
    /// The fast-encryption base shares a factor with n: it is not a unit (and is a clue to n's factors).
    case fastEncryptionBaseNotInvertible
    /// hₛ² ≡ 1 (mod n²): the base has order 2, so every mask is ±1 or one of two known values.
    case fastEncryptionBaseOfOrderTwo
    /// The base is not an n-th residue: ±1 times a power of 1 + n (hₛ ≡ ±1 mod n, which anyone can see), or, when
    /// the factors are known, hₛ^(p−1) ≢ 1 (mod p²) or hₛ^(q−1) ≢ 1 (mod q²). Masks made from it do not hide the
    /// plaintext and decrypt to garbage.
    case fastEncryptionBaseNotNthResidue
    /// A fast-decryption key declares a short exponent size but no base.
    case shortExponentWithoutBase
    /// A fast-decryption key's short exponent size is odd or outside `allowed`: a shorter exponent would make the
    /// key weaker than its modulus.
    case shortExponentOutOfRange(bits: Int, allowed: ClosedRange<Int>)
    /// A fast-decryption private key's subgroup orders p₀, q₀ are not distinct primes of l/2 bits with
    /// p ≡ 1 (mod 2p₀) and q ≡ 1 (mod 2q₀), or a standard key was given them, or a fast-decryption key lacks them.
    case subgroupOrderInvalid
    /// The base of a fast-decryption key is not in the subgroup its private key's decryption relies on
    /// (hₛ^(2p₀) ≢ 1 mod p², or likewise for q): ciphertexts made with it would not decrypt the fast way.
    case fastDecryptionBaseOutsideSubgroup
    /// A ciphertext is not in 1..<n².
    case ciphertextOutOfRange
    /// A ciphertext shares a factor with n: not a valid encryption (and a clue to n's factors).
    case ciphertextNotInvertible

    public var description: String {
        switch self {
        case .keyTooSmall(let bits, let minimum):
            "a \(bits)-bit key is too small: at least \(minimum) bits are required (smaller keys only for tests)"
        case .unsupportedKeySize(let bits):
            "unsupported key size \(bits) bits: use an even size from 2048 to 16384 bits"
        case .modulusNotOdd: "invalid public key: the modulus n is not odd"
        case .modulusIsPerfectPower: "invalid public key: the modulus n is a perfect power"
        case .modulusHasSmallFactor(let factor): "invalid public key: the modulus n is divisible by \(factor)"
        case .modulusIsPrime: "invalid public key: the modulus n is prime, so anyone could decrypt"
        case .modulusSizeMismatch(let expected, let actual):
            "invalid public key: the modulus has \(actual) bits, but \(expected) were declared"
        case .privateKeyDoesNotMatchPublicKey: "invalid private key: p·q is not the public modulus n"
        case .privateKeyFactorInvalid: "invalid private key: p and q must be two distinct primes"
        case .fastEncryptionBaseOutOfRange: "invalid public key: the fast-encryption base is not in the range 1..<n²"
        case .fastEncryptionBaseTrivial:
            "invalid public key: the fast-encryption base is ±1 (1 or n² − 1), which would make every ciphertext readable"
        case .fastEncryptionBaseNotInvertible: "invalid public key: the fast-encryption base shares a factor with n"
        case .fastEncryptionBaseOfOrderTwo:
            "invalid public key: the fast-encryption base has order 2 (its square is 1), which would make ciphertexts readable"
        case .fastEncryptionBaseNotNthResidue:
            "invalid public key: the fast-encryption base is not an n-th residue, so its masks would not hide the values"
        case .shortExponentWithoutBase: "invalid public key: a short exponent size is given without a fast-encryption base"
        case .shortExponentOutOfRange(let bits, let allowed):
            "invalid public key: a short exponent of \(bits) bits; this key size needs an even size from \(allowed.lowerBound) to \(allowed.upperBound) bits"
        case .subgroupOrderInvalid:
            "invalid private key: the subgroup orders must be two distinct primes of half the short exponent size dividing (p − 1)/2 and (q − 1)/2, given for fast-decryption keys only"
        case .fastDecryptionBaseOutsideSubgroup:
            "invalid private key: the fast-encryption base is not in the subgroup that fast decryption relies on"
        case .ciphertextOutOfRange: "invalid ciphertext: not in the range 1..<n²"
        case .ciphertextNotInvertible: "invalid ciphertext: it shares a factor with the modulus n"
        }
    }
}
