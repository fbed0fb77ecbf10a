import BigNum
import Crypto
import Foundation
@testable import KeyGeneration
import Paillier
import Testing
import Threshold

/// ℓ key-generation parties driven against each other in memory: every message goes to its recipient, or to
/// everyone, in rounds, until each has a result.
struct InMemoryKeyGeneration {
    var parties: [KeyGenerationParty]
    let identities: [Curve25519.Signing.PrivateKey]
    let coordinator = Curve25519.Signing.PrivateKey()
    /// Rewrites a message as it leaves its sender (a lying party), or keeps it.
    var tamper: @Sendable (Int, KeyGenerationMessage) -> KeyGenerationMessage = { $1 }

    init(bits: Int = 512, parties count: Int = 3, threshold: Int = 2, batchSize: Int? = nil) throws {
        let parameters = try KeyGenerationParameters(bits: bits, parties: count, threshold: threshold, batchSize: batchSize)
        identities = (0..<count).map { _ in Curve25519.Signing.PrivateKey() }
        let session = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        let keys = identities.map(\.publicKey.rawRepresentation)
        let coordinatorKey = coordinator.publicKey.rawRepresentation
        parties = identities.enumerated().map { i, identity in
            KeyGenerationParty(
                parameters: parameters, index: i + 1, session: session, signingKeys: keys, coordinatorKey: coordinatorKey,
                signingKey: identity.rawRepresentation, allowInsecureKeySize: true)
        }
    }

    /// Runs to the end; throws the first party's error.
    mutating func run() throws -> [KeyGenerationResult] {
        try KeyGenerationParty.runTogether(&parties, passing: tamper)
    }
}

@Suite struct KeyGenerationPartyTests {
    @Test func threePartiesMakeAKeyThatDecrypts() throws {
        var run = try InMemoryKeyGeneration()
        let results = try run.run()
        let key = results[0].publicKey
        #expect(key.n.bitWidth == 512)
        #expect(results.allSatisfy { $0.publicKey == key })
        #expect(results.map(\.share.index) == [1, 2, 3])
        // Any two parties decrypt a fresh encryption.
        let plaintext = BigInteger(123_456_789)
        let ciphertext = key.paillierKey.encrypt(plaintext)
        let session = Data(repeating: 7, count: 32)
        for pair in [[0, 1], [0, 2], [1, 2]] {
            let shares = pair.map { results[$0].share.decryptionShare(of: ciphertext, session: session) }
            #expect(try key.combine(shares, for: ciphertext, session: session) == plaintext)
        }
    }
}

extension KeyGenerationPartyTests {
    /// t = 3 and t = 4 need degree reductions between the sieve's product levels (3 units: one level; 4: two).
    @Test(arguments: [(5, 3), (7, 4)])
    func largerRostersReduceDegreesAndAgree(parties: Int, threshold: Int) throws {
        var run = try InMemoryKeyGeneration(parties: parties, threshold: threshold)
        let results = try run.run()
        let key = results[0].publicKey
        #expect(results.allSatisfy { $0.publicKey == key })
        let plaintext = BigInteger(42)
        let ciphertext = key.paillierKey.encrypt(plaintext)
        let session = Data(repeating: 1, count: 32)
        let shares = results.suffix(threshold).map { $0.share.decryptionShare(of: ciphertext, session: session) }
        #expect(try key.combine(shares, for: ciphertext, session: session) == plaintext)
    }
}

extension KeyGenerationPartyTests {
    /// Party 2's public values of `phase` (step mod 32) rewritten by `change`.
    static func lie(phase: Int, _ change: @escaping @Sendable ([BigInteger]) -> [BigInteger]) -> @Sendable (Int, KeyGenerationMessage) -> KeyGenerationMessage {
        { sender, message in
            guard sender == 2, message.recipient == nil, message.step % 32 == phase else { return message }
            return KeyGenerationMessage(step: message.step, recipient: nil, values: change(message.values))
        }
    }

