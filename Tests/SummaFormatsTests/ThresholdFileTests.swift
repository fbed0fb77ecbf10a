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
        // Summa reads the threshold public key as the Paillier key to encrypt under.
        guard case .publicKey(let paillier) = try SummaFile.parse(data(deal.publicKey.json), path: "public.json", allowInsecureKeySize: true) else {
            Issue.record("not read as a public key"); return
        }
        #expect(paillier == deal.publicKey.paillierKey)
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
        #expect(throws: FormatError.unrecognizedFile(path: "p.json", reason: "holds \"summa.threshold-public-key\", not summa.threshold-share")) {
            try ThresholdFile.share(from: data(deal.publicKey.json), path: "p.json", allowInsecureKeySize: true)
        }
    }

    @Test func malformedPublicKeysAreRefused() throws {
        let json = deal.publicKey.json
        let cases: [(String, JSONValue?, String)] = [
            ("fingerprint", .string("sha256:00"), "the key in the file does not match its declared fingerprint"),
            ("v", .string("0"), "field threshold key: v is outside its group"),
            ("verificationKeys", .array([.string("5")]), "field threshold key: invalid threshold scheme"),
            ("signingKeys", .array([.string("AQ")]), "field signingKeys[0]: not a base64url Ed25519 key"),
            ("threshold", .integer(9), "field threshold key: invalid threshold scheme: 9 of 5"),
            ("n", .string("15"), "field n: invalid public key"),
            ("version", .integer(7), "version 7 is not supported"),
        ]
        for (member, value, message) in cases {
            do {
                _ = try ThresholdFile.publicKey(from: data(json.replacingMember(member, with: value)), path: "k.json", allowInsecureKeySize: true)
                Issue.record("accepted a bad \(member)")
            } catch {
                #expect(error.description.contains(message), "\(member): \(error)")
            }
        }
    }
}

extension JSONValue {
    func replacingMember(_ key: String, with value: JSONValue?) -> JSONValue {
        guard case .object(let members) = self else { return self }
        guard let value else { return .object(members.filter { $0.0 != key }) }
        return .object(members.map { $0.0 == key ? (key, value) : $0 })
    }
}
