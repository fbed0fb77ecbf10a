import BigNum
import Foundation
import Paillier
import Summa
import SummaFormats
import TestSupport
import Testing

@testable import Threshold

@Suite("Threshold key files")
struct ThresholdFileTests {
    let deal = Fixtures.deal

    func data(_ json: JSONValue) -> Data { Data(json.serialized.utf8) }

    @Test func publicKeysAndSharesRoundTrip() throws {
        let key = try ThresholdFile.publicKey(from: data(deal.publicKey.json), path: "public.json", allowInsecureKeySize: true)
        #expect(key == deal.publicKey)
        for share in deal.shares {
            let loaded = try ThresholdFile.share(from: data(share.json), path: "party.json", allowInsecureKeySize: true)
            #expect(loaded.index == share.index && loaded.secretShare == share.secretShare)
        }
        // Summa reads the threshold public key whole, and encrypts under its Paillier key.
        let file = try SummaFile.parse(data(deal.publicKey.json), path: "public.json", allowInsecureKeySize: true)
        guard case .thresholdPublicKey(let loaded) = file else { Issue.record("not read as a threshold key"); return }
        #expect(loaded == deal.publicKey)
        #expect(file.publicKey == deal.publicKey.paillierKey)
        // `summa inspect` shows the threshold key's fingerprint, and the one files encrypted under it carry.
        #expect(file.summary == [
            "kind: threshold public key", "threshold: any 3 of the 5 parties decrypt together (t = 3, ℓ = 5)",
            "key: \(deal.publicKey.fingerprint)", "key size: 512 bits",
            "encrypts under: \(deal.publicKey.paillierKey.fingerprint) (the key fingerprint of files encrypted under it)",
        ] + deal.publicKey.signingKeys.enumerated().map { "party \($0 + 1): \(IdentityFingerprint.of($1))" }
            + ["coordinator: \(IdentityFingerprint.of(deal.publicKey.coordinatorKey))"])
        #expect(IdentityFingerprint.of(deal.publicKey.coordinatorKey).count == "ed25519:".count + 32)
        #expect(deal.publicKey.json["fingerprint"] == .string(deal.publicKey.fingerprint))
    }

    @Test func thePublicFileHoldsNoSecret() throws {
        let (p, q) = try Fixtures.safePrimes(bits: 512)
        let m = (p - 1).shiftedRight(1) * (q - 1).shiftedRight(1)
        let text = deal.publicKey.json.serialized
        for secret in [p, q, m] + deal.shares.map(\.secretShare) { #expect(!text.contains(secret.description)) }
    }

    @Test func sharesFromAnotherDealOrAlteredAreRefused() throws {
        let other = try Fixtures.deal(bits: 512, parties: 5, threshold: 3)
        // Party 2's share of the other deal, presented with this deal's public key.
        let mixed = deal.shares[1].json.replacingMember("share", with: .string(other.shares[1].secretShare.description))
        #expect(throws: FormatError.invalidThresholdKey(path: "p.json", field: "share", .shareDoesNotMatchKey(party: 2))) {
            try ThresholdFile.share(from: data(mixed), path: "p.json", allowInsecureKeySize: true)
        }
        let wrongParty = deal.shares[1].json.replacingMember("party", with: .integer(3))
        #expect(throws: FormatError.self) { try ThresholdFile.share(from: data(wrongParty), path: "p.json", allowInsecureKeySize: true) }
        let badParty = deal.shares[1].json.replacingMember("party", with: .integer(6))
        #expect(throws: FormatError.malformedField(path: "p.json", field: "party", reason: "6 is outside 1…5")) {
            try ThresholdFile.share(from: data(badParty), path: "p.json", allowInsecureKeySize: true)
        }
        #expect(throws: FormatError.unrecognizedFile(path: "p.json", reason: "holds \"summa.threshold-public-key\", not summa.threshold-share: a party's key file is its party-i.json, written by `summa deal`")) {
            try ThresholdFile.share(from: data(deal.publicKey.json), path: "p.json", allowInsecureKeySize: true)
        }
    }

    @Test func malformedPublicKeysAreRefused() throws {
        let json = deal.publicKey.json
        let cases: [(String, JSONValue?, String)] = [
            ("fingerprint", .string("sha256:00"), "the key in the file does not match its declared fingerprint"),
            ("v", .string("0"), "field threshold key: v is outside its group"),
            ("verificationKeys", .array([.string("5")]), "field verificationKeys: expected 5 keys, one per party (ℓ = 5), got 1"),
            ("threshold", .integer(1), "field threshold key: insecure threshold scheme: 1 of 5 lets any one party decrypt"),
            ("v", .string("1"), "field threshold key: v is ±1"),
            ("signingKeys", .array([.string("AQ")]), "field signingKeys[0]: not a base64url Ed25519 key"),
            ("threshold", .integer(9), "field threshold key: invalid threshold scheme: 9 of 5"),
            ("n", .string("15"), "field n: invalid public key"),
            ("version", .integer(7), "version 7 is not supported"),
        ]
        for (member, value, message) in cases {
            do {
                _ = try ThresholdFile.publicKey(
                    from: data(json.replacingMember(member, with: value)), path: "k.json", allowInsecureKeySize: true,
                    allowInsecureThreshold: false)
                Issue.record("accepted a bad \(member)")
            } catch {
                #expect(error.description.contains(message), "\(member): \(error)")
            }
        }
    }
}

