import BigNum
import Crypto
import Foundation
import MultiParty
import Paillier
import Summa

/// The side of a join that brings identifiers with values (the `--connect` side of `summa join`): it holds the
/// Paillier key, learns the recipient's list size and nothing else, and adds the noise when asked for differential
/// privacy (``JoinNoise``).
///
/// It blinds the recipient's points again by its key β and returns them shuffled, with the noise rows' points; then
/// streams its rows in a random order, each as β·H(b) and Paillier ciphertexts of its values (packed, ``JoinLayout``),
/// noise rows among them; finally decrypts the masked totals it is sent, adds its noise, and returns them.
public struct JoinContributor: PeerMachine {
    public typealias Outcome = JoinContribution

    enum Phase { case hello, points, streaming, masked, done }

    let list: JoinList
    let privateKey: PaillierPrivateKey
    let minimumIntersection: Int
    let key = JoinKey()
    var channel: JoinChannel
    var phase = Phase.hello
    var hello: JoinMessage.Hello?
    var doubled: [JoinPoint] = []
    let noise: JoinNoise?
    var offer: JoinMessage.Offer?
    /// The rows in the order they are sent: indices below the list's count are rows of the list, the others noise rows.
    var order: [Int32] = []
    /// Per noise row, its point (k·G for a matching one, a random point otherwise).
    var dummyPoints: [JoinPoint] = []
    var queued: [Envelope] = []
    var doubledSent = 0
    var rowsSent = 0
    public private(set) var outcome: JoinContribution?
    /// Called with (rows sent, rows to send) as the rows go out: a terminal's progress line.
    public var progress: (@Sendable (Int, Int) -> Void)?

    /// The contributor of `list` (identifiers, values, groups), under `privateKey`, with noise for `budget` if given
    /// (drawn now: a budget the list cannot meet is refused before anything is sent), signing with `signingKey` and
    /// talking only to the holder of `recipientKey`.
    public init(
        list: JoinList, privateKey: PaillierPrivateKey, budget: PrivacyBudget?, minimumIntersection: Int,
        signingKey: Curve25519.Signing.PrivateKey, recipientKey: Data
    ) throws(PrivateJoinError) {
        var generator = SecureRandomNumberGenerator()
        noise = try budget.map { (budget) throws(PrivateJoinError) in
            try JoinNoise(budget: budget, columns: list.columns, groups: list.groupNames.count, keep: list.keep, using: &generator)
        }
        self.list = list
        self.privateKey = privateKey
        self.minimumIntersection = minimumIntersection
        channel = JoinChannel(
            session: Data(), signingKey: signingKey, roster: [recipientKey, signingKey.publicKey.rawRepresentation], sender: 2)
    }

    public mutating func nextMessage() async throws -> Envelope? {
        if !queued.isEmpty { return queued.removeFirst() }
        guard phase == .streaming, let offer else { return nil }
        if doubledSent < doubled.count {
            let end = min(doubled.count, doubledSent + JoinMessage.maximumRecords)
            defer { doubledSent = end }
            return channel.seal(.doubled(first: doubledSent, points: Array(doubled[doubledSent..<end])))
        }
        doubled = []
        guard rowsSent < order.count else {
            // A join of the size alone (no column, nothing kept) has no totals to decrypt.
            if offer.layout.ciphertextsPerRow == 0 {
                outcome = JoinContribution(recipientRows: hello!.rows, rows: list.count, noise: offer.noise)
                phase = .done
            } else {
                phase = .masked
            }
            return nil
        }
        // About 1 MiB of records per message.
        let chunk = max(1, min(JoinMessage.maximumRecords, (1 << 20) / offer.rowRecordSize))
        let end = min(order.count, rowsSent + chunk)
        let records = await rowRecords(Array(order[rowsSent..<end]), offer: offer)
        progress?(end, order.count)
        defer { rowsSent = end }
        return channel.seal(.rows(first: rowsSent, records: records))
    }

    public mutating func received(_ payload: Data) async throws {
        let message = try channel.open(payload, adopting: phase == .hello)
        switch (phase, message) {
        case (.hello, .hello(let hello)):
            guard hello.rule == list.rule else {
                throw PrivateJoinError.incompatible(
                    "the recipient normalizes identifiers by \(hello.rule.rawValue), this side by \(list.rule.rawValue): both must use --case-fold, or neither")
            }
            guard key.blind(hello.publicPoint) != nil else { throw PrivateJoinError.protocolViolation("join-hello: the public point is not on P-256") }
            self.hello = hello
            phase = .points
            if hello.rows == 0 { try prepare() }
        case (.points, .points(let first, let list)):
            guard let hello, first == doubled.count, doubled.count + list.count <= hello.rows else {
                throw PrivateJoinError.protocolViolation("join-points: points \(first)… out of order or beyond the \(hello?.rows ?? 0) announced")
            }
            let key = key
            let blinded = await parallelMap(list) { key.blind($0) }
            for (index, point) in blinded.enumerated() {
                guard let point else { throw PrivateJoinError.protocolViolation("join-points: point \(first + index) is not on P-256") }
                doubled.append(point)
            }
            if doubled.count == hello.rows { try prepare() }
        case (.masked, .masked(let ciphertexts)):
            try decrypt(ciphertexts)
        default:
            throw PrivateJoinError.protocolViolation("an unexpected \(message.round.rawValue) message")
        }
    }

