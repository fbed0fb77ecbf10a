/// Everything that can go wrong in threshold dealing, decryption and proofs. Messages name parties by index and
/// never show a share.
public enum ThresholdError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Parties and threshold that do not make a t-of-ℓ scheme (1 ≤ t ≤ ℓ, ℓ ≤ 64).
    case invalidParameters(parties: Int, threshold: Int)
    /// A threshold below 2 (1-of-ℓ, 1-of-1) without the insecure test option: any single party could decrypt every
    /// input alone.
    case thresholdTooLow(parties: Int, threshold: Int)
    /// The public key lists `actual` verification keys vᵢ for `expected` parties.
    case verificationKeyCount(expected: Int, actual: Int)
    /// The public key lists `actual` signing keys (the roster) for `expected` parties.
    case signingKeyCount(expected: Int, actual: Int)
    /// A roster entry is not a 32-byte Ed25519 public key.
    case invalidSigningKey(party: Int)
    /// Two parties of the roster have the same signing key: one could speak for the other.
    case duplicateSigningKey(party: Int, sameAs: Int)
    /// A group element of the key is ±1 (v: ±1 modulo n, or another square root of 1), so that it pins nothing
    /// down: proofs against it say nothing about the share.
    case degenerateElement(String)
    /// The coordinator's key is not 32 bytes.
    case invalidCoordinatorKey
    /// The coordinator's key is also a party's signing key.
    case coordinatorKeyIsAPartyKey(party: Int)
    /// The coordinator's private key does not match the public key's coordinator key (another deal, or altered).
    case coordinatorKeyDoesNotMatch
    /// A prime given to the dealer is not a safe prime of the right size, or the two are equal.
    case invalidSafePrime
    /// A party index outside 1…ℓ.
    case unknownParty(Int)
    /// A key share does not match its verification key vᵢ (from another deal, or altered).
    case shareDoesNotMatchKey(party: Int)
    /// A decryption share's proof does not verify.
    case invalidShareProof(party: Int)
    /// Two shares from the same party.
    case duplicateShare(party: Int)
    /// Fewer valid shares than the threshold; `valid` lists the parties whose shares verified.
    case notEnoughShares(needed: Int, valid: [Int])
    /// A proof of plaintext knowledge does not verify.
    case invalidPlaintextProof(party: Int)
    /// A value (ciphertext, share, proof element) outside its group.
    case outOfRange(String)

    public var description: String {
        switch self {
        case .invalidParameters(let parties, let threshold):
            "invalid threshold scheme: \(threshold) of \(parties) (need 1 ≤ threshold ≤ parties ≤ 64)"
        case .thresholdTooLow(let parties, let threshold):
            "insecure threshold scheme: \(threshold) of \(parties) lets any one party decrypt every input alone; "
                + "the threshold must be at least 2 (lower only for tests)"
        case .verificationKeyCount(let expected, let actual):
            "the key lists \(actual) verification keys for \(expected) parties"
        case .signingKeyCount(let expected, let actual): "the key lists \(actual) signing keys for \(expected) parties"
        case .invalidSigningKey(let party): "the signing key of party \(party) is not a 32-byte Ed25519 public key"
        case .duplicateSigningKey(let party, let sameAs):
            "party \(party) has the same signing key as party \(sameAs)"
        case .invalidCoordinatorKey: "the coordinator's key is not a 32-byte Ed25519 public key"
        case .coordinatorKeyIsAPartyKey(let party): "the coordinator's key is also the signing key of party \(party)"
        case .coordinatorKeyDoesNotMatch:
            "the coordinator's private key does not match the public key's coordinator key (another deal, or altered)"
        case .degenerateElement(let what): "\(what) is ±1 (its square is 1): it cannot be a verification value"
        case .invalidSafePrime: "the dealer needs two distinct safe primes of half the key size"
        case .unknownParty(let index): "no party \(index) in this key"
        case .shareDoesNotMatchKey(let party):
            "the key share of party \(party) does not match the public key's verification key (another deal, or altered)"
        case .invalidShareProof(let party): "party \(party)'s decryption share has an invalid proof"
        case .duplicateShare(let party): "two decryption shares from party \(party)"
        case .notEnoughShares(let needed, let valid):
            "\(needed) valid decryption shares are needed, only \(valid.count) verified"
                + (valid.isEmpty ? "" : " (parties \(valid.map(String.init).joined(separator: ", ")))")
        case .invalidPlaintextProof(let party): "party \(party)'s proof of plaintext knowledge is invalid"
        case .outOfRange(let what): "\(what) is outside its group"
        }
    }
}
