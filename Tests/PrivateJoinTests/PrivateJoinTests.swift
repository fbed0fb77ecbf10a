import BigNum
import Crypto
import Foundation
import MultiParty
import Paillier
import Summa
import SummaFormats
import TestSupport
import Synchronization
import Testing

@testable import PrivateJoin

@Suite("private join: the group, the identifiers, the layout")
struct JoinArithmeticTests {
    /// Vectors from scripts/join-vectors.py, which hashes and blinds with OpenSSL's P-256 (Python's `cryptography`).
    @Test func hashingAndBlindingMatchOpenSSL() throws {
        let url = try #require(Bundle.module.url(forResource: "join-p256", withExtension: "json", subdirectory: "Vectors"))
        let fields = try JSONFields(try JSONValue(parsing: try Data(contentsOf: url), path: "join-p256.json"), path: "join-p256.json")
        let keys = try fields.strings("scalars").map { try JoinKey(rawScalar: hex($0)) }
        let vectors = try fields.array("vectors")
        #expect(vectors.count == 10)
        for value in vectors {
            let vector = try JSONFields(value, path: "join-p256.json")
            let rule: JoinIdentifier.Rule = try vector.bool("case-fold") ? .caseFolded : .exact
            let normalized = JoinIdentifier.normalize(try vector.string("identifier"), rule: rule)
            #expect(normalized == hex(try vector.string("normalized")))
            let point = JoinPoint.hashing(normalized)
            #expect(point.bytes == hex(try vector.string("point")))
            let blinded = try vector.strings("blinded").map(hex)
            #expect(keys[0].blind(point)?.bytes == blinded[0])
            #expect(keys[1].blind(point)?.bytes == blinded[1])
            // Commutative: either order of the two keys gives the same point.
            let double = hex(try vector.string("double"))
            #expect(keys[1].blind(keys[0].blind(point)!)?.bytes == double)
            #expect(keys[0].blind(keys[1].blind(point)!)?.bytes == double)
        }
    }

    @Test func anXWithNoPointIsRefused() throws {
        // About half of all x have no point; find one.
        var x = [UInt8](repeating: 0, count: 32)
        var found: [UInt8]?
        for byte in 1...255 where found == nil {
            x[31] = UInt8(byte)
            if JoinPoint(bytes: x) == nil { found = x }
        }
        let off = try #require(found)
        #expect(JoinKey().blind(JoinPoint(unchecked: off[...])) == nil)
        #expect(JoinPoint(bytes: [UInt8](repeating: 1, count: 31)) == nil)
    }

    @Test func signedSlotsPackAndSumBack() throws {
        let n = Fixtures.smallKey.publicKey.n
        let layout = try JoinLayout(
            columns: [.init(name: "a", scale: 2), .init(name: "b", scale: 0)], groups: ["x", "y", "z"], width: 40, modulusBits: n.bitWidth)
        #expect(layout.slotCount == 9 && layout.slotsPerCiphertext == 12 && layout.ciphertextsPerRow == 1)
        var generator = SystemRandomNumberGenerator()
        var total = [BigInteger](repeating: 0, count: layout.slotCount)
        var packed = [BigInteger](repeating: 0, count: layout.ciphertextsPerRow)
        for _ in 0..<50 {
            let values: [Int64] = [Int64.random(in: -1_000_000...1_000_000, using: &generator), Int64.random(in: -5...5, using: &generator)]
            let group = Int.random(in: 0..<3, using: &generator)
            packed = zip(packed, layout.pack(values: values, group: group, modulus: n)).map { ($0 + $1).modulo(n) }
            total[layout.sumSlot(group: group, column: 0)] += BigInteger(Int(values[0]))
            total[layout.sumSlot(group: group, column: 1)] += BigInteger(Int(values[1]))
            total[layout.countSlot(group: group)] += 1
        }
        #expect(layout.unpack(packed, modulus: n) == total)
        // A plaintext that is not a sum of slots of this width does not split.
        #expect(layout.unpack([n - 1 - BigInteger(1).shiftedLeft(400)], modulus: n) == nil)
        #expect(throws: PrivateJoinError.self) {
            try JoinLayout(columns: [.init(name: "a", scale: 0)], groups: [], width: 600, modulusBits: 512)
        }
    }

    @Test func identifiersAreNormalizedByTheDocumentedRule() {
        #expect(JoinIdentifier.normalize("  a@x.com\t", rule: .exact) == Array("a@x.com".utf8))
        #expect(JoinIdentifier.normalize("E\u{301}ve", rule: .exact) == JoinIdentifier.normalize("\u{C9}ve", rule: .exact))
        #expect(JoinIdentifier.normalize("Bob", rule: .exact) != JoinIdentifier.normalize("bob", rule: .exact))
        #expect(JoinIdentifier.normalize("Bob", rule: .caseFolded) == JoinIdentifier.normalize("bOB", rule: .caseFolded))
        #expect(JoinIdentifier.normalize(" \n ", rule: .exact).isEmpty)
    }
}

