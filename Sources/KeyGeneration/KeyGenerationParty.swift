import BigNum
import Foundation
import Paillier
import Threshold

/// One message of a key generation: the values a party sends at one step, to one other party (shares only that
/// party may see: the transport seals them) or to everyone.
public struct KeyGenerationMessage: Sendable, Equatable {
    public let step: Int
    /// The party the values are for, or nil when they are public.
    public let recipient: Int?
    public let values: [BigInteger]

    public init(step: Int, recipient: Int?, values: [BigInteger]) {
        self.step = step
        self.recipient = recipient
        self.values = values
    }

    /// Values as they travel: a 4-byte big-endian count, then per integer a sign byte (0, or 1 for negative), a
    /// 4-byte big-endian length and the magnitude's big-endian bytes without leading zeros (zero: sign 0, length 0).
    /// MultiParty's `KeyGenerationWire` reads it back; dealers' digests are over it.
    public static func encoded(_ values: [BigInteger]) -> Data {
        var data = Data()
        func append(_ number: UInt32) { withUnsafeBytes(of: number.bigEndian) { data.append(contentsOf: $0) } }
        append(UInt32(values.count))
        for value in values {
            let magnitude = value.isZero ? [] : value.magnitude.bigEndianBytes()
            data.append(value.isNegative ? 1 : 0)
            append(UInt32(magnitude.count))
            data.append(contentsOf: magnitude)
        }
        return data
    }
}

/// What a finished key generation leaves a party: its key share (under its own identity) and what the run cost.
public struct KeyGenerationResult: Sendable {
    public let share: KeyShare
    /// Batches of candidates generated, and candidate pairs in them.
    public let batches: Int
    public let candidates: Int
    /// Candidate moduli that reached a biprimality test (past the sieve and trial division).
    public let biprimalityCandidates: Int
    public var publicKey: ThresholdPublicKey { share.publicKey }
}

/// One party's side of the dealer-free key generation (docs/design.md, "Dealer-free keys"), socket-free: it takes
/// every other party's message of a step and answers with its own for the next. Steps, per batch of candidate
/// pairs:
///
/// 1. sieve: each of parties 1…t shares a random unit Aᵢ of Z_M for every candidate prime; the parties multiply
///    them (BGW over Z_P, degree reductions between levels), add a mask R = ΣRᵢ and open W = ∏Aᵢ + R. Each party's
///    yᵢ = −Rᵢ mod M (party 1: W − R₁ mod M) sums to a unit modulo every sieve prime, and pᵢ = yᵢ + M·zᵢ;
/// 2. modulus: the parties share pᵢ and qᵢ, multiply, and open N = pq; trial division below 2²⁰;
/// 3. biprimality (Boneh–Franklin): party 1 publishes g^((N + 1 − p₁ − q₁)/4), the others g^((pᵢ + qᵢ)/4), with
///    g from a public coin; the first candidate whose products agree up to sign is tested 63 times more;
/// 4. key: integer sharings of φᵢ, βᵢ, Rᵢ′ and a zero polynomial open Γ = φβ + N·R′; dᵢ = u·(Γ − N·R′(i)) with
///    u = (Γ mod N)⁻¹ mod N are integer Shamir shares of d ≡ 0 (mod φ), ≡ 1 (mod N); each party publishes
///    vᵢ = v^(Δ·dᵢ), checked to lie on one polynomial, and decrypts a public test ciphertext with a share proof.
///
/// Step numbers are 32·(batch + 1) + phase, so that a message names its batch.
public struct KeyGenerationParty: Sendable {
    public let parameters: KeyGenerationParameters
    /// This party's index, 1…ℓ.
    public let index: Int
    public let session: Data
    /// Everyone's Ed25519 public keys, in party order, and the coordinator's: what the threshold key names.
    let signingKeys: [Data]
    let coordinatorKey: Data
    let signingKey: Data
    let allowInsecureKeySize: Bool

