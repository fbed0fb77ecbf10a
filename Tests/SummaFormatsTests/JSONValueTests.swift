import Foundation
import Testing

@testable import SummaFormats

@Suite("JSON values")
struct JSONValueTests {
    /// Foundation hands these to JSONValue as NSDecimalNumber, whose doubleValue is off by an ulp or more; the first
    /// two are the fields of the envelopes FuzzFrames and FuzzKeyGeneration found not reading back as themselves.
    static let decimals = [
        "387872412679767074330", "1844674407370591561749", "3.8787241267976706e+20", "0.30000000000000004",
        "123456789012345678901234567890123456789012345", "-9223372036854775809",
    ]

    @Test(arguments: decimals)
    func aNumberReadsAsTheCorrectlyRoundedDouble(text: String) throws {
        let value = try #require(JSONValue(parsing: Data(text.utf8)))
        #expect(value == .number(try #require(Double(text))))
    }

    @Test(arguments: decimals)
    func aNumberWrittenReadsBackAsItself(text: String) throws {
        let value = try #require(JSONValue(parsing: Data("{\"a\":[\(text)]}".utf8)))
        #expect(JSONValue(parsing: Data(value.serialized.utf8)) == value)
    }

    @Test func wholeNumbersWithinIntStayIntegers() throws {
        #expect(JSONValue(parsing: Data("9223372036854775807".utf8)) == .integer(.max))
        #expect(JSONValue(parsing: Data("0.5".utf8)) == .number(0.5))
    }
}
