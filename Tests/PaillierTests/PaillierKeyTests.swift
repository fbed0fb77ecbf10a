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
        #expect(throws: PaillierError.fastEncryptionBaseNotInvertible) {
            try PaillierPublicKey(validatingModulus: n, fastEncryptionBase: n, allowInsecureKeySize: true)
        }
    }

    @Test func primeModuliAndModuliWithAFactorBelow2To20AreRefused() throws {
        // A prime n: φ(n) = n − 1 is public and anyone decrypts.
        let prime = BigInteger.randomPrime(bits: 256)
        #expect(throws: PaillierError.modulusIsPrime) {
            try PaillierPublicKey(validatingModulus: prime, allowInsecureKeySize: true)
        }
        #expect(PaillierError.modulusIsPrime.description == "invalid public key: the modulus n is prime, so anyone could decrypt")
        // n = p·q with p below 2²⁰: p = 65537 (beyond the old 2¹⁶ search) and 1048573, the largest prime below 2²⁰.
        let q = smallKey.p
        for p in [65537, 1048573] {
            #expect(throws: PaillierError.modulusHasSmallFactor(UInt32(p))) {
                try PaillierPublicKey(validatingModulus: BigInteger(p) * q, allowInsecureKeySize: true)
            }
        }
        // 1048583, the smallest prime above 2²⁰, is past the search: such an n is refused only for its size.
        #expect(throws: PaillierError.keyTooSmall(bits: (BigInteger(1048583) * q).bitWidth, minimum: 2048)) {
            try PaillierPublicKey(validatingModulus: BigInteger(1048583) * q)
        }
        // Real keys pass, at every size of the fixtures.
        for bits in [512, 2048, 3072] {
            let n = try KnownAnswers.load(bits: bits).privateKey().publicKey.n
            #expect(try PaillierPublicKey(validatingModulus: n, allowInsecureKeySize: true).n == n)
        }
    }

    @Test func aRealModulusHasNoSmallFactor() throws {
        // Its cost (about a millisecond at 3072 bits) is measured by the benchmark "small-factor search 3072".
        let n = try KnownAnswers.load(bits: 3072).privateKey().publicKey.n
        #expect(n.smallPrimeFactor == nil)
    }

    /// A fast key of the 512-bit fixture with its base replaced, bypassing validation.
    func fastKey(base: BigInteger) -> PaillierPublicKey {
        PaillierPublicKey(trustedModulus: smallKey.publicKey.n, fastEncryptionBase: base)
    }

    @Test func fastEncryptionBasesThatWouldRevealValuesAreRefused() throws {
        let n = smallKey.publicKey.n, nSquared = smallKey.publicKey.nSquared
        let (p, q) = (smallKey.p, smallKey.q)
        // −1 has order 2: every "mask" hₛᵃ is ±1, so anyone reads m from c = ±(1 + m·n).
        let minusOne = fastKey(base: nSquared - 1)
        let leaked = minusOne.encrypt(12345)
        let unmasked = leaked.value == 1 + 12345 * n ? leaked.value : nSquared - leaked.value
        #expect((unmasked - 1).dividedExactly(by: n) == 12345)
        // A square root of 1 other than ±1 (made here from the factors): order 2 as well.
        let pSquared = p * p, qSquared = q * q
        let orderTwo = BigInteger.crt(
            1, modulo: pSquared, qSquared - 1, modulo: qSquared, pInverseModQ: pSquared.inverse(modulo: qSquared)!)
        #expect(orderTwo.multiplied(by: orderTwo, modulo: nSquared) == 1 && orderTwo != 1 && orderTwo != nSquared - 1)
        // 1 + k·n with k = 2²⁵⁰ (anyone can make it): the mask is (1 + n)^(k·a), so c decrypts to m + k·a and the
        // low 250 bits of L(c) are m itself.
        let k = BigInteger(1).shiftedLeft(250)
        let additive = (1 + k * n).modulo(nSquared)
        let exposed = fastKey(base: additive).encrypt(777)
        #expect((exposed.value - 1).dividedExactly(by: n).modulo(k) == 777)
        let cases: [(BigInteger, PaillierError)] = [
            (nSquared - 1, .fastEncryptionBaseTrivial),
            (1, .fastEncryptionBaseTrivial),
            (0, .fastEncryptionBaseOutOfRange),
            (nSquared, .fastEncryptionBaseOutOfRange),
            (nSquared + 5, .fastEncryptionBaseOutOfRange),
            (n, .fastEncryptionBaseNotInvertible),
            (p * 7, .fastEncryptionBaseNotInvertible),
            (orderTwo, .fastEncryptionBaseOfOrderTwo),
            (additive, .fastEncryptionBaseNotNthResidue),
            (nSquared - additive, .fastEncryptionBaseNotNthResidue),
            (n + 1, .fastEncryptionBaseNotNthResidue),
        ]
        for (base, error) in cases {
            #expect(throws: error, "\(error)") {
                try PaillierPublicKey(validatingModulus: n, fastEncryptionBase: base, allowInsecureKeySize: true)
            }
        }
        #expect(PaillierError.fastEncryptionBaseTrivial.description.contains("±1"))
        // A real base passes.
        let real = try KnownAnswers.load(bits: 512).privateKey(fast: true).publicKey
        #expect(real.hasFastEncryption)
    }

    @Test func theOwnerOfTheFactorsChecksNthResiduosityExactly() throws {
        let vectors = try KnownAnswers.load(bits: 512)
        let fast = try vectors.privateKey(fast: true)
        let n = fast.publicKey.n, nSquared = fast.publicKey.nSquared
        // hₛ·(1 + n) is a unit of large order that is ±1 nowhere: only the factors show it is no n-th residue.
        let notResidue = fast.publicKey.fastEncryptionBase!.multiplied(by: n + 1, modulo: nSquared)
        let publicOnly = try PaillierPublicKey(validatingModulus: n, fastEncryptionBase: notResidue, allowInsecureKeySize: true)
        #expect(throws: PaillierError.fastEncryptionBaseNotNthResidue) {
            try PaillierPrivateKey(p: fast.p, q: fast.q, publicKey: publicOnly)
        }
        // Any n-th residue passes, the real base included.
        let other = BigInteger.randomUnit(modulo: n).power(n, modulo: nSquared)
        let residueKey = try PaillierPublicKey(validatingModulus: n, fastEncryptionBase: other, allowInsecureKeySize: true)
        #expect(try PaillierPrivateKey(p: fast.p, q: fast.q, publicKey: residueKey).publicKey.fastEncryptionBase == other)
        #expect(try PaillierPrivateKey(p: fast.p, q: fast.q, publicKey: fast.publicKey) == fast)
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
        #expect(PaillierError.fastEncryptionBaseOfOrderTwo.description.contains("order 2"))
    }

    /// A standard key's fingerprint is SHA-256 of n, as it always was (python-paillier keys hold only n); a fast
    /// key's covers hₛ too. Both known answers were computed with Python's hashlib
    /// (Tests/TestSupport/Fixtures/fingerprints.py), a second implementation.
    @Test func plainFingerprintsCoverNAndFastOnesTheBaseToo() throws {
        let vectors = try KnownAnswers.load(bits: 512)
        let plain = try vectors.privateKey().publicKey
        let fast = try vectors.privateKey(fast: true).publicKey
        #expect(plain.fingerprint == "sha256:032afa39de445ac3c98a1374f72499860040653f62d417364dbbb87186ca49e3")
        #expect(plain.fingerprint == PaillierPublicKey.fingerprint(of: plain.n))
        #expect(fast.fingerprint == "sha256:c9f720f3a7028f9200603f2a11a764d664a9ab338f8fcdf98fa67a3e9e169740")
        #expect(fast.withoutFastEncryption.fingerprint == plain.fingerprint)
        // Another base for the same n, another fingerprint.
        let otherBase = fast.fastEncryptionBase!.multiplied(by: fast.fastEncryptionBase!, modulo: fast.nSquared)
        let other = try PaillierPublicKey(validatingModulus: fast.n, fastEncryptionBase: otherBase, allowInsecureKeySize: true)
        #expect(other.fingerprint != fast.fingerprint && other.fingerprint != plain.fingerprint)
        #expect(try plain.fingerprint != smallKeyOther().fingerprint)
        for key in [plain, fast, other] { #expect(key.fingerprint.hasPrefix("sha256:") && key.fingerprint.count == 7 + 64) }
    }

    func smallKeyOther() throws -> PaillierPublicKey { try KnownAnswers.load(bits: 2048).privateKey().publicKey }
}
