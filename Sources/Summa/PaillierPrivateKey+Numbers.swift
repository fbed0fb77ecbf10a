import BigNum
import Paillier

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

extension PaillierPrivateKey {
    /// Decrypts an aggregate to its statistics.
    public func decrypt(_ aggregate: EncryptedAggregate, digits: Int? = nil) throws(SummaError) -> ColumnStatistics {
        let sum = try decrypt(aggregate.sum)
        let squares = try aggregate.sumOfSquares.map { (s) throws(SummaError) in try decrypt(s) }
        return try ColumnStatistics(count: aggregate.count, sum: sum, sumOfSquares: squares, digits: digits)
    }
}
