import BigNum
import Crypto
import Foundation
import KeyGeneration
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
        var pending: [(from: Int, KeyGenerationMessage)] = []
        for i in parties.indices { pending += parties[i].start().map { (i + 1, tamper(i + 1, $0)) } }
        while !pending.isEmpty {
            var next: [(from: Int, KeyGenerationMessage)] = []
            for (from, message) in pending {
                for i in parties.indices where i + 1 != from && (message.recipient == nil || message.recipient == i + 1) {
                    next += try parties[i].receive(message, from: from).map { (i + 1, tamper(i + 1, $0)) }
                }
            }
            pending = next
        }
        return try parties.map { party in try #require(party.result) }
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