    enum Phase: Int {
        case sieveDeal = 0, sieveReduce = 1, sieveReveal = 8, modulusDeal = 9, modulusReveal = 10, biprimality = 11
        case confirm = 12, keyDeal = 13, keyReveal = 14, keyPublish = 15, keyCheck = 16
        /// A dealer's published check of a dealing step (at the dealing step + 17: phases 17…30).
        case dealingCheck = 17

        /// The phase of a step number (32·(batch + 1) + phase; the sieve's reductions take 1…7).
        init?(step: Int) {
            guard step >= 32 else { return nil }
            let offset = step % 32
            if (1...7).contains(offset) {
                self = .sieveReduce
            } else if offset >= Self.dealingCheck.rawValue {
                self = .dealingCheck
            } else if let phase = Phase(rawValue: offset) {
                self = phase
            } else {
                return nil
            }
        }

        /// Whether its values go to everyone (and into the transcript) rather than sealed to one party.
        var isPublic: Bool { !isDealing }
        /// Whether each party deals shares to every other at this step (with a published check).
        var isDealing: Bool { [.sieveDeal, .sieveReduce, .modulusDeal, .keyDeal].contains(self) }
    }

    /// The step being collected and what it expects.
    private(set) var batch = 0
    var phase = Phase.sieveDeal
    /// The sieve's product level (0, 1, …) while reducing.
    var level = 0
    var inbox: [Int: [Int: [BigInteger]]] = [:]

    // Batch state, all of it this party's secrets or shares.
    var masks: [BigInteger] = []
    var terms: [[BigInteger]] = []
    var maskShares: [BigInteger] = []
    var zeroShares: [BigInteger] = []
    var primeShares: [BigInteger] = []
    var moduli: [BigInteger] = []
    var survivors: [Int] = []
    var chosen: Int?
    var biprimalityCandidates = 0
    // Key state.
    var modulus = BigInteger.zero
    var maskPolynomialShare = BigInteger.zero
    var keySecret = BigInteger.zero
    var publicKey: ThresholdPublicKey?
    var share: KeyShare?

    public private(set) var result: KeyGenerationResult?

    let field: ShamirSharing
    let integers: ShamirSharing
    let productReconstruction: ShamirSharing.Reconstruction

    /// - Parameters:
    ///   - signingKeys: the roster's Ed25519 keys in party order; `coordinatorKey` the coordinator's.
    ///   - signingKey: this party's own private key (raw), which its key share carries.
    public init(
        parameters: KeyGenerationParameters, index: Int, session: Data, signingKeys: [Data], coordinatorKey: Data,
        signingKey: Data, allowInsecureKeySize: Bool = false
    ) {
        precondition((1...parameters.parties).contains(index) && signingKeys.count == parameters.parties)
        self.parameters = parameters
        self.index = index
        self.session = session
        self.signingKeys = signingKeys
        self.coordinatorKey = coordinatorKey
        self.signingKey = signingKey
        self.allowInsecureKeySize = allowInsecureKeySize
        field = .field(parameters.fieldPrime, parties: parameters.parties)
        integers = .integers(parties: parameters.parties, delta: parameters.delta)
        productReconstruction = .init(field, degree: parameters.productDegree)
    }

    var parties: Int { parameters.parties }
    var threshold: Int { parameters.threshold }
    var batchSize: Int { parameters.batchSize }
    var prime: BigInteger { parameters.fieldPrime }

    /// The step now being collected.
    public var step: Int { Self.step(batch: batch, phase: phase, level: level) }

    static func step(batch: Int, phase: Phase, level: Int) -> Int {
        32 * (batch + 1) + phase.rawValue + (phase == .sieveReduce ? level - 1 : 0)
    }

    /// The first messages: batch 1's sieve shares.
    public mutating func start() -> [KeyGenerationMessage] { beginBatch() }

