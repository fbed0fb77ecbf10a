import BigNum
import Crypto
import Foundation
import Paillier
import Summa
import TestSupport
import Testing

@testable import Threshold

let session = Data("session-1".utf8)

/// All subsets of `items` with `size` elements.
func subsets<T>(_ items: [T], size: Int) -> [[T]] {
    guard size > 0 else { return [[]] }
    guard items.count >= size else { return [] }
    let first = items[0], rest = Array(items.dropFirst())
    return subsets(rest, size: size - 1).map { [first] + $0 } + subsets(rest, size: size)
}

@Suite("Threshold Paillier: dealing, shares, proofs, combination")
struct ThresholdTests {
    let deal = Fixtures.deal
    var key: ThresholdPublicKey { deal.publicKey }

    func shares(of ciphertext: PaillierCiphertext, from parties: [Int], session: Data = session) -> [DecryptionShare] {
        parties.map { deal.shares[$0 - 1].decryptionShare(of: ciphertext, session: session) }
    }

    @Test func everySubsetOfThresholdSizeDecryptsToTheSameValue() throws {
        let m = BigInteger.random(below: key.n)
        let c = key.paillierKey.encrypt(m)
        let all = shares(of: c, from: [1, 2, 3, 4, 5])
        let groups = subsets(Array(1...5), size: 3)
        #expect(groups.count == 10)
        for group in groups {
            // Lagrange coefficients with the right indices, whichever shares are missing and in any order.
            let chosen = group.reversed().map { all[$0 - 1] }
            #expect(try key.combine(chosen, for: c, session: session) == m, "parties \(group)")
        }
        #expect(try key.combine(all, for: c, session: session) == m)
    }

    @Test func sharesVerifiedBeforehandCombineWithoutVerifyingAgain() throws {
        let c = key.paillierKey.encrypt(777)
        let verified = shares(of: c, from: [5, 2, 4])
        #expect(try key.combine(verified: verified) == 777)
        #expect(throws: ThresholdError.notEnoughShares(needed: 3, valid: [5, 2])) { try key.combine(verified: Array(verified.prefix(2))) }
        #expect(throws: ThresholdError.duplicateShare(party: 2)) { try key.combine(verified: [verified[1], verified[0], verified[1]]) }
    }