@Suite("private join: lists")
struct JoinListTests {
    @Test func aDuplicateIdentifierIsRefusedWithBothLines() async throws {
        for (csv, rule) in [("id\nA\nb\n A \n", JoinIdentifier.Rule.exact), ("id\nBob\nx\nbob\n", .caseFolded)] {
            do {
                _ = try await list(csv, rule: rule)
                Issue.record("a duplicate was accepted: \(csv)")
            } catch let error as PrivateJoinError {
                guard case .duplicateIdentifier(_, let line, let first) = error else { throw error }
                #expect(line == 4 && first == 2)
                #expect("\(error)".hasSuffix("line 4: the identifier of line 2 again (after normalization); each identifier may appear once"))
            }
        }
    }

    @Test func badListsAreRefusedByLine() async throws {
        func refusal(_ csv: String, values: [String] = [], keep: String? = nil) async -> String {
            do {
                _ = try await list(csv, values: values, keep: keep)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(await refusal("id\na\n  \nb\n").contains("line 3: the identifier is empty"))
        #expect(await refusal("id,v\na,1\nb,x\n", values: ["v"]).contains("list.csv:3: column v: \"x\" is not a decimal"))
        #expect(await refusal("id,v\na,1\nb,\n", values: ["v"]).contains("list.csv:3: column v is empty"))
        #expect(await refusal("id,v\na,99999999999999999999\n", values: ["v"]).contains("does not fit 64 bits"))
        #expect(await refusal("name\na\n").contains("id"))
        let many = "id,g\n" + (0...JoinList.maximumGroups).map { "r\($0),g\($0)\n" }.joined()
        #expect(await refusal(many, keep: "g").contains("too many groups"))
    }

    @Test func valuesAreClippedAtTheColumnsScale() async throws {
        let clipped = try await list(
            "id,v\na,5\nb,-3.5\nc,0.25\n", values: ["v"],
            clips: [AnalysisPlan.Clip(column: "v", lower: try FixedPoint(parsing: "-1"), upper: try FixedPoint(parsing: "2.5"))])
        #expect(clipped.columns[0].scale == 2)
        #expect(clipped.values == [250, -100, 25])
        #expect(clipped.columns[0].magnitude == 250)
    }
}

@Suite("private join: the two machines")
struct JoinMachineTests {
    /// Random lists with a random overlap, two columns (one negative), grouped and not, against the plaintext join.
    @Test(arguments: [false, true]) func theJoinIsExact(grouped: Bool) async throws {
        var generator = SystemRandomNumberGenerator()
        let universe = (0..<300).map { "customer-\($0)@example.com" }
        let ids = universe.filter { _ in Bool.random(using: &generator) }
        let segments = ["gold", "silver", "bronze"]
        let rows = universe.filter { _ in Int.random(in: 0..<3, using: &generator) > 0 }.map { id in
            (id: id, values: ["\(Int.random(in: 0...99_999, using: &generator)).\(Int.random(in: 10...99, using: &generator))",
                              "-\(Int.random(in: 0...50, using: &generator))"],
             group: grouped ? segments.randomElement(using: &generator)! : "")
        }
        let expected = plaintextJoin(ids: ids, rows: rows, rule: .exact)
        var r = recipient(try await list("id\n" + ids.joined(separator: "\n") + "\n"))
        let csv = "id,amount,fee,segment\n" + rows.map { "\($0.id),\($0.values[0]),\($0.values[1]),\($0.group)" }.joined(separator: "\n") + "\n"
        var c = contributor(try await list(csv, values: ["amount", "fee"], keep: grouped ? "segment" : nil))
        let result = try await run(&r, &c)
        #expect(result.size == expected.size)
        #expect(result.recipientRows == ids.count && result.contributorRows == rows.count)
        #expect(result.noise == nil)
        for group in result.groups {
            let truth = expected.groups[group.name ?? ""] ?? (0, [.zero, .zero])
            #expect(group.count == truth.count)
            #expect(group.sums == truth.sums, "group \(group.name ?? "all")")
        }
        #expect(c.outcome == JoinContribution(recipientRows: ids.count, rows: rows.count, noise: nil))
    }

    @Test func emptyAndFullIntersections() async throws {
        let rows = "id,v\na,1.5\nb,2.5\n"
        var r = recipient(try await list("id\nx\ny\nz\n"))
        var c = contributor(try await list(rows, values: ["v"]))
        let empty = try await run(&r, &c)
        #expect(empty.size == 0 && empty.groups[0].sums == [.zero] && empty.groups[0].means == [nil])
        var r2 = recipient(try await list("id\nb\na\n"))
        var c2 = contributor(try await list(rows, values: ["v"]))
        let full = try await run(&r2, &c2)
        let four = try FixedPoint(parsing: "4.0")
        #expect(full.size == 2 && full.groups[0].sums == [four])
        let two = try FixedPoint(parsing: "2")
        #expect(full.groups[0].means == [two])
        // A list of no rows at all joins to nothing.
        var r3 = recipient(try await list("id\n"))
        var c3 = contributor(try await list(rows, values: ["v"]))
        #expect(try await run(&r3, &c3).size == 0)
    }

    /// What a terminal's progress line shows: rows sent and received, up to all of them (noise rows included).
    @Test func progressCountsEveryRow() async throws {
        let sent = Mutex<[Int]>([]), received = Mutex<[Int]>([])
        var r = recipient(try await list("id\na\nb\n"))
        var c = contributor(try await list("id,v\n" + (0..<100).map { "r\($0),1\n" }.joined(), values: ["v"]))
        r.progress = { done, total in received.withLock { $0.append(done); $0.append(total) } }
        c.progress = { done, total in sent.withLock { $0.append(done); $0.append(total) } }
        _ = try await run(&r, &c)
        #expect(sent.withLock { $0.suffix(2) } == [100, 100])
        #expect(received.withLock { $0.suffix(2) } == [100, 100])
    }

    /// With no column and nothing kept, the join is the intersection's size alone: no totals, no decryption.
    @Test func theSizeAlone() async throws {
        var r = recipient(try await list("id\na\nb\nc\n"))
        var c = contributor(try await list("id\nb\nc\nd\ne\n"))
        let result = try await run(&r, &c)
        #expect(result.size == 2 && result.contributorRows == 4 && result.groups.count == 1 && result.groups[0].sums.isEmpty)
        #expect(c.outcome?.rows == 4)
        var r2 = recipient(try await list("id\na\nb\nc\n"), minimum: 3)
        var c2 = contributor(try await list("id\nb\nc\nd\ne\n"))
        await #expect(throws: PrivateJoinError.intersectionTooSmall(minimum: 3)) { _ = try await run(&r2, &c2) }
    }

    @Test func unicodeIdentifiersMatchUnderOneRule() async throws {
        let rows = "id,v\nE\u{301}ve@x.com,1\nBOB@x.com,2\n顧客,4\n"
        var r = recipient(try await list("id\n\u{C9}ve@x.com\nbob@x.com\n顧客\n"))
        var c = contributor(try await list(rows, values: ["v"]))
        let exact = try await run(&r, &c)
        #expect(exact.size == 2 && exact.groups[0].sums == [5])
        var r2 = recipient(try await list("id\n\u{C9}ve@x.com\nbob@x.com\n", rule: .caseFolded))
        var c2 = contributor(try await list(rows, rule: .caseFolded, values: ["v"]))
        #expect(try await run(&r2, &c2).groups[0].sums == [3])
        // Both sides must fold, or neither.
        var r3 = recipient(try await list("id\nbob@x.com\n", rule: .caseFolded))
        var c3 = contributor(try await list(rows, values: ["v"]))
        await #expect(throws: PrivateJoinError.self) { _ = try await run(&r3, &c3) }
    }

    @Test func aSmallIntersectionReleasesNothingAndTheContributorHearsWhy() async throws {
        for (mine, theirs) in [(3, 0), (0, 3)] {
            var r = recipient(try await list("id\na\nb\n"), minimum: mine)
            var c = contributor(try await list("id,v\na,1\nb,2\nc,3\n", values: ["v"]), minimum: theirs)
            do {
                _ = try await run(&r, &c)
                Issue.record("released under a minimum of 3")
            } catch let error as PrivateJoinError {
                #expect(error == .intersectionTooSmall(minimum: 3))
                // What the transport sends the peer when the recipient stops: the contributor reads it as an abort.
                let abort = try #require(r.abortMessage(reason: "\(error)"))
                await #expect(throws: PrivateJoinError.peerAborted("\(error)")) { try await c.received(abort.payload) }
            }
        }
    }

    @Test func privateReleaseIsCalibratedAndBounded() async throws {
        let budget = try PrivacyBudget(epsilon: 1, delta: try FixedPoint(parsing: "0.000001"))
        let clip = AnalysisPlan.Clip(column: "v", lower: 0, upper: 100)
        let rows = try await list("id,v,g\na,10,x\nb,20,y\nc,30,x\nd,40,y\n", values: ["v"], clips: [clip], keep: "g")
        var generator = SystemRandomNumberGenerator()
        let noise = try JoinNoise(budget: budget, columns: rows.columns, groups: 2, keep: "g", using: &generator)
        // Three families share ρ of (ε = 1, δ/2): σ² = Δ²·3/(2ρ), Δ = 1 (size, counts) and 100 (the sums).
        let logInverse = PrivacyBudget.logInverse(try FixedPoint(parsing: "0.0000005"))
        let rho = pow(1 / ((logInverse + 1).squareRoot() + logInverse.squareRoot()), 2)
        let sigma = (3 / (2 * rho)).squareRoot()
        #expect(abs(noise.families[0].sigma / sigma - 1) < 1e-6)
        #expect(abs(noise.families[2].sigma / (100 * sigma) - 1) < 1e-6)
        #expect(noise.families.map(\.name) == ["intersection size", "count per g", "sum of v"])
        #expect(noise.dummies == 2 * noise.offset && (1...noise.dummies - 1).contains(noise.matchingDummies))
        #expect(zip(noise.slotNoise, noise.slotBounds).allSatisfy { $0.magnitude <= $1 })
        // Through both machines: the released figures stay within the noise's bounds of the truth.
        var r = recipient(try await list("id\na\nb\nc\n"))
        var c = contributor(rows, budget: budget)
        let result = try await run(&r, &c)
        #expect(abs(result.size - 3) <= noise.offset)
        #expect(result.noise?.families.count == 3 && result.noise?.epsilon == 1)
        // Refused: pure ε (the size's noise rows must be bounded) and a column without clipping bounds.
        #expect(throws: PrivateJoinError.self) {
            try JoinNoise(budget: try PrivacyBudget(epsilon: 1, delta: nil), columns: rows.columns, groups: 2, keep: "g", using: &generator)
        }
        let unclipped = try await list("id,v\na,1\n", values: ["v"])
        #expect(throws: PrivateJoinError.self) {
            try JoinNoise(budget: budget, columns: unclipped.columns, groups: 0, keep: nil, using: &generator)
        }
    }
}

