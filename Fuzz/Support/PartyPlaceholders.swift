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
    /// Payloads delivered since the last accepted list was looked for: only a `"@share…"` needs that list, so the
    /// payloads are read as envelopes then, not each on delivery (the party reads each one already).
    var unread: [Data] = []
    /// Each entry's ciphertexts, in list order.
    var listCiphertexts: [[BigInteger]]?

    public init() {}

    /// Records a message the party sent.
    public mutating func sent(_ envelope: Envelope) { sent[envelope.round] = envelope }

    /// Records a payload delivered to the party (the ciphertexts of the last accepted list are what the shares are
    /// of).
    public mutating func delivered(_ payload: Data) { unread.append(payload) }

    /// The ciphertexts of the last accepted list delivered, if any.
    mutating func lastListCiphertexts() -> [[BigInteger]]? {
        for payload in unread.reversed() {
            guard let envelope = try? Envelope(parsing: payload), envelope.round == .acceptedList,
                case .acceptedList(let list)? = try? Message(round: .acceptedList, body: envelope.body)
            else { continue }
            listCiphertexts = list.entries.map(\.input.ciphertexts)
            break
        }
        unread.removeAll()
        return listCiphertexts
    }

    /// The placeholders, as the bytes of the JSON strings that stand for them.
    static let tokens: [[UInt8]: String] = Dictionary(
        uniqueKeysWithValues: (["@input", "@signature"] + (1...5).flatMap { ["@echo\($0)", "@share\($0)"] }).map {
            (Array("\"\($0)\"".utf8), $0)
        })

    mutating func replacement(_ token: String) -> [UInt8]? {
        switch token {
        case "@input": return sent[.input].map { Array(compact($0.body).utf8) }
        case "@signature": return sent[.input].map { Array("\"\(base64URL($0.signature))\"".utf8) }
        default: break
        }
        let echo = token.hasPrefix("@echo")
        guard let party = Int(token.dropFirst(echo ? 5 : 6)), (1...5).contains(party) else { return nil }
        if echo {
            guard let mine = sent[.echo] else { return nil }
            // Party k's echo of the digest party 1 sent: Ed25519 signatures are deterministic, so one made for an
            // earlier input with the same digest is the same bytes.
            return PlaceholderMemo.echoes.value(
                for: Array(mine.payload), party: party,
                make: {
                    (try? Envelope(
                        session: mine.session, round: .echo, sender: party, body: mine.body,
                        signingKey: Fixtures.signingKeys[party - 1])).map { Array(compact($0.json).utf8) }
                })
        }
        guard let session = sent[.input]?.session, let listCiphertexts = lastListCiphertexts() else { return nil }
        // Only valid ciphertexts: the harness must not trap on what the party would refuse anyway.
        let key = Fixtures.publicKey.paillierKey
        guard let length = listCiphertexts.first?.count, listCiphertexts.allSatisfy({ $0.count == length }),
            let entries = try? listCiphertexts.map({ (values) throws(PaillierError) in
                try values.map { (value) throws(PaillierError) in try key.ciphertext(validating: value) }
            })
        else { return nil }
        let sums = (0..<length).map { position in key.sum(entries.map { $0[position] }) }
        // A decryption share costs exponentiations modulo n² with exponents longer than n²; the fuzzer mostly
        // mutates other frames, so the share made for an earlier input of the same C and session is used again.
        // (Its proof's randomness differs from a fresh share's; any valid share is what an honest coordinator
        // relays.)
        return PlaceholderMemo.shares.value(
            for: Array(session) + Array(sums.map(\.value.description).joined(separator: ",").utf8), party: party,
            make: {
                let share = Fixtures.deal.shares[party - 1].decryptionShares(of: sums, session: session)
                let values = share.values.map { "\"\($0)\"" }.joined(separator: ",")
                return Array(
                    "{\"challenge\":\"\(share.challenge)\",\"party\":\(share.party),\"response\":\"\(share.response)\",\"values\":[\(values)]}"
                        .utf8)
            })
    }

    /// The payload with every placeholder it holds replaced, left to right (one that cannot be filled yet is left
    /// alone). The bytes around the placeholders are delivered as they are.
    public mutating func fill(_ payload: Data) -> Data {
        let marker = Data("\"@".utf8)
        // Found with Data's search, not byte by byte in this (coverage-instrumented) module.
        guard var found = payload.range(of: marker) else { return payload }
        var filled = Data(capacity: payload.count)
        var copied = payload.startIndex
        while true {
            var searchFrom = found.lowerBound + 1
            if let close = payload[found.upperBound...].prefix(11).firstIndex(of: UInt8(ascii: "\"")),
                let token = Self.tokens[Array(payload[found.lowerBound...close])], let value = replacement(token)
            {
                filled += payload[copied..<found.lowerBound]
                filled += value
                copied = close + 1
                searchFrom = copied
            }
            guard let next = payload.range(of: marker, in: searchFrom..<payload.endIndex) else { break }
            found = next
        }
        filled += payload[copied...]
        return filled
    }
}

/// What the placeholders cost to make, kept from one input to the next for one key (the last one asked for): the
/// echoes of one digest, the decryption shares of one C. Held as bytes, which LeakSanitizer can follow (it cannot
/// see the references a String or a Data keeps in an enum's spare bits; see Fuzz/lsan.supp).
final class PlaceholderMemo: @unchecked Sendable {
    static let echoes = PlaceholderMemo()
    static let shares = PlaceholderMemo()

    var key: [UInt8] = []
    var values: [[UInt8]?] = Array(repeating: nil, count: 6)
    var made: [Bool] = Array(repeating: false, count: 6)

    func value(for key: [UInt8], party: Int, make: () -> [UInt8]?) -> [UInt8]? {
        if key != self.key {
            self.key = key
            values = Array(repeating: nil, count: 6)
            made = Array(repeating: false, count: 6)
        }
        if !made[party] {
            values[party] = make()
            made[party] = true
        }
        return values[party]
    }
}

/// JSON text without its trailing newline.
func compact(_ json: JSONValue) -> String { String(json.serialized.dropLast()) }

func base64URL(_ data: Data) -> String { Base64URL.encode(Array(data)) }