    /// Takes one party's message; returns this party's messages for every step that completes. Messages of a later
    /// step are kept until their step comes; a second message from a sender for one step, or one for a step already
    /// past or far ahead, is refused.
    public mutating func receive(_ message: KeyGenerationMessage, from sender: Int) throws(KeyGenerationError) -> [KeyGenerationMessage] {
        guard (1...parties).contains(sender), sender != index else {
            throw .malformedMessage(party: sender, step: message.step, reason: "no such other party")
        }
        guard result == nil, message.step >= step, message.step < step + 64 else {
            throw .malformedMessage(party: sender, step: message.step, reason: "not a step this party expects now (\(step))")
        }
        guard message.recipient == nil || message.recipient == index else {
            throw .malformedMessage(party: sender, step: message.step, reason: "addressed to party \(message.recipient!)")
        }
        guard inbox[message.step]?[sender] == nil else {
            throw .malformedMessage(party: sender, step: message.step, reason: "a second message for the step")
        }
        inbox[message.step, default: [:]][sender] = message.values
        var outgoing: [KeyGenerationMessage] = []
        while result == nil, let received = inbox[step], received.count == parties {
            if phase.isDealing {
                let checkStep = step + Self.checkOffset
                guard let checks = inbox[checkStep], checks.count == parties else { break }
                for dealer in 1...parties where dealer != index {
                    try Self.checkDealing(
                        received[dealer]!, check: checks[dealer]!, step: step, dealer: dealer, recipient: index,
                        parameters: parameters, session: session)
                }
                inbox[checkStep] = nil
            }
            inbox[step] = nil
            outgoing += try advance(received)
        }
        return outgoing
    }

    /// Sends `values[j − 1]` privately to each other party j (keeping its own), or `values[0]` to everyone.
    mutating func send(_ values: [[BigInteger]], privately: Bool) -> [KeyGenerationMessage] {
        let current = step
        if privately {
            inbox[current, default: [:]][index] = values[index - 1]
            return (1...parties).filter { $0 != index }.map { KeyGenerationMessage(step: current, recipient: $0, values: values[$0 - 1]) }
        }
        inbox[current, default: [:]][index] = values[0]
        return [KeyGenerationMessage(step: current, recipient: nil, values: values[0])]
    }

    /// Deals the current step's sharings (per value, its shares for parties 1…ℓ) with the step's check.
    mutating func dealBlocks(_ blocks: [[BigInteger]]) -> [KeyGenerationMessage] {
        let kinds = Self.dealingKinds(phase: phase, dealer: index, count: blocks.count, threshold: threshold, candidates: batchSize)!
        return deal(blocks, kinds: kinds)
    }

    /// Values in a message of this step from `sender`.
    func expectedCount(from sender: Int) -> Int {
        let values = 2 * batchSize
        switch phase {
        case .sieveDeal: return values * (sender <= threshold ? 3 : 2) + 2  // + a mask per degree
        case .sieveReduce: return values * ((terms.first?.count ?? 0) / 2) + 1
        case .sieveReveal: return values
        case .modulusDeal: return 3 * batchSize + 2
        case .modulusReveal: return batchSize
        case .biprimality: return survivors.count
        case .confirm: return KeyGenerationParameters.biprimalityRounds - 1
        case .keyDeal: return 4 + 2
        case .keyReveal, .keyPublish: return 1
        case .keyCheck: return 3
        case .dealingCheck: return 0
        }
    }

