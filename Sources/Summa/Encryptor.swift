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
