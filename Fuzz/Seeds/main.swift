// Writes the generated part of the seed corpora (Fuzz/tools/make-seeds.sh runs it):
//     FuzzSeeds <corpus folder> <Tests/TestSupport/Fixtures folder>
// In-memory sessions of the committed test deal in the fixed session of Fixtures.session (all five parties; four
// and the input deadline; two, which aborts), and Summa files made with the library. Every session seed is checked
// before it is written: the honest transcripts verify, and the party seed finishes through the placeholders.
import BigNum
import Foundation
import FuzzSupport
import KeyGeneration
import MultiParty
import Paillier
import PrivateJoin
import RangeProofs
import Crypto
import Summa
import SummaFormats

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: FuzzSeeds <corpus folder> <Tests/TestSupport/Fixtures folder>\n".utf8))
    exit(2)
}
let corpus = URL(fileURLWithPath: arguments[1])
let testFixtures = URL(fileURLWithPath: arguments[2])

func write(_ harness: String, _ name: String, _ data: Data) throws {
    let folder = corpus.appendingPathComponent(harness)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try data.write(to: folder.appendingPathComponent(name))
}

func write(_ harness: String, _ name: String, _ text: String) throws { try write(harness, name, Data(text.utf8)) }

func check(_ condition: Bool, _ message: String) {
    if !condition { Fuzz.setupFailed("seed check failed: \(message)") }
}

/// One in-memory session: the coordinator and the parties present, every message delivered at once.
struct Session {
    var coordinator: CoordinatorMachine
    var parties: [Int: PartyMachine]
    /// What the coordinator harness replays: each party frame in order, and where the deadline passed.
    var records = Data()
    /// The coordinator's payloads to each party, and each party's to the coordinator.
    var toParty: [Int: [Data]] = [:]
    var fromParty: [Int: [Data]] = [:]
    var finished: SessionResult?
    var failed = false

    /// The seed session with `present` parties, or another coordinator's with those parties' machines.
    init(present: [Int], coordinator: CoordinatorMachine = Fixtures.coordinator(), party: (Int) -> PartyMachine = Fixtures.party) {
        self.coordinator = coordinator
        parties = Dictionary(uniqueKeysWithValues: present.map { ($0, party($0)) })
        // Party k on connection k, authenticated as the server reports it (op 4, then the party).
        for party in present.sorted() {
            records += [UInt8((party - 1) << 4 | 4), UInt8(party)]
            run(self.coordinator.connected(party, as: party))
        }
    }

    mutating func run(_ initial: [CoordinatorMachine.Action]) {
        var queue = initial
        while !queue.isEmpty {
            switch queue.removeFirst() {
            case .send(let connection, let envelope):
                toParty[connection, default: []].append(envelope.payload)
                guard var party = parties[connection] else { continue }
                for case .send(let reply) in party.received(envelope.payload) {
                    fromParty[connection, default: []].append(reply.payload)
                    let frame = FrameDecoder.frame(reply.payload)
                    records.append(UInt8((connection - 1) << 4))  // op 0: bytes from `connection`
                    records.append(contentsOf: [UInt8(frame.count >> 8), UInt8(frame.count & 0xFF)])
                    records += frame
                    queue += coordinator.received(reply.payload, from: connection)
                }
                parties[connection] = party
            case .finished(let result): finished = result
            case .failed: failed = true
            case .close, .startDeadline, .log: continue
            }
        }
    }

    mutating func deadline() {
        records.append(0x03)
        run(coordinator.deadlinePassed())
    }

    var transcript: Data { TranscriptVerifier.jsonLines(coordinator.transcript) }
}