extension ThresholdFileTests {
    /// Each public field changed, the file's fingerprint left as it was: refused as altered, whether the change
    /// leaves a valid key or not (invalid ones are refused for the field first).
    @Test func alteredPublicKeysAreRefusedAsAltered() throws {
        let key = deal.publicKey
        let json = key.json
        let nSquared = key.nSquared
        func strings(_ values: [BigInteger]) -> JSONValue { .array(values.map { .string($0.description) }) }
        func roster(_ keys: [Data]) -> JSONValue { .array(keys.map { .string(Base64URL.encode(Array($0))) }) }
        var oneVerificationKey = key.verificationKeys
        oneVerificationKey[2] = oneVerificationKey[2].multiplied(by: key.v, modulo: nSquared)
        var oneRosterKey = key.signingKeys
        oneRosterKey[1] = Fixtures.otherDeal.publicKey.signingKeys[1]
        let altered: [(String, JSONValue)] = [
            ("threshold t 3 → 2", json.replacingMember("threshold", with: .integer(2))),
            ("threshold t 3 → 5", json.replacingMember("threshold", with: .integer(5))),
            ("parties ℓ 5 → 4 with four of everything", json.replacingMember("parties", with: .integer(4))
                .replacingMember("verificationKeys", with: strings(Array(key.verificationKeys.prefix(4))))
                .replacingMember("signingKeys", with: roster(Array(key.signingKeys.prefix(4))))),
            ("v", json.replacingMember("v", with: .string(key.v.multiplied(by: key.v, modulo: nSquared).description))),
            ("one verification key", json.replacingMember("verificationKeys", with: strings(oneVerificationKey))),
            ("one roster key", json.replacingMember("signingKeys", with: roster(oneRosterKey))),
            ("another deal's roster", json.replacingMember("signingKeys", with: roster(Fixtures.otherDeal.publicKey.signingKeys))),
        ]
        for (change, document) in altered {
            #expect(throws: FormatError.fingerprintMismatch(path: "k.json"), "\(change)") {
                try ThresholdFile.publicKey(from: data(document), path: "k.json", allowInsecureKeySize: true)
            }
            #expect(throws: FormatError.fingerprintMismatch(path: "k.json"), "\(change) (read as a key to encrypt under)") {
                try SummaFile.parse(data(document), path: "k.json", allowInsecureKeySize: true)
            }
            // In a share file, the embedded key is checked the same way.
            let share = deal.shares[0].json.replacingMember("publicKey", with: document)
            #expect(throws: FormatError.fingerprintMismatch(path: "p.json"), "\(change) (in a share)") {
                try ThresholdFile.share(from: data(share), path: "p.json", allowInsecureKeySize: true)
            }
        }
        // Changes that break a rule are refused for that rule, naming it.
        // A list of the wrong length is named, with the length ℓ asks for.
        let wrongLength: [(JSONValue, String, String)] = [
            (json.replacingMember("verificationKeys", with: strings(Array(key.verificationKeys.prefix(4)))), "verificationKeys",
             "expected 5 keys, one per party (ℓ = 5), got 4"),
            (json.replacingMember("parties", with: .integer(4)), "verificationKeys", "expected 4 keys, one per party (ℓ = 4), got 5"),
            (json.replacingMember("signingKeys", with: roster(Array(key.signingKeys.prefix(4)))), "signingKeys",
             "expected 5 keys, one per party (ℓ = 5), got 4"),
        ]
        for (document, field, reason) in wrongLength {
            #expect(throws: FormatError.malformedField(path: "k.json", field: field, reason: reason)) {
                try ThresholdFile.publicKey(from: data(document), path: "k.json", allowInsecureKeySize: true)
            }
        }
        let invalid: [(JSONValue, ThresholdError)] = [
            (json.replacingMember("signingKeys", with: roster([key.signingKeys[0]] + key.signingKeys.dropLast())),
             .duplicateSigningKey(party: 2, sameAs: 1)),
            (json.replacingMember("threshold", with: .integer(1)), .thresholdTooLow(parties: 5, threshold: 1)),
            (json.replacingMember("v", with: .string((nSquared - 1).description)), .degenerateElement("v")),
            (json.replacingMember("verificationKeys", with: strings([1] + key.verificationKeys.dropFirst())),
             .degenerateElement("verification key 1")),
        ]
        for (document, error) in invalid {
            #expect(throws: FormatError.invalidThresholdKey(path: "k.json", field: "threshold key", error)) {
                try ThresholdFile.publicKey(from: data(document), path: "k.json", allowInsecureKeySize: true, allowInsecureThreshold: false)
            }
        }
        // With the insecure test option, a 1-of-5 key is read (its fingerprint still has to match).
        #expect(throws: FormatError.fingerprintMismatch(path: "k.json")) {
            try ThresholdFile.publicKey(
                from: data(json.replacingMember("threshold", with: .integer(1))), path: "k.json", allowInsecureKeySize: true,
                allowInsecureThreshold: true)
        }
        #expect(try ThresholdFile.publicKey(from: data(json), path: "k.json", allowInsecureKeySize: true) == key)
    }
}

extension JSONValue {
    func replacingMember(_ key: String, with value: JSONValue?) -> JSONValue {
        guard case .object(let members) = self else { return self }
        guard let value else { return .object(members.filter { $0.0 != key }) }
        return .object(members.map { $0.0 == key ? (key, value) : $0 })
    }
}
