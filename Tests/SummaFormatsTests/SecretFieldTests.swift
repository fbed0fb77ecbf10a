import Foundation
import TestSupport
import Testing

@testable import SummaFormats

/// A malformed secret field (a prime factor, a key share) is named in the error but its text never shown: one
/// mistyped digit would otherwise put most of a secret on a terminal or in a log.
@Suite("Secret fields in errors")
struct SecretFieldTests {
    static let digits = "31415926535897932384626433"

    @Test(arguments: ["p", "q"])
    func aMalformedPrimeIsNotQuoted(field: String) throws {
        let document = Fixtures.smallKey.summaJSON.replacingMember(field, with: .string(Self.digits + "x"))
        do {
            _ = try SummaFile.parse(Data(document.serialized.utf8), path: "k.json", allowInsecureKeySize: true)
            Issue.record("a malformed \(field) was accepted")
        } catch {
            #expect(error == .malformedField(path: "k.json", field: field, reason: "not a non-negative decimal integer"))
            #expect(!error.description.contains("314159"))
        }
    }

    @Test func aMalformedShareIsNotQuoted() throws {
        let document = Fixtures.deal.shares[0].json.replacingMember("share", with: .string(Self.digits + "x"))
        do {
            _ = try ThresholdFile.share(from: Data(document.serialized.utf8), path: "s.json", allowInsecureKeySize: true)
            Issue.record("a malformed share was accepted")
        } catch {
            #expect(error == .malformedField(path: "s.json", field: "share", reason: "not a non-negative decimal integer"))
            #expect(!error.description.contains("314159"))
        }
    }
}
