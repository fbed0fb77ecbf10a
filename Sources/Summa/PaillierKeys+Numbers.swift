import BigNum
import Paillier

extension PaillierPublicKey {
    /// The largest |mantissa| a plaintext may hold: ⌊n/3⌋ − 1 (python-paillier's rule). Residues above it and
    /// below n − it form the guard band in which a decrypted value is an overflow, never a number.
    @inlinable
    public var maximumMantissa: BigInteger { maximumPlaintextMagnitude }

    /// The largest |mantissa| Summa encrypts as one value: 2^(bits/2 − 64), about 10^289 for a 2048-bit key. Public
    /// and data-independent, it is the bound every fresh ciphertext carries; it leaves room to sum 2^126 squares.
    public var valueBound: BigInteger { BigInteger(1).shiftedLeft(bits / 2 - 64) }

    /// The plaintext residue of a signed mantissa: m, or n − |m| for a negative m. `limit` defaults to
    /// ``maximumMantissa``; fresh values are held to ``valueBound``.
    public func encode(mantissa: BigInteger, field: String = "value", limit: BigInteger? = nil) throws(SummaError)
        -> BigInteger
    {
        guard mantissa.magnitude <= (limit ?? maximumMantissa) else { throw .valueTooLarge(field: field) }
        return mantissa.isNegative ? n + mantissa : mantissa
    }

    /// The signed mantissa of a decrypted residue x: x ≤ max → x; x ≥ n − max → x − n; otherwise an overflow.
    public func decode(residue x: BigInteger) throws(SummaError) -> BigInteger {
        let maximum = maximumMantissa
        if x <= maximum { return x }
        if x >= n - maximum { return x - n }
        throw .overflow
    }

    /// Encrypts an exact decimal, keeping its scale.
    public func encrypt(_ value: FixedPoint, field: String = "value") throws(SummaError) -> EncryptedNumber {
        EncryptedNumber(
            publicKey: self, ciphertext: encrypt(try encode(mantissa: value.mantissa, field: field, limit: valueBound)),
            scale: value.scale, bound: valueBound)
    }

    /// Encrypts many decimals on all cores, keeping their order.
    public func encrypt(batch values: [FixedPoint]) async throws(SummaError) -> [EncryptedNumber] {
        let residues = try values.enumerated().map { (index, value) throws(SummaError) in
            try encode(mantissa: value.mantissa, field: "value \(index + 1)", limit: valueBound)
        }
        let ciphertexts = await encrypt(batch: residues)
        return zip(ciphertexts, values).map {
            EncryptedNumber(publicKey: self, ciphertext: $0, scale: $1.scale, bound: valueBound)
        }
    }
}

extension PaillierPrivateKey {
    /// Encrypts an exact decimal as the key owner (CRT, faster).
    public func encrypt(_ value: FixedPoint, field: String = "value") throws(SummaError) -> EncryptedNumber {
        let residue = try publicKey.encode(mantissa: value.mantissa, field: field, limit: publicKey.valueBound)
        return EncryptedNumber(publicKey: publicKey, ciphertext: encrypt(residue), scale: value.scale, bound: publicKey.valueBound)
    }

    /// Decrypts to the exact decimal, or throws ``SummaError/overflow`` when the value left the guard band or its
    /// own bound, or ``SummaError/wrongPrivateKey(fileKey:privateKey:)`` for a number under another key.
    public func decrypt(_ number: EncryptedNumber) throws(SummaError) -> FixedPoint {
        try checkKey(of: number)
        return try number.value(ofDecryptedResidue: decrypt(number.ciphertext))
    }

    /// Decrypts many numbers on all cores, keeping their order.
    public func decrypt(batch numbers: [EncryptedNumber]) async throws(SummaError) -> [FixedPoint] {
        for number in numbers { try checkKey(of: number) }
        let residues = await decrypt(batch: numbers.map(\.ciphertext))
        return try zip(residues, numbers).map { (residue, number) throws(SummaError) in
            try number.value(ofDecryptedResidue: residue)
        }
    }

    func checkKey(of number: EncryptedNumber) throws(SummaError) {
        guard number.publicKey.n == publicKey.n else {
            throw .wrongPrivateKey(fileKey: number.publicKey.fingerprint, privateKey: publicKey.fingerprint)
        }
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
