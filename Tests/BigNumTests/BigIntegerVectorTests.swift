import Foundation
import Testing

@testable import BigNum

/// One case of Vectors/arithmetic.json (made by Vectors/generate.py with Python's integers).
struct ArithmeticVector: Decodable {
    let a, b, m, e, sum, difference, product, quotient, remainder: String
    let floorQuotient, floorRemainder, mod, powm, gcd, hex: String
    let inverse: String?
}

func arithmeticVectors() throws -> [ArithmeticVector] {
    struct File: Decodable { let cases: [ArithmeticVector] }
    let url = try #require(Bundle.module.url(forResource: "arithmetic", withExtension: "json", subdirectory: "Vectors"))
    return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
}

func big(_ text: String) -> BigInteger { BigInteger(text)! }

@Suite("BigInteger known answers from Python")
struct BigIntegerVectorTests {
    @Test func vectorsAreLoaded() throws {
        #expect(try arithmeticVectors().count == 40)
    }

    @Test func arithmetic() throws {
        for v in try arithmeticVectors() {
            let a = big(v.a), b = big(v.b)
            #expect(a + b == big(v.sum))
            #expect(a - b == big(v.difference))
            #expect(a * b == big(v.product))
            #expect(a / b == big(v.quotient))
            #expect(a % b == big(v.remainder))
            let (q, r) = a.quotientAndRemainder(flooringBy: b)
            #expect(q == big(v.floorQuotient) && r == big(v.floorRemainder))
            #expect(BigInteger.gcd(a, b) == big(v.gcd))
            var inPlace = a
            inPlace += b
            inPlace -= b
            inPlace *= b
            #expect(inPlace == big(v.product))
        }
    }

    @Test func modularArithmetic() throws {
        for v in try arithmeticVectors() {
            let a = big(v.a), m = big(v.m), e = big(v.e)
            #expect(a.modulo(m) == big(v.mod))
            #expect(a.modulo(m).power(e, modulo: m) == big(v.powm))
            if m.isOdd && e.signum > 0 {
                #expect(a.modulo(m).power(secretExponent: e, modulo: m) == big(v.powm))
            }
            #expect(a.inverse(modulo: m) == v.inverse.map(big))
            var product = a.modulo(m)
            product.formProduct(with: big(v.b), modulo: m)
            #expect(product == a.multiplied(by: big(v.b), modulo: m))
            #expect(product == (a * big(v.b)).modulo(m))
        }
    }

    @Test func encodings() throws {
        for v in try arithmeticVectors() {
            let a = big(v.a)
            #expect(a.magnitude.toString(radix: 16) == v.hex)
            #expect(BigInteger(bigEndianBytes: a.magnitude.bigEndianBytes()) == a.magnitude)
            #expect(BigInteger(v.hex, radix: 16) == a.magnitude)
            #expect(a.description == v.a)
        }
    }
}
