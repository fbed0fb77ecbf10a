import BigNum
import Foundation
import Paillier
import TestSupport
import Testing

@testable import Threshold

/// Decryption shares of many ciphertexts with one folded proof, on the committed 3-of-5 deal.
@Suite("Threshold Paillier: batched decryption shares")
struct BatchDecryptionShareTests {
    let deal = Fixtures.deal
    var key: ThresholdPublicKey { deal.publicKey }

    func batches(of ciphertexts: [PaillierCiphertext], from parties: [Int], session: Data = session) -> [BatchDecryptionShare] {
        parties.map { deal.shares[$0 - 1].decryptionShares(of: ciphertexts, session: session) }
    }

    @Test func honestBatchesVerifyAndDecryptEveryCiphertext() throws {
        let plaintexts = (0..<7).map { BigInteger($0 * 1_000_003 + 5) }
        let ciphertexts = plaintexts.map { key.paillierKey.encrypt($0) }
        let all = batches(of: ciphertexts, from: [1, 2, 3, 4, 5])
        for batch in all {
            #expect(throws: Never.self) { try batch.verify(for: ciphertexts, key: key, session: session) }
            // Each value is the same share a single proof would carry.
            #expect(batch.values[3] == deal.shares[batch.party - 1].decryptionShare(of: ciphertexts[3], session: session).value)
        }
        for group in subsets([1, 2, 3, 4, 5], size: 3) {
            #expect(try key.combine(group.map { all[$0 - 1] }, for: ciphertexts, session: session) == plaintexts, "parties \(group)")
        }
        // One ciphertext: a batch of one.
        let one = batches(of: [ciphertexts[0]], from: [2, 4, 5])
        #expect(try key.combine(one, for: [ciphertexts[0]], session: session) == [plaintexts[0]])
    }

    @Test func aWrongShareAnywhereInTheBatchFailsItsProof() throws {
        let ciphertexts = (1...5).map { key.paillierKey.encrypt(BigInteger($0)) }
        let good = batches(of: ciphertexts, from: [1, 2, 3, 4])
        let honest = good[0]
        func altered(_ change: (inout [BigInteger]) -> Void, party: Int = 1, response: BigInteger? = nil) -> BatchDecryptionShare {
            var values = honest.values
            change(&values)
            return BatchDecryptionShare(party: party, values: values, challenge: honest.challenge, response: response ?? honest.response)
        }
        let nSquared = key.nSquared
        let other = key.paillierKey.encrypt(99)
        let bad = [
            // Each position altered by a unit: the last one, the first one, two that could cancel.
            altered { $0[4] = $0[4].multiplied(by: key.n + 1, modulo: nSquared) },
            altered { $0[0] = $0[0].multiplied(by: 4, modulo: nSquared) },
            altered {
                $0[1] = $0[1].multiplied(by: 4, modulo: nSquared)
                $0[2] = $0[2].multiplied(by: BigInteger(4).inverse(modulo: nSquared)!, modulo: nSquared)
            },
            altered { $0.swapAt(1, 3) },  // the right shares in the wrong order
            altered { $0.removeLast() },  // one missing
            altered { $0.append($0[0]) },  // one extra
            altered({ _ in }, party: 2),  // someone else's proof
            altered({ _ in }, response: honest.response + 1),
            deal.shares[0].decryptionShares(of: ciphertexts, session: Data("session-0".utf8)),  // replayed from another session
            deal.shares[0].decryptionShares(of: Array(ciphertexts.dropLast()) + [other], session: session),  // for other ciphertexts
        ]
        for batch in bad {
            #expect(throws: ThresholdError.invalidShareProof(party: batch.party)) { try batch.verify(for: ciphertexts, key: key, session: session) }
        }
        // Invalid batches are skipped; three good ones still decrypt, two do not.
        let expected = (1...5).map { BigInteger($0) }
        #expect(try key.combine([bad[0], good[1], good[2], good[3]], for: ciphertexts, session: session) == expected)
        #expect(throws: ThresholdError.notEnoughShares(needed: 3, valid: [2, 3])) {
            try key.combine([bad[0], good[1], good[2]], for: ciphertexts, session: session)
        }
        #expect(throws: ThresholdError.duplicateShare(party: 2)) { try key.combine([good[1], good[1], good[2]], for: ciphertexts, session: session) }
        #expect(throws: ThresholdError.invalidShareProof(party: 1)) { try honest.verify(for: [], key: key, session: session) }
    }

    @Test func simultaneousExponentiationMatchesSeparateOnes() {
        let modulus = key.nSquared
        for count in [0, 1, 2, 9, 33, 70] {  // up to 32 bases by Straus's method, more by buckets
            let bases = (0..<count).map { _ in BigInteger.random(below: modulus) }
            let exponents = (0..<count).map { index in BigInteger.random(bits: [1, 5, 128, 300][index % 4]) }
            let separate = zip(bases, exponents).reduce(BigInteger(1)) { $0.multiplied(by: $1.0.power($1.1, modulo: modulus), modulo: modulus) }
            #expect(BigInteger.product(of: bases, raisedTo: exponents, modulo: modulus) == separate, "\(count) bases")
        }
        #expect(BigInteger.product(of: [7, 3], raisedTo: [0, 0], modulo: 11) == 1)
        #expect(BigInteger.product(of: [7, 3], raisedTo: [2, 1], modulo: 11) == BigInteger(4))  // 7² · 3 = 147 ≡ 4
    }
}
