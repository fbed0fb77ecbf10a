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

    /// Every text of up to five symbols from a few valid and invalid ones against a second decoder: Foundation's
    /// standard base64 (after swapping the alphabet and padding), taken only when the bytes encode back to the text
    /// without its trailing "=" (canonical); bytes of every length up to 40 round-trip.
    @Test func decodingAgreesWithFoundation() {
        let symbols = Array("AQw-_=+/!".utf8)
        var texts: [[UInt8]] = [[]]
        var mismatches: [String] = []
        for _ in 1...5 {
            texts = texts.flatMap { text in symbols.map { text + [$0] } }
            for text in texts {
                let string = String(decoding: text, as: UTF8.self)
                if Base64URL.decode(string) != foundationDecode(string) { mismatches.append(string) }
            }
        }
        let firstMismatches = Array(mismatches.prefix(10))
        #expect(firstMismatches.isEmpty)
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
            #expect(Base64URL.decode(Substring(Base64URL.encode(bytes) + "==")) == bytes)
        }
    }

    func foundationDecode(_ text: String) -> [UInt8]? {
        var stripped = Substring(text)
        while stripped.hasSuffix("=") { stripped.removeLast() }
        guard stripped.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        let standard = stripped.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padded = standard + String(repeating: "=", count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: padded) else { return nil }
        return Base64URL.encode(Array(data)) == String(stripped) ? Array(data) : nil
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
