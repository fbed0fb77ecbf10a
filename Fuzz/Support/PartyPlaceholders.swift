import BigNum
import Foundation
import MultiParty
import Paillier
import SummaFormats
import Threshold

/// The placeholders of the party harness (see Fuzz/FuzzParty/main.swift): what an honest coordinator would put
/// where the fuzzer cannot: party 1's ciphertext, signatures, decryption shares.
public struct PartyPlaceholders {
    var sent: [Envelope.Round: Envelope] = [:]
    /// The body of the input the party sent, as the JSON text `"@input"` stands for: written once per input sent
    /// rather than at every `"@input"` (a tenth of the harness's instructions, under callgrind).
    var inputBody: [UInt8]?
    /// The signature of that input envelope, as the JSON string `"@signature"` stands for.
    var inputSignature: [UInt8]?
    /// The echo envelope the party sent, as bytes: what its echoes by other parties are remembered under.
    var echoPayload: [UInt8]?
    /// Payloads delivered since the last accepted list was looked for: only a `"@share…"` needs that list, so the
    /// payloads are read as envelopes then, not each on delivery (the party reads each one already).
    var unread: [Data] = []
    /// The sums C of the last accepted list delivered (see ``sums(ofList:)``).
    var listSums: [UInt8]?

    public init() {}

    /// Records a message the party sent.
    public mutating func sent(_ envelope: Envelope) {
        sent[envelope.round] = envelope
        switch envelope.round {
        case .input:
            inputBody = compact(envelope.body)
            inputSignature = Array("\"\(Base64URL.encode(Array(envelope.signature)))\"".utf8)
        case .echo:
            echoPayload = Array(envelope.payload)
        default:
            break
        }
    }

    /// Records a payload delivered to the party (the ciphertexts of the last accepted list are what the shares are
    /// of).
    public mutating func delivered(_ payload: Data) { unread.append(payload) }

    /// The sums C of the last accepted list delivered, if there was one and its ciphertexts are valid.
    mutating func lastListSums() -> [UInt8]? {
        for payload in unread.reversed() {
            // Only a payload that names the round is read (an escaped name is not filled, the fuzzer's loss), and
            // each once per process: reading the list again at every "@share…" was 4% of the harness.
            guard payload.range(of: Self.acceptedListRound) != nil,
                let sums = Self.sumsOfLists.value(for: Array(payload), make: { Self.sums(ofList: payload) })
            else { continue }
            listSums = sums
            break
        }
        unread.removeAll()
        return listSums?.isEmpty == false ? listSums : nil
    }

    /// The products of an accepted list's ciphertexts, position by position, as decimal text joined by commas:
    /// empty if they are not valid ciphertexts of the key (the harness must not trap on what the party would refuse
    /// anyway), nil if the payload is not an accepted list.
    static func sums(ofList payload: Data) -> [UInt8]? {
        guard let envelope = try? Envelope(parsing: payload), envelope.round == .acceptedList,
            case .acceptedList(let list)? = try? Message(round: .acceptedList, body: envelope.body)
        else { return nil }
        let key = Fixtures.publicKey.paillierKey
        let ciphertexts = list.entries.map(\.input.ciphertexts)
        guard let length = ciphertexts.first?.count, ciphertexts.allSatisfy({ $0.count == length }),
            let entries = try? ciphertexts.map({ (values) throws(PaillierError) in
                try values.map { (value) throws(PaillierError) in try key.ciphertext(validating: value) }
            })
        else { return [] }
        let sums = (0..<length).map { position in key.sum(entries.map { $0[position] }).value.description }
        return Array(sums.joined(separator: ",").utf8)
    }

    /// What the placeholders cost to make, kept from one input to the next: the echoes of a digest and the
    /// decryption shares of a C, by party, the last 1024 of each. Only the last was kept, and a mutation of another
    /// entry of the accepted list changes C: making shares was 8% of the harness's instructions under callgrind.
    static let echoes = BytesMemo<[UInt8]>(capacity: 1024)
    static let shares = BytesMemo<[UInt8]>(capacity: 1024)
    /// The sums of the accepted lists read, by the list's payload.
    static let sumsOfLists = BytesMemo<[UInt8]>(capacity: 1024)

    static let acceptedListRound = Data("\"\(Envelope.Round.acceptedList.rawValue)\"".utf8)

