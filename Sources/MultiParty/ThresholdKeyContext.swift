import Foundation
import Paillier
import Threshold

/// The key and encoding a session runs under, shared by both roles.
struct ThresholdKeyContext: Sendable {
    let threshold: ThresholdPublicKey
    let scale: Int
    var paillier: PaillierPublicKey { threshold.paillierKey }
}
