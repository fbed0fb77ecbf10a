// A CoordinatorMachine for the committed 512-bit 3-of-5 deal, in the seed corpora's session, fed what a transport
// would feed it. The input is a list of records, one byte of operation first; the connection is (op >> 4) % 6 + 1,
// one more connection than there are parties:
//   op & 3 == 0: bytes from that connection: a 16-bit big-endian length, then that many bytes, through the
//                connection's FrameDecoder (the first bytes of a connection connect it first, as a real one is;
//                frames are limited to 64 KiB until the connection speaks as a party, 1 MiB after, as the server's);
//   op & 3 == 1: the same, but each frame that is an envelope from a party is signed again with that party's key
//                (a party may sign anything it likes: this takes mutated bodies past the signature check);
//   op & 3 == 2: the connection ends;
//   op & 3 == 3: the current round's deadline passes.
// Like CoordinatorServer, the session starts before any connection, a closed connection's later bytes are dropped
// and a close is followed by a disconnect.
// Property: everything the coordinator sends reads back as the envelope and message it is.
import Foundation
import FuzzSupport
import MultiParty

_ = Fixtures.deal
let limits = CoordinatorLimits.default(parties: Fixtures.publicKey.partyCount)

Fuzz.run { data in
    var machine = Fixtures.coordinator()
    var decoders: [Int: FrameDecoder] = [:]
    var open = Set<Int>()
    var closed = Set<Int>()

    func perform(_ initial: [CoordinatorMachine.Action]) {
        var queue = initial
        while !queue.isEmpty {
            switch queue.removeFirst() {
            case .send(_, let envelope):
                let parsed = try? Envelope(parsing: envelope.payload, expectedSession: Fixtures.session)
                Fuzz.require(
                    parsed.map { same($0, envelope) } == true,
                    "the coordinator sent an envelope that does not read back:\n\(envelope.json.serialized)")
                Fuzz.require(
                    (try? Message(round: envelope.round, body: envelope.body)) != nil,
                    "the coordinator sent a message its parties cannot read:\n\(envelope.json.serialized)")
            case .close(let connection, _):
                guard open.remove(connection) != nil else { continue }
                closed.insert(connection)
                queue += machine.disconnected(connection)
            case .startDeadline, .finished, .failed:
                continue
            }
        }
    }

    perform(machine.start())
    var reader = ByteReader(data)
    var steps = 0
    while steps < 64, let op = reader.byte() {
        steps += 1
        let connection = Int(op >> 4) % 6 + 1
        switch op & 3 {
        case 0, 1:
            let bytes = reader.take(reader.length() ?? 0)
            guard !closed.contains(connection) else { continue }
            if open.insert(connection).inserted { perform(machine.connected(connection)) }
            var decoder = decoders[connection] ?? FrameDecoder(maximumLength: limits.anonymousFrame)
            let payloads: [Data]
            do {
                payloads = try decoder.append(bytes)
            } catch {
                perform([.close(connection, reason: "\(error)")])
                continue
            }
            for payload in payloads where !closed.contains(connection) {
                let delivered = op & 3 == 1 ? (Fixtures.resigned(payload)?.payload ?? payload) : payload
                perform(machine.received(delivered, from: connection))
                if machine.isAuthenticated(connection) { decoder.maximumLength = limits.maximumFrame }
            }
            decoders[connection] = decoder
        case 2:
            guard open.remove(connection) != nil else { continue }
            closed.insert(connection)
            perform(machine.disconnected(connection))
        default:
            perform(machine.deadlinePassed())
        }
    }
}