@Suite("private join: a side that lies or a message that was changed")
struct JoinTamperingTests {
    static func sides() async throws -> (JoinRecipient, JoinContributor) {
        (recipient(try await list("id\na\nb\nc\n")), contributor(try await list("id,v\nb,1\nc,2\nd,3\n", values: ["v"])))
    }

    /// Runs a join with one message replaced; returns the error one side stopped with.
    static func refusal(_ replace: @escaping (Envelope, Bool) -> Data?) async throws -> String {
        var (r, c) = try await sides()
        do {
            _ = try await run(&r, &c, tamper: replace)
            return "accepted"
        } catch let error as PrivateJoinError {
            return "\(error)"
        }
    }

    /// The envelope with its body changed and signed again by its sender's key, as a lying side would.
    static func resigned(_ envelope: Envelope, _ body: JSONValue) -> Data {
        let key = envelope.sender == 1 ? recipientSigning : contributorSigning
        return try! Envelope(session: envelope.session, round: envelope.round, sender: envelope.sender, body: body, signingKey: key).payload
    }

    static func replacing(_ envelope: Envelope, _ key: String, with value: JSONValue) -> Data {
        guard case .object(var members) = envelope.body, let index = members.firstIndex(where: { $0.0 == key }) else { return envelope.payload }
        members[index].1 = value
        return resigned(envelope, .object(members))
    }

