import BigNum
import Paillier

/// Who encrypts, and how: anyone with the public key (DJN's fixed base under a fast key), the key owner (CRT
/// encryption, about 3× faster), or anyone with the public key through a base of their own (`FastEncryptor`,
/// about 10× faster at 2048 bits, on an extra assumption).
public enum Encryptor: Sendable {
    case publicKey(PaillierPublicKey)
    case privateKey(PaillierPrivateKey)
    case fast(FastEncryptor)

    /// The key the ciphertexts are under, as files record it.
    public var publicKey: PaillierPublicKey {
        switch self {
        case .publicKey(let key): key
        case .privateKey(let key): key.publicKey
        case .fast(let encryptor): encryptor.publicKey
        }
    }

    /// Encrypts one plaintext residue.
    func encrypt(_ residue: BigInteger) -> PaillierCiphertext {
        switch self {
        case .publicKey(let key): key.encrypt(residue)
        case .privateKey(let key): key.encrypt(residue)
        case .fast(let encryptor): encryptor.encrypt(residue)
        }
    }

    /// Encrypts an exact decimal, keeping its scale; its mantissa must be within the key's
    /// ``Paillier/PaillierPublicKey/valueBound``.
    public func encrypt(_ value: FixedPoint, field: String = "value") throws(SummaError) -> EncryptedNumber {
        let key = publicKey
        let residue = try key.encode(mantissa: value.mantissa, field: field, limit: key.valueBound)
        return EncryptedNumber(publicKey: key, ciphertext: encrypt(residue), scale: value.scale, bound: key.valueBound)
    }

    /// Encrypts plaintext residues (0..<n, from ``Paillier/PaillierPublicKey/encode(mantissa:field:limit:)``) on all
    /// cores, keeping their order.
    public func encrypt(batch residues: [BigInteger]) async -> [PaillierCiphertext] {
        switch self {
        case .publicKey(let key): await key.encrypt(batch: residues)
        case .privateKey(let key): await key.encrypt(batch: residues)
        case .fast(let encryptor): await encryptor.encrypt(batch: residues)
        }
    }
}

extension Encryptor {
    /// Encrypts whole blocks of `layout`, in order, on all cores: `mantissas` holds the blocks' values one block
    /// after another (row-major within a block, nil for an empty cell or a missing row), each within the layout's
    /// ``PackingLayout/maximumMantissa(publicKey:)``. Returns ``PackingLayout/recordsPerBlock`` records per block.
    public func encrypt(blocks mantissas: [BigInteger?], layout: PackingLayout) async -> [PaillierCiphertext] {
        let size = layout.valuesPerBlock
        precondition(mantissas.count % size == 0, "whole blocks only")
        let key = publicKey
        let plaintexts = stride(from: 0, to: mantissas.count, by: size).flatMap { start in
            layout.plaintexts(block: Array(mantissas[start..<start + size]), publicKey: key)
        }
        return await encrypt(batch: plaintexts)
    }
}