    /// With ℓ = 4 > 2t − 1 every opened value has a point to spare: a wrong opening of one modulus is seen.
    @Test func inconsistentSharesAbortTheRun() throws {
        var run = try InMemoryKeyGeneration(parties: 4, threshold: 2)
        run.tamper = Self.lie(phase: 10) { values in [values[0] + 1] + values.dropFirst() }
        #expect { try run.run() } throws: { error in
            if case KeyGenerationError.inconsistentShares = error { return true }
            return false
        }
    }

    /// With ℓ = 2t − 1 a wrong opening of Γ cannot be seen where it happens: the liar and the others then hold
    /// shares of different keys, whose verification keys do not lie on one polynomial, and no key is written.
    @Test func aWrongOpeningOfGammaIsCaughtBeforeAnyKeyIsWritten() throws {
        var run = try InMemoryKeyGeneration()
        run.tamper = Self.lie(phase: 14) { values in [values[0] + 1] }
        #expect(throws: KeyGenerationError.inconsistentVerificationKeys) { try run.run() }
        #expect(run.parties.allSatisfy { $0.result == nil })
    }

    /// A verification key off the others' polynomial is refused (ℓ = 3 > t = 2).
    @Test func aVerificationKeyOffThePolynomialIsRefused() throws {
        var run = try InMemoryKeyGeneration()
        run.tamper = Self.lie(phase: 15) { values in [values[0] - 1] }
        #expect(throws: KeyGenerationError.inconsistentVerificationKeys) { try run.run() }
    }

    /// A message with a wrong count, a value out of range, or one for a step long past or too far ahead.
    @Test func malformedMessagesNameTheirSender() throws {
        var counts = try InMemoryKeyGeneration()
        counts.tamper = Self.lie(phase: 8) { Array($0.dropLast()) }
        #expect { try counts.run() } throws: { error in
            if case KeyGenerationError.malformedMessage(party: 2, _, let reason) = error { return reason.contains("values, not") }
            return false
        }
        var range = try InMemoryKeyGeneration()
        range.tamper = Self.lie(phase: 10) { values in [BigInteger(-1)] + values.dropFirst() }
        #expect { try range.run() } throws: { error in
            if case KeyGenerationError.malformedMessage(party: 2, _, let reason) = error { return reason.contains("out of range") }
            return false
        }
        var party = try #require(try InMemoryKeyGeneration().parties.first)
        _ = party.start()
        for step in [0, 31, 32 + 64, Int.max] {
            #expect(throws: KeyGenerationError.self) { try party.receive(KeyGenerationMessage(step: step, recipient: nil, values: []), from: 2) }
        }
        #expect(throws: KeyGenerationError.self) { try party.receive(KeyGenerationMessage(step: 32, recipient: 3, values: []), from: 2) }
        #expect(throws: KeyGenerationError.self) { try party.receive(KeyGenerationMessage(step: 32, recipient: 1, values: []), from: 1) }
        #expect(throws: KeyGenerationError.self) { try party.receive(KeyGenerationMessage(step: 32, recipient: 1, values: []), from: 4) }
    }

    @Test func parametersOutsideWhatTheProtocolSupportsAreRefused() {
        for (bits, parties, threshold) in [(511, 3, 2), (128, 3, 2), (2048, 2, 2), (2048, 4, 3), (2048, 3, 1), (2048, 65, 2)] {
            #expect(throws: KeyGenerationError.self) { try KeyGenerationParameters(bits: bits, parties: parties, threshold: threshold) }
        }
        #expect(throws: KeyGenerationError.self) { try KeyGenerationParameters(bits: 2048, parties: 3, threshold: 2, batchSize: 0) }
    }

    /// Every candidate lies in [1.5·2^(h−1), 2^h), so that n has exactly `bits` bits, and the sieve modulus and
    /// field are as docs/design.md derives them.
    @Test func parametersKeepCandidatesInRange() throws {
        for (bits, parties, threshold) in [(512, 3, 2), (2048, 3, 2), (2048, 5, 3), (2048, 10, 5)] {
            let parameters = try KeyGenerationParameters(bits: bits, parties: parties, threshold: threshold)
            let half = bits / 2
            let m = parameters.sieveModulus
            #expect(parameters.offset >= BigInteger(3).shiftedLeft(half - 2) && parameters.offset.isDivisible(by: m))
            let largest = parameters.offset + BigInteger(parties) * m * (parameters.highBound + 1)
            #expect(largest < BigInteger(1).shiftedLeft(half))
            #expect(parameters.fieldPrime > BigInteger(1).shiftedLeft(bits + 2) && parameters.fieldPrime.isProbablePrime())
            #expect(m.power(threshold).shiftedLeft(KeyGenerationParameters.statisticalSecurity + 8) * BigInteger(parties) < parameters.fieldPrime)
            #expect(m.isDivisible(by: 4) && parameters.sievePrimes.first == 3)
        }
    }
}