    /// Checks every message of the step for its count and range, then runs the step.
    mutating func advance(_ received: [Int: [BigInteger]]) throws(KeyGenerationError) -> [KeyGenerationMessage] {
        let current = step
        for (sender, values) in received {
            guard values.count == expectedCount(from: sender) else {
                throw .malformedMessage(party: sender, step: current, reason: "\(values.count) values, not \(expectedCount(from: sender))")
            }
            if let bad = values.firstIndex(where: { !inRange($0) }) {
                throw .malformedMessage(party: sender, step: current, reason: "value \(bad + 1) is out of range")
            }
        }
        // A dealing step's values end with the masks of its check, which only the check uses.
        let masks = phase == .sieveReduce ? 1 : 2
        let ordered = (1...parties).map { phase.isDealing ? Array(received[$0]!.dropLast(masks)) : received[$0]! }
        switch phase {
        case .sieveDeal: return sieveDealt(ordered)
        case .sieveReduce: return reduced(ordered)
        case .sieveReveal: return try sieveRevealed(ordered)
        case .modulusDeal: return modulusDealt(ordered)
        case .modulusReveal: return try modulusRevealed(ordered)
        case .biprimality: return try biprimalityTested(ordered)
        case .confirm: return try confirmed(ordered)
        case .keyDeal: return keyDealt(ordered)
        case .keyReveal: return try keyRevealed(ordered)
        case .keyPublish: return try keyPublished(ordered)
        case .keyCheck: return try keyChecked(ordered)
        case .dealingCheck: return []
        }
    }

    /// Whether a value may appear at the current step: field shares in Z_P, biprimality values in Z*_N, integers
    /// of the key phase within their bounds.
    func inRange(_ value: BigInteger) -> Bool {
        switch phase {
        case .sieveDeal, .sieveReduce, .sieveReveal, .modulusDeal, .modulusReveal: return !value.isNegative && value < prime
        case .biprimality, .confirm: return value > 0 && value.bitWidth <= parameters.bits  // below its candidate N: checked as the test runs
        case .keyDeal, .keyReveal: return value.bitWidth <= 4 * parameters.bits + 1024
        case .keyPublish: return value > 0 && value < modulus * modulus
        case .keyCheck: return !value.isNegative && value.bitWidth <= 6 * parameters.bits + 1024
        case .dealingCheck: return false
        }
    }

    // MARK: Sieve

    mutating func beginBatch() -> [KeyGenerationMessage] {
        phase = .sieveDeal
        level = 0
        chosen = nil
        let count = 2 * batchSize
        let zeroDegree = parameters.productDegree
        masks = (0..<count).map { _ in
            let mask = BigInteger.random(below: parameters.maskBound)
            // Every party but the first keeps yᵢ ≡ 0 (mod 4), so that its biprimality exponent is an integer.
            return index == 1 ? mask : mask - mask.modulo(4)
        }
        var blocks: [[BigInteger]] = []  // [value][party]
        if index <= threshold {
            blocks += (0..<count).map { _ in field.shares(of: randomUnit(), degree: threshold - 1) }
        }
        blocks += masks.map { field.shares(of: $0, degree: threshold - 1) }
        blocks += (0..<count).map { _ in field.shares(of: .zero, degree: zeroDegree) }
        return dealBlocks(blocks)
    }

    /// A unit of Z_M for the sieve: uniform among those prime to every sieve prime, ≡ 3 (mod 4) for party 1 and
    /// ≡ 1 for the others, so that the product is ≡ 3 (mod 4).
    func randomUnit() -> BigInteger {
        let odd = BigInteger.randomUnit(modulo: parameters.oddSieveModulus)
        let wanted = BigInteger(index == 1 ? 3 : 1)
        // CRT with the residue mod 4: odd + M′·k ≡ wanted (mod 4), M′ odd so M′ ≡ M′⁻¹ (mod 4).
        let k = ((wanted - odd) * parameters.oddSieveModulus).modulo(4)
        return odd + parameters.oddSieveModulus * k
    }

    mutating func sieveDealt(_ received: [[BigInteger]]) -> [KeyGenerationMessage] {
        let count = 2 * batchSize
        let hasUnits = threshold
        terms = (0..<count).map { c in (0..<hasUnits).map { received[$0][c] } }
        maskShares = (0..<count).map { c in
            received.enumerated().reduce(BigInteger.zero) { sum, sender in
                sum + sender.element[(sender.offset < hasUnits ? count : 0) + c]
            }.modulo(prime)
        }
        zeroShares = (0..<count).map { c in
            received.enumerated().reduce(BigInteger.zero) { sum, sender in
                sum + sender.element[(sender.offset < hasUnits ? 2 * count : count) + c]
            }.modulo(prime)
        }
        return multiplyLevel()
    }

