import Crypto
import Foundation
import KeyGeneration
import Logging
import MultiParty
import MultiPartyNIO
import Provenance
import SummaFormats
import Threshold

extension CoordinateCommand {
    /// `coordinate --keygen`: waits for every party of the roster, relays the key generation, checks the key from
    /// the public values and writes it (public.json), with the transcript when asked.
    func generateKey() async throws {
        let rosterPath = roster!, identityPath = identity!, out = out!
        let inputs = [rosterPath, identityPath]
        try SummaFile.checkOutput(out, inputs: inputs)
        if let transcript { try SummaFile.checkOutput(transcript, inputs: inputs + [out]) }
        let roster = try Roster.read(path: rosterPath, allowInsecureKeySize: insecureTest.allowsInsecure)
        let identity = try Identity.read(path: identityPath)
        guard identity.publicIdentity == roster.coordinator else {
            throw CommandFailure(description: "\(identityPath): not the coordinator the roster \(rosterPath) names (\(roster.coordinator.label))")
        }
        let machine = try KeyGenerationCoordinatorMachine(
            roster: roster, batchSize: batch, joinDeadline: timeout, stepDeadline: timeout,
            allowInsecureKeySize: insecureTest.allowsInsecure)
        var logger = Logger(label: "summa.coordinator") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        let started = ContinuousClock.now
        let outcome = try await CoordinatorServer.run(
            machine: machine, identity: try Curve25519.Signing.PrivateKey(rawRepresentation: identity.signingKeyBytes),
            host: listen.host, port: listen.port,
            limits: .default(parties: roster.parties.count, maximumFrame: machine.parameters.maximumFrameBytes), logger: logger,
            announcement: "for a key generation by the \(roster.parties.count) parties of roster \(roster.fingerprint)"
        ) { port in
            printError("listening on \(listen.host):\(port) for the \(roster.parties.count) parties of roster \(roster.fingerprint) to generate a \(roster.threshold)-of-\(roster.parties.count) \(roster.bits)-bit key")
        }
        let seconds = started.duration(to: .now).components.seconds
        printError("\(outcome.bytesReceived) bytes received, \(outcome.bytesSent) bytes sent")
        if let transcript {
            try SummaFile.write(TranscriptVerifier.jsonLines(outcome.transcript), to: transcript, inputs: inputs)
        }
        guard let key = outcome.result else {
            let failure = outcome.failure
            let parties = failure.map { $0.parties.isEmpty ? "" : " (parties \($0.parties.map(String.init).joined(separator: ", ")))" } ?? ""
            throw CommandFailure(description: "the key generation failed: \(failure?.reason ?? "no result")\(parties)")
        }
        try SummaFile.write(key.json, to: out, inputs: inputs)
        print("key: \(key.fingerprint)")
        print("a \(key.threshold)-of-\(key.partyCount) \(key.n.bitWidth)-bit key made by roster \(roster.fingerprint) without a dealer, checked by a test decryption")
        let batches = outcome.transcript.compactMap { envelope -> Int? in
            guard case .values(let step, _)? = try? KeyGenerationBody(round: envelope.round, body: envelope.body) else { return nil }
            return step / 32
        }.max() ?? 0
        print("\(batches) batches of \(machine.parameters.batchSize) candidate pairs; \(seconds) s")
        print("written: \(out)")
    }
}
