import BigNum
import Foundation
import Paillier
import Summa
import Testing
import TestSupport

@testable import RangeProofs

/// A key of the committed 512-bit safe primes (tests only), its private key and its range-proof parameters.
let safePrimeKey: PaillierPrivateKey = {
    let (p, q) = try! Fixtures.safePrimes(bits: 512)
    return try! PaillierPrivateKey(p: p, q: q, publicKey: try! PaillierPublicKey(validatingModulus: p * q, allowInsecureKeySize: true))
}()
let commitmentKey = RangeCommitmentKey(publicKey: safePrimeKey.publicKey)

func range(_ lower: Int, _ upper: Int) -> ValueRange { ValueRange(lower: BigInteger(lower), upper: BigInteger(upper))! }

func statement(
    _ ranges: [ValueRange], slotBits: Int = 40, slots: Int = 3, sender: Int = 2, session: Data = Data(repeating: 7, count: 32),
    context: Data = Data("header".utf8)
) -> RangeStatement {
    RangeStatement(ranges: ranges, slotBits: slotBits, slotsPerCiphertext: slots, sender: sender, session: session, context: context)
}

@Suite struct ThreeSquaresTests {
    @Test func decomposesEveryResidueOfOneModFour() {
        for y in stride(from: 1, through: 2001, by: 4) {
            let (a, b, c) = ThreeSquares.decompose(BigInteger(y))
            #expect(a * a + b * b + c * c == BigInteger(y))
        }
    }

    @Test func decomposesLargeNumbers() {
        for bits in [60, 130, 300] {
            let y = BigInteger.random(bits: bits).shiftedLeft(2) + 1
            let (a, b, c) = ThreeSquares.decompose(y)
            #expect(a * a + b * b + c * c == y)
        }
    }
}

@Suite struct RangeProofTests {
    @Test func valuesAtTheEndsOfTheirRangesVerify() throws {
        let ranges = [range(-1000, 1000), range(-1000, 1000), range(0, 5), range(-7, -3), range(3, 3)]
        let values: [BigInteger] = [-1000, 1000, 0, -3, 3]
        let statement = statement(ranges)
        let (ciphertexts, proof) = try RangeProof.encrypt(values, statement: statement, key: commitmentKey)
        #expect(ciphertexts.count == 2)
        try proof.verify(ciphertexts, statement: statement, key: commitmentKey)
    }

    @Test func ciphertextsHoldThePackedValues() throws {
        let privateKey = safePrimeKey
        let values: [BigInteger] = [-5, 17, 0, 9]
        let statement = statement(Array(repeating: range(-20, 20), count: 4))
        let (ciphertexts, _) = try RangeProof.encrypt(values, statement: statement, key: commitmentKey)
        let residues = ciphertexts.map { privateKey.decrypt(PaillierCiphertext(unchecked: $0)) }
        let decoded = try residues.enumerated().flatMap { (index, residue) in
            try PackingLayout.balancedDigits(
                of: try commitmentKey.publicKey.decode(residue: residue), slotBits: 40, count: index == 0 ? 3 : 1)
        }
        #expect(decoded == values)
    }

