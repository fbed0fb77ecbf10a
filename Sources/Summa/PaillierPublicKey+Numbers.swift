import BigNum
import Paillier

extension PaillierPublicKey {
    /// The largest |mantissa| Summa encrypts as one value: 2^(bits/2 − 64), about 10^289 for a 2048-bit key. Public
    /// and data-independent, it is the bound every fresh ciphertext carries; it leaves room to sum 2^126 squares.
    public var valueBound: BigInteger { BigInteger(1).shiftedLeft(bits / 2 - 64) }

    /// The plaintext residue of a signed mantissa: m, or n − |m| for a negative m. `limit` defaults to
    /// `maximumPlaintextMagnitude`; fresh values are held to ``valueBound``.
    public func encode(mantissa: BigInteger, field: String = "value", limit: BigInteger? = nil) throws(SummaError)
        -> BigInteger
    {
        guard mantissa.magnitude <= (limit ?? maximumPlaintextMagnitude) else { throw .valueTooLarge(field: field) }
        return mantissa.isNegative ? n + mantissa : mantissa
    }

    /// The signed mantissa of a decrypted residue x: x ≤ max → x; x ≥ n − max → x − n; otherwise an overflow.
    public func decode(residue x: BigInteger) throws(SummaError) -> BigInteger {
        let maximum = maximumPlaintextMagnitude
        if x <= maximum { return x }
        if x >= n - maximum { return x - n }
        throw .overflow
    }

    /// Encrypts an exact decimal, keeping its scale.
    public func encrypt(_ value: FixedPoint, field: String = "value") throws(SummaError) -> EncryptedNumber {
        try Encryptor.publicKey(self).encrypt(value, field: field)
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
