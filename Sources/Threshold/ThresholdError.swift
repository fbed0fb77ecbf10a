/// Everything that can go wrong in threshold dealing, decryption and proofs. Messages name parties by index and
/// never show a share.
public enum ThresholdError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Parties and threshold that do not make a t-of-ℓ scheme (1 ≤ t ≤ ℓ, ℓ ≤ 64).
    case invalidParameters(parties: Int, threshold: Int)
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