    public func abortMessage(reason: String) -> Envelope? {
        channel.session.isEmpty ? nil : channel.seal(.abort(reason: reason))
    }

    /// Every point of the recipient is in: draws the noise, lays out the rows, and queues the offer.
    mutating func prepare() throws(PrivateJoinError) {
        let hello = hello!
        // Slot totals: at most every row's value (or 1, a count), plus the noise's bound.
        let rows = BigInteger(list.count)
        var bounds = list.columns.map { rows * $0.magnitude }
        if !list.groupNames.isEmpty { bounds.append(rows) }
        if let noise {
            let perGroup = bounds.count
            bounds = bounds.enumerated().map { index, bound in bound + noise.slotBounds[index % perGroup] }
        }
        let layout = try JoinLayout(
            columns: list.columns.map { JoinLayout.Column(name: $0.name, scale: $0.scale) }, groups: list.groupNames,
            width: JoinLayout.width(for: bounds + [1]), modulusBits: privateKey.publicKey.n.bitWidth)
        let dummies = noise?.dummies ?? 0
        // Noise rows: a matching one is x·G, and x·(αG) joins the recipient's doubled points; the others are
        // random points, and as many random points join the doubled points, so that neither count shows which.
        let alphaG = hello.publicPoint
        for index in 0..<dummies {
            let x = JoinKey()
            dummyPoints.append(x.publicPoint)
            doubled.append(index < noise!.matchingDummies ? x.blind(alphaG)! : JoinKey().publicPoint)
        }
        doubled.shuffle()
        order = Array(0..<Int32(list.count + dummies)).shuffled()
        let offer = JoinMessage.Offer(
            modulus: privateKey.publicKey.n, layout: layout, keep: list.keep, rows: list.count + dummies, dummies: dummies,
            offset: noise?.offset ?? 0, minimumIntersection: minimumIntersection,
            noise: noise.map { noise in
                JoinMessage.NoiseDescription(
                    epsilon: noise.budget.epsilon, delta: noise.budget.delta!,
                    families: noise.families.map { .init(name: $0.name, sigma: String(format: "%.2f", $0.sigma)) })
            })
        self.offer = offer
        queued.append(channel.seal(.offer(offer)))
        phase = .streaming
    }

    /// The records of the rows at `indices`: each row's point blinded by β and its packed values encrypted.
    func rowRecords(_ indices: [Int32], offer: JoinMessage.Offer) async -> [UInt8] {
        let list = list, key = key, privateKey = privateKey, dummyPoints = dummyPoints
        let layout = offer.layout, n = privateKey.publicKey.n, width = offer.ciphertextSize
        let zero = [BigInteger](repeating: 0, count: layout.ciphertextsPerRow)
        let records = await parallelMap(indices) { index -> [UInt8] in
            let row = Int(index)
            let point: JoinPoint
            let plaintexts: [BigInteger]
            if row < list.count {
                point = key.blind(list.points[row])!
                let columns = list.columns.count
                plaintexts = layout.pack(values: list.values[row * columns..<(row + 1) * columns], group: Int(list.groups[row]), modulus: n)
            } else {
                point = dummyPoints[row - list.count]
                plaintexts = zero
            }
            var record = point.bytes
            for plaintext in plaintexts { record += privateKey.encrypt(plaintext).value.bigEndianBytes(minimumCount: width) }
            return record
        }
        return Array(records.joined())
    }

    /// Decrypts the masked totals, adds the noise, and answers.
    mutating func decrypt(_ ciphertexts: [BigInteger]) throws(PrivateJoinError) {
        let offer = offer!, publicKey = privateKey.publicKey
        guard ciphertexts.count == offer.layout.ciphertextsPerRow,
            ciphertexts.allSatisfy({ !$0.isNegative && $0 < publicKey.nSquared && BigInteger.gcd($0, publicKey.n) == 1 })
        else {
            throw .protocolViolation("join-masked: \(ciphertexts.count) ciphertexts of the key expected \(offer.layout.ciphertextsPerRow)")
        }
        var plaintexts = ciphertexts.map { privateKey.decrypt(PaillierCiphertext(unchecked: $0)) }
        if let noise {
            let added = offer.layout.pack(noise.slotNoise, modulus: publicKey.n)
            plaintexts = zip(plaintexts, added).map { ($0 + $1).modulo(publicKey.n) }
        }
        queued.append(channel.seal(.decrypted(plaintexts)))
        outcome = JoinContribution(recipientRows: hello!.rows, rows: list.count, noise: offer.noise)
        phase = .done
    }
}

/// What the contributor learns from a join: the recipient's list size. It sees no result.
public struct JoinContribution: Sendable, Equatable {
    public let recipientRows: Int
    public let rows: Int
    public let noise: JoinMessage.NoiseDescription?
}
