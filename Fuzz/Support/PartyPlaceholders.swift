import BigNum
import Foundation
import MultiParty
import Paillier
import SummaFormats
import Threshold

/// The placeholders of the party harness (see Fuzz/FuzzParty/main.swift): what an honest coordinator would put
/// where the fuzzer cannot, because party 1's input is encrypted afresh on every run.
public struct PartyPlaceholders {
    var sent: [Envelope.Round: Envelope] = [:]
    var listCiphertexts: [BigInteger]?
    let deal = Fixtures.deal

    public init() {}

    /// Records a message the party sent.
    public mutating func sent(_ envelope: Envelope) { sent[envelope.round] = envelope }

    /// Records a payload delivered to the party (the ciphertexts of an accepted list, for the shares).
    public mutating func delivered(_ payload: Data) {
        guard let envelope = try? Envelope(parsing: payload), envelope.round == .acceptedList,
            case .acceptedList(let list)? = try? Message(round: .acceptedList, body: envelope.body)
        else { return }
        listCiphertexts = list.entries.map(\.input.ciphertext)
    }

    func replacement(_ token: String) -> String? {
        switch token {
        case "@input": return sent[.input].map { compact($0.body) }
        case "@signature": return sent[.input].map { "\"\(base64URL($0.signature))\"" }
        default: break
        }
        guard let party = Int(token.dropFirst(token.hasPrefix("@echo") ? 5 : 6)), (1...5).contains(party) else { return nil }
        if token.hasPrefix("@echo") {
            guard let echo = sent[.echo],
                let envelope = try? Envelope(
                    session: echo.session, round: .echo, sender: party, body: echo.body,
                    signingKey: deal.shares[party - 1].signingKey)
            else { return nil }
            return compact(envelope.json)
        }
        guard token.hasPrefix("@share"), let session = sent[.input]?.session, let listCiphertexts else { return nil }
        // Only valid ciphertexts: the harness must not trap on what the party would refuse anyway.
        let key = deal.publicKey.paillierKey
        guard let ciphertexts = try? listCiphertexts.map({ (value) throws(PaillierError) in try key.ciphertext(validating: value) })
        else { return nil }
        let c = key.sum(ciphertexts)
        let share = deal.shares[party - 1].decryptionShare(of: c, session: session)
        return "{\"challenge\":\"\(share.challenge)\",\"party\":\(share.party),\"response\":\"\(share.response)\",\"value\":\"\(share.value)\"}"
    }

    /// The payload with every placeholder it holds replaced (those that cannot be filled yet are left alone).
    public func fill(_ payload: Data) -> Data {
        guard payload.contains(UInt8(ascii: "@")) else { return payload }
        var text = String(decoding: payload, as: UTF8.self)
        for token in ["@input", "@signature"] + (1...5).flatMap({ ["@echo\($0)", "@share\($0)"] }) {
            let quoted = "\"\(token)\""
            guard text.contains(quoted), let value = replacement(token) else { continue }
            text = text.replacingOccurrences(of: quoted, with: value)
        }
        return Data(text.utf8)
    }
}

/// JSON text without its trailing newline.
func compact(_ json: JSONValue) -> String { String(json.serialized.dropLast()) }

func base64URL(_ data: Data) -> String { Base64URL.encode(Array(data)) }
