import Testing

@testable import BigNum

@Suite("BigInteger")
struct BigIntegerTests {
    @Test func copyOnWriteLeavesTheOriginalAlone() {
        let original = BigInteger(12345)
        var copy = original
        copy += 1
        copy.formProduct(with: 7, modulo: 1000)
        #expect(original == 12345)
        #expect(copy == BigInteger(12346 * 7 % 1000))
    }

    @Test(arguments: ["", "-", "+", " 12", "12 ", "1_000", "0x10", "--1", "1.5", "１２"])
    func malformedDecimalStringsAreRejected(text: String) {
        #expect(BigInteger(text) == nil)
    }

    @Test func signsAndRadixes() {
        #expect(BigInteger("-0") == 0)
        #expect(BigInteger("+17") == 17)
        #expect(BigInteger("-ff", radix: 16) == -255)
        // Explicitly typed: inside #expect an untyped literal can become an Int compared through AnyHashable.
        let expected: BigInteger = 35 * 36 + 35
        #expect(BigInteger("zz", radix: 36) == expected)
        #expect(BigInteger("g", radix: 16) == nil)
        #expect(BigInteger(-42).toString(radix: 2) == "-101010")
    }

    @Test func intConversion() {
        #expect(BigInteger(Int.max).intValue == Int.max)
        #expect(BigInteger(Int.min).intValue == Int.min)
        #expect((BigInteger(Int.max) + 1).intValue == nil)
        #expect(Int(exactly: BigInteger(-5)) == -5)
    }

    @Test func paddedBytes() {
        #expect(BigInteger(258).bigEndianBytes(minimumCount: 4) == [0, 0, 1, 2])
        #expect(BigInteger(0).bigEndianBytes() == [])
        #expect(BigInteger(bigEndianBytes: [0, 0, 1]) == 1)
    }

    @Test func randomBelowStaysBelowAndCoversTheRange() {
        let bound = BigInteger(10)
        var seen = Set<Int>()
        for _ in 0..<500 {
            let value = BigInteger.random(below: bound)
            #expect(value >= 0 && value < bound)
            seen.insert(value.intValue!)
        }
        #expect(seen.count == 10)
        let big = BigInteger(1).shiftedLeft(300) - 17
        for _ in 0..<50 { #expect(BigInteger.random(below: big) < big) }
    }

    @Test func randomBitsAreUniformEnoughAndDistinct() {
        let values = (0..<64).map { _ in BigInteger.random(bits: 256) }
        #expect(Set(values).count == 64)
        #expect(values.allSatisfy { $0.bitWidth <= 256 })
        // Top bit set about half the time: a stuck bit would fail this with overwhelming probability.
        let topSet = values.filter { $0.testBit(255) }.count
        #expect((12...52).contains(topSet))
    }

    @Test func secureGeneratorWordsAndBytesAreDistinctAndUseEveryBit() {
        var generator = SecureRandomNumberGenerator()
        let words = (0..<64).map { _ in generator.next() }
        #expect(Set(words).count == 64)
        // Every bit position set in some word and clear in another: a stuck or unfilled byte would fail this.
        #expect(words.reduce(0, |) == UInt64.max && words.reduce(UInt64.max, &) == 0)
        let sessions = (0..<16).map { _ in SecureRandomNumberGenerator.bytes(32) }
        #expect(Set(sessions).count == 16 && sessions.allSatisfy { $0.count == 32 })
        #expect(SecureRandomNumberGenerator.bytes(0).isEmpty)
    }

    @Test func randomUnitIsCoprime() {
        let modulus = BigInteger(2 * 3 * 5 * 7 * 11 * 13)
        for _ in 0..<100 {
            #expect(BigInteger.gcd(BigInteger.randomUnit(modulo: modulus), modulus) == 1)
        }
    }

    @Test func crtRecombines() {
        let p = BigInteger(1_000_003), q = BigInteger(999_983)
        let x = BigInteger(123_456_789_012)
        let inverse = p.inverse(modulo: q)!
        #expect(BigInteger.crt(x.modulo(p), modulo: p, x.modulo(q), modulo: q, pInverseModQ: inverse) == x.modulo(p * q))
    }

    @Test func negativePublicExponentInverts() {
        let m = BigInteger(101)
        #expect(BigInteger(3).power(-1, modulo: m) == BigInteger(3).inverse(modulo: m))
        #expect(BigInteger(3).power(-2, modulo: m).multiplied(by: 9, modulo: m) == 1)
    }

    @Test func smallPrimeFactorsAndPowers() {
        #expect(BigInteger(65521 * 65519).smallPrimeFactor == 65519)
        #expect(BigInteger(2).power(100).smallPrimeFactor == 2)
        // The search goes up to 2²⁰: 65537 is found now, 1048573 (the largest prime below 2²⁰) too, 1048583 (the
        // smallest above) not; a small prime is not its own factor.
        #expect(BigInteger(65537 * 65539).smallPrimeFactor == 65537)
        #expect((BigInteger(1048573) * (BigInteger(1).shiftedLeft(127) - 1)).smallPrimeFactor == 1048573)
        #expect(BigInteger(1048583 * 1048589).smallPrimeFactor == nil)
        #expect(BigInteger(1048573).smallPrimeFactor == nil)
        #expect((BigInteger(1).shiftedLeft(127) - 1).smallPrimeFactor == nil)
        #expect(BigInteger(65537).power(3).isPerfectPower)
        #expect(!BigInteger(65537 * 65539).isPerfectPower)
        #expect(BigInteger(81).squareRoot() == 9 && BigInteger(80).squareRoot() == 8)
    }

    @Test func knownPrimesAndComposites() {
        // 2^127 − 1 is prime; 2^128 + 1 = 59649589127497217 · 5704689200685129054721; a Carmichael number.
        #expect((BigInteger(1).shiftedLeft(127) - 1).isProbablePrime())
        #expect(!(BigInteger(1).shiftedLeft(128) + 1).isProbablePrime())
        #expect(!BigInteger(561).isProbablePrime())
        #expect(!BigInteger(3_215_031_751).isProbablePrime())  // strong pseudoprime to bases 2, 3, 5, 7
        #expect(BigInteger(65537).isProbablePrime())
        #expect(!BigInteger(1).isProbablePrime() && !BigInteger(-7).isProbablePrime())
    }

    @Test(arguments: [64, 256, 512])
    func randomPrimesHaveExactSizeAndTopBits(bits: Int) {
        let prime = BigInteger.randomPrime(bits: bits)
        #expect(prime.bitWidth == bits)
        #expect(prime.testBit(bits - 2))
        #expect(prime.isProbablePrime())
    }

    @Test(arguments: [64, 256])
    func randomSafePrimesAreSafe(bits: Int) {
        let p = BigInteger.randomSafePrime(bits: bits)
        #expect(p.bitWidth == bits && p.testBit(bits - 2))
        #expect(p.isProbablePrime())
        #expect((p - 1).shiftedRight(1).isProbablePrime())
    }
}

@Suite("Montgomery products")
struct ProductTests {
    func naive(_ factors: [BigInteger], _ modulus: BigInteger) -> BigInteger {
        factors.reduce(BigInteger(1).modulo(modulus)) { $0.multiplied(by: $1, modulo: modulus) }
    }

