import BigNum
import Testing

@testable import Paillier

/// The homomorphic laws on random inputs (property tests), on the 512-bit fixture key.
@Suite("Paillier homomorphic properties")
struct PaillierHomomorphicTests {
    let key = smallKey
    var publicKey: PaillierPublicKey { key.publicKey }
    var n: BigInteger { publicKey.n }

    func randomPlaintext() -> BigInteger { BigInteger.random(below: n) }

    @Test func decryptionInvertsEncryption() {
        for _ in 0..<50 {
            let m = randomPlaintext()
            #expect(key.decrypt(publicKey.encrypt(m)) == m)
            #expect(key.decrypt(key.encrypt(m)) == m)
        }
        #expect(key.decrypt(publicKey.encrypt(-1)) == n - 1)
    }

    @Test func additionOfCiphertexts() {
        for _ in 0..<30 {
            let a = randomPlaintext(), b = randomPlaintext()
            let sum = publicKey.add(publicKey.encrypt(a), publicKey.encrypt(b))
            #expect(key.decrypt(sum) == (a + b).modulo(n))
            #expect(key.decrypt(publicKey.subtract(publicKey.encrypt(a), publicKey.encrypt(b))) == (a - b).modulo(n))
        }
    }

    @Test func additionOfPlaintexts() {
        for _ in 0..<30 {
            let a = randomPlaintext(), k = BigInteger.random(bits: 300) - BigInteger.random(bits: 300)
            #expect(key.decrypt(publicKey.add(publicKey.encrypt(a), plaintext: k)) == (a + k).modulo(n))
        }
    }

    @Test func scalarMultiplicationWithBothSigns() {
        for _ in 0..<30 {
            let a = randomPlaintext(), k = BigInteger.random(bits: 64) - BigInteger.random(bits: 64)
            #expect(key.decrypt(publicKey.multiply(publicKey.encrypt(a), by: k)) == (a * k).modulo(n))
        }
        let c = publicKey.encrypt(7)
        #expect(key.decrypt(publicKey.multiply(c, by: 0)) == 0)
        #expect(key.decrypt(publicKey.multiply(c, by: -1)) == n - 7)
        #expect(key.decrypt(publicKey.negate(c)) == n - 7)
    }

    @Test func sumOfManyAndOfNone() {
        let values = (0..<100).map { _ in BigInteger.random(bits: 100) }
        let total = values.reduce(BigInteger.zero, +)
        #expect(key.decrypt(publicKey.sum(values.map { publicKey.encrypt($0) })) == total)
        #expect(key.decrypt(publicKey.sum([])) == 0)
    }

    @Test func rerandomizationKeepsThePlaintextAndChangesTheCiphertext() {
        let c = publicKey.encrypt(424242)
        let fresh = publicKey.rerandomize(c)
        #expect(fresh != c)
        #expect(key.decrypt(fresh) == 424242)
    }

    @Test func encryptionIsProbabilistic() {
        #expect(publicKey.encrypt(5) != publicKey.encrypt(5))
    }

    @Test func keyOwnerMasksAreNthResidues() {
        for _ in 0..<10 {
            #expect(key.decrypt(PaillierCiphertext(unchecked: key.randomMask())) == 0)
        }
    }

    @Test func concurrentDecryptionAgrees() async {
        let c = publicKey.encrypt(31337)
        #expect(await key.decryptConcurrently(c) == 31337)
    }

    @Test func batchesKeepTheirOrder() async {
        let values = (0..<64).map { BigInteger($0 * 1000 - 5) }
        let encrypted = await publicKey.encrypt(batch: values)
        let decrypted = await key.decrypt(batch: encrypted)
        #expect(decrypted == values.map { $0.modulo(n) })
        let owner = await key.decrypt(batch: await key.encrypt(batch: values))
        #expect(owner == decrypted)
    }

    @Test func fastKeyEncryptsAndDecrypts() throws {
        let fastKey = try KnownAnswers.load(bits: 512).privateKey(fast: true)
        #expect(fastKey.publicKey.hasFastEncryption)
        for _ in 0..<20 {
            let m = BigInteger.random(below: fastKey.publicKey.n)
            #expect(fastKey.decrypt(fastKey.publicKey.encrypt(m)) == m)
        }
    }
}

@Suite("Randomness pool")
struct RandomnessPoolTests {
    @Test func pooledEncryptionsDecryptAndNeverReuseAMask() async {
        let pool = RandomnessPool(publicKey: smallKey.publicKey, capacity: 32)
        await pool.refill()
        #expect(pool.count == 32)
        let ciphertexts = (0..<40).map { pool.encrypt(BigInteger($0)) }  // 8 beyond the pool: computed on the spot
        #expect(pool.count == 0)
        #expect(ciphertexts.enumerated().allSatisfy { smallKey.decrypt($0.element) == BigInteger($0.offset) })
        // Equal plaintexts under distinct masks: all ciphertexts distinct.
        let same = (0..<32).map { _ in pool.encrypt(5) }
        #expect(Set(same).count == 32)
    }

    @Test func ownerPoolsAndBackgroundRefill() async throws {
        let pool = RandomnessPool(privateKey: smallKey, capacity: 16)
        let task = pool.refillInBackground(batch: 4)
        defer { task.cancel() }
        for _ in 0..<500 where pool.count < 16 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pool.count >= 16)
        #expect(smallKey.decrypt(pool.encrypt(77)) == 77)
    }

    @Test func aSumOnAllCoresIsTheSameCiphertextAsOneChain() async {
        let key = smallKey.publicKey
        let ciphertexts = await key.encrypt(batch: (0..<1_200).map { BigInteger($0) })
        let concurrent = await key.sumConcurrently(ciphertexts)
        #expect(concurrent == key.sum(ciphertexts))
        #expect(smallKey.decrypt(concurrent) == BigInteger(1_199 * 1_200 / 2))
        #expect(await key.sumConcurrently([]) == PaillierCiphertext(unchecked: 1))
        #expect(await key.sumConcurrently(Array(ciphertexts.prefix(3))) == key.sum(ciphertexts.prefix(3)))
    }
}
