import BigNum
import Paillier

extension PaillierPublicKey {
    /// The largest |mantissa| a plaintext may hold: ⌊n/3⌋ − 1 (python-paillier's rule). Residues above it and
    /// below n − it form the guard band in which a decrypted value is an overflow, never a number.
    public var maximumMantissa: BigInteger { n / 3 - 1 }

    /// The plaintext residue of a signed mantissa: m, or n − |m| for a negative m.
    public func encode(mantissa: BigInteger, field: String = "value") throws(SummaError) -> BigInteger {
        guard mantissa.magnitude <= maximumMantissa else { throw .valueTooLarge(field: field) }
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
        EncryptedNumber(publicKey: self, ciphertext: encrypt(try encode(mantissa: value.mantissa, field: field)), scale: value.scale)
    }

    /// Encrypts many decimals on all cores, keeping their order.
    public func encrypt(batch values: [FixedPoint]) async throws(SummaError) -> [EncryptedNumber] {
        let residues = try values.enumerated().map { (index, value) throws(SummaError) in
            try encode(mantissa: value.mantissa, field: "value \(index + 1)")
        }
        let ciphertexts = await encrypt(batch: residues)
        return zip(ciphertexts, values).map { EncryptedNumber(publicKey: self, ciphertext: $0, scale: $1.scale) }
    }
}

extension PaillierPrivateKey {
    /// Encrypts an exact decimal as the key owner (CRT, faster).
    public func encrypt(_ value: FixedPoint, field: String = "value") throws(SummaError) -> EncryptedNumber {
        let residue = try publicKey.encode(mantissa: value.mantissa, field: field)
        return EncryptedNumber(publicKey: publicKey, ciphertext: encrypt(residue), scale: value.scale)
    }

    /// Decrypts to the exact decimal, or throws ``SummaError/overflow`` when the value left the guard band, or
    /// ``SummaError/wrongPrivateKey(fileKey:privateKey:)`` for a number under another key.
    public func decrypt(_ number: EncryptedNumber) throws(SummaError) -> FixedPoint {
        try checkKey(of: number)
        return FixedPoint(unchecked: try publicKey.decode(residue: decrypt(number.ciphertext)), scale: number.scale)
    }

    /// Decrypts many numbers on all cores, keeping their order.
    public func decrypt(batch numbers: [EncryptedNumber]) async throws(SummaError) -> [FixedPoint] {
        for number in numbers { try checkKey(of: number) }
        let residues = await decrypt(batch: numbers.map(\.ciphertext))
        return try zip(residues, numbers).map { (residue, number) throws(SummaError) in
            FixedPoint(unchecked: try publicKey.decode(residue: residue), scale: number.scale)
        }
    }

    func checkKey(of number: EncryptedNumber) throws(SummaError) {
        guard number.publicKey.n == publicKey.n else {
            throw .wrongPrivateKey(fileKey: number.publicKey.fingerprint, privateKey: publicKey.fingerprint)
        }
    }
}
