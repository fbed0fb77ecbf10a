import BigNum
import Foundation
import Testing

@testable import SummaFormats

@Suite("Base64url big integers (JWK)")
struct Base64URLTests {
    @Test(arguments: ["AQ", "AQAB", "AQID", "_w", "-_8"])
    func base64URLRoundTrips(text: String) throws {
        let value = try #require(BigInteger(base64URLEncoded: text))
        #expect(BigInteger(base64URLEncoded: value.base64URLEncoded) == value)
    }

    @Test(arguments: ["A+B", "A/B", "A", "AB=C", "AB!"])
    func malformedBase64URLIsRejected(text: String) {
        // "A" alone is 6 bits: not a whole byte.
        #expect(BigInteger(base64URLEncoded: text) == nil)
    }

    @Test func nonCanonicalBase64URLIsRejected() {
        // "AB" has four trailing bits; "AQ" is the canonical form of byte 0x01... "AR" sets a leftover bit.
        #expect(BigInteger(base64URLEncoded: "AQ") == 1)
        #expect(BigInteger(base64URLEncoded: "AR") == nil)
    }

    /// Fixtures/base64url.json: values and their base64url text from Python's base64.urlsafe_b64encode (see the
    /// file's "source").
    @Test func knownAnswersFromPython() throws {
        struct Case: Decodable { let value, base64url: String }
        struct File: Decodable { let cases: [Case] }
        let url = try #require(Bundle.module.url(forResource: "base64url", withExtension: "json", subdirectory: "Fixtures"))
        let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
        #expect(cases.count == 40)
        for entry in cases {
            let value = try #require(BigInteger(entry.value))
            #expect(value.base64URLEncoded == entry.base64url)
            #expect(BigInteger(base64URLEncoded: entry.base64url) == value)
        }
    }
}