    @Test func fewerThanThresholdSharesFailClearly() {
        let c = key.paillierKey.encrypt(42)
        #expect(throws: ThresholdError.notEnoughShares(needed: 3, valid: [2, 4])) {
            try key.combine(shares(of: c, from: [2, 4]), for: c, session: session)
        }
        #expect(ThresholdError.notEnoughShares(needed: 3, valid: [2, 4]).description.contains("parties 2, 4"))
    }

    @Test func badSharesFailVerificationAndAreSkipped() throws {
        let c = key.paillierKey.encrypt(1234)
        let other = key.paillierKey.encrypt(1234)
        let good = shares(of: c, from: [1, 2, 3, 4])
        let tampered = DecryptionShare(
            party: 5, value: good[0].value, challenge: good[0].challenge, response: good[0].response)
        let forOther = deal.shares[4].decryptionShare(of: other, session: session)
        let replayed = deal.shares[4].decryptionShare(of: c, session: Data("session-0".utf8))
        let wrongIndex = DecryptionShare(party: 4, value: good[2].value, challenge: good[2].challenge, response: good[2].response)
        let alteredValue = DecryptionShare(
            party: 1, value: good[0].value.multiplied(by: 4, modulo: key.nSquared), challenge: good[0].challenge,
            response: good[0].response)
        let alteredResponse = DecryptionShare(party: 1, value: good[0].value, challenge: good[0].challenge, response: good[0].response + 1)
        for bad in [tampered, forOther, replayed, wrongIndex, alteredValue, alteredResponse] {
            #expect(throws: ThresholdError.invalidShareProof(party: bad.party)) { try bad.verify(for: c, key: key, session: session) }
        }
        // A share under another key (another deal with the same parameters).
        let otherDeal = try ThresholdDealer.deal(
            p: try Fixtures.safePrimes(bits: 512).p, q: try Fixtures.safePrimes(bits: 512).q, parties: 5, threshold: 3)
        let foreign = otherDeal.shares[4].decryptionShare(of: c, session: session)
        #expect(throws: ThresholdError.invalidShareProof(party: 5)) { try foreign.verify(for: c, key: key, session: session) }
        // Invalid shares are skipped: three good ones still decrypt; two good ones do not, naming who verified.
        #expect(try key.combine([alteredValue, good[1], good[2], foreign, good[3]], for: c, session: session) == 1234)
        #expect(throws: ThresholdError.notEnoughShares(needed: 3, valid: [2, 3])) {
            try key.combine([alteredValue, good[1], good[2], foreign], for: c, session: session)
        }
        #expect(throws: ThresholdError.duplicateShare(party: 2)) { try key.combine([good[1], good[1], good[2]], for: c, session: session) }
        #expect(throws: ThresholdError.unknownParty(9)) {
            try DecryptionShare(party: 9, value: 2, challenge: 1, response: 1).verify(for: c, key: key, session: session)
        }
    }

    @Test func honestProofsAlwaysVerify() throws {
        for _ in 0..<15 {
            let c = key.paillierKey.encrypt(BigInteger.random(below: key.n))
            let party = Int.random(in: 1...5)
            let sessionID = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
            let share = deal.shares[party - 1].decryptionShare(of: c, session: sessionID)
            try share.verify(for: c, key: key, session: sessionID)
        }
    }

    @Test func sharesAreCheckedAgainstTheirVerificationKeysOnLoad() throws {
        let share = deal.shares[1]
        let loaded = try KeyShare(publicKey: key, index: 2, secret: share.secretShare, signingKey: share.signingKeyBytes)
        #expect(loaded.index == 2)
        #expect(throws: ThresholdError.shareDoesNotMatchKey(party: 3)) {
            try KeyShare(publicKey: key, index: 3, secret: share.secretShare, signingKey: share.signingKeyBytes)
        }
        #expect(throws: ThresholdError.shareDoesNotMatchKey(party: 2)) {
            try KeyShare(publicKey: key, index: 2, secret: share.secretShare + 1, signingKey: share.signingKeyBytes)
        }
        #expect(throws: ThresholdError.shareDoesNotMatchKey(party: 2)) {
            try KeyShare(publicKey: key, index: 2, secret: share.secretShare, signingKey: deal.shares[0].signingKeyBytes)
        }
        #expect(throws: ThresholdError.unknownParty(6)) {
            try KeyShare(publicKey: key, index: 6, secret: share.secretShare, signingKey: share.signingKeyBytes)
        }
    }

    @Test func thePublicKeyHoldsNoFactorNorM() throws {
        let (p, q) = try Fixtures.safePrimes(bits: 512)
        let m = (p - 1).shiftedRight(1) * (q - 1).shiftedRight(1)
        var dumped = ""
        dump(key, to: &dumped)
        for secret in [p, q, m, m * 2] { #expect(!dumped.contains(secret.description)) }
        var shareDump = ""
        dump(deal.shares[0], to: &shareDump)
        #expect(!shareDump.contains(deal.shares[0].secretShare.description))
        #expect(!deal.shares[0].description.contains(deal.shares[0].secretShare.description))
    }

    /// Dealt to identities the parties made themselves: the key names them, no share carries a signing key, and a share
    /// joins only its own party's key.
    @Test func aDealToOwnIdentitiesHoldsNoSigningKey() throws {
        let (p, q) = try Fixtures.safePrimes(bits: 512)
        let keys = (0..<3).map { _ in Curve25519.Signing.PrivateKey() }
        let coordinator = Curve25519.Signing.PrivateKey()
        let (publicKey, shares) = try ThresholdDealer.deal(
            p: p, q: q, threshold: 2, identities: (keys.map(\.publicKey.rawRepresentation), coordinator.publicKey.rawRepresentation))
        #expect(publicKey.signingKeys == keys.map(\.publicKey.rawRepresentation))
        #expect(publicKey.coordinatorKey == coordinator.publicKey.rawRepresentation)
        #expect(!shares[0].description.contains(shares[0].secretShare.description))
        let joined = try KeyShare(dealt: shares[1], signingKey: keys[1].rawRepresentation)
        #expect(joined.index == 2)
        #expect(throws: ThresholdError.shareDoesNotMatchKey(party: 2)) {
            try KeyShare(dealt: shares[1], signingKey: keys[0].rawRepresentation)
        }
        #expect(throws: ThresholdError.coordinatorKeyDoesNotMatch) {
            try CoordinatorKey(publicKey: publicKey, signingKey: keys[0].rawRepresentation)
        }
    }

    @Test func dealingRefusesBadParameters() throws {
        let (p, q) = try Fixtures.safePrimes(bits: 512)
        #expect(throws: ThresholdError.invalidParameters(parties: 3, threshold: 4)) {
            try ThresholdDealer.deal(p: p, q: q, parties: 3, threshold: 4)
        }
        #expect(throws: ThresholdError.invalidParameters(parties: 0, threshold: 0)) {
            try ThresholdDealer.deal(p: p, q: q, parties: 0, threshold: 0)
        }
        #expect(throws: ThresholdError.invalidSafePrime) { try ThresholdDealer.deal(p: p, q: p, parties: 3, threshold: 2) }
        // A prime p ≡ 1 (mod 4) is never safe ((p − 1)/2 is even); a random prime alone is safe about 1.5% of the time,
        // which once made this test fail.
        var unsafe = BigInteger.randomPrime(bits: 256)
        while unsafe.modulo(4) != 1 { unsafe = BigInteger.randomPrime(bits: 256) }
        #expect(throws: ThresholdError.invalidSafePrime) {
            try ThresholdDealer.deal(p: unsafe, q: q, parties: 3, threshold: 2)
        }
    }

    @Test func aThresholdOfOneIsDealtAndLoadedOnlyWithTheInsecureOption() throws {
        let (p, q) = try Fixtures.safePrimes(bits: 512)
        for (parties, threshold) in [(1, 1), (3, 1), (64, 1)] {
            #expect(throws: ThresholdError.thresholdTooLow(parties: parties, threshold: threshold)) {
                try ThresholdDealer.deal(p: p, q: q, parties: parties, threshold: threshold)
            }
        }
        // Refused before the safe-prime search (which would take seconds at this size).
        #expect(throws: ThresholdError.thresholdTooLow(parties: 5, threshold: 1)) {
            try ThresholdDealer.deal(bits: 4096, parties: 5, threshold: 1)
        }
        #expect(ThresholdError.thresholdTooLow(parties: 3, threshold: 1).description.contains("any one party decrypt every input"))
        // A 1-of-3 key from outside: refused unless the same option is given.
        let (insecure, _, _) = try Fixtures.deal(bits: 512, parties: 3, threshold: 1, allowInsecureThreshold: true)
        func reload(allowInsecureThreshold: Bool) throws(ThresholdError) -> ThresholdPublicKey {
            try ThresholdPublicKey(
                paillierKey: insecure.paillierKey, partyCount: 3, threshold: 1, v: insecure.v,
                verificationKeys: insecure.verificationKeys, signingKeys: insecure.signingKeys,
                coordinatorKey: insecure.coordinatorKey, allowInsecureThreshold: allowInsecureThreshold)
        }
        #expect(throws: ThresholdError.thresholdTooLow(parties: 3, threshold: 1)) { try reload(allowInsecureThreshold: false) }
        #expect(try reload(allowInsecureThreshold: true) == insecure)
    }

    /// The key with some fields replaced; the others as in the fixture deal.
    func key(
        partyCount: Int? = nil, threshold: Int? = nil, v: BigInteger? = nil, verificationKeys: [BigInteger]? = nil,
        signingKeys: [Data]? = nil, coordinatorKey: Data? = nil
    ) throws(ThresholdError) -> ThresholdPublicKey {
        try ThresholdPublicKey(
            paillierKey: key.paillierKey, partyCount: partyCount ?? key.partyCount, threshold: threshold ?? key.threshold,
            v: v ?? key.v, verificationKeys: verificationKeys ?? key.verificationKeys, signingKeys: signingKeys ?? key.signingKeys,
            coordinatorKey: coordinatorKey ?? key.coordinatorKey)
    }

    @Test func everyPublicFieldIsValidatedOnLoad() throws {
        let nSquared = key.nSquared, n = key.n
        var vs = key.verificationKeys
        #expect(throws: ThresholdError.verificationKeyCount(expected: 5, actual: 4)) { try self.key(verificationKeys: Array(vs.prefix(4))) }
        #expect(throws: ThresholdError.verificationKeyCount(expected: 5, actual: 6)) { try self.key(verificationKeys: vs + [vs[0]]) }
        #expect(throws: ThresholdError.verificationKeyCount(expected: 4, actual: 5)) { try self.key(partyCount: 4) }
        #expect(throws: ThresholdError.signingKeyCount(expected: 5, actual: 4)) { try self.key(signingKeys: Array(key.signingKeys.prefix(4))) }
        var roster = key.signingKeys
        roster[3] = roster[1]
        #expect(throws: ThresholdError.duplicateSigningKey(party: 4, sameAs: 2)) { try self.key(signingKeys: roster) }
        roster[3] = Data(repeating: 7, count: 31)
        #expect(throws: ThresholdError.invalidSigningKey(party: 4)) { try self.key(signingKeys: roster) }
        #expect(throws: ThresholdError.invalidCoordinatorKey) { try self.key(coordinatorKey: Data(repeating: 7, count: 33)) }
        #expect(throws: ThresholdError.coordinatorKeyIsAPartyKey(party: 2)) { try self.key(coordinatorKey: key.signingKeys[1]) }
        for (value, error) in [
            (BigInteger(1), ThresholdError.degenerateElement("v")), (nSquared - 1, .degenerateElement("v")),
            (n + 1, .degenerateElement("v")), (BigInteger(0), .outOfRange("v")), (nSquared, .outOfRange("v")),
            (n * 3, .outOfRange("v")),
        ] {
            #expect(throws: error, "v = \(value)") { try self.key(v: value) }
        }
        for (value, error) in [
            (BigInteger(1), ThresholdError.degenerateElement("verification key 3")),
            (nSquared - 1, .degenerateElement("verification key 3")), (n, .outOfRange("verification key 3")),
            (nSquared, .outOfRange("verification key 3")),
        ] {
            vs[2] = value
            #expect(throws: error) { try self.key(verificationKeys: vs) }
        }
        #expect(throws: ThresholdError.invalidParameters(parties: 5, threshold: 6)) { try self.key(threshold: 6) }
        #expect(try self.key() == key)
    }

    /// The fingerprint commits to n, ℓ, t, v, every vᵢ, every roster key and the coordinator's key: changing any one
    /// changes it. The
    /// fixture's was computed with Python's hashlib (Tests/TestSupport/Fixtures/fingerprints.py).
    @Test func theFingerprintCoversEveryPublicField() throws {
        #expect(key.fingerprint == "sha256:ce506ecf1af5f1ff40390f86c6125f5240e5cc8db904a651f35f1b0307138ddb")
        #expect(key.fingerprint != key.paillierKey.fingerprint)
        let nSquared = key.nSquared
        var vs = key.verificationKeys
        vs[0] = vs[0].multiplied(by: key.v, modulo: nSquared)
        var swapped = key.verificationKeys
        swapped.swapAt(1, 2)
        var roster = key.signingKeys
        roster[4] = Fixtures.otherDeal.publicKey.signingKeys[4]  // another valid Ed25519 key
        let variants = [
            try self.key(threshold: 2), try self.key(threshold: 5),
            try self.key(v: key.v.multiplied(by: key.v, modulo: nSquared)),
            try self.key(verificationKeys: vs), try self.key(verificationKeys: swapped), try self.key(signingKeys: roster),
            try self.key(coordinatorKey: Fixtures.otherDeal.publicKey.coordinatorKey),
            try self.key(partyCount: 4, verificationKeys: Array(key.verificationKeys.prefix(4)), signingKeys: Array(key.signingKeys.prefix(4))),
            Fixtures.otherDeal.publicKey,
        ]
        let fingerprints = Set(variants.map(\.fingerprint) + [key.fingerprint])
        #expect(fingerprints.count == variants.count + 1)
        // A fast-encryption base on the Paillier key is not part of a threshold key.
        let fast = try PaillierPublicKey(
            validatingModulus: key.n, fastEncryptionBase: key.v.power(key.n, modulo: nSquared), allowInsecureKeySize: true)
        let withFast = try ThresholdPublicKey(
            paillierKey: fast, partyCount: 5, threshold: 3, v: key.v, verificationKeys: key.verificationKeys, signingKeys: key.signingKeys,
            coordinatorKey: key.coordinatorKey)
        #expect(!withFast.paillierKey.hasFastEncryption && withFast.fingerprint == key.fingerprint)
    }

    @Test func oneOfOneAndAllOfThemWork() throws {
        for (parties, threshold) in [(1, 1), (3, 3), (4, 1)] {
            let (publicKey, keyShares, _) = try Fixtures.deal(
                bits: 512, parties: parties, threshold: threshold, allowInsecureThreshold: threshold == 1)
            let c = publicKey.paillierKey.encrypt(99)
            let decryption = keyShares.prefix(threshold).map { $0.decryptionShare(of: c, session: session) }
            #expect(try publicKey.combine(Array(decryption), for: c, session: session) == 99)
        }
    }
}