    @Test(arguments: [64, 65, 1000, 4096, 6144])
    func agreesWithMultiplyAndReduce(bits: Int) {
        let modulus = BigInteger.random(bits: bits - 1) + BigInteger(1).shiftedLeft(bits - 1)
        let odd = modulus.isOdd ? modulus : modulus + 1
        for count in [0, 1, 2, 3, 17, 200] {
            let factors = (0..<count).map { _ in BigInteger.random(below: odd) }
            #expect(BigInteger.product(factors, modulo: odd) == naive(factors, odd), "count \(count)")
        }
        // Edge factors: 0, 1, m − 1, and small numbers with fewer limbs than m.
        let edges = [odd - 1, 1, 2, odd - 1, BigInteger(12345)]
        #expect(BigInteger.product(edges, modulo: odd) == naive(edges, odd))
        #expect(BigInteger.product(edges + [0], modulo: odd) == 0)
    }

    @Test func fallsBackForEvenModuliAndUnreducedFactors() {
        let even = BigInteger(1).shiftedLeft(100)
        let factors = [BigInteger(3), BigInteger(5), even + 7]
        #expect(BigInteger.product(factors, modulo: even) == naive(factors, even))
        let odd = BigInteger(1_000_003)
        #expect(BigInteger.product([BigInteger(2_000_000), -5, 7], modulo: odd) == naive([2_000_000, -5, 7], odd))
    }
}

@Suite("Constant-time fixed-base tables")
struct SecretFixedBaseTableTests {
    @Test(arguments: [256, 1000, 4096])
    func agreesWithPowm(bits: Int) {
        let modulus = BigInteger.random(bits: bits - 1) + BigInteger(1).shiftedLeft(bits - 1)
        let base = BigInteger.random(below: modulus)
        let table = SecretFixedBaseTable(base: base, modulus: modulus, exponentBits: 301)
        let exponents = [BigInteger(0), 1, 15, 16, BigInteger(1).shiftedLeft(300), BigInteger(1).shiftedLeft(301) - 1]
            + (0..<10).map { _ in BigInteger.random(bits: 301) }
        for exponent in exponents {
            #expect(table.power(exponent) == base.power(exponent, modulo: modulus), "\(exponent)")
        }
    }
}

extension BigIntegerTests {
    @Test func theRemainderTreeAgreesWithTrialDivisionOneByOne() {
        // Products of two random 256-bit odd numbers, some times a prime just below 2²⁰ and some times one above it.
        let numbers = (0..<37).map { i -> BigInteger in
            let base = (BigInteger.random(bits: 256) * BigInteger.random(bits: 256)).shiftedLeft(1) + 1
            return i % 3 == 0 ? base * BigInteger(1_048_573) : i % 3 == 1 ? base * BigInteger(1_048_583) : base
        } + [BigInteger(2).power(300)]
        #expect(BigInteger.haveNoSmallPrimeFactor(numbers) == numbers.map { $0.smallPrimeFactor == nil })
        #expect(BigInteger.haveNoSmallPrimeFactor(numbers).filter { !$0 }.count >= 13)
        #expect(BigInteger.haveNoSmallPrimeFactor([]) == [])
    }
}
