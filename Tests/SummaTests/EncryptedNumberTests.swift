import BigNum
import Paillier
import TestSupport
import Testing

@testable import Summa

@Suite("Encrypted numbers: sums, scales, signs, overflow")
struct EncryptedNumberTests {
    let key = Fixtures.smallKey
    var publicKey: PaillierPublicKey { key.publicKey }

    func encrypt(_ text: String) throws -> EncryptedNumber { try publicKey.encrypt(decimal(text)) }

    @Test(arguments: [
        (["1.50", "2.25", "-0.75"], "3.00"), (["-1", "-2", "-3"], "-6"), (["0", "0.00"], "0.00"), (["5", "-5"], "0"),
        (["1234.56", "-1234.56", "0.01"], "0.01"), (["0.001", "1"], "1.001"), (["-0.5", "0.25", "100"], "99.75"),
    ])
    func sumsAcrossSignsAndScales(values: [String], expected: String) throws {
        let total = try EncryptedNumber.sum(try values.map(encrypt), publicKey: publicKey)
        let result = try key.decrypt(total)
        #expect(result == decimal(expected))
        #expect(result.scale == values.map { decimal($0).scale }.max())
    }

    @Test func randomSumsMatchPlaintextSums() throws {
        for _ in 0..<10 {
            let values = (0..<20).map { _ in
                FixedPoint(unchecked: BigInteger.random(bits: 40) - BigInteger.random(bits: 40), scale: Int.random(in: 0...4))
            }
            let encrypted = try values.map { try publicKey.encrypt($0) }
            let total = try key.decrypt(try EncryptedNumber.sum(encrypted, publicKey: publicKey))
            #expect(total == values.reduce(FixedPoint.zero, +))
        }
    }

    @Test func plaintextAdditionAndScalarMultiplication() throws {
        let a = try encrypt("12.34")
        #expect(try key.decrypt(try a.adding(decimal("-0.345"))) == decimal("11.995"))
        #expect(try key.decrypt(try a.multiplied(by: decimal("-2.5"))) == decimal("-30.85"))
        #expect(try key.decrypt(try a.multiplied(by: 0)) == 0)
        #expect(try key.decrypt(a.negated()) == decimal("-12.34"))
        #expect(try key.decrypt(try a.subtracting(try encrypt("0.34"))) == 12)
        #expect(try key.decrypt(a.rerandomized()) == decimal("12.34"))
    }

    @Test func weightedSums() throws {
        let values = try ["10.00", "-4.50", "3"].map(encrypt)
        let weights = ["0.5", "2", "-1.25"].map(decimal)
        let total = try EncryptedNumber.weightedSum(values, weights: weights, publicKey: publicKey)
        #expect(try key.decrypt(total) == decimal("-7.75"))
        #expect(throws: SummaError.incompatible("3 values but 2 weights")) {
            try EncryptedNumber.weightedSum(values, weights: Array(weights.prefix(2)), publicKey: publicKey)
        }
    }

    @Test func batchEncryptionKeepsOrderAndScale() async throws {
        let values = (0..<40).map { decimal("\($0 - 20).\($0 % 10)") }
        let decrypted = try await key.decrypt(batch: try await publicKey.encrypt(batch: values))
        #expect(decrypted == values)
        #expect(decrypted.map(\.description) == values.map(\.description))
    }

    @Test func valuesBeyondTheValueBoundAreRefused() throws {
        let bound = publicKey.valueBound
        #expect(try key.decrypt(try publicKey.encrypt(FixedPoint(bound))) == FixedPoint(bound))
        #expect(try key.decrypt(try publicKey.encrypt(FixedPoint(-bound))) == FixedPoint(-bound))
        #expect(throws: SummaError.valueTooLarge(field: "value")) { try publicKey.encrypt(FixedPoint(bound + 1)) }
        #expect(throws: SummaError.valueTooLarge(field: "value")) { try key.encrypt(FixedPoint(-bound - 1)) }
    }

    @Test func operationsThatCouldWrapAroundAreRefusedBeforeComputing() throws {
        // The 512-bit key leaves 2^(510 − 192) of headroom above one value's bound of 2^192.
        let value = try publicKey.encrypt(FixedPoint(1))
        #expect(throws: SummaError.boundExceeded(operation: "raising the scale from 0 to 100")) { try value.rescaled(to: 100) }
        let huge = FixedPoint(BigInteger(1).shiftedLeft(320))
        #expect(throws: SummaError.boundExceeded(operation: "multiplying by \(huge)")) { try value.multiplied(by: huge) }
        #expect(try key.decrypt(try value.rescaled(to: 90)) == 1)  // 10^90 < 2^318: allowed, and exact
    }

    @Test func overflowFromUnboundedInputsIsAnErrorNeverAWrongNumber() throws {
        // Ciphertexts from outside (python-paillier) carry no bound: the guard band catches what leaves the range.
        let maximum = publicKey.maximumPlaintextMagnitude
        let top = EncryptedNumber(
            publicKey: publicKey, ciphertext: publicKey.encrypt(maximum), scale: 0, bound: nil)
        #expect(try key.decrypt(top) == FixedPoint(maximum))
        #expect(throws: SummaError.overflow) { try key.decrypt(try top.adding(1)) }
        #expect(throws: SummaError.overflow) { try key.decrypt(try top.adding(top)) }
        #expect(throws: SummaError.overflow) { try key.decrypt(try top.negated().adding(top.negated())) }
        // A bound that the decrypted value exceeds (a lying file) is an overflow too.
        let lying = EncryptedNumber(publicKey: publicKey, ciphertext: publicKey.encrypt(1000), scale: 0, bound: 999)
        #expect(throws: SummaError.overflow) { try key.decrypt(lying) }
    }

    @Test func otherKeysAreRefused() throws {
        let mine = try encrypt("1")
        let theirs = try Fixtures.pheKey.publicKey.encrypt(decimal("1"))
        #expect(throws: SummaError.keyMismatch(expected: publicKey.fingerprint, found: Fixtures.pheKey.publicKey.fingerprint)) {
            try mine.adding(theirs)
        }
        #expect(throws: SummaError.wrongPrivateKey(fileKey: Fixtures.pheKey.publicKey.fingerprint, privateKey: publicKey.fingerprint)) {
            try key.decrypt(theirs)
        }
    }
}