/// The coordinator's messages to party 1, with party 1's own input and everything derived from it replaced by the
/// party harness's placeholders.
func partyTemplate(_ payloads: [Data]) -> Data {
    func placeholder(_ text: String) -> JSONValue { .string(text) }
    var frames = Data()
    for payload in payloads {
        guard let envelope = try? Envelope(parsing: payload), case .object(var body) = envelope.body else {
            check(false, "an unreadable coordinator message")
            continue
        }
        func replace(_ key: String, _ transform: (JSONValue) -> JSONValue) {
            if let index = body.firstIndex(where: { $0.0 == key }) { body[index].1 = transform(body[index].1) }
        }
        switch envelope.round {
        case .acceptedList:
            replace("entries") { entries in
                guard case .array(let items) = entries else { return entries }
                return .array(items.map { item in
                    guard case .object(var fields) = item, item["party"] == .integer(1) else { return item }
                    for index in fields.indices where fields[index].0 == "input" { fields[index].1 = placeholder("@input") }
                    for index in fields.indices where fields[index].0 == "signature" { fields[index].1 = placeholder("@signature") }
                    return .object(fields)
                })
            }
        case .echoes:
            replace("echoes") { echoes in
                guard case .array(let items) = echoes else { return echoes }
                return .array(items.map { item in
                    guard case .integer(let sender)? = item["sender"] else { return item }
                    return placeholder("@echo\(sender)")
                })
            }
        case .result:
            replace("shares") { shares in
                guard case .array(let items) = shares else { return shares }
                return .array(items.map { item in
                    guard case .integer(let party)? = item["party"] else { return item }
                    return placeholder("@share\(party)")
                })
            }
        default: break
        }
        let templated = Envelope(
            session: envelope.session, round: envelope.round, sender: envelope.sender, body: .object(body),
            signature: envelope.signature)
        frames += FrameDecoder.frame(templated.payload)
    }
    return frames
}

/// Runs the party harness's logic on a party seed: how far party 1 gets.
func replayParty(_ frames: Data) -> PartyMachine.Action? {
    var party = Fixtures.party(1)
    var decoder = FrameDecoder()
    var placeholders = PartyPlaceholders()
    for payload in (try? decoder.append(frames)) ?? [] {
        let delivered = placeholders.fill(payload)
        placeholders.delivered(delivered)
        for action in party.received(delivered) {
            switch action {
            case .send(let envelope): placeholders.sent(envelope)
            case .finished, .failed: return action
            }
        }
    }
    return nil
}