    /// The placeholders, as the bytes of the JSON strings that stand for them.
    static let tokens: [[UInt8]: String] = Dictionary(
        uniqueKeysWithValues: (["@input", "@signature"] + (1...5).flatMap { ["@echo\($0)", "@share\($0)"] }).map {
            (Array("\"\($0)\"".utf8), $0)
        })

    mutating func replacement(_ token: String) -> [UInt8]? {
        switch token {
        case "@input": return inputBody
        case "@signature": return inputSignature
        default: break
        }
        let echo = token.hasPrefix("@echo")
        guard let party = Int(token.dropFirst(echo ? 5 : 6)), (1...5).contains(party) else { return nil }
        if echo {
            guard let mine = sent[.echo], let echoPayload else { return nil }
            // Party k's echo of the digest party 1 sent: Ed25519 signatures are deterministic, so one made for an
            // earlier input with the same digest is the same bytes.
            return Self.echoes.value(for: echoPayload + [UInt8(party)]) {
                (try? Envelope(
                    session: mine.session, round: .echo, sender: party, body: mine.body,
                    signingKey: Fixtures.signingKeys[party - 1])).map { compact($0.json) }
            }
        }
        guard let session = sent[.input]?.session, let sumsText = lastListSums() else { return nil }
        // A decryption share costs exponentiations modulo n² with exponents longer than n²; the fuzzer mostly
        // mutates other frames, so the share made for an earlier input of the same C and session is used again.
        // (Its proof's randomness differs from a fresh share's; any valid share is what an honest coordinator
        // relays.)
        return Self.shares.value(for: Array(session) + sumsText + [UInt8(party)]) {
            // Read back from the text of sums that were valid ciphertexts.
            let key = Fixtures.publicKey.paillierKey
            let sums = sumsText.split(separator: UInt8(ascii: ",")).compactMap {
                BigInteger(String(decoding: $0, as: UTF8.self)).flatMap { try? key.ciphertext(validating: $0) }
            }
            let share = Fixtures.deal.shares[party - 1].decryptionShares(of: sums, session: session)
            let values = share.values.map { "\"\($0)\"" }.joined(separator: ",")
            return Array(
                "{\"challenge\":\"\(share.challenge)\",\"party\":\(share.party),\"response\":\"\(share.response)\",\"values\":[\(values)]}"
                    .utf8)
        }
    }

    /// The payload with every placeholder it holds replaced, left to right (one that cannot be filled yet is left
    /// alone). The bytes around the placeholders are delivered as they are.
    public mutating func fill(_ payload: Data) -> Data {
        guard var found = Self.marker(in: payload, from: payload.startIndex) else { return payload }
        var filled = Data(capacity: payload.count)
        var copied = payload.startIndex
        while true {
            var searchFrom = found + 1
            if let close = payload[(found + 2)...].prefix(11).firstIndex(of: UInt8(ascii: "\"")),
                let token = Self.tokens[Array(payload[found...close])], let value = replacement(token)
            {
                filled += payload[copied..<found]
                filled += value
                copied = close + 1
                searchFrom = copied
            }
            guard let next = Self.marker(in: payload, from: searchFrom) else { break }
            found = next
        }
        filled += payload[copied...]
        return filled
    }

    /// The index of the next `"@` in `payload` from `start` on: each `@` found by `memchr` (rare in a payload but
    /// for placeholders), then the byte before it. `Data.range(of:)` goes through `NSData` (4% of the harness under
    /// callgrind), and a loop over every byte here would be instrumented for coverage.
    static func marker(in payload: Data, from start: Data.Index) -> Data.Index? {
        payload.withUnsafeBytes { bytes -> Data.Index? in
            guard let base = bytes.baseAddress else { return nil }
            var offset = start - payload.startIndex + 1
            while offset < bytes.count,
                let hit = memchr(base + offset, Int32(UInt8(ascii: "@")), bytes.count - offset)
            {
                let at = base.distance(to: UnsafeRawPointer(hit))
                if bytes[at - 1] == UInt8(ascii: "\"") { return payload.startIndex + at - 1 }
                offset = at + 1
            }
            return nil
        }
    }
}

/// JSON text without its trailing newline, as bytes (`String.dropLast` walks grapheme clusters: 4% of the harness).
func compact(_ json: JSONValue) -> [UInt8] { Array(json.serialized.utf8.dropLast()) }

