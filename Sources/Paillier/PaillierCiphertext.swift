import BigNum

/// A Paillier ciphertext: an element of Z*_{n²}. It does not carry its key; the key's operations combine
/// ciphertexts, and layers above (`Summa`) tie each ciphertext to its key's fingerprint.
public struct PaillierCiphertext: Sendable, Hashable {
    /// The ciphertext c, in 1..<n².
    public let value: BigInteger

    /// Wraps a value already known to be a ciphertext under the key it will be used with. For values from
    /// outside, use ``PaillierPublicKey/ciphertext(validating:)``.
    @inlinable
    public init(unchecked value: BigInteger) { self.value = value }
}
