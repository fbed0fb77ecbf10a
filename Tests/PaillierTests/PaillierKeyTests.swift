import BigNum
import Testing

@testable import Paillier

@Suite("Paillier keys: generation, validation, secrecy")
struct PaillierKeyTests {
    @Test func generatedKeysHaveExactSizeAndWork() throws {
        let key = try PaillierPrivateKey(generatingBits: 512, allowInsecureKeySize: true)
        #expect(key.publicKey.bits == 512)
        #expect(key.p * key.q == key.publicKey.n)
        #expect(key.decrypt(key.publicKey.encrypt(99)) == 99)
        let fast = try PaillierPrivateKey(generatingBits: 512, fastEncryption: true, allowInsecureKeySize: true)
        #expect(fast.decrypt(fast.publicKey.encrypt(99)) == 99)
        #expect(fast.decrypt(PaillierCiphertext(unchecked: fast.publicKey.fastEncryptionBase!)) == 0)
    }

    @Test func smallKeysAreRefusedWithoutTheInsecureOption() {
        #expect(throws: PaillierError.keyTooSmall(bits: 1024, minimum: 2048)) {
            try PaillierPrivateKey(generatingBits: 1024)
        }
        #expect(throws: PaillierError.unsupportedKeySize(bits: 2047)) {
            try PaillierPrivateKey(generatingBits: 2047)
        }
        #expect(throws: PaillierError.keyTooSmall(bits: 512, minimum: 2048)) {
            try PaillierPublicKey(validatingModulus: smallKey.publicKey.n)
        }
    }

    @Test func malformedModuliAreRefused() {
        let n = smallKey.publicKey.n
        #expect(throws: PaillierError.modulusNotOdd) {
            try PaillierPublicKey(validatingModulus: n + 1, allowInsecureKeySize: true)
        }
        #expect(throws: PaillierError.modulusHasSmallFactor(3)) {
            try PaillierPublicKey(validatingModulus: n * 3, allowInsecureKeySize: true)
        }
        #expect(throws: PaillierError.modulusIsPerfectPower) {
            try PaillierPublicKey(validatingModulus: smallKey.p.power(2), allowInsecureKeySize: true)
        }
        #expect(throws: PaillierError.modulusSizeMismatch(expected: 2048, actual: 512)) {
            try PaillierPublicKey(validatingModulus: n, declaredBits: 2048, allowInsecureKeySize: true)
        }
        #expect(throws: PaillierError.fastEncryptionBaseInvalid) {
            try PaillierPublicKey(validatingModulus: n, fastEncryptionBase: n, allowInsecureKeySize: true)
        }
    }

    @Test func mismatchedPrivateKeysAreRefused() throws {
        let other = try KnownAnswers.load(bits: 2048).privateKey()
        #expect(throws: PaillierError.privateKeyDoesNotMatchPublicKey) {
            try PaillierPrivateKey(p: other.p, q: other.q, publicKey: smallKey.publicKey)
        }
        #expect(throws: PaillierError.privateKeyFactorInvalid) {
            try PaillierPrivateKey(p: smallKey.p, q: smallKey.p, publicKey: smallKey.publicKey)
        }
        #expect(throws: PaillierError.privateKeyFactorInvalid) {
            // n = 1 · n: the "factors" multiply to n but one is not prime.
            try PaillierPrivateKey(p: 1, q: smallKey.publicKey.n, publicKey: smallKey.publicKey)
        }
    }

    @Test func ciphertextsFromOutsideAreValidated() throws {
        let key = smallKey.publicKey
        #expect(throws: PaillierError.ciphertextOutOfRange) { try key.ciphertext(validating: 0) }
        #expect(throws: PaillierError.ciphertextOutOfRange) { try key.ciphertext(validating: -5) }
        #expect(throws: PaillierError.ciphertextOutOfRange) { try key.ciphertext(validating: key.nSquared) }
        #expect(throws: PaillierError.ciphertextNotInvertible) { try key.ciphertext(validating: key.n) }
        #expect(throws: PaillierError.ciphertextNotInvertible) { try key.ciphertext(validating: smallKey.p * 5) }
        let good = key.encrypt(3)
        #expect(try key.ciphertext(validating: good.value) == good)
    }

    @Test func secretsStayOutOfDescriptions() {
        let text = [smallKey.description, smallKey.debugDescription, String(reflecting: smallKey)]
        var dumped = ""
        dump(smallKey, to: &dumped)
        for secret in [smallKey.p.description, smallKey.q.description] {
            #expect(!text.contains { $0.contains(secret) })
            #expect(!dumped.contains(secret))
        }
        #expect(smallKey.description.contains(smallKey.publicKey.fingerprint))
    }

    @Test func errorMessagesNameTheDefect() {
        #expect(PaillierError.modulusHasSmallFactor(7).description.contains("divisible by 7"))
        #expect(PaillierError.keyTooSmall(bits: 1024, minimum: 2048).description.contains("2048"))
    }

    @Test func fingerprintsDependOnlyOnTheModulus() throws {
        let vectors = try KnownAnswers.load(bits: 512)
        let plain = try vectors.privateKey().publicKey
        let fast = try vectors.privateKey(fast: true).publicKey
        #expect(plain.fingerprint == fast.fingerprint)
        #expect(try plain.fingerprint != smallKeyOther().fingerprint)
        #expect(plain.fingerprint.hasPrefix("sha256:") && plain.fingerprint.count == 7 + 64)
    }

    func smallKeyOther() throws -> PaillierPublicKey { try KnownAnswers.load(bits: 2048).privateKey().publicKey }
}
