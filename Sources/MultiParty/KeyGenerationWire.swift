import BigNum
import Crypto
import Foundation
import KeyGeneration
import SummaFormats

/// How a key generation's values travel: a compact binary list of signed integers (the shares of one step are
/// thousands of field elements, which decimal JSON would triple), sealed end to end between two parties when they
/// are shares, so that the coordinator relaying them never reads one.
///
/// The list's form is ``KeyGeneration/KeyGenerationMessage/encoded(_:)``'s; the decoder accepts only that canonical
/// form.
public enum KeyGenerationWire {
    public static func encode(_ values: [BigInteger]) -> Data { KeyGenerationMessage.encoded(values) }

    /// Reads a list, refusing any other form: a count the bytes cannot hold, a length past the end, a value
    /// longer than `maximumValueBytes`, a leading zero byte, a negative zero, or bytes left over.
    public static func decode(_ data: Data, maximumValueBytes: Int) throws(MultiPartyError) -> [BigInteger] {
        let bytes = [UInt8](data)
        var position = 0
        func number() throws(MultiPartyError) -> Int {
            guard bytes.count - position >= 4 else { throw .malformedMessage("key generation values end inside a length") }
            defer { position += 4 }
            return bytes[position..<position + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        let count = try number()
        // Each value takes at least 5 bytes: a count beyond what is present is refused before anything is reserved.
        guard count <= (bytes.count - position) / 5 else { throw .malformedMessage("key generation values: \(count) values in \(bytes.count) bytes") }
        var values: [BigInteger] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            guard position < bytes.count, bytes[position] <= 1 else { throw .malformedMessage("key generation values: a sign byte other than 0 or 1") }
            let negative = bytes[position] == 1
            position += 1
            let length = try number()
            guard length <= maximumValueBytes, length <= bytes.count - position else {
                throw .malformedMessage("key generation values: a value of \(length) bytes (at most \(maximumValueBytes), within the message)")
            }
            let magnitude = bytes[position..<position + length]
            position += length
            guard magnitude.first != 0, !(negative && length == 0) else { throw .malformedMessage("key generation values: a value not in canonical form") }
            let value = BigInteger(bigEndianBytes: magnitude)
            values.append(negative ? -value : value)
        }
        guard position == bytes.count else { throw .malformedMessage("key generation values: bytes after the last value") }
        return values
    }
}

/// The end-to-end channel between two parties of a key generation: X25519 between their ephemeral keys (each
/// signed into the transcript with the party's roster identity), HKDF-SHA256 bound to the session and the pair,
/// ChaCha20-Poly1305 with the step, sender and recipient as associated data, so that a relayed message cannot be
/// read by the coordinator nor moved to another step, party or session.
///
/// `@unchecked Sendable`: the key is immutable once derived, and swift-crypto's key types are not marked Sendable.
struct KeyGenerationChannel: @unchecked Sendable {
    let key: SymmetricKey

    /// A channel from its key's 32 bytes (a complaint reveals them).
    init(key bytes: Data) { key = SymmetricKey(data: bytes) }

    /// The key's 32 bytes, to reveal in a complaint (the run is over then).
    var keyBytes: Data { key.withUnsafeBytes { Data($0) } }

    init(own: Curve25519.KeyAgreement.PrivateKey, peer: Data, session: Data, parties: (Int, Int)) throws(MultiPartyError) {
        guard let peerKey = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: peer),
            let secret = try? own.sharedSecretFromKeyAgreement(with: peerKey)
        else { throw .malformedMessage("a key generation key that is not an X25519 public key") }
        let (low, high) = (min(parties.0, parties.1), max(parties.0, parties.1))
        key = secret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: session, sharedInfo: Data("summa/keygen/pair/v1/\(low)/\(high)".utf8), outputByteCount: 32)
    }

    static func associatedData(step: Int, sender: Int, recipient: Int) -> Data {
        Data("summa/keygen/sealed/v1/\(step)/\(sender)/\(recipient)".utf8)
    }

    /// The sealed values as base64url text.
    func seal(_ values: [BigInteger], step: Int, sender: Int, recipient: Int) -> String {
        // Sealing with a fresh random nonce cannot fail for a valid key.
        let box = try! ChaChaPoly.seal(
            KeyGenerationWire.encode(values), using: key,
            authenticating: Self.associatedData(step: step, sender: sender, recipient: recipient))
        return Base64URL.encode(Array(box.combined))
    }

    func open(_ sealed: String, step: Int, sender: Int, recipient: Int, maximumValueBytes: Int) throws(MultiPartyError) -> [BigInteger] {
        guard let bytes = Base64URL.decode(sealed), let box = try? ChaChaPoly.SealedBox(combined: bytes),
            let plain = try? ChaChaPoly.open(box, using: key, authenticating: Self.associatedData(step: step, sender: sender, recipient: recipient))
        else { throw .malformedMessage("party \(sender)'s sealed shares for step \(step) do not open: altered, or sealed for another party") }
        return try KeyGenerationWire.decode(plain, maximumValueBytes: maximumValueBytes)
    }
}