    /// Multiplies the current terms pairwise: the last pair is opened (masked), earlier levels are reduced back to
    /// degree t − 1 by resharing.
    mutating func multiplyLevel() -> [KeyGenerationMessage] {
        if terms[0].count == 2 {
            phase = .sieveReveal
            let opened = (0..<terms.count).map { c in
                (terms[c][0].multiplied(by: terms[c][1], modulo: prime) + maskShares[c] + zeroShares[c]).modulo(prime)
            }
            return send([opened], privately: false)
        }
        phase = .sieveReduce
        level += 1
        let pairs = terms[0].count / 2
        var blocks: [[BigInteger]] = []
        for c in 0..<terms.count {
            for k in 0..<pairs {
                blocks.append(field.shares(of: terms[c][2 * k].multiplied(by: terms[c][2 * k + 1], modulo: prime), degree: threshold - 1))
            }
        }
        return dealBlocks(blocks)
    }

    mutating func reduced(_ received: [[BigInteger]]) -> [KeyGenerationMessage] {
        let pairs = terms[0].count / 2
        let lambdas = productReconstruction.atZero
        terms = terms.enumerated().map { c, old in
            (0..<pairs).map { k in
                var sum = BigInteger.zero
                for (i, lambda) in lambdas.enumerated() { sum += lambda * received[i][c * pairs + k] }
                return sum.modulo(prime)
            } + (old.count % 2 == 1 ? [old.last!] : [])
        }
        return multiplyLevel()
    }

    mutating func sieveRevealed(_ received: [[BigInteger]]) throws(KeyGenerationError) -> [KeyGenerationMessage] {
        let m = parameters.sieveModulus
        primeShares = try (0..<2 * batchSize).map { c throws(KeyGenerationError) in
            guard let opened = productReconstruction.value(received.map { $0[c] }) else { throw .inconsistentShares(step: step) }
            let y = (index == 1 ? opened - masks[c] : -masks[c]).modulo(m)
            let high = BigInteger.random(below: parameters.highBound) + (index == 1 ? parameters.offset / m : 0)
            return y + m * high
        }
        masks = []
        phase = .modulusDeal
        var blocks: [[BigInteger]] = []
        for k in 0..<batchSize {
            blocks.append(field.shares(of: primeShares[k], degree: threshold - 1))
            blocks.append(field.shares(of: primeShares[batchSize + k], degree: threshold - 1))
            blocks.append(field.shares(of: .zero, degree: parameters.productDegree))
        }
        return dealBlocks(blocks)
    }

    // MARK: Modulus

    mutating func modulusDealt(_ received: [[BigInteger]]) -> [KeyGenerationMessage] {
        let sum = { (position: Int) in received.reduce(BigInteger.zero) { $0 + $1[position] } }
        let opened = (0..<batchSize).map { k in
            (sum(3 * k).multiplied(by: sum(3 * k + 1), modulo: prime) + sum(3 * k + 2)).modulo(prime)
        }
        phase = .modulusReveal
        return send([opened], privately: false)
    }

    mutating func modulusRevealed(_ received: [[BigInteger]]) throws(KeyGenerationError) -> [KeyGenerationMessage] {
        moduli = try Self.openModuli(received, reconstruction: productReconstruction, step: step)
        survivors = Self.survivors(moduli, bits: parameters.bits)
        biprimalityCandidates += survivors.count
        guard !survivors.isEmpty else { return try nextBatch() }
        phase = .biprimality
        return send([survivors.map { biprimalityValue(candidate: $0, round: 0) }], privately: false)
    }

