import BigNum
import Crypto
import Foundation
import MultiParty
import Paillier

/// The side of a join that brings identifiers only and learns the result (the `--listen` side of `summa join`).
///
/// It sends its identifiers blinded by its key α, shuffled; receives them blinded again by the contributor's β (with
/// the noise rows' points), shuffled, and the contributor's rows (β·H(b) and Paillier ciphertexts of the row's
/// values under the contributor's key); blinds each row's point by α and, when it is among its own doubly blinded
/// points, multiplies the row's ciphertexts into the totals. It never sees which of its identifiers matched, only
/// how many rows did. It masks the totals with uniform values mod n, has the contributor decrypt them (and add its
/// noise), and unmasks.
public struct JoinRecipient: PeerMachine {
    public typealias Outcome = JoinResult

    enum Phase { case hello, points(next: Int), offer, doubled, rows, decrypted, done }

    let points: [JoinPoint]
    let rule: JoinIdentifier.Rule
    let minimumIntersection: Int
    let allowInsecureKeySize: Bool
    let key = JoinKey()
    var channel: JoinChannel
    var phase = Phase.hello
    var blinded: [JoinPoint] = []
    var offer: JoinMessage.Offer?
    var publicKey: PaillierPublicKey?
    var doubled: Set<JoinPoint> = []
    var doubledCount = 0
    var rowsReceived = 0
    var matches = 0
    var totals: [BigInteger] = []
    var masks: [BigInteger] = []
    var queued: [Envelope] = []
    public private(set) var outcome: JoinResult?
    /// Called with (rows received, rows announced) as the contributor's rows arrive: a terminal's progress line.
    public var progress: (@Sendable (Int, Int) -> Void)?

    /// The recipient of a join of `list` (its identifiers), signing with `signingKey` and talking only to the holder
    /// of `contributorKey`. It releases nothing when fewer than `minimumIntersection` rows match (after noise).
    public init(
        list: JoinList, rule: JoinIdentifier.Rule, minimumIntersection: Int, signingKey: Curve25519.Signing.PrivateKey,
        contributorKey: Data, allowInsecureKeySize: Bool = false
    ) {
        points = list.points
        self.rule = rule
        self.minimumIntersection = minimumIntersection
        self.allowInsecureKeySize = allowInsecureKeySize
        let session = Data(SecureRandomNumberGenerator.bytes(32))
        channel = JoinChannel(
            session: session, signingKey: signingKey, roster: [signingKey.publicKey.rawRepresentation, contributorKey], sender: 1)
    }

    public mutating func nextMessage() async throws -> Envelope? {
        switch phase {
        case .hello:
            phase = .points(next: 0)
            return channel.seal(.hello(.init(
                rows: points.count, publicPoint: key.publicPoint, rule: rule, minimumIntersection: minimumIntersection)))
        case .points(let next):
            if next == 0 && !points.isEmpty {
                let key = key
                // Our own points are on the curve: blinding them cannot fail.
                blinded = await parallelMap(points) { key.blind($0)! }.shuffled()
            }
            guard next < blinded.count else {
                phase = .offer
                blinded = []
                return nil
            }
            let end = min(blinded.count, next + JoinMessage.maximumRecords)
            phase = .points(next: end)
            return channel.seal(.points(first: next, points: Array(blinded[next..<end])))
        default:
            return queued.isEmpty ? nil : queued.removeFirst()
        }
    }

    public mutating func received(_ payload: Data) async throws {
        let message = try channel.open(payload)
        switch (phase, message) {
        case (.offer, .offer(let offer)):
            try accept(offer)
        case (.doubled, .doubled(let first, let list)):
            guard let offer, first == doubledCount, doubledCount + list.count <= points.count + offer.dummies else {
                throw PrivateJoinError.protocolViolation("join-doubled: points \(first)… out of order or beyond the \(points.count + (offer?.dummies ?? 0)) announced")
            }
            doubled.formUnion(list)
            doubledCount += list.count
            if doubledCount == points.count + offer.dummies { try beginRows() }
        case (.rows, .rows(let first, let records)):
            try await take(first: first, records: records)
        case (.decrypted, .decrypted(let plaintexts)):
            try finish(plaintexts)
        default:
            throw PrivateJoinError.protocolViolation("an unexpected \(message.round.rawValue) message")
        }
    }

    public func abortMessage(reason: String) -> Envelope? { channel.seal(.abort(reason: reason)) }

