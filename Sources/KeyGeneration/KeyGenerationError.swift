/// Why a dealer-free key generation cannot go on. Each case names the party at fault when one can be named.
public enum KeyGenerationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parameters cannot make a key: ℓ, t or the key size out of what the protocol supports.
    case invalidParameters(String)
    /// A party's message does not have the shape its step needs (count of values, a value out of its range).
    case malformedMessage(party: Int, step: Int, reason: String)
    /// Revealed shares of one value do not lie on one polynomial of the step's degree: some party dealt or
    /// revealed inconsistent shares (with ℓ = 2t − 1 parties this cannot be seen, and the key check fails instead).
    case inconsistentShares(step: Int)
    /// A dealer's shares for this party do not match the check it published (their digest, or their combination
    /// at this party's point): the dealer dealt shares that lie on no polynomial of the step's degree.
    case inconsistentDealing(party: Int, step: Int)
    /// A party's verification value vᵢ does not lie on the polynomial the others' define.
    case inconsistentVerificationKeys
    /// The test decryption that closes a key generation failed: this party's share proof does not verify.
    case invalidDecryptionShare(party: Int)
    /// The test decryption combined to the wrong plaintext: some share is wrong though every proof verified.
    case testDecryptionFailed
    /// The shared φ·β is not invertible modulo n (negligible for honest parties): the run must start again.
    case degenerateKey
    /// No biprime was found within the number of batches allowed.
    case noModulusFound(batches: Int)

    public var description: String {
        switch self {
        case .invalidParameters(let reason): "key generation parameters: \(reason)"
        case .malformedMessage(let party, let step, let reason): "party \(party)'s message for step \(step) is malformed: \(reason)"
        case .inconsistentShares(let step):
            "the shares revealed at step \(step) do not lie on one polynomial: a party dealt or revealed a wrong share"
        case .inconsistentDealing(let party, let step):
            "party \(party) dealt shares at step \(step) that do not match the check it published"
        case .inconsistentVerificationKeys: "the parties' verification keys do not lie on one polynomial: a party published a wrong one"
        case .invalidDecryptionShare(let party): "party \(party)'s test decryption share does not verify against its verification key"
        case .testDecryptionFailed: "the key's test decryption gave the wrong plaintext: a party holds a wrong share"
        case .degenerateKey: "the shared key exponent is not invertible modulo n; start again"
        case .noModulusFound(let batches): "no biprime modulus after \(batches) batches of candidates"
        }
    }
}
