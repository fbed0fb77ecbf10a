import Foundation
import MultiParty
import Summa
import SummaFormats
import Threshold

/// What every harness shares: the fuzz-only 256-bit 3-of-5 deal (embedded, see EmbeddedDeal.swift) and the
/// fixed parameters of the test session the seed corpora were made with (Fuzz/tools/make-seeds.sh).
public enum Fixtures {
    /// The deal's public key and its five shares, parsed once.
    public static let deal: (publicKey: ThresholdPublicKey, shares: [KeyShare]) = Fuzz.keptUntilExit {
        do {
            let key = try ThresholdFile.publicKey(
                from: Data(EmbeddedDeal.publicKey.utf8), path: "deal-256/public.json", allowInsecureKeySize: true)
            let shares = try EmbeddedDeal.shares.enumerated().map { index, text in
                try ThresholdFile.share(from: Data(text.utf8), path: "deal-256/party-\(index + 1).json", allowInsecureKeySize: true)
            }
            return (key, shares)
        } catch {
            Fuzz.setupFailed("the embedded test deal does not load (\(error)); refresh it with Fuzz/tools/embed-fixtures.py")
        }
    }

    public static var publicKey: ThresholdPublicKey { deal.publicKey }

    /// Each party's Ed25519 signing key, made once (`KeyShare.signingKey` makes it from its bytes on every call).
    nonisolated(unsafe) static let signingKeys = Fuzz.keptUntilExit { deal.shares.map(\.signingKey) }

    /// The deal's files as committed: `public.json` and `party-1.json` … `party-5.json`.
    public static let publicKeyFile = EmbeddedDeal.publicKey
    public static let shareFiles = EmbeddedDeal.shares

    /// The session id of the seed sessions: the coordinator harness runs its machine with it, so that the signed
    /// envelopes of the seeds belong to its session.
    public static let session = Fuzz.keptUntilExit { Data((0..<32).map { UInt8(truncatingIfNeeded: 0x5A &+ $0 &* 29) }) }
    /// The seed session's parameters and each party's private value.
    public static let scale = 2
    public static let minimumInputs = 3
    public static let inputDeadline = 30
    public static let values = [1: "100.50", 2: "-20.25", 3: "0", 4: "7.75", 5: "12"]

    /// A coordinator for the seed session.
    public static func coordinator() -> CoordinatorMachine {
        CoordinatorMachine(
            key: publicKey, scale: scale, minimumInputs: minimumInputs, inputDeadline: inputDeadline, session: session)
    }

    /// Party `index`'s machine with its seed value.
    public static func party(_ index: Int) -> PartyMachine {
        PartyMachine(share: deal.shares[index - 1], values: [try! FixedPoint(parsing: values[index]!)])
    }

    /// The envelope in `payload`, signed again by its sender's key when the sender is one of the deal's parties:
    /// a party that holds its roster key may sign anything, and this lets mutated bodies past the signature check
    /// to the rules behind it. Nil when the payload is not an envelope.
    ///
    /// Harnesses that re-sign every line or frame call ``resignedPayload(_:)``, which remembers.
    public static func resigned(_ payload: Data) -> Envelope? {
        guard let envelope = try? Envelope(parsing: payload) else { return nil }
        guard (1...deal.shares.count).contains(envelope.sender) else { return envelope }
        return try? Envelope(
            session: envelope.session, round: envelope.round, sender: envelope.sender, body: envelope.body,
            signingKey: signingKeys[envelope.sender - 1])
    }

    /// ``resigned(_:)``'s envelope as its payload (`json.serialized`, which ends with a newline: a transcript line),
    /// and its sender; remembered for the last 16,384 envelopes (a corpus holds thousands of distinct lines). Ed25519
    /// signatures are deterministic, so a remembered one is the one signing again would make. (A transcript of ten
    /// lines in which the fuzzer changed one costs one parse and one signature instead of ten of each.)
    public static func resignedPayload(_ payload: [UInt8]) -> (payload: [UInt8], sender: Int)? {
        resignedPayloads.value(for: payload) {
            resigned(Data(payload)).map { (Array($0.json.serialized.utf8), $0.sender) }
        }
    }

    static let resignedPayloads = BytesMemo<(payload: [UInt8], sender: Int)>(capacity: 16_384)
}
