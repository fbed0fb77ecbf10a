import BigNum
import Paillier

/// An encrypted exact decimal: a Paillier ciphertext of the mantissa, its key, and its scale (in clear: the
/// scale is the one thing a ciphertext reveals).
///
/// Arithmetic needs only the public key. Numbers of different scales are aligned by raising the smaller scale
/// (multiplying its ciphertext by 10^Δ). Results that leave the plaintext range are caught when decrypted.
public struct EncryptedNumber: Sendable {
    public let publicKey: PaillierPublicKey
    public let ciphertext: PaillierCiphertext
    /// Decimals of the encrypted value: it is mantissa × 10^(−scale).
    public let scale: Int

    public init(publicKey: PaillierPublicKey, ciphertext: PaillierCiphertext, scale: Int) {
        self.publicKey = publicKey
        self.ciphertext = ciphertext
        self.scale = scale
    }

    /// The same value at a larger scale (exact: the ciphertext is multiplied by 10^Δ).
    public func rescaled(to newScale: Int) throws(SummaError) -> EncryptedNumber {
        guard newScale >= scale, newScale <= FixedPoint.maximumScale else { throw .scaleOutOfRange(newScale) }
        if newScale == scale { return self }
        return EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.multiply(ciphertext, by: FixedPoint.powerOfTen(newScale - scale)),
            scale: newScale)
    }

    func checkSameKey(_ other: EncryptedNumber) throws(SummaError) {
        guard other.publicKey.n == publicKey.n else {
            throw .keyMismatch(expected: publicKey.fingerprint, found: other.publicKey.fingerprint)
        }
    }

    /// Enc(a + b), at the larger scale.
    public func adding(_ other: EncryptedNumber) throws(SummaError) -> EncryptedNumber {
        try checkSameKey(other)
        let scale = max(self.scale, other.scale)
        let (a, b) = (try rescaled(to: scale), try other.rescaled(to: scale))
        return EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.add(a.ciphertext, b.ciphertext), scale: scale)
    }

    /// Enc(a − b), at the larger scale.
    public func subtracting(_ other: EncryptedNumber) throws(SummaError) -> EncryptedNumber {
        try adding(other.negated())
    }

    /// Enc(a + k) for a plaintext k, at the larger scale.
    public func adding(_ plaintext: FixedPoint) throws(SummaError) -> EncryptedNumber {
        let scale = max(self.scale, plaintext.scale)
        let raised = try rescaled(to: scale)
        let k = try plaintext.rescaled(to: scale)
        let residue = try publicKey.encode(mantissa: k.mantissa)
        return EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.add(raised.ciphertext, plaintext: residue), scale: scale)
    }

    /// Enc(a · k) for a plaintext k (negative too); the scales add up.
    public func multiplied(by scalar: FixedPoint) throws(SummaError) -> EncryptedNumber {
        let scale = self.scale + scalar.scale
        guard scale <= FixedPoint.maximumScale else { throw .scaleOutOfRange(scale) }
        return EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.multiply(ciphertext, by: scalar.mantissa), scale: scale)
    }

    /// Enc(−a).
    public func negated() -> EncryptedNumber {
        EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.negate(ciphertext), scale: scale)
    }

    /// The same value under fresh randomness, so it cannot be linked to the ciphertexts it was computed from.
    public func rerandomized() -> EncryptedNumber {
        EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.rerandomize(ciphertext), scale: scale)
    }

    /// Enc(Σ aᵢ) at the largest scale among them; Enc(0) at `scale` for none. Multiplies in place, rescaling only
    /// the numbers that need it.
    public static func sum(
        _ numbers: [EncryptedNumber], publicKey: PaillierPublicKey, scale minimumScale: Int = 0
    ) throws(SummaError) -> EncryptedNumber {
        let scale = numbers.map(\.scale).max().map { max($0, minimumScale) } ?? minimumScale
        var parts: [PaillierCiphertext] = []
        parts.reserveCapacity(numbers.count)
        let first = EncryptedNumber(publicKey: publicKey, ciphertext: PaillierCiphertext(unchecked: 1), scale: scale)
        for number in numbers {
            try first.checkSameKey(number)
            parts.append(try number.rescaled(to: scale).ciphertext)
        }
        return EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.sum(parts), scale: scale)
    }

    /// Enc(Σ wᵢ·aᵢ) for plaintext weights wᵢ.
    public static func weightedSum(
        _ numbers: [EncryptedNumber], weights: [FixedPoint], publicKey: PaillierPublicKey
    ) throws(SummaError) -> EncryptedNumber {
        guard numbers.count == weights.count else {
            throw .incompatible("\(numbers.count) values but \(weights.count) weights")
        }
        var products: [EncryptedNumber] = []
        for (number, weight) in zip(numbers, weights) { products.append(try number.multiplied(by: weight)) }
        return try sum(products, publicKey: publicKey)
    }
}
