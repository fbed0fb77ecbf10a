import BigNum
import Testing

@testable import Paillier

/// Damgård–Jurik–Nielsen encryption with a base the encryptor draws, under keys that publish none.
@Suite("Fast encryption under any public key")
struct FastEncryptorTests {
    @Test func ciphertextsAreOrdinaryCiphertextsUnderTheKeyAsGiven() async throws {
        let key = smallKey
        let encryptor = FastEncryptor(publicKey: key.publicKey)
        #expect(!encryptor.usesPublishedBase)
        #expect(encryptor.publicKey == key.publicKey)
        #expect(encryptor.publicKey.fingerprint == PaillierPublicKey.fingerprint(of: key.publicKey.n))
        #expect(!encryptor.publicKey.hasFastEncryption, "the drawn base must not reach the key that files record")

        let plaintexts = [BigInteger(0), 1, -1, 123_456_789, key.publicKey.maximumPlaintextMagnitude, -key.publicKey.maximumPlaintextMagnitude]
        for plaintext in plaintexts {
            let ciphertext = encryptor.encrypt(plaintext)
            #expect(key.decrypt(ciphertext) == key.publicKey.residue(plaintext))
        }
        // They add to ciphertexts made the standard way, and a batch keeps its order.
        let sum = key.publicKey.add(encryptor.encrypt(40), key.publicKey.encrypt(2))
        #expect(key.decrypt(sum) == 42)
        let batch = await encryptor.encrypt(batch: (0..<50).map { BigInteger($0) })
        #expect(await key.decrypt(batch: batch) == (0..<50).map { BigInteger($0) })
    }

    @Test func masksAreFreshEncryptionsOfZeroFromAFreshBase() throws {
        let key = smallKey
        let first = FastEncryptor(publicKey: key.publicKey), second = FastEncryptor(publicKey: key.publicKey)
        let base = try #require(first.encryptingKey.fastEncryptionBase)
        #expect(base != second.encryptingKey.fastEncryptionBase, "each encryptor draws its own base")
        #expect(throws: Never.self) { try PaillierPublicKey.validateFastEncryptionBase(base, modulus: key.publicKey.n) }
        // hₛ is an n-th residue: it, and every mask, decrypts to 0.
        #expect(key.decrypt(PaillierCiphertext(unchecked: base)) == 0)
        let masks = (0..<20).map { _ in first.randomMask() }
        #expect(Set(masks).count == 20)
        for mask in masks { #expect(key.decrypt(PaillierCiphertext(unchecked: mask)) == 0) }
        // Two encryptions of one plaintext differ.
        #expect(first.encrypt(7) != first.encrypt(7))
    }

    @Test func aKeyThatPublishesABaseKeepsIt() throws {
        let fast = try KnownAnswers.load(bits: 512).privateKey(fast: true)
        let encryptor = FastEncryptor(publicKey: fast.publicKey)
        #expect(encryptor.usesPublishedBase)
        #expect(encryptor.encryptingKey.fastEncryptionBase == fast.publicKey.fastEncryptionBase)
        #expect(encryptor.publicKey.fingerprint == fast.publicKey.fingerprint)
        encryptor.prepare()
        #expect(fast.decrypt(encryptor.encrypt(-5)) == fast.publicKey.n - 5)
    }
}
