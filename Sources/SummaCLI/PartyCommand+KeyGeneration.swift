import Crypto
import Foundation
import KeyGeneration
import MultiParty
import MultiPartyNIO
import Provenance
import SummaFormats
import Threshold

extension PartyCommand {
    /// `party --keygen`: takes part in the roster's key generation and writes this party's share (0600 from its
    /// first byte), which `summa party --key … --identity …` then uses as a dealt share is used.
    func generateKey() async throws {
        let rosterPath = roster!, identityPath = identity!, out = out!
        try SummaFile.checkOutput(out, inputs: [rosterPath, identityPath])
        let roster = try Roster.read(path: rosterPath, allowInsecureKeySize: insecureTest.allowsInsecure)
        let identity = try Identity.read(path: identityPath)
        let machine: KeyGenerationPartyMachine
        do {
            machine = try KeyGenerationPartyMachine(roster: roster, identity: identity, allowInsecureKeySize: insecureTest.allowsInsecure)
        } catch {
            throw CommandFailure(description: "\(identityPath): \(identity.publicIdentity.label) is not a party of roster \(rosterPath) (\(roster.fingerprint))")
        }
        let parameters = try KeyGenerationParameters(bits: roster.bits, parties: roster.parties.count, threshold: roster.threshold, batchSize: 16384)
        let started = ContinuousClock.now
        let result: KeyGenerationResult
        do {
            result = try await PartyClient.run(
                machine: machine, identity: try Curve25519.Signing.PrivateKey(rawRepresentation: identity.signingKeyBytes),
                serverKey: roster.coordinator.publicKeyBytes, host: connect.host, port: connect.port, timeout: .seconds(timeout),
                maximumFrame: parameters.maximumFrameBytes)
        } catch {
            throw CommandFailure(description: "party \(machine.index): \(error)")
        }
        let share = try DealtShare(validating: result.publicKey, index: result.share.index, secret: result.share.secretShare)
        try SummaFile.write(share.json, to: out, secret: true, inputs: [rosterPath, identityPath])
        let seconds = started.duration(to: .now).components.seconds
        print("key: \(result.publicKey.fingerprint)")
        print("party \(machine.index) of \(roster.parties.count) (\(roster.threshold) to decrypt), roster \(roster.fingerprint), \(result.publicKey.n.bitWidth)-bit n")
        print("\(result.batches) batches, \(result.candidates) candidate pairs, \(result.biprimalityCandidates) biprimality tests; \(seconds) s")
        print("written: \(out)")
    }
}