    /// g^(eᵢ) mod N for this party's exponent: (N + 1 − p₁ − q₁)/4 for party 1, (pᵢ + qᵢ)/4 for the others.
    func biprimalityValue(candidate k: Int, round: Int) -> BigInteger {
        let n = moduli[k]
        let g = PublicCoin.biprimalityBase(session: session, modulus: n, candidate: batch * batchSize + k, round: round)
        let sum = primeShares[k] + primeShares[batchSize + k]
        let exponent = (index == 1 ? n + 1 - sum : sum).shiftedRight(2)
        return g.power(secretExponent: exponent, modulo: n)
    }

    /// Every candidate modulus of a batch, opened from the parties' shares (degree 2t − 2, checked on every point).
    static func openModuli(_ received: [[BigInteger]], reconstruction: ShamirSharing.Reconstruction, step: Int) throws(KeyGenerationError) -> [BigInteger] {
        try received[0].indices.map { k throws(KeyGenerationError) in
            guard let n = reconstruction.value(received.map { $0[k] }) else { throw .inconsistentShares(step: step) }
            return n
        }
    }

    /// The candidates worth a biprimality test: the right size, and no prime factor below 2²⁰.
    static func survivors(_ moduli: [BigInteger], bits: Int) -> [Int] {
        zip(moduli.indices, BigInteger.haveNoSmallPrimeFactor(moduli)).filter { moduli[$0.0].bitWidth == bits && $0.1 }.map(\.0)
    }

    /// The first candidate whose first biprimality test passed.
    static func firstPassing(_ received: [[BigInteger]], survivors: [Int], moduli: [BigInteger]) -> Int? {
        survivors.indices.first { i in biprimalityPasses(received.map { $0[i] }, modulus: moduli[survivors[i]]) }.map { survivors[$0] }
    }

    /// Whether the other 63 tests of the chosen candidate pass.
    static func confirms(_ received: [[BigInteger]], modulus: BigInteger) -> Bool {
        (0..<KeyGenerationParameters.biprimalityRounds - 1).allSatisfy { round in biprimalityPasses(received.map { $0[round] }, modulus: modulus) }
    }

    /// Whether party 1's value is ± the product of the others' (mod N): the test passes.
    static func biprimalityPasses(_ values: [BigInteger], modulus n: BigInteger) -> Bool {
        guard values.allSatisfy({ $0 < n }) else { return false }
        let others = BigInteger.product(Array(values.dropFirst()), modulo: n)
        return values[0] == others || values[0] == n - others
    }

    mutating func biprimalityTested(_ received: [[BigInteger]]) throws(KeyGenerationError) -> [KeyGenerationMessage] {
        guard let k = Self.firstPassing(received, survivors: survivors, moduli: moduli) else { return try nextBatch() }
        chosen = k
        phase = .confirm
        return send([(1..<KeyGenerationParameters.biprimalityRounds).map { biprimalityValue(candidate: k, round: $0) }], privately: false)
    }

    mutating func confirmed(_ received: [[BigInteger]]) throws(KeyGenerationError) -> [KeyGenerationMessage] {
        let k = chosen!
        guard Self.confirms(received, modulus: moduli[k]) else { return try nextBatch() }
        return beginKey(modulus: moduli[k], p: primeShares[k], q: primeShares[batchSize + k])
    }

    mutating func nextBatch() throws(KeyGenerationError) -> [KeyGenerationMessage] {
        guard batch + 1 < KeyGenerationParameters.maximumBatches else { throw .noModulusFound(batches: batch + 1) }
        batch += 1
        phase = .sieveDeal
        level = 0
        inbox = inbox.filter { $0.key >= step }
        return beginBatch()
    }

    // MARK: Key