do {
    let key = Fixtures.publicKey

    // MARK: sessions
    let all = Session(present: [1, 2, 3, 4, 5])
    check(all.finished != nil, "the five-party session did not finish")
    var four = Session(present: [1, 2, 3, 4])
    four.deadline()
    check(four.finished != nil, "the four-party session did not finish after the deadline")
    var two = Session(present: [1, 2])
    two.deadline()
    check(two.failed, "the two-party session did not abort")
    for session in [all, four] {
        do { _ = try TranscriptVerifier.verify(session.transcript, key: key) } catch {
            check(false, "an honest transcript does not verify: \(error)")
        }
    }

    try write("FuzzCoordinator", "five-parties", all.records)
    try write("FuzzCoordinator", "four-parties-then-deadline", four.records)
    try write("FuzzCoordinator", "two-parties-then-deadline", two.records)
    // The five-party session again with every frame signed anew by its sender (op 1).
    var resigned = all.records
    var index = 0
    while index < resigned.count {
        let op = resigned[index]
        if op & 4 != 0 { index += 2; continue }  // authenticates: op, party
        guard op & 3 < 2 else { index += 1; continue }
        resigned[index] = op | 1
        index += 3 + (Int(resigned[index + 1]) << 8 | Int(resigned[index + 2]))
    }
    try write("FuzzCoordinator", "five-parties-resigned", resigned)
    // The five-party session with connection 6 sending party 1's input first without authenticating (it must only
    // be closed), and with connection 6 authenticating as party 1 once the five have (refused: party 1 is connected).
    if let input = all.fromParty[1]?.first {
        let frame = FrameDecoder.frame(input)
        let unauthenticated = Data([5 << 4, UInt8(frame.count >> 8), UInt8(frame.count & 0xFF)]) + frame
        try write("FuzzCoordinator", "unauthenticated", unauthenticated + all.records)
        let joins = 5 * 2  // the five authentication records the session's records start with
        try write("FuzzCoordinator", "duplicate-party", all.records.prefix(joins) + Data([5 << 4 | 4, 1]) + all.records.dropFirst(joins))
    }

    try write("FuzzTranscript", "five-parties.jsonl", all.transcript)
    try write("FuzzTranscript", "four-parties.jsonl", four.transcript)
    try write("FuzzTranscript", "aborted.jsonl", two.transcript)
    // A session with declared ranges (amount 0 to 1000.00, fee ±5.00): every input carries a range proof.
    let ranged = Session(
        present: [1, 2, 3, 4, 5],
        coordinator: CoordinatorMachine(
            key: key, scale: Fixtures.scale, minimumInputs: Fixtures.minimumInputs, inputDeadline: Fixtures.inputDeadline,
            length: 2, names: ["amount", "fee"], valueBound: 100_000,
            ranges: [ValueRange(lower: 0, upper: 100_000)!, ValueRange(symmetric: 500)], session: Fixtures.session),
        party: { index in
            PartyMachine(
                share: Fixtures.deal.shares[index - 1], values: [try! FixedPoint(parsing: "\(index * 100).25"), try! FixedPoint(parsing: "-1.5")],
                names: ["amount", "fee"])
        })
    check(ranged.finished?.ranges.count == 2, "the ranged session did not finish")
    do { _ = try TranscriptVerifier.verify(ranged.transcript, key: key) } catch {
        check(false, "the ranged transcript does not verify: \(error)")
    }
    try write("FuzzTranscript", "ranged-five-parties.jsonl", ranged.transcript)
    for payload in ranged.fromParty[1] ?? [] {
        guard let envelope = try? Envelope(parsing: payload), envelope.round == .input else { continue }
        try write("FuzzFrames", "input-with-range-proof", Data([7]) + FrameDecoder.frame(payload))
    }
    if let header = ranged.toParty[1]?.first {
        try write("FuzzFrames", "header-with-ranges", Data([7]) + FrameDecoder.frame(header))
    }

    let honest = partyTemplate(all.toParty[1] ?? [])
    guard case .finished? = replayParty(honest) else { check(false, "the party seed does not finish"); exit(1) }
    try write("FuzzParty", "five-parties", honest)
    try write("FuzzParty", "four-parties", partyTemplate(four.toParty[1] ?? []))
    try write("FuzzParty", "aborted", partyTemplate(two.toParty[1] ?? []))

    // Frames: the whole session as party 1's socket pair saw it (control byte 0: one chunk), a few envelopes of
    // each round alone, chunked (control 7), and a header refused by a 32-byte maximum (control 0x82).
    let party1 = (all.toParty[1] ?? []) + (all.fromParty[1] ?? [])
    try write("FuzzFrames", "session-party-1", Data([0]) + party1.reduce(Data()) { $0 + FrameDecoder.frame($1) })
    var rounds = Set<Envelope.Round>()
    for payload in party1 + (two.toParty[1] ?? []) {
        guard let envelope = try? Envelope(parsing: payload), rounds.insert(envelope.round).inserted else { continue }
        try write("FuzzFrames", envelope.round.rawValue, Data([7]) + FrameDecoder.frame(payload))
    }
    if let header = all.toParty[1]?.first {
        try write("FuzzFrames", "header-too-large", Data([0x82]) + FrameDecoder.frame(header))
    }

    // MARK: files
    try write("FuzzThresholdFile", "public.json", Fixtures.publicKeyFile + "\n")
    try write("FuzzThresholdFile", "party-1.json", Fixtures.shareFiles[0] + "\n")
    try write("FuzzSummaFile", "threshold-public.json", Fixtures.publicKeyFile + "\n")

    let small = try SummaFile.readPrivateKey(
        path: testFixtures.appendingPathComponent("small-private.json").path, allowInsecureKeySize: true)
    try write("FuzzSummaFile", "private-key.json", small.summaJSON.prettySerialized)
    try write("FuzzSummaFile", "private-key.jwk.json", small.pheJWK.serialized)
    try write("FuzzSummaFile", "public-key.json", small.publicKey.summaJSON.prettySerialized)
    try write("FuzzSummaFile", "public-key.jwk.json", small.publicKey.pheJWK().serialized)
    try write("FuzzSummaFile", "public-key-djn.json", small.addingFastEncryption().publicKey.summaJSON.prettySerialized)
    let fastDecryption = try SummaFile.readPrivateKey(
        path: testFixtures.appendingPathComponent("small-fast-decryption-private.json").path, allowInsecureKeySize: true)
    try write("FuzzSummaFile", "private-key-fast-decryption.json", fastDecryption.summaJSON.prettySerialized)
    try write("FuzzSummaFile", "public-key-fast-decryption.json", fastDecryption.publicKey.summaJSON.prettySerialized)
    let columns: [(name: String, values: [FixedPoint])] = [
        ("amount", try ["10.00", "-2.50", "0.25"].map { try FixedPoint(parsing: $0) }),
        ("fee", try ["0.125", "1", "-0.5"].map { try FixedPoint(parsing: $0) }),
    ]
    let table = try await EncryptedTable.encrypt(columns, with: .publicKey(small.publicKey), squares: true)
    try write("FuzzSummaFile", "encrypted.json", table.summaJSON.prettySerialized)
    let plain = try await EncryptedTable.encrypt(Array(columns.prefix(1)), with: .publicKey(small.publicKey))
    try write("FuzzSummaFile", "encrypted-no-squares.json", plain.summaJSON.prettySerialized)
    for kind in [AggregateKind.sum, .stats] {
        let aggregate = try Aggregation.aggregate([("encrypted.json", .encrypted(table))], kind: kind)
        try write("FuzzSummaFile", "aggregate-\(kind.rawValue).json", aggregate.summaJSON.prettySerialized)
    }
    let phe = try SummaFile.parse(
        try Data(contentsOf: testFixtures.appendingPathComponent("phe/column-5.json")), path: "column-5.json")
    guard case .pheCiphertexts = phe else { check(false, "phe/column-5.json holds no pheutil ciphertexts"); exit(1) }
    let pheKey = try SummaFile.readPublicKey(path: testFixtures.appendingPathComponent("phe/public.jwk.json").path)
    let pheAggregate = try Aggregation.aggregate([("column-5.json", phe)], kind: .mean, pheKey: pheKey)
    try write("FuzzSummaFile", "aggregate-phe-denominator.json", pheAggregate.summaJSON.prettySerialized)

    // Binary encrypted columns: packed with squares and unpacked, values of both signs and an empty cell.
    let recordsFolder = corpus.appendingPathComponent("FuzzRecordsFile")
    try FileManager.default.createDirectory(at: recordsFolder, withIntermediateDirectories: true)
    let rows: [[BigInteger?]] = [[1000, -125], [-250, nil], [25, 1000]]
    for (name, packed) in [("packed-squares.summa", true), ("unpacked.summa", false)] {
        let layout = try PackingLayout(columnCount: 2, squares: packed, keyBits: small.publicKey.bits, packed: packed)
        let header = try EncryptedRecords(
            publicKey: small.publicKey, columns: [.init(name: "amount", scale: 2), .init(name: "fee", scale: 3)], layout: layout)
        let plaintexts = stride(from: 0, to: rows.count, by: layout.rowsPerBlock).flatMap { start in
            let values = rows[start..<min(start + layout.rowsPerBlock, rows.count)].flatMap { $0 }
            let block = values + Array(repeating: nil, count: layout.valuesPerBlock - values.count)
            return layout.plaintexts(block: block, publicKey: small.publicKey)
        }
        let writer = try EncryptedRecords.Writer(path: recordsFolder.appendingPathComponent(name).path, header: header)
        try writer.append(await small.publicKey.encrypt(batch: plaintexts))
        try writer.finish(rows: rows.count, counts: [3, 2])
    }

    // A file with an analysis plan (a category, a histogram, a product, clipping) and its sum.
    let csv = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-seed-analysis.csv").path
    try Data("region,amount,fee\nnorth,10.00,0.125\nsouth,-2.50,1\nnorth,99.75,-0.5\n".utf8).write(to: URL(fileURLWithPath: csv))
    let analysisPath = recordsFolder.appendingPathComponent("analysis.summa").path
    _ = try await CSVEncryption.encrypt(
        csv: csv, columns: ["amount", "fee"],
        derivations: .init(
            categories: [.init(column: "region", levels: ["north", "south"], other: true)],
            bins: [.init(column: "amount", edges: [0, 50])], products: [.init("amount", "fee")],
            clips: [.init(column: "amount", lower: -50, upper: 50)]),
        to: analysisPath, with: .publicKey(small.publicKey), squares: true)
    try? FileManager.default.removeItem(atPath: csv)
    guard case .encryptedRecords(let analysisFile) = try SummaFile.read(path: analysisPath, allowInsecureKeySize: true) else {
        check(false, "analysis.summa does not read back"); exit(1)
    }
    let analysisSum = try await Aggregation.sum(records: analysisFile, allowInsecureKeySize: true)
    check(analysisSum.analysis != nil, "the sum of analysis.summa lost its plan")
    try write("FuzzSummaFile", "aggregate-analysis.json", analysisSum.summaJSON.prettySerialized)
    // A file with kept columns (its groups' blocks interleaved) and its sum by one of them.
    try Data("region,month,amount\nnorth,1,10.00\nsouth,1,-2.50\nnorth,2,99.75\nnorth,1,0.25\nsouth,2,1\n".utf8)
        .write(to: URL(fileURLWithPath: csv))
    let groupedPath = recordsFolder.appendingPathComponent("grouped.summa").path
    _ = try await CSVEncryption.encrypt(
        csv: csv, columns: ["amount"], to: groupedPath, with: .publicKey(small.publicKey), keep: ["region", "month"])
    try? FileManager.default.removeItem(atPath: csv)
    guard case .encryptedRecords(let groupedFile) = try SummaFile.read(path: groupedPath, allowInsecureKeySize: true) else {
        check(false, "grouped.summa does not read back"); exit(1)
    }
    let groupedSum = try Aggregation.aggregate(
        [(groupedPath, .aggregate(try await Aggregation.sum(records: groupedFile, allowInsecureKeySize: true)))], kind: .sum, by: ["region"])
    try write("FuzzSummaFile", "aggregate-grouped.json", groupedSum.summaJSON.prettySerialized)

    try write("FuzzCSV", "transactions.csv", SampleData.transactionsCSV(rows: 6))

    // Every message of a small private join, grouped with noise, as its frame's payload.
    let joinFolder = FileManager.default.temporaryDirectory.appendingPathComponent("summa-join-seeds-\(getpid())")
    try FileManager.default.createDirectory(at: joinFolder, withIntermediateDirectories: true)
    let visitors = joinFolder.appendingPathComponent("visitors.csv").path
    let purchases = joinFolder.appendingPathComponent("purchases.csv").path
    try Data("id\na\nb\nc\n".utf8).write(to: URL(fileURLWithPath: visitors))
    try Data("id,v,g\nb,1.5,x\nc,-2,y\nd,3,x\n".utf8).write(to: URL(fileURLWithPath: purchases))
    let (recipientKey, contributorKey) = (Curve25519.Signing.PrivateKey(), Curve25519.Signing.PrivateKey())
    var recipient = JoinRecipient(
        list: try await JoinList.read(path: visitors, identifierColumn: "id", rule: .exact), rule: .exact, minimumIntersection: 0,
        signingKey: recipientKey, contributorKey: contributorKey.publicKey.rawRepresentation, allowInsecureKeySize: true)
    var contributor = try JoinContributor(
        list: try await JoinList.read(
            path: purchases, identifierColumn: "id", rule: .exact, valueColumns: ["v"],
            clips: [.init(column: "v", lower: -5, upper: 5)], keep: "g"),
        privateKey: small, budget: try PrivacyBudget(epsilon: 1, delta: FixedPoint(parsing: "0.001")), minimumIntersection: 0,
        signingKey: contributorKey, recipientKey: recipientKey.publicKey.rawRepresentation)
    var joinRounds: [String: Int] = [:]
    func seed(_ envelope: Envelope) throws {
        joinRounds[envelope.round.rawValue, default: 0] += 1
        try write("FuzzJoin", "\(envelope.round.rawValue)-\(joinRounds[envelope.round.rawValue]!)", envelope.payload)
    }
    while recipient.outcome == nil {
        while let envelope = try await recipient.nextMessage() {
            try seed(envelope)
            try await contributor.received(envelope.payload)
        }
        while let envelope = try await contributor.nextMessage() {
            try seed(envelope)
            try await recipient.received(envelope.payload)
        }
    }
    try? FileManager.default.removeItem(at: joinFolder)
    try write("FuzzJoin", "abort", recipient.abortMessage(reason: "a reason")!.payload)

    // A key generation: its transcripts (of one batch, two and three: a window of dealing checks is pruned from the
    // third), each kind of envelope, and value lists.
    let keyGeneration = try KeyGenerationSeeds.transcript()
    try write("FuzzKeyGeneration", "transcript.jsonl", Data([2]) + TranscriptVerifier.jsonLines(keyGeneration))
    let threeBatches = try KeyGenerationSeeds.transcript(batches: 3)
    try write("FuzzKeyGeneration", "transcript-2-batches.jsonl", Data([2]) + TranscriptVerifier.jsonLines(KeyGenerationSeeds.transcript(batches: 2)))
    try write("FuzzKeyGeneration", "transcript-3-batches.jsonl", Data([2]) + TranscriptVerifier.jsonLines(threeBatches))
    // Dealing checks out of their window, which the verifier refuses: one repeated after the key is complete, and
    // one of the third batch among the parties' keys. (The fuzzer does not re-sign, so it moves lines, not steps.)
    let firstCheck = keyGeneration.first(where: KeyGenerationSeeds.isDealingCheck)!
    try write("FuzzKeyGeneration", "transcript-late-check.jsonl", Data([2]) + TranscriptVerifier.jsonLines(
        Array(keyGeneration.dropLast()) + [firstCheck, keyGeneration.last!]))
    let thirdBatchCheck = threeBatches.first { KeyGenerationSeeds.isDealingCheck($0) && KeyGenerationSeeds.step(of: $0) >= 96 }!  // batch 3: steps 96…127
    try write("FuzzKeyGeneration", "transcript-early-check.jsonl", Data([2]) + TranscriptVerifier.jsonLines(
        Array(threeBatches.prefix(6)) + [thirdBatchCheck] + threeBatches.dropFirst(6)))
    var keyGenerationRounds: [String: Int] = [:]
    for envelope in keyGeneration {
        keyGenerationRounds[envelope.round.rawValue, default: 0] += 1
        guard keyGenerationRounds[envelope.round.rawValue]! <= 3 else { continue }
        try write("FuzzKeyGeneration", "\(envelope.round.rawValue)-\(keyGenerationRounds[envelope.round.rawValue]!)", Data([1]) + envelope.payload)
    }
    try write("FuzzKeyGeneration", "sealed", Data([1]) + Envelope(
        session: Fixtures.session, round: .keygenPrivate, sender: 1,
        body: KeyGenerationBody.sealed(step: 32, recipient: 2, sealed: "AAAA").json).payload)
    try write("FuzzKeyGeneration", "values", Data([0]) + KeyGenerationWire.encode([0, 1, -1, BigInteger(1).shiftedLeft(300)]))
    let sealed = try Envelope(
        session: Fixtures.session, round: .keygenPrivate, sender: 2,
        body: KeyGenerationBody.sealed(step: 32, recipient: 1, sealed: "AAAA").json, signingKey: Fixtures.deal.shares[1].signingKey)
    try write("FuzzKeyGeneration", "complaint", Data([1]) + Envelope(
        session: Fixtures.session, round: .keygenComplaint, sender: 1,
        body: KeyGenerationBody.complaint(step: 32, dealer: 2, key: Data(repeating: 7, count: 32), envelope: sealed).json).payload)
    print("wrote the generated seeds into \(corpus.path)")
} catch {
    Fuzz.setupFailed("\(error)")
}
