import BigNum
import Foundation
import Paillier
import Threshold

/// Follows a key generation from its public values alone (the coordinator as it relays them, `summa verify` from
/// a transcript) and checks everything they determine: each opened modulus lies on one polynomial, the candidate
/// chosen is the first whose biprimality test passed and it passed all 64, the opened Γ is consistent, the
/// verification keys lie on one polynomial, and every party's test decryption share verifies and they combine to
/// the test plaintext. The key it returns was checked this way; nothing secret is needed or seen.
public struct KeyGenerationObserver: Sendable {
    public let parameters: KeyGenerationParameters
    public let session: Data
    let signingKeys: [Data]
    let coordinatorKey: Data
    let allowInsecureKeySize: Bool
    let productReconstruction: ShamirSharing.Reconstruction
    let integers: ShamirSharing

    var inbox: [Int: [Int: [BigInteger]]] = [:]
    /// The last step whose values were all checked.
    public private(set) var lastStep = 0
    var moduli: [BigInteger] = []
    var survivors: [Int] = []
    var chosen: BigInteger?
    var modulus: BigInteger?
    var candidateKey: ThresholdPublicKey?
    /// The key, once its test decryption checked.
    public private(set) var key: ThresholdPublicKey?
    /// Candidate moduli that reached a biprimality test.
    public private(set) var biprimalityCandidates = 0

    public init(
        parameters: KeyGenerationParameters, session: Data, signingKeys: [Data], coordinatorKey: Data, allowInsecureKeySize: Bool = false
    ) {
        self.parameters = parameters
        self.session = session
        self.signingKeys = signingKeys
        self.coordinatorKey = coordinatorKey
        self.allowInsecureKeySize = allowInsecureKeySize
        let field = ShamirSharing.field(parameters.fieldPrime, parties: parameters.parties)
        integers = .integers(parties: parameters.parties, delta: parameters.delta)
        productReconstruction = .init(field, degree: parameters.productDegree)
    }

    /// Batches begun so far.
    public var batches: Int { max(1, lastStep / 32) }

    /// Every dealer's published check of each recent dealing step (the step + 17), kept to judge a complaint.
    var dealingChecks: [Int: [Int: [BigInteger]]] = [:]

    /// The check `dealer` published for dealing step `step`, while it is recent.
    public func dealingCheck(step: Int, dealer: Int) -> [BigInteger]? {
        dealingChecks[step + KeyGenerationParty.checkOffset]?[dealer]
    }

    /// One party's public values of a step. Returns the key when the last step checks.
    public mutating func observe(step: Int, values: [BigInteger], from sender: Int) throws(KeyGenerationError) -> ThresholdPublicKey? {
        guard (1...parameters.parties).contains(sender) else { throw .malformedMessage(party: sender, step: step, reason: "no such party") }
        if KeyGenerationParty.Phase(step: step) == .dealingCheck {
            // Checks are judged by their recipients (and here only on a complaint): kept, not ordered with the rest.
            guard key == nil, step > lastStep - 32, step <= lastStep + 64, dealingChecks[step]?[sender] == nil else {
                throw .malformedMessage(party: sender, step: step, reason: "not a dealing check expected after step \(lastStep)")
            }
            dealingChecks[step, default: [:]][sender] = values
            dealingChecks = dealingChecks.filter { $0.key > lastStep - 64 }
            return nil
        }
        guard key == nil, step > lastStep, step <= lastStep + 64, KeyGenerationParty.Phase(step: step)?.isPublic == true else {
            throw .malformedMessage(party: sender, step: step, reason: "not a public step expected after step \(lastStep)")
        }
        guard inbox[step]?[sender] == nil else { throw .malformedMessage(party: sender, step: step, reason: "a second message for the step") }
        inbox[step, default: [:]][sender] = values
        while key == nil, let next = inbox.keys.min(), inbox[next]!.count == parameters.parties {
            let received = (1...parameters.parties).map { inbox[next]![$0]! }
            inbox[next] = nil
            try check(step: next, received)
            lastStep = next
        }
        return key
    }

    mutating func check(step: Int, _ received: [[BigInteger]]) throws(KeyGenerationError) {
        let phase = KeyGenerationParty.Phase(step: step)!
        func count(_ expected: Int) throws(KeyGenerationError) {
            if let sender = received.firstIndex(where: { $0.count != expected }) {
                throw .malformedMessage(party: sender + 1, step: step, reason: "\(received[sender].count) values, not \(expected)")
            }
        }
        let k = parameters.batchSize
        /// Every dealer's check of each dealing step before this one in the batch must have been published.
        func requireChecks(after offsets: [Int]) throws(KeyGenerationError) {
            let base = step - step % 32
            for offset in offsets {
                let checks = dealingChecks[base + offset + KeyGenerationParty.checkOffset] ?? [:]
                if let missing = (1...parameters.parties).first(where: { checks[$0] == nil }) {
                    throw .malformedMessage(party: missing, step: base + offset, reason: "no published check of its dealing")
                }
            }
        }
        switch phase {
        case .sieveReveal:
            var levels = 0, terms = parameters.threshold
            while terms > 2 { terms = (terms + 1) / 2; levels += 1 }
            try requireChecks(after: [0] + (0..<levels).map { $0 + 1 })
            try count(2 * k)
        case .modulusReveal:
            try requireChecks(after: [KeyGenerationParty.Phase.modulusDeal.rawValue])
            try count(k)
            moduli = try KeyGenerationParty.openModuli(received, reconstruction: productReconstruction, step: step)
            survivors = KeyGenerationParty.survivors(moduli, bits: parameters.bits)
            biprimalityCandidates += survivors.count
        case .biprimality:
            try count(survivors.count)
            chosen = KeyGenerationParty.firstPassing(received, survivors: survivors, moduli: moduli).map { moduli[$0] }
        case .confirm:
            try count(KeyGenerationParameters.biprimalityRounds - 1)
            guard let chosen else { throw .malformedMessage(party: 1, step: step, reason: "a confirmation without a candidate") }
            if KeyGenerationParty.confirms(received, modulus: chosen) { modulus = chosen }
        case .keyReveal:
            try requireChecks(after: [KeyGenerationParty.Phase.keyDeal.rawValue])
            try count(1)
            guard modulus != nil else { throw .malformedMessage(party: 1, step: step, reason: "key values before a modulus") }
            _ = try KeyGenerationParty.openGamma(received, sharing: integers, degree: parameters.productDegree, step: step)
        case .keyPublish:
            try count(1)
            guard let modulus else { throw .malformedMessage(party: 1, step: step, reason: "key values before a modulus") }
            candidateKey = try KeyGenerationParty.publicKey(
                modulus: modulus, verificationKeys: received.map { $0[0] }, parameters: parameters, session: session,
                signingKeys: signingKeys, coordinatorKey: coordinatorKey, allowInsecureKeySize: allowInsecureKeySize)
        case .keyCheck:
            try count(3)
            guard let candidateKey else { throw .malformedMessage(party: 1, step: step, reason: "a test decryption before the key") }
            try KeyGenerationParty.checkTestDecryption(KeyGenerationParty.decryptionShares(received), key: candidateKey, session: session)
            key = candidateKey
        default:
            break
        }
    }
}