    @Test func garbageAndForeignMessagesAreRefused() async throws {
        #expect(try await Self.refusal { e, fromRecipient in fromRecipient ? Data("garbage".utf8) : e.payload }.contains("broke the protocol"))
        // Signed by a stranger.
        #expect(try await Self.refusal { e, _ in
            e.round == .joinOffer
                ? try! Envelope(session: e.session, round: e.round, sender: e.sender, body: e.body, signingKey: Curve25519.Signing.PrivateKey()).payload
                : e.payload
        }.contains("signature"))
        // Another join's session.
        #expect(try await Self.refusal { e, _ in
            e.round == .joinOffer
                ? try! Envelope(session: Data(count: 32), round: e.round, sender: e.sender, body: e.body, signingKey: contributorSigning).payload
                : e.payload
        }.contains("session"))
        // A session's round in a join.
        #expect(try await Self.refusal { e, _ in
            e.round == .joinOffer ? Self.resigned(Envelope(session: e.session, round: .echo, sender: 2, body: .object([])), .object([])) : e.payload
        } != "accepted")
    }

    @Test func wrongSizesAndOrdersAreRefused() async throws {
        // The hello announces fewer points than follow.
        #expect(try await Self.refusal { e, _ in e.round == .joinHello ? Self.replacing(e, "rows", with: .integer(2)) : e.payload }
            .contains("beyond the 2 announced"))
        // Points out of order.
        #expect(try await Self.refusal { e, _ in e.round == .joinPoints ? Self.replacing(e, "first", with: .integer(1)) : e.payload }
            .contains("out of order"))
        // A point off the curve.
        #expect(try await Self.refusal { e, _ in
            e.round == .joinPoints ? Self.replacing(e, "points", with: .string(Base64URL.encode([UInt8](repeating: 0xFF, count: 96)))) : e.payload
        }.contains("not on P-256"))
        // Rows cut short by a byte.
        #expect(try await Self.refusal { e, _ in
            guard e.round == .joinRows, case .string(let text)? = e.body["records"] else { return e.payload }
            return Self.replacing(e, "records", with: .string(Base64URL.encode(Array(Base64URL.decode(text)!.dropLast()))))
        }.contains("wrong size"))
        // More ciphertexts than the layout's.
        #expect(try await Self.refusal { e, _ in
            guard e.round == .joinMasked, case .array(let values)? = e.body["ciphertexts"] else { return e.payload }
            return Self.replacing(e, "ciphertexts", with: .array(values + values))
        }.contains("expected 1"))
        // A modulus with a small factor.
        #expect(try await Self.refusal { e, _ in e.round == .joinOffer ? Self.replacing(e, "modulus", with: .string("\(3 * 1_000_003 * 1_000_033)")) : e.payload }
            .contains("key"))
        // Decrypted totals that do not split into the layout's slots.
        #expect(try await Self.refusal { e, _ in
            e.round == .joinDecrypted ? Self.replacing(e, "plaintexts", with: .array([.string((Fixtures.smallKey.publicKey.n / 3).description)])) : e.payload
        }.contains("do not split"))
    }

    @Test func aReplayedMessageIsRefused() async throws {
        var (r, c) = try await Self.sides()
        let hello = try #require(try await r.nextMessage())
        try await c.received(hello.payload)
        let points = try #require(try await r.nextMessage())
        try await c.received(points.payload)
        await #expect(throws: PrivateJoinError.protocolViolation("an unexpected join-points message")) { try await c.received(points.payload) }
        await #expect(throws: PrivateJoinError.self) { try await c.received(hello.payload) }
    }
}

func hex(_ text: String) -> [UInt8] {
    stride(from: 0, to: text.count, by: 2).map { offset in
        let start = text.index(text.startIndex, offsetBy: offset)
        return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
    }
}