/// The bodies of a key generation's rounds.
public enum KeyGenerationBody: Sendable, Equatable {
    /// Coordinator → parties, once all ℓ have connected: the roster's fingerprint and the run's parameters.
    case hello(roster: String, bits: Int, parties: Int, threshold: Int, batchSize: Int)
    /// Party → everyone: its ephemeral X25519 key for this run.
    case key(Data)
    /// Party → everyone: its public values of a step.
    case values(step: Int, values: Data)
    /// Party → one party: its shares of a step, sealed, as base64url text: decoded only by the recipient (the
    /// coordinator relays megabytes of them and needs only the step and the recipient).
    case sealed(step: Int, recipient: Int, sealed: String)
    /// Coordinator → parties: the key everyone's public values define, checked by the coordinator.
    case result(fingerprint: String)
    /// Party → coordinator: `dealer`'s shares sealed for this party at `step` do not match the check it published.
    /// The evidence: the dealer's signed sealed envelope and the key of their channel, which opens it for anyone.
    case complaint(step: Int, dealer: Int, key: Data, envelope: Envelope)

    public static let protocolName = "summa.keygen"

    public var round: Envelope.Round {
        switch self {
        case .hello: .keygenHello
        case .key: .keygenKey
        case .values: .keygenPublic
        case .sealed: .keygenPrivate
        case .result: .keygenResult
        case .complaint: .keygenComplaint
        }
    }

    public var json: JSONValue {
        switch self {
        case .hello(let roster, let bits, let parties, let threshold, let batchSize):
            .object([
                ("protocol", .string(Self.protocolName)), ("roster", .string(roster)), ("bits", .integer(bits)),
                ("parties", .integer(parties)), ("threshold", .integer(threshold)), ("batch", .integer(batchSize)),
            ])
        case .key(let key): .object([("key", .string(Base64URL.encode(Array(key))))])
        case .values(let step, let values): .object([("step", .integer(step)), ("values", .string(Base64URL.encode(Array(values))))])
        case .sealed(let step, let recipient, let sealed):
            .object([("step", .integer(step)), ("to", .integer(recipient)), ("sealed", .string(sealed))])
        case .result(let fingerprint): .object([("fingerprint", .string(fingerprint))])
        case .complaint(let step, let dealer, let key, let envelope):
            .object([
                ("step", .integer(step)), ("dealer", .integer(dealer)), ("key", .string(Base64URL.encode(Array(key)))),
                ("envelope", envelope.json),
            ])
        }
    }

    /// Parses the body of a key generation round (any other round is refused).
    public init(round: Envelope.Round, body: JSONValue) throws(MultiPartyError) {
        do {
            let fields = try JSONFields(body, path: "message", prefix: "body")
            func bytes(_ key: String) throws -> Data {
                guard let decoded = Base64URL.decode(try fields.string(key)) else {
                    throw MultiPartyError.malformedMessage("body.\(key) is not base64url")
                }
                return Data(decoded)
            }
            let step = { () throws(FormatError) in try fields.integer("step", in: 0...Int(Int32.max)) }
            switch round {
            case .keygenHello:
                guard try fields.string("protocol") == Self.protocolName else {
                    throw MultiPartyError.malformedMessage("not a \(Self.protocolName) hello")
                }
                self = .hello(
                    roster: try fields.string("roster"), bits: try fields.integer("bits", in: 0...8192),
                    parties: try fields.integer("parties", in: 0...64), threshold: try fields.integer("threshold", in: 0...64),
                    batchSize: try fields.integer("batch", in: 1...16384))
            case .keygenKey:
                let key = try bytes("key")
                guard key.count == 32 else { throw MultiPartyError.malformedMessage("body.key is not 32 bytes") }
                self = .key(key)
            case .keygenPublic: self = .values(step: try step(), values: try bytes("values"))
            case .keygenPrivate: self = .sealed(step: try step(), recipient: try fields.integer("to", in: 1...64), sealed: try fields.string("sealed"))
            case .keygenResult: self = .result(fingerprint: try fields.string("fingerprint"))
            case .keygenComplaint:
                let key = try bytes("key")
                guard key.count == 32 else { throw MultiPartyError.malformedMessage("body.key is not 32 bytes") }
                let envelope = try Envelope(parsing: Data(try fields.required("envelope").serialized.utf8))
                self = .complaint(step: try step(), dealer: try fields.integer("dealer", in: 1...64), key: key, envelope: envelope)
            default: throw MultiPartyError.malformedMessage("a \(round.rawValue) message in a key generation")
            }
        } catch let error as MultiPartyError {
            throw error
        } catch let error as FormatError {
            throw .malformedField(error)
        } catch {
            throw .malformedMessage("\(error)")
        }
    }
}

extension KeyGenerationParameters {
    /// The longest integer a message's value list may hold, in bytes (``maximumValueBits``).
    public var maximumValueBytes: Int { maximumValueBits / 8 }

    /// The largest frame a key generation's messages need: a party's sealed sieve shares (three field elements per
    /// candidate prime) in base64url, with the envelope around them.
    public var maximumFrameBytes: Int {
        let valueBytes = fieldPrime.bitWidth / 8 + 1 + 5
        return max(1 << 20, (6 * batchSize * valueBytes + 64) * 4 / 3 + 4096)
    }
}
