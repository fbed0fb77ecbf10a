import BigNum
import Crypto
import Foundation
import KeyGeneration
import Provenance
import SummaFormats
import Testing

@testable import MultiParty

/// The bytes of a key generation's messages: the value lists, the sealed channel, the bodies, and what a party
/// refuses from a coordinator.
@Suite struct KeyGenerationWireTests {
    @Test func valueListsRoundTripInCanonicalForm() throws {
        let values: [BigInteger] = [0, 1, -1, 255, 256, BigInteger(1).shiftedLeft(2100) - 1, -BigInteger(1).shiftedLeft(700)]
        let data = KeyGenerationWire.encode(values)
        #expect(try KeyGenerationWire.decode(data, maximumValueBytes: 300) == values)
        #expect(try KeyGenerationWire.decode(KeyGenerationWire.encode([]), maximumValueBytes: 1) == [])
    }

    @Test func malformedValueListsAreRefused() {
        let valid = [UInt8](KeyGenerationWire.encode([BigInteger(258)]))  // 00000001 00 00000002 0102
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("a count inside its length", [0, 0]),
            ("a count the bytes cannot hold", [0, 0, 0, 9] + Array(valid.dropFirst(4))),
            ("a sign byte of 2", [0, 0, 0, 1, 2, 0, 0, 0, 1, 5]),
            ("a length past the end", [0, 0, 0, 1, 0, 0, 0, 0, 9, 5]),
            ("a leading zero", [0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 5]),
            ("a negative zero", [0, 0, 0, 1, 1, 0, 0, 0, 0]),
            ("bytes after the last value", valid + [0]),
            ("a value above the limit", [UInt8](KeyGenerationWire.encode([BigInteger(1).shiftedLeft(100)]))),
        ]
        for (name, bytes) in cases {
            #expect(throws: MultiPartyError.self, "\(name)") { try KeyGenerationWire.decode(Data(bytes), maximumValueBytes: 8) }
        }
    }

    @Test func sealedSharesOpenOnlyForTheirPairStepAndSession() throws {
        let session = Data(repeating: 1, count: 32), other = Data(repeating: 2, count: 32)
        let a = Curve25519.KeyAgreement.PrivateKey(), b = Curve25519.KeyAgreement.PrivateKey(), c = Curve25519.KeyAgreement.PrivateKey()
        let ab = try KeyGenerationChannel(own: a, peer: b.publicKey.rawRepresentation, session: session, parties: (1, 2))
        let ba = try KeyGenerationChannel(own: b, peer: a.publicKey.rawRepresentation, session: session, parties: (2, 1))
        let values: [BigInteger] = [7, 11]
        let sealed = ab.seal(values, step: 40, sender: 1, recipient: 2)
        #expect(try ba.open(sealed, step: 40, sender: 1, recipient: 2, maximumValueBytes: 8) == values)
        let cb = try KeyGenerationChannel(own: c, peer: b.publicKey.rawRepresentation, session: session, parties: (3, 2))
        let otherSession = try KeyGenerationChannel(own: b, peer: a.publicKey.rawRepresentation, session: other, parties: (2, 1))
        #expect(throws: MultiPartyError.self) { try ba.open(sealed, step: 41, sender: 1, recipient: 2, maximumValueBytes: 8) }
        #expect(throws: MultiPartyError.self) { try ba.open(sealed, step: 40, sender: 3, recipient: 2, maximumValueBytes: 8) }
        #expect(throws: MultiPartyError.self) { try cb.open(sealed, step: 40, sender: 1, recipient: 2, maximumValueBytes: 8) }
        #expect(throws: MultiPartyError.self) { try otherSession.open(sealed, step: 40, sender: 1, recipient: 2, maximumValueBytes: 8) }
        #expect(throws: MultiPartyError.self) { try ba.open("not base64!", step: 40, sender: 1, recipient: 2, maximumValueBytes: 8) }
        #expect(throws: MultiPartyError.self) {
            try KeyGenerationChannel(own: a, peer: Data(repeating: 0, count: 31), session: session, parties: (1, 2))
        }
    }

    @Test func malformedBodiesAreRefused() throws {
        let bodies: [(Envelope.Round, String)] = [
            (.keygenHello, #"{"protocol":"summa.join","roster":"r","bits":512,"parties":3,"threshold":2,"batch":8}"#),
            (.keygenHello, #"{"protocol":"summa.keygen","roster":"r","bits":512,"parties":3,"threshold":2,"batch":0}"#),
            (.keygenKey, #"{"key":"AAAA"}"#),
            (.keygenPublic, #"{"step":-1,"values":"AAAAAA"}"#),
            (.keygenPublic, #"{"step":40,"values":"$$"}"#),
            (.keygenPrivate, #"{"step":40,"to":0,"sealed":"AAAA"}"#),
            (.keygenResult, #"{}"#),
            (.header, #"{}"#),
        ]
        for (round, text) in bodies {
            let body = try #require(JSONValue(parsing: Data(text.utf8)))
            #expect(throws: MultiPartyError.self, "\(round) \(text)") { try KeyGenerationBody(round: round, body: body) }
        }
        // Sessions refuse key generation rounds.
        #expect(throws: MultiPartyError.self) { try Message(round: .keygenPublic, body: .object([])) }
    }

    @Test func aPartyRefusesAHelloForAnotherRosterOrOtherParameters() throws {
        let parties = (1...3).map { try! Identity(name: "p\($0)") }
        let coordinator = try Identity(name: "c")
        let roster = try Roster(
            parties: parties.map(\.publicIdentity), coordinator: coordinator.publicIdentity, threshold: 2, bits: 512,
            allowInsecureKeySize: true)
        let session = Data(repeating: 3, count: 32)
        for hello in [
            KeyGenerationBody.hello(roster: "sha256:00", bits: 512, parties: 3, threshold: 2, batchSize: 8),
            .hello(roster: roster.fingerprint, bits: 1024, parties: 3, threshold: 2, batchSize: 8),
            .hello(roster: roster.fingerprint, bits: 512, parties: 3, threshold: 3, batchSize: 8),
        ] {
            var machine = try KeyGenerationPartyMachine(roster: roster, identity: parties[0], allowInsecureKeySize: true)
            let actions = machine.received(Envelope(session: session, round: .keygenHello, sender: 0, body: hello.json).payload)
            #expect(actions.contains { if case .failed = $0 { true } else { false } })
            #expect(!actions.contains { if case .send(let envelope) = $0 { envelope.round == .keygenKey } else { false } })
        }
        #expect(throws: MultiPartyError.self) { try KeyGenerationPartyMachine(roster: roster, identity: coordinator) }
    }
}