@Suite("Statistics")
struct StatisticsTests {
    @Test func meanRoundsHalfToEven() throws {
        #expect(try ColumnStatistics(count: 2, sum: 5, sumOfSquares: nil, digits: 0).mean == 2)
        #expect(try ColumnStatistics(count: 2, sum: 7, sumOfSquares: nil, digits: 0).mean == 4)
        #expect(try ColumnStatistics(count: 2, sum: -5, sumOfSquares: nil, digits: 0).mean == -2)
        #expect(try ColumnStatistics(count: 3, sum: decimal("1.00"), sumOfSquares: nil).mean?.description == "0.333333")
        #expect(try ColumnStatistics(count: 0, sum: 0, sumOfSquares: nil).mean == nil)
    }

    @Test func varianceAndStandardDeviation() throws {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4, std-dev 2; sample variance 32/7.
        let values = [2, 4, 4, 4, 5, 5, 7, 9].map { FixedPoint(BigInteger($0)) }
        let stats = try ColumnStatistics(
            count: 8, sum: values.reduce(0, +), sumOfSquares: values.reduce(0) { $0 + $1 * $1 }, digits: 4)
        #expect(stats.mean == 5)
        #expect(stats.variance?.description == "4.0000")
        #expect(stats.standardDeviation?.description == "2.0000")
        #expect(stats.sampleVariance?.description == "4.5714")
        #expect(stats.sampleStandardDeviation?.description == "2.1381")
    }

    @Test func decryptedStatisticsMatch() throws {
        let key = Fixtures.smallKey
        let values = ["10.50", "-3.25", "7.00", "0.75"].map(decimal)
        let table = try key.publicKey.encrypt(batchSync: values)
        let squares = try values.map { try key.publicKey.encrypt(try ($0 * $0).rescaled(to: 4)) }
        let aggregate = try EncryptedAggregate(
            values: table.map(\.ciphertext), squares: squares.map(\.ciphertext), scale: 2, publicKey: key.publicKey)
        let stats = try key.decrypt(aggregate)
        #expect(stats.count == 4 && stats.sum == decimal("15.00"))
        #expect(stats.mean?.description == "3.750000")
        // Σx² = 110.25 + 10.5625 + 49 + 0.5625 = 170.375; variance = 170.375/4 − 3.75² = 28.53125.
        #expect(stats.variance?.description == "28.531250")
        let merged = try aggregate.merged(with: aggregate)
        #expect(try key.decrypt(merged).count == 8)
        #expect(try key.decrypt(merged).variance?.description == "28.531250")
    }

    @Test func inconsistentSquaresAreReported() {
        #expect(throws: SummaError.self) { try ColumnStatistics(count: 2, sum: 10, sumOfSquares: 1) }
    }
}

extension PaillierPublicKey {
    func encrypt(batchSync values: [FixedPoint]) throws -> [EncryptedNumber] { try values.map { try encrypt($0) } }
}
