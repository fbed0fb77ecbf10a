import BigNum
import Foundation
import KeyGeneration
import Threshold

extension TranscriptVerifier {
    /// What a key generation's transcript showed.
    public struct KeyGenerationReport: Sendable, Equatable {
        public let messages: Int
        /// Batches of candidates and candidates that reached a biprimality test.
        public let batches: Int
        public let biprimalityCandidates: Int
    }

    /// Whether a transcript is a key generation's (its first message is a key generation's hello).
    public static func isKeyGeneration(_ data: Data) -> Bool {
        guard let first = messages(of: String(decoding: data, as: UTF8.self)).first,
            let envelope = try? Envelope(parsing: Data(first.text.utf8))
        else { return false }
        return envelope.round == .keygenHello
    }

    /// Re-checks a key generation's transcript (`coordinate --keygen --transcript`) against the key it made: the
    /// hello's parameters are the key's; one session; every party message signed by the roster key the key names;
    /// one ephemeral key per party; every public value checked as the coordinator checked it
    /// (``KeyGeneration/KeyGenerationObserver``: the opened moduli, the biprimality tests of the candidate taken,
    /// the opened Γ, the verification keys, every test decryption share and their combination); and a result, last,
    /// naming the key that all this defines, which must be `key` field for field.
    public static func verifyKeyGeneration(_ data: Data, key: ThresholdPublicKey) throws(Problem) -> KeyGenerationReport {
        try verify(data, with: KeyGenerationTranscript(key: key))
    }
}
