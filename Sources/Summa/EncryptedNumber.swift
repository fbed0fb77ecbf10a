import BigNum
import Paillier

/// An encrypted exact decimal: a Paillier ciphertext of the mantissa, its key, its scale and a public bound on
/// |mantissa| (in clear: the scale and the bound are what a ciphertext reveals, and the bound depends on the key,
/// the count of values summed and the scale changes, never on the data).
///
/// Arithmetic needs only the public key. Numbers of different scales are aligned by raising the smaller scale
/// (multiplying its ciphertext by 10^Δ). Every operation propagates the bound and is refused when the bound could
/// pass the plaintext range (n/3), because a result that wrapped around n could decrypt to a wrong number.
public struct EncryptedNumber: Sendable {
    public let publicKey: PaillierPublicKey
    public let ciphertext: PaillierCiphertext
    /// Decimals of the encrypted value: it is mantissa × 10^(−scale).
    public let scale: Int
    /// A public upper bound on |mantissa|; nil when unknown (python-paillier ciphertexts), in which case only the
    /// guard band at decryption catches an overflow, as in python-paillier.
    public let bound: BigInteger?

    public init(publicKey: PaillierPublicKey, ciphertext: PaillierCiphertext, scale: Int, bound: BigInteger?) {
        self.publicKey = publicKey
        self.ciphertext = ciphertext
        self.scale = scale
        self.bound = bound
    }

    /// A new bound, checked against the plaintext range.
    func checked(_ bound: BigInteger?, _ operation: String) throws(SummaError) -> BigInteger? {
        if let bound, bound > publicKey.maximumMantissa { throw .boundExceeded(operation: operation) }
        return bound
    }

    /// The same value at a larger scale (exact: the ciphertext is multiplied by 10^Δ).
    public func rescaled(to newScale: Int) throws(SummaError) -> EncryptedNumber {
        guard newScale >= scale, newScale <= FixedPoint.maximumScale else { throw .scaleOutOfRange(newScale) }
        if newScale == scale { return self }
        let factor = FixedPoint.powerOfTen(newScale - scale)
        let bound = try checked(bound.map { $0 * factor }, "raising the scale from \(scale) to \(newScale)")
        return EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.multiply(ciphertext, by: factor), scale: newScale, bound: bound)
    }

    func checkSameKey(_ other: EncryptedNumber) throws(SummaError) {
        guard other.publicKey.n == publicKey.n else {
            throw .keyMismatch(expected: publicKey.fingerprint, found: other.publicKey.fingerprint)
        }
    }

    /// Enc(a + b), at the larger scale.
    public func adding(_ other: EncryptedNumber) throws(SummaError) -> EncryptedNumber {
        try EncryptedNumber.sum([self, other], publicKey: publicKey)
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
        let bound = try checked(raised.bound.map { $0 + k.mantissa.magnitude }, "adding \(plaintext)")
        let residue = try publicKey.encode(mantissa: k.mantissa)
        return EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.add(raised.ciphertext, plaintext: residue), scale: scale, bound: bound)
    }

    /// Enc(a · k) for a plaintext k (negative too); the scales add up.
    public func multiplied(by scalar: FixedPoint) throws(SummaError) -> EncryptedNumber {
        let scale = self.scale + scalar.scale
        guard scale <= FixedPoint.maximumScale else { throw .scaleOutOfRange(scale) }
        let bound = try checked(bound.map { $0 * scalar.mantissa.magnitude }, "multiplying by \(scalar)")
        return EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.multiply(ciphertext, by: scalar.mantissa), scale: scale, bound: bound)
    }

    /// Enc(−a).
    public func negated() -> EncryptedNumber {
        EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.negate(ciphertext), scale: scale, bound: bound)
    }

    /// The same value under fresh randomness, so it cannot be linked to the ciphertexts it was computed from.
    public func rerandomized() -> EncryptedNumber {
        EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.rerandomize(ciphertext), scale: scale, bound: bound)
    }

    /// Enc(Σ aᵢ) at the largest scale among them (at least `scale`); Enc(0) for none. Multiplies in place,
    /// rescaling only the numbers that need it.
    public static func sum(
        _ numbers: [EncryptedNumber], publicKey: PaillierPublicKey, scale minimumScale: Int = 0
    ) throws(SummaError) -> EncryptedNumber {
        let scale = max(numbers.map(\.scale).max() ?? 0, minimumScale)
        var parts: [PaillierCiphertext] = []
        parts.reserveCapacity(numbers.count)
        var bound: BigInteger? = 0
        let zero = EncryptedNumber(publicKey: publicKey, ciphertext: PaillierCiphertext(unchecked: 1), scale: scale, bound: 0)
        for number in numbers {
            try zero.checkSameKey(number)
            let raised = try number.rescaled(to: scale)
            parts.append(raised.ciphertext)
            bound = if let total = bound, let part = raised.bound { total + part } else { nil }
        }
        return EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.sum(parts), scale: scale,
            bound: try zero.checked(bound, "summing \(numbers.count) values"))
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