@Suite("Proofs of plaintext knowledge")
struct PlaintextKnowledgeTests {
    let key = Fixtures.deal.publicKey.paillierKey

    @Test func honestProofsVerify() throws {
        for _ in 0..<10 {
            let (c, proof) = PlaintextKnowledgeProof.encrypt(BigInteger.random(below: key.n), key: key, sender: 3, session: session)
            try proof.verify(c, key: key, sender: 3, session: session)
        }
    }

    @Test func proofsAreBoundToSenderSessionAndCiphertext() throws {
        let (c, proof) = PlaintextKnowledgeProof.encrypt(500, key: key, sender: 2, session: session)
        #expect(throws: ThresholdError.invalidPlaintextProof(party: 3)) { try proof.verify(c, key: key, sender: 3, session: session) }
        #expect(throws: ThresholdError.invalidPlaintextProof(party: 2)) {
            try proof.verify(c, key: key, sender: 2, session: Data("other".utf8))
        }
        // Scaling or re-randomizing someone else's input breaks the proof.
        let scaled = key.multiply(c, by: 2)
        #expect(throws: ThresholdError.invalidPlaintextProof(party: 2)) { try proof.verify(scaled, key: key, sender: 2, session: session) }
        #expect(throws: ThresholdError.invalidPlaintextProof(party: 2)) {
            try proof.verify(key.rerandomize(c), key: key, sender: 2, session: session)
        }
        let forged = PlaintextKnowledgeProof(commitment: proof.commitment, z: (proof.z + 1).modulo(key.n), w: proof.w)
        #expect(throws: ThresholdError.invalidPlaintextProof(party: 2)) { try forged.verify(c, key: key, sender: 2, session: session) }
        let outOfRange = PlaintextKnowledgeProof(commitment: proof.commitment, z: key.n, w: proof.w)
        #expect(throws: ThresholdError.invalidPlaintextProof(party: 2)) { try outOfRange.verify(c, key: key, sender: 2, session: session) }
    }

    @Test func aBatchVerifiesExactlyWhenEveryProofDoes() throws {
        let items = (0..<12).map { index in
            let (c, proof) = PlaintextKnowledgeProof.encrypt(BigInteger(index * 1000), key: key, sender: 4, session: session)
            return (ciphertext: c, proof: proof)
        }
        try PlaintextKnowledgeProof.verify(batch: items, key: key, sender: 4, session: session)
        try PlaintextKnowledgeProof.verify(batch: Array(items.prefix(1)), key: key, sender: 4, session: session)
        let refused = ThresholdError.invalidPlaintextProof(party: 4)
        // A wrong z at any position.
        for position in [0, 5, 11] {
            var bad = items
            let proof = bad[position].proof
            bad[position].proof = PlaintextKnowledgeProof(commitment: proof.commitment, z: (proof.z + 1).modulo(key.n), w: proof.w)
            #expect(throws: refused) { try PlaintextKnowledgeProof.verify(batch: bad, key: key, sender: 4, session: session) }
        }
        // A w multiplied by −1 fails alone; in a batch it passes when its coefficient is even, which is sound: −1 is
        // an n-th power (n is odd), so the sender knows a valid proof all the same (−w for w).
        var negated = items
        negated[3].proof = PlaintextKnowledgeProof(
            commitment: items[3].proof.commitment, z: items[3].proof.z, w: key.nSquared - items[3].proof.w)
        #expect(throws: refused) { try negated[3].proof.verify(negated[3].ciphertext, key: key, sender: 4, session: session) }
        let minusOne = key.nSquared - 1
        #expect(minusOne.power(key.n, modulo: key.nSquared) == minusOne)
        // Two proofs swapped, a ciphertext scaled, another sender's or session's batch.
        var swapped = items
        (swapped[1].proof, swapped[2].proof) = (items[2].proof, items[1].proof)
        #expect(throws: refused) { try PlaintextKnowledgeProof.verify(batch: swapped, key: key, sender: 4, session: session) }
        var scaled = items
        scaled[7].ciphertext = key.multiply(items[7].ciphertext, by: 2)
        #expect(throws: refused) { try PlaintextKnowledgeProof.verify(batch: scaled, key: key, sender: 4, session: session) }
        #expect(throws: ThresholdError.invalidPlaintextProof(party: 5)) {
            try PlaintextKnowledgeProof.verify(batch: items, key: key, sender: 5, session: session)
        }
        #expect(throws: refused) { try PlaintextKnowledgeProof.verify(batch: items, key: key, sender: 4, session: Data("other".utf8)) }
    }
}

