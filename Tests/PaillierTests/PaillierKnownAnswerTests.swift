import BigNum
import Testing

@testable import Paillier

@Suite("Paillier known answers from Python")
struct PaillierKnownAnswerTests {
    @Test(arguments: [512, 2048, 3072])
    func encryptionAndDecryption(bits: Int) throws {
        let vectors = try KnownAnswers.load(bits: bits)
        let key = try vectors.privateKey()
        #expect(key.publicKey.bits == bits)
        for v in vectors.encryptions {
            let mask = big(v.r).power(key.publicKey.n, modulo: key.publicKey.nSquared)
            let ciphertext = key.publicKey.encrypt(big(v.m), mask: mask)
            #expect(ciphertext.value == big(v.c))
            #expect(key.decrypt(PaillierCiphertext(unchecked: big(v.c))) == big(v.m))
        }
    }

    @Test(arguments: [512, 2048])
    func fastEncryption(bits: Int) throws {
        let vectors = try KnownAnswers.load(bits: bits)
        let key = try vectors.privateKey(fast: true)
        let publicKey = key.publicKey
        let table = FixedBaseTable(
            base: big(vectors.fastBase), modulus: publicKey.nSquared, exponentBits: publicKey.fastExponentBits)
        for v in vectors.fastEncryptions {
            let mask = table.power(big(v.a))
            #expect(mask == big(vectors.fastBase).power(big(v.a), modulo: publicKey.nSquared))
            #expect(publicKey.encrypt(big(v.m), mask: mask).value == big(v.c))
            #expect(key.decrypt(PaillierCiphertext(unchecked: big(v.c))) == big(v.m))
        }
    }

    @Test(arguments: [1, 4, 5, 8])
    func fixedBaseTableAgreesWithPowmForEveryWindow(window: Int) {
        let modulus = BigInteger(1).shiftedLeft(255) + 95
        let base = BigInteger(987_654_321)
        let table = FixedBaseTable(base: base, modulus: modulus, exponentBits: 130, window: window)
        for exponent in [BigInteger(0), 1, BigInteger(1).shiftedLeft(129), BigInteger(1).shiftedLeft(130) - 1]
            + (0..<20).map({ _ in BigInteger.random(bits: 130) })
        {
            #expect(table.power(exponent) == base.power(exponent, modulo: modulus))
        }
    }
}
