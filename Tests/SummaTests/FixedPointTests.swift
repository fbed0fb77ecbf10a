import BigNum
import TestSupport
import Testing

@testable import Summa

@Suite("FixedPoint: exact decimals")
struct FixedPointTests {
    @Test(arguments: [
        ("1234.56", "123456", 2), ("-0.5", "-5", 1), ("+7", "7", 0), ("0.010", "10", 3), ("0", "0", 0),
        ("-0", "0", 0), ("00012.5", "125", 1),
        ("123456789012345678901234567890.123456789", "123456789012345678901234567890123456789", 9),
    ])
    func parsesExactly(text: String, mantissa: String, scale: Int) throws {
        let value = try FixedPoint(parsing: text)
        #expect(value.mantissa == BigInteger(mantissa)!)
        #expect(value.scale == scale)
    }

    @Test(arguments: ["", "-", ".", "1.", ".5", "1e3", "1,000", "1.2.3", " 1", "abc", "--1", "1-", "0x10", "NaN", "∞", "١٢"])
    func rejectsWhatIsNotAPlainDecimal(text: String) {
        #expect(throws: SummaError.invalidNumber(text, field: "row 3")) { try FixedPoint(parsing: text, field: "row 3") }
    }

    @Test func rejectsTooManyDecimals() {
        let text = "0." + String(repeating: "1", count: FixedPoint.maximumScale + 1)
        #expect(throws: SummaError.scaleOutOfRange(FixedPoint.maximumScale + 1)) { try FixedPoint(parsing: text) }
    }

    @Test(arguments: [("1234.56", "1234.56"), ("-0.05", "-0.05"), ("-5", "-5"), ("0.000", "0.000"), ("-0.0", "0.0")])
    func printsExactly(text: String, printed: String) {
        #expect(decimal(text).description == printed)
    }

    @Test func equalityIsNumeric() {
        #expect(decimal("1.5") == decimal("1.50"))
        #expect(decimal("1.5").hashValue == decimal("1.500").hashValue)
        #expect(decimal("-0.01") < decimal("0"))
        #expect(decimal("2") > decimal("1.999"))
        #expect(decimal("1.500").normalized.description == "1.5")
    }

    @Test func arithmeticIsExact() {
        #expect((decimal("0.1") + decimal("0.2")).description == "0.3")
        #expect((decimal("1.25") - decimal("3")).description == "-1.75")
        #expect((decimal("-1.5") * decimal("0.25")).description == "-0.375")
    }

    @Test(arguments: [
        ("2.5", 0, "2"), ("3.5", 0, "4"), ("-2.5", 0, "-2"), ("-3.5", 0, "-4"), ("1.005", 2, "1.00"), ("1.015", 2, "1.02"),
        ("2.51", 0, "3"), ("-2.51", 0, "-3"), ("1.2", 3, "1.200"),
    ])
    func roundsHalfToEven(text: String, scale: Int, expected: String) throws {
        #expect(try decimal(text).rounded(toScale: scale).description == expected)
    }

    @Test func rescalingDownIsRefused() {
        #expect(throws: SummaError.scaleOutOfRange(1)) { try decimal("1.25").rescaled(to: 1) }
        #expect(throws: SummaError.scaleOutOfRange(-1)) { try FixedPoint(mantissa: 1, scale: -1) }
    }

    @Test func squareRootsAreCorrectlyRounded() {
        #expect(FixedPoint.squareRoot(2, dividedBy: 1, scale: 10).description == "1.4142135624")
        #expect(FixedPoint.squareRoot(9, dividedBy: 4, scale: 2).description == "1.50")
        #expect(FixedPoint.squareRoot(0, dividedBy: 7, scale: 3).description == "0.000")
        // √0.0001 = 0.01 exactly; √(1/3) = 0.57735026918…
        #expect(FixedPoint.squareRoot(1, dividedBy: 10_000, scale: 4).description == "0.0100")
        #expect(FixedPoint.squareRoot(1, dividedBy: 3, scale: 5).description == "0.57735")
    }
}