@Suite("Threshold decryption of Summa's encrypted numbers")
struct ThresholdSummaTests {
    @Test func scaleSignAndOverflowSurviveThresholdDecryption() throws {
        let (publicKey, keyShares, _) = Fixtures.deal
        let paillier = publicKey.paillierKey
        let values = ["-1234.56", "0.5", "100"].map { try! FixedPoint(parsing: $0) }
        let total = try EncryptedNumber.sum(try values.map { try paillier.encrypt($0) }, publicKey: paillier)
        func thresholdDecrypt(_ number: EncryptedNumber) throws -> FixedPoint {
            let decryption = [5, 1, 3].map { keyShares[$0 - 1].decryptionShare(of: number.ciphertext, session: session) }
            return try number.value(ofDecryptedResidue: try publicKey.combine(decryption, for: number.ciphertext, session: session))
        }
        #expect(try thresholdDecrypt(total).description == "-1134.06")
        let unbounded = EncryptedNumber(
            publicKey: paillier, ciphertext: paillier.encrypt(paillier.maximumPlaintextMagnitude + 1), scale: 0, bound: nil)
        #expect(throws: SummaError.overflow) { try thresholdDecrypt(unbounded) }
    }

    @Test func a2048BitDealFromFixturePrimes() throws {
        let (publicKey, keyShares, _) = try Fixtures.deal(bits: 2048, parties: 5, threshold: 3)
        let c = publicKey.paillierKey.encrypt(7)
        let decryption = keyShares.prefix(3).map { $0.decryptionShare(of: c, session: session) }
        #expect(try publicKey.combine(Array(decryption), for: c, session: session) == 7)
    }
}

@Suite("Threshold with precomputed tables")
struct PrecomputedTableTests {
    @Test func proofsMadeAndCheckedThroughTablesAgreeWithPlainOnes() throws {
        let deal = Fixtures.deal
        let plainKey = deal.publicKey
        let c = plainKey.paillierKey.encrypt(31)
        let before = deal.shares.map { $0.decryptionShare(of: c, session: session) }
        plainKey.precomputeTables()  // shared by every copy of the key, the shares' included
        #expect(plainKey.tables.v.withLock { $0 != nil })
        let after = deal.shares.map { $0.decryptionShare(of: c, session: session) }
        for share in before + after { try share.verify(for: c, key: plainKey, session: session) }
        #expect(try plainKey.combine(Array(after.prefix(3)), for: c, session: session) == 31)
        let forged = DecryptionShare(party: 1, value: after[0].value, challenge: after[0].challenge, response: after[0].response + 1)
        #expect(throws: ThresholdError.invalidShareProof(party: 1)) { try forged.verify(for: c, key: plainKey, session: session) }
    }
}