    mutating func beginKey(modulus n: BigInteger, p: BigInteger, q: BigInteger) -> [KeyGenerationMessage] {
        modulus = n
        let kappa = KeyGenerationParameters.statisticalSecurity
        let phi = index == 1 ? n + 1 - p - q : -(p + q)
        primeShares = []
        moduli = []
        let beta = BigInteger.random(below: n)
        let maskBound = (n * BigInteger(parties)).shiftedLeft(kappa)
        let mask = BigInteger.random(below: maskBound)
        let phiBound = parameters.coefficientBound(secretBound: BigInteger(1).shiftedLeft(parameters.bits + 1))
        let betaBound = parameters.coefficientBound(secretBound: n)
        let maskCoefficientBound = parameters.coefficientBound(secretBound: maskBound)
        // Hides every coefficient of the opened product polynomial: 2^κ above the largest of Φ·B + N·R′.
        let square = BigInteger(parties * parties * threshold)
        let zeroBound = (square * phiBound * betaBound + n * BigInteger(parties) * maskCoefficientBound).shiftedLeft(kappa)
        let columns = [
            integers.shares(of: phi, degree: threshold - 1, coefficientBound: phiBound),
            integers.shares(of: beta, degree: threshold - 1, coefficientBound: betaBound),
            integers.shares(of: mask, degree: threshold - 1, coefficientBound: maskCoefficientBound, negative: true),
            integers.shares(of: .zero, degree: parameters.productDegree, coefficientBound: zeroBound),
        ]
        phase = .keyDeal
        return dealBlocks(columns)
    }

    mutating func keyDealt(_ received: [[BigInteger]]) -> [KeyGenerationMessage] {
        let sum = { (position: Int) in received.reduce(BigInteger.zero) { $0 + $1[position] } }
        maskPolynomialShare = sum(2)
        let opened = sum(0) * sum(1) + modulus * maskPolynomialShare + sum(3)
        phase = .keyReveal
        return send([[opened]], privately: false)
    }

    mutating func keyRevealed(_ received: [[BigInteger]]) throws(KeyGenerationError) -> [KeyGenerationMessage] {
        let delta = parameters.delta
        let gamma = try Self.openGamma(received, sharing: integers, degree: parameters.productDegree, step: step)
        guard let u = gamma.modulo(modulus).inverse(modulo: modulus) else { throw .degenerateKey }
        keySecret = u * (gamma - modulus * maskPolynomialShare)
        maskPolynomialShare = .zero
        guard keySecret.signum > 0 else { throw .degenerateKey }
        let nSquared = modulus * modulus
        let v = PublicCoin.verificationBase(session: session, modulus: modulus)
        phase = .keyPublish
        return send([[v.power(secretExponent: delta * keySecret, modulo: nSquared)]], privately: false)
    }

    mutating func keyPublished(_ received: [[BigInteger]]) throws(KeyGenerationError) -> [KeyGenerationMessage] {
        let key = try Self.publicKey(
            modulus: modulus, verificationKeys: received.map { $0[0] }, parameters: parameters, session: session,
            signingKeys: signingKeys, coordinatorKey: coordinatorKey, allowInsecureKeySize: allowInsecureKeySize)
        let share: KeyShare
        do {
            share = try KeyShare(publicKey: key, index: index, secret: keySecret, signingKey: signingKey)
        } catch {
            throw .inconsistentVerificationKeys
        }
        keySecret = .zero
        publicKey = key
        self.share = share
        let decryption = share.decryptionShare(of: Self.testCiphertext(session: session, key: key), session: session)
        phase = .keyCheck
        return send([[decryption.value, decryption.challenge, decryption.response]], privately: false)
    }

    mutating func keyChecked(_ received: [[BigInteger]]) throws(KeyGenerationError) -> [KeyGenerationMessage] {
        guard let publicKey, let share else { return [] }
        try Self.checkTestDecryption(Self.decryptionShares(received), key: publicKey, session: session)
        result = KeyGenerationResult(
            share: share, batches: batch + 1, candidates: (batch + 1) * batchSize, biprimalityCandidates: biprimalityCandidates)
        return []
    }

    /// Γ from every party's point of the opened product polynomial (integers, degree 2t − 2, checked on every point).
    static func openGamma(_ received: [[BigInteger]], sharing: ShamirSharing, degree: Int, step: Int) throws(KeyGenerationError) -> BigInteger {
        guard let scaled = ShamirSharing.Reconstruction(sharing, degree: degree).value(received.map { $0[0] }), scaled.isDivisible(by: sharing.scale)
        else { throw .inconsistentShares(step: step) }
        return scaled.dividedExactly(by: sharing.scale)
    }

