import BigNum
import Paillier

/// Who encrypts: anyone with the public key, or the key owner (CRT encryption, about 3× faster).
public enum Encryptor: Sendable {
    case publicKey(PaillierPublicKey)
    case privateKey(PaillierPrivateKey)

    public var publicKey: PaillierPublicKey {
        switch self {
        case .publicKey(let key): key
        case .privateKey(let key): key.publicKey
        }
    }

    func encrypt(batch residues: [BigInteger]) async -> [PaillierCiphertext] {
        switch self {
        case .publicKey(let key): await key.encrypt(batch: residues)
        case .privateKey(let key): await key.encrypt(batch: residues)
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
