import BigNum
import Paillier

/// An encrypted exact number: a Paillier ciphertext of the mantissa, its key, its denominator (10^scale for a
/// decimal) and a public bound on |mantissa|. The denominator and the bound are what a ciphertext reveals; the
/// bound depends on the key, the count of values summed and the scale changes, never on the data.
///
/// Arithmetic needs only the public key. Numbers of different scales are aligned by raising the smaller scale
/// (multiplying its ciphertext by 10^Δ). Every operation propagates the bound and is refused when the bound could
/// pass the plaintext range (n/3), because a result that wrapped around n could decrypt to a wrong number.
public struct EncryptedNumber: Sendable {
    public let publicKey: PaillierPublicKey
    public let ciphertext: PaillierCiphertext
    /// value = mantissa / denominator.
    public let denominator: Denominator
    /// A public upper bound on |mantissa|; nil when unknown (python-paillier ciphertexts), in which case only the
    /// guard band at decryption catches an overflow, as in python-paillier.
    public let bound: BigInteger?

    public init(publicKey: PaillierPublicKey, ciphertext: PaillierCiphertext, denominator: Denominator, bound: BigInteger?) {
        self.publicKey = publicKey
        self.ciphertext = ciphertext
        self.denominator = denominator
        self.bound = bound
    }

    /// A decimal number: value = mantissa × 10^(−scale).
    public init(publicKey: PaillierPublicKey, ciphertext: PaillierCiphertext, scale: Int, bound: BigInteger?) {
        self.init(publicKey: publicKey, ciphertext: ciphertext, denominator: Denominator(decimalScale: scale), bound: bound)
    }

    /// The decimals needed to write the value exactly.
    public var scale: Int { denominator.decimalScale }

    /// A new bound, checked against the plaintext range.
    func checked(_ bound: BigInteger?, _ operation: @autoclosure () -> String) throws(SummaError) -> BigInteger? {
        if let bound, bound > publicKey.maximumPlaintextMagnitude { throw .boundExceeded(operation: operation()) }
        return bound
    }

    /// The same value over a larger denominator (exact: the ciphertext is multiplied by the factor between them).
    public func raised(to target: Denominator) throws(SummaError) -> EncryptedNumber {
        if target == denominator { return self }
        guard target.decimalScale <= FixedPoint.maximumScale else { throw .scaleOutOfRange(target.decimalScale) }
        let factor = denominator.factor(to: target)
        let bound = try checked(bound.map { $0 * factor }, "raising the scale from \(scale) to \(target.decimalScale)")
        return EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.multiply(ciphertext, by: factor), denominator: target, bound: bound)
    }

    /// The same value at a larger decimal scale.
    public func rescaled(to newScale: Int) throws(SummaError) -> EncryptedNumber {
        guard newScale >= scale, newScale <= FixedPoint.maximumScale else { throw .scaleOutOfRange(newScale) }
        return try raised(to: denominator.union(Denominator(decimalScale: newScale)))
    }

    func checkSameKey(_ other: EncryptedNumber) throws(SummaError) {
        guard other.publicKey.n == publicKey.n else {
            throw .keyMismatch(expected: publicKey.fingerprint, found: other.publicKey.fingerprint)
        }
    }

    /// Enc(a + b), over the union of the denominators.
    @inlinable
    public func adding(_ other: EncryptedNumber) throws(SummaError) -> EncryptedNumber {
        // The common case, one multiplication mod n²: same key, same denominator, bounds known.
        if other.denominator == denominator, let bound, let otherBound = other.bound, other.publicKey.n == publicKey.n {
            let total = bound + otherBound
            guard total <= publicKey.maximumPlaintextMagnitude else { throw .boundExceeded(operation: "adding") }
            return EncryptedNumber(
                publicKey: publicKey, ciphertext: publicKey.add(ciphertext, other.ciphertext), denominator: denominator,
                bound: total)
        }
        return try EncryptedNumber.sum([self, other], publicKey: publicKey)
    }

    /// Enc(a − b).
    public func subtracting(_ other: EncryptedNumber) throws(SummaError) -> EncryptedNumber {
        try adding(other.negated())
    }

    /// Enc(a + k) for a plaintext k.
    public func adding(_ plaintext: FixedPoint) throws(SummaError) -> EncryptedNumber {
        let plainDenominator = Denominator(decimalScale: plaintext.scale)
        let target = denominator.union(plainDenominator)
        let raised = try raised(to: target)
        let k = plaintext.mantissa * plainDenominator.factor(to: target)
        let bound = try checked(raised.bound.map { $0 + k.magnitude }, "adding \(plaintext)")
        return EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.add(raised.ciphertext, plaintext: try publicKey.encode(mantissa: k)),
            denominator: target, bound: bound)
    }

    /// Enc(a · k) for a plaintext k (negative too); the scales add up.
    public func multiplied(by scalar: FixedPoint) throws(SummaError) -> EncryptedNumber {
        let target = denominator * Denominator(decimalScale: scalar.scale)
        guard target.decimalScale <= FixedPoint.maximumScale else { throw .scaleOutOfRange(target.decimalScale) }
        let bound = try checked(bound.map { $0 * scalar.mantissa.magnitude }, "multiplying by \(scalar)")
        return EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.multiply(ciphertext, by: scalar.mantissa), denominator: target,
            bound: bound)
    }

    /// Enc(−a).
    public func negated() -> EncryptedNumber {
        EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.negate(ciphertext), denominator: denominator, bound: bound)
    }

    /// The same value under fresh randomness, so it cannot be linked to the ciphertexts it was computed from.
    public func rerandomized() -> EncryptedNumber {
        EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.rerandomize(ciphertext), denominator: denominator, bound: bound)
    }

    /// Enc(Σ aᵢ) over the union of their denominators (and of 10^scale); Enc(0) for none. Multiplies in place,
    /// raising only the numbers that need it.
    public static func sum(
        _ numbers: [EncryptedNumber], publicKey: PaillierPublicKey, scale minimumScale: Int = 0
    ) throws(SummaError) -> EncryptedNumber {
        let target = numbers.reduce(Denominator(decimalScale: minimumScale)) { $0.union($1.denominator) }
        var parts: [PaillierCiphertext] = []
        parts.reserveCapacity(numbers.count)
        var bound: BigInteger? = 0
        let zero = EncryptedNumber(publicKey: publicKey, ciphertext: PaillierCiphertext(unchecked: 1), denominator: target, bound: 0)
        for number in numbers {
            try zero.checkSameKey(number)
            let raised = try number.raised(to: target)
            parts.append(raised.ciphertext)
            if let part = raised.bound, bound != nil { bound! += part } else { bound = nil }
        }
        return EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.sum(parts), denominator: target,
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

extension EncryptedNumber {
    /// The exact value, given the residue its ciphertext decrypts to (by a private key or by threshold shares):
    /// the signed mantissa through the guard band, checked against the bound, over the denominator. Throws
    /// ``SummaError/overflow`` when the residue is not a value this number can hold.
    public func value(ofDecryptedResidue residue: BigInteger) throws(SummaError) -> FixedPoint {
        let mantissa = try publicKey.decode(residue: residue)
        if let bound, mantissa.magnitude > bound { throw .overflow }
        return denominator.value(of: mantissa)
    }
}
