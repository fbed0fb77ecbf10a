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
    /// The modulus has a prime factor below 2¹⁶.
    case modulusHasSmallFactor(UInt32)
    /// The modulus has `actual` bits where `expected` were declared.
    case modulusSizeMismatch(expected: Int, actual: Int)
    /// A private key's primes do not multiply to its public modulus.
    case privateKeyDoesNotMatchPublicKey
    /// A private key's prime is not prime, or the two primes are equal.
    case privateKeyFactorInvalid
    /// The published fast-encryption base hₛ is not a unit below n², or is not an n-th residue.
    case fastEncryptionBaseInvalid
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
        case .modulusSizeMismatch(let expected, let actual):
            "invalid public key: the modulus has \(actual) bits, but \(expected) were declared"
        case .privateKeyDoesNotMatchPublicKey: "invalid private key: p·q is not the public modulus n"
        case .privateKeyFactorInvalid: "invalid private key: p and q must be two distinct primes"
        case .fastEncryptionBaseInvalid: "invalid public key: the fast-encryption base is not valid for this modulus"
        case .ciphertextOutOfRange: "invalid ciphertext: not in the range 1..<n²"
        case .ciphertextNotInvertible: "invalid ciphertext: it shares a factor with the modulus n"
        }
    }
}
