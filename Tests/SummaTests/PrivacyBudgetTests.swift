import BigNum
import Foundation
import Testing

@testable import Summa

@Suite("Privacy budgets: one rule, no float that underflows")
struct PrivacyBudgetTests {
    /// δ = 10⁻ᵏ written as a decimal with k − 1 zeros after the point.
    static func tinyDelta(_ k: Int) throws -> FixedPoint { try FixedPoint(parsing: "0." + String(repeating: "0", count: k - 1) + "1") }

    @Test func lnOfOneOverDeltaComesFromTheDigits() throws {
        let ordinary = try #require(try PrivacyBudget(epsilon: 1, delta: FixedPoint(parsing: "0.00001")).logInverseDelta)
        #expect(abs(ordinary - log(1e5)) < 1e-12)
        // 10⁻³¹⁰ is below the smallest normal double: as a Double, 1/δ overflows and ln(1/δ) is infinite.
        let tiny = try #require(try PrivacyBudget(epsilon: 1, delta: Self.tinyDelta(310)).logInverseDelta)
        #expect(abs(tiny - 310 * log(10.0)) < 1e-9)
        #expect(!(log(1 / (Double("1e-310") ?? 1))).isFinite)
        // The most decimals a value may have, with many significant digits.
        let long = try FixedPoint(parsing: "0." + String(repeating: "0", count: 400) + String(repeating: "7", count: 112))
        let longest = try #require(try PrivacyBudget(epsilon: 1, delta: long).logInverseDelta)
        #expect(abs(longest - (512 * log(10.0) - log(7.777777777777777) - 111 * log(10.0))) < 1e-9)
    }

    /// The break found by the adversarial pass: δ = 10⁻³¹⁰ gave σ ≈ 0.005 units. A smaller δ must mean more noise.
    @Test func aTinyDeltaNeverSwitchesTheNoiseOff() throws {
        func sigma(_ delta: FixedPoint) throws -> Double {
            try DistributedNoise.calibrated(
                budget: PrivacyBudget(epsilon: 1, delta: delta), clipUnits: 10_000, dimension: 50, honestParties: 2
            ).sigma
        }
        let usual = try sigma(FixedPoint(parsing: "0.00001"))
        let small = try sigma(Self.tinyDelta(300))
        let tiny = try sigma(Self.tinyDelta(310))
        let tiniest = try sigma(Self.tinyDelta(512))
        #expect(usual > 10_000 && small > usual && tiny > small && tiniest > tiny, "σ: \(usual), \(small), \(tiny), \(tiniest)")
    }

    @Test func theReleaseOfATinyDeltaIsCalibratedToo() throws {
        let rho = try #require(try PrivacyBudget(epsilon: 1, delta: Self.tinyDelta(310)).zcdpBudget())
        // ρ = ε²/(√(L + ε) + √L)² with L = 310 ln 10 ≈ 713.8: about 3.50 × 10⁻⁴, rounded down.
        let value = Double(rho.numerator.description)! / Double(rho.denominator.description)!
        #expect(value > 3.49e-4 && value < 3.51e-4, "ρ = \(value)")
    }

    @Test func budgetsOutsideTheRuleAreRefused() throws {
        #expect(throws: SummaError.incompatible("ε must be from 0.000001 to 100, not 101")) { try PrivacyBudget(epsilon: 101, delta: nil) }
        #expect(throws: SummaError.incompatible("ε must be from 0.000001 to 100, not 0.0000001")) {
            try PrivacyBudget(epsilon: FixedPoint(parsing: "0.0000001"), delta: nil)
        }
        #expect(throws: SummaError.incompatible("δ must be above 0 and below 1, not 0")) { try PrivacyBudget(epsilon: 1, delta: .zero) }
        #expect(throws: SummaError.incompatible("δ must be above 0 and below 1, not 1")) { try PrivacyBudget(epsilon: 1, delta: 1) }
        #expect(try PrivacyBudget(epsilon: 100, delta: nil).epsilon == 100)
        #expect(try PrivacyBudget(epsilon: PrivacyBudget.minimumEpsilon, delta: nil).epsilon == PrivacyBudget.minimumEpsilon)
    }
}