extension KeyGenerationPartyTests {
    /// A dealer whose shares for one party are not the ones its published check was made from (here: one value
    /// changed, its digest made to match) is named by that party, whatever the step.
    @Test(arguments: [0, 9, 13])
    func aDealerOfSharesOffItsCheckIsNamed(phase: Int) throws {
        final class Changed: @unchecked Sendable { var digest: BigInteger? }
        let changed = Changed()
        var run = try InMemoryKeyGeneration()
        let prime = run.parties[0].parameters.fieldPrime
        run.tamper = { sender, message in
            guard sender == 2, message.step >= 32, message.step % 32 == phase || message.step % 32 == phase + 17 else { return message }
            if message.recipient == 3, changed.digest == nil {
                var values = message.values
                values[0] = phase == 13 ? values[0] + 1 : (values[0] + 1).modulo(prime)
                changed.digest = PublicCoin.digest(values)
                return KeyGenerationMessage(step: message.step, recipient: 3, values: values)
            }
            if message.recipient == nil, message.step % 32 == phase + 17, let digest = changed.digest {
                var check = message.values
                check[1] = digest  // the digests are in recipient order: party 1, then party 3
                return KeyGenerationMessage(step: message.step, recipient: nil, values: check)
            }
            return message
        }
        #expect { try run.run() } throws: { error in
            if case KeyGenerationError.inconsistentDealing(party: 2, let step) = error { return step % 32 == phase }
            return false
        }
    }

    /// The check holds for an honest dealing at every recipient, and fails for a changed share, a changed digest, a
    /// check of another length, another step or recipient, and a zero sharing whose constant is not zero.
    @Test func theDealingCheckSeparatesHonestDealingsFromOthers() throws {
        var run = try InMemoryKeyGeneration()
        let parameters = run.parties[0].parameters
        let session = run.parties[0].session
        let messages = run.parties[1].start()
        let check = try #require(messages.first { $0.recipient == nil })
        let step = check.step - KeyGenerationParty.checkOffset
        for recipient in [1, 3] {
            let values = try #require(messages.first { $0.recipient == recipient }).values
            try KeyGenerationParty.checkDealing(values, check: check.values, step: step, dealer: 2, recipient: recipient, parameters: parameters, session: session)
            var changed = values
            changed[changed.count - 1] = (changed[changed.count - 1] + 1).modulo(parameters.fieldPrime)
            var otherPoint = check.values
            otherPoint[otherPoint.count - 1] = (otherPoint[otherPoint.count - 1] + 1).modulo(parameters.fieldPrime)
            for (shares, published, atStep, to) in [
                (changed, check.values, step, recipient), (values, otherPoint, step, recipient), (values, Array(check.values.dropLast()), step, recipient),
                (values, check.values, step + 32, recipient), (values, check.values, step, 4 - recipient), (values, check.values, step, 2),
            ] {
                #expect(throws: KeyGenerationError.inconsistentDealing(party: 2, step: atStep)) {
                    try KeyGenerationParty.checkDealing(shares, check: published, step: atStep, dealer: 2, recipient: to, parameters: parameters, session: session)
                }
            }
        }
        _ = run
    }
}