    @Test(arguments: [(0, 1001), (0, -1), (3, -8), (3, -2)])
    func aValueJustOutsideHasNoProof(index: Int, value: Int) {
        let ranges = [range(0, 1000), range(0, 1000), range(0, 1000), range(-7, -3)]
        var values: [BigInteger] = [1, 2, 3, -5]
        values[index] = BigInteger(value)
        #expect(throws: RangeProofError.valueOutOfRange(index: index)) {
            try RangeProof.encrypt(values, statement: statement(ranges), key: commitmentKey)
        }
    }

    @Test func aProofDoesNotVerifyForAnotherSenderSessionContextOrRange() throws {
        let ranges = Array(repeating: range(0, 100), count: 4)
        let honest = statement(ranges)
        let (ciphertexts, proof) = try RangeProof.encrypt([1, 2, 3, 4], statement: honest, key: commitmentKey)
        for other in [
            statement(ranges, sender: 3), statement(ranges, session: Data(repeating: 8, count: 32)),
            statement(ranges, context: Data("other header".utf8)),
            statement(Array(repeating: range(0, 101), count: 4)), statement(ranges, slotBits: 41),
        ] {
            #expect(throws: RangeProofError.proofDoesNotVerify) { try proof.verify(ciphertexts, statement: other, key: commitmentKey) }
        }
    }

    @Test func aProofDoesNotVerifyForAnotherCiphertext() throws {
        let statement = statement(Array(repeating: range(0, 100), count: 2))
        let (ciphertexts, proof) = try RangeProof.encrypt([1, 2], statement: statement, key: commitmentKey)
        let (others, _) = try RangeProof.encrypt([1, 2], statement: statement, key: commitmentKey)
        #expect(throws: RangeProofError.proofDoesNotVerify) { try proof.verify(others, statement: statement, key: commitmentKey) }
        // An out-of-range value, encrypted, under an in-range value's proof.
        let outside = commitmentKey.encrypt(commitmentKey.publicKey.residue(PackingLayout.joined([1, 500], slotBits: 40))).ciphertext
        #expect(throws: RangeProofError.proofDoesNotVerify) { try proof.verify([outside], statement: statement, key: commitmentKey) }
        try proof.verify(ciphertexts, statement: statement, key: commitmentKey)
    }

    /// A bad response at the first, a middle and the last position of a batch, in every kind of response.
    @Test func aBadResponseAnywhereInABatchFails() throws {
        let statement = statement(Array(repeating: range(-50, 50), count: 7))
        let (ciphertexts, proof) = try RangeProof.encrypt([-50, -1, 0, 1, 2, 49, 50], statement: statement, key: commitmentKey)
        let last = proof.valueResponses.count - 1
        var forgeries: [RangeProof] = []
        for position in [0, 1, 2, 3, 13, last] {
            var responses = proof.valueResponses
            responses[position] += 1
            forgeries.append(proof.replacing(valueResponses: responses))
        }
        for position in [0, proof.maskResponses.count - 1] {
            var responses = proof.maskResponses
            responses[position] += 1
            forgeries.append(proof.replacing(maskResponses: responses))
        }
        forgeries.append(proof.replacing(commitmentResponse: proof.commitmentResponse + 1))
        forgeries.append(proof.replacing(termResponse: proof.termResponse + 1))
        for forgery in forgeries {
            #expect(throws: RangeProofError.proofDoesNotVerify) { try forgery.verify(ciphertexts, statement: statement, key: commitmentKey) }
        }
    }

    @Test func malformedShapesAreRefused() throws {
        let statement = statement(Array(repeating: range(0, 9), count: 2))
        let (ciphertexts, proof) = try RangeProof.encrypt([1, 2], statement: statement, key: commitmentKey)
        let n = commitmentKey.publicKey.n
        let cases: [RangeProof] = [
            proof.replacing(valueResponses: Array(proof.valueResponses.dropLast())),
            proof.replacing(valueResponses: [-1] + proof.valueResponses.dropFirst()),
            proof.replacing(valueResponses: [BigInteger(1).shiftedLeft(400)] + proof.valueResponses.dropFirst()),
            proof.replacing(commitment: n),
            proof.replacing(commitment: 0),
            proof.replacing(maskResponses: []),
        ]
        for malformed in cases {
            #expect(throws: RangeProofError.self) { try malformed.verify(ciphertexts, statement: statement, key: commitmentKey) }
        }
        #expect(throws: RangeProofError.self) { try proof.verify(ciphertexts + ciphertexts, statement: statement, key: commitmentKey) }
    }
}

extension RangeProof {
    func replacing(
        commitment: BigInteger? = nil, valueResponses: [BigInteger]? = nil, maskResponses: [BigInteger]? = nil,
        commitmentResponse: BigInteger? = nil, termResponse: BigInteger? = nil
    ) -> RangeProof {
        RangeProof(
            commitment: commitment ?? self.commitment, maskCommitment: maskCommitment, constantTerm: constantTerm,
            linearTerm: linearTerm, ciphertextMasks: ciphertextMasks, maskResponses: maskResponses ?? self.maskResponses,
            valueResponses: valueResponses ?? self.valueResponses, commitmentResponse: commitmentResponse ?? self.commitmentResponse,
            termResponse: termResponse ?? self.termResponse)
    }
}