    /// The threshold key of modulus n and the published verification keys, once they lie on one polynomial.
    static func publicKey(
        modulus n: BigInteger, verificationKeys: [BigInteger], parameters: KeyGenerationParameters, session: Data, signingKeys: [Data],
        coordinatorKey: Data, allowInsecureKeySize: Bool
    ) throws(KeyGenerationError) -> ThresholdPublicKey {
        let sharing = ShamirSharing.integers(parties: parameters.parties, delta: parameters.delta)
        guard verificationKeysAgree(verificationKeys, sharing: sharing, threshold: parameters.threshold, modulus: n * n) else {
            throw .inconsistentVerificationKeys
        }
        do {
            let paillierKey = try PaillierPublicKey(validatingModulus: n, allowInsecureKeySize: allowInsecureKeySize)
            return try ThresholdPublicKey(
                paillierKey: paillierKey, partyCount: parameters.parties, threshold: parameters.threshold,
                v: PublicCoin.verificationBase(session: session, modulus: n), verificationKeys: verificationKeys,
                signingKeys: signingKeys, coordinatorKey: coordinatorKey)
        } catch {
            throw .inconsistentVerificationKeys
        }
    }

    /// Every party's test decryption share from its published (value, challenge, response).
    static func decryptionShares(_ received: [[BigInteger]]) -> [DecryptionShare] {
        received.enumerated().map { i, values in DecryptionShare(party: i + 1, value: values[0], challenge: values[1], response: values[2]) }
    }

    /// The ciphertext every new key must decrypt: (1 + N)^m·r^N mod N² with m and r from a public coin.
    public static func testCiphertext(session: Data, key: ThresholdPublicKey) -> PaillierCiphertext {
        let (m, r) = PublicCoin.testEncryption(session: session, modulus: key.n)
        let value = (BigInteger(1) + m * key.n).multiplied(by: r.power(key.n, modulo: key.nSquared), modulo: key.nSquared)
        return PaillierCiphertext(unchecked: value)
    }

    /// Checks every party's test decryption share against its verification key (naming the first that fails) and
    /// that t of them combine to the test plaintext.
    public static func checkTestDecryption(_ shares: [DecryptionShare], key: ThresholdPublicKey, session: Data) throws(KeyGenerationError) {
        let ciphertext = testCiphertext(session: session, key: key)
        for share in shares {
            do { try share.verify(for: ciphertext, key: key, session: session) } catch { throw .invalidDecryptionShare(party: share.party) }
        }
        guard let plaintext = try? key.combine(verified: shares),
            plaintext == PublicCoin.testEncryption(session: session, modulus: key.n).plaintext
        else { throw .testDecryptionFailed }
    }

    /// Whether v₁…v_ℓ lie on one polynomial of degree t − 1 in the exponent: vⱼ^Δ = ∏_{i≤t} vᵢ^(λᵢ(j)) for every
    /// j > t, with λ Δ-scaled Lagrange coefficients.
    static func verificationKeysAgree(_ keys: [BigInteger], sharing: ShamirSharing, threshold: Int, modulus: BigInteger) -> Bool {
        guard keys.count > threshold else { return true }
        return (threshold + 1...keys.count).allSatisfy { j in
            let lambdas = sharing.coefficients(degree: threshold - 1, target: j)
            var product = BigInteger(1)
            for (i, lambda) in lambdas.enumerated() {
                guard let base = lambda.isNegative ? keys[i].inverse(modulo: modulus) : keys[i] else { return false }
                product.formProduct(with: base.power(lambda.magnitude, modulo: modulus), modulo: modulus)
            }
            return product == keys[j - 1].power(sharing.scale, modulo: modulus)
        }
    }
}