    mutating func accept(_ offer: JoinMessage.Offer) throws(PrivateJoinError) {
        do {
            publicKey = try PaillierPublicKey(validatingModulus: offer.modulus, allowInsecureKeySize: allowInsecureKeySize)
        } catch {
            throw .protocolViolation("join-offer: the contributor's key: \(error)")
        }
        guard offer.rows >= offer.dummies, offer.rows - offer.dummies <= JoinMessage.maximumRows else {
            throw .protocolViolation("join-offer: \(offer.rows) rows cannot hold \(offer.dummies) noise rows")
        }
        guard (offer.noise == nil) == (offer.dummies == 0) else {
            throw .protocolViolation("join-offer: noise rows without noise, or noise without noise rows")
        }
        self.offer = offer
        totals = Array(repeating: 1, count: offer.layout.ciphertextsPerRow)
        phase = .doubled
        if points.count + offer.dummies == 0 { try beginRows() }
    }

    /// Rows may come once every doubled point is in.
    mutating func beginRows() throws(PrivateJoinError) {
        phase = .rows
        if offer!.rows == 0 { try concludeRows() }
    }

    mutating func take(first: Int, records: [UInt8]) async throws(PrivateJoinError) {
        let offer = offer!, publicKey = publicKey!
        let size = offer.rowRecordSize
        guard first == rowsReceived, records.count % size == 0, records.count / size <= JoinMessage.maximumRecords,
            rowsReceived + records.count / size <= offer.rows
        else {
            throw .protocolViolation("join-rows: rows \(first)… out of order, of the wrong size, or beyond the \(offer.rows) announced")
        }
        let count = records.count / size
        let key = key
        let blinded = await parallelMap(Array(0..<count)) { row in
            key.blind(JoinPoint(unchecked: records[row * size..<row * size + JoinPoint.byteCount]))
        }
        for (row, point) in blinded.enumerated() {
            guard let point else { throw .protocolViolation("join-rows: row \(first + row)'s point is not on P-256") }
            guard doubled.contains(point) else { continue }
            matches += 1
            for index in totals.indices {
                let start = row * size + JoinPoint.byteCount + index * offer.ciphertextSize
                let ciphertext = BigInteger(bigEndianBytes: records[start..<start + offer.ciphertextSize])
                guard ciphertext < publicKey.nSquared, !ciphertext.isZero else {
                    throw .protocolViolation("join-rows: row \(first + row)'s ciphertext \(index + 1) is not below n²")
                }
                totals[index] = totals[index].multiplied(by: ciphertext, modulo: publicKey.nSquared)
            }
        }
        rowsReceived += count
        progress?(rowsReceived, offer.rows)
        if rowsReceived == offer.rows { try concludeRows() }
    }

    /// All rows are in: refuse a small intersection, else send the masked totals.
    mutating func concludeRows() throws(PrivateJoinError) {
        let offer = offer!, publicKey = publicKey!
        // Under noise the count can fall below zero; a size below zero means nothing.
        let size = max(0, matches - offer.offset)
        guard size >= max(minimumIntersection, offer.minimumIntersection) else {
            throw .intersectionTooSmall(minimum: max(minimumIntersection, offer.minimumIntersection))
        }
        guard !totals.isEmpty else {
            // The size alone: nothing to decrypt.
            outcome = try JoinResult(
                recipientRows: points.count, contributorRows: offer.rows - offer.dummies, size: size, layout: offer.layout,
                keep: offer.keep, slots: [], noise: offer.noise)
            phase = .done
            return
        }
        masks = totals.map { _ in BigInteger.random(below: publicKey.n) }
        let masked = zip(totals, masks).map { total, mask in
            total.multiplied(by: publicKey.encrypt(mask).value, modulo: publicKey.nSquared)
        }
        doubled = []
        queued.append(channel.seal(.masked(masked)))
        phase = .decrypted
    }

    mutating func finish(_ plaintexts: [BigInteger]) throws(PrivateJoinError) {
        let offer = offer!, n = publicKey!.n
        guard plaintexts.count == masks.count, plaintexts.allSatisfy({ !$0.isNegative && $0 < n }) else {
            throw .protocolViolation("join-decrypted: \(plaintexts.count) plaintexts below n expected \(masks.count)")
        }
        let totals = zip(plaintexts, masks).map { ($0 - $1).modulo(n) }
        guard let slots = offer.layout.unpack(totals, modulus: n) else {
            throw .protocolViolation("join-decrypted: the totals do not split into the offer's slots")
        }
        outcome = try JoinResult(
            recipientRows: points.count, contributorRows: offer.rows - offer.dummies, size: max(0, matches - offer.offset),
            layout: offer.layout, keep: offer.keep, slots: slots, noise: offer.noise)
        phase = .done
    }
}
