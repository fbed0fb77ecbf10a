// A CoordinatorMachine for the committed 512-bit 3-of-5 deal, in the seed corpora's session, fed what a transport
// would feed it. The input is a list of records, one byte of operation first; the connection is (op >> 4) % 6 + 1,
// one more connection than there are parties:
//   op & 4 != 0:  the connection authenticates as the party of the next byte (0 and 6…255 are not in the roster),
//                 as CoordinatorServer reports a connection whose TLS handshake showed a roster key: connected(_:as:);
//                 a connection authenticates once;
//   op & 7 == 0:  bytes from that connection: a 16-bit big-endian length, then that many bytes, through the
//                 connection's FrameDecoder (1 MiB frames, as the server's). A connection that did not authenticate
//                 may send bytes too (CoordinatorServer never passes them on: the machine must only close it);
//   op & 7 == 1:  the same, but each frame that is an envelope from a party is signed again with that party's key
//                 (a party may sign anything it likes: this takes mutated bodies past the signature check);
//   op & 7 == 2:  the connection ends;
//   op & 7 == 3:  the current round's deadline passes.
// Like CoordinatorServer, the session starts before any connection, a closed connection's later bytes are dropped
// and the close of a connection that authenticated is followed by a disconnect.
// Properties: everything the coordinator sends reads back as the envelope and message it is, and goes to a
// connection that authenticated; bytes from a connection that did not authenticate only close it.
import Foundation
import FuzzSupport
import MultiParty

_ = Fixtures.deal
let limits = CoordinatorLimits.default(parties: Fixtures.publicKey.partyCount)
// The payloads that were checked to read back: most of what the coordinator sends (a header, the accepted list of
// the seeds' inputs) is the same from one input to the next, and checking it again was a tenth of the time.
let readBack = BytesMemo<Bool>(capacity: 1024)

Fuzz.run { [limits, readBack] data in
    var machine = Fixtures.coordinator()
    var decoders: [Int: FrameDecoder] = [:]
    var open = Set<Int>()
    var closed = Set<Int>()
    var authenticated = Set<Int>()
    // A broadcast sends one envelope to every connection: it is checked once.
    var checked: [Envelope] = []

    func perform(_ initial: [CoordinatorMachine.Action]) {
        var queue = initial
        while !queue.isEmpty {
            switch queue.removeFirst() {
            case .send(let connection, let envelope):
                Fuzz.require(
                    authenticated.contains(connection),
                    "the coordinator sent to connection \(connection), which did not authenticate:\n\(envelope.json.serialized)")
                guard !checked.contains(envelope) else { continue }
                checked.append(envelope)
                _ = readBack.value(for: Array(envelope.payload)) {
                    let parsed = try? Envelope(parsing: envelope.payload, expectedSession: Fixtures.session)
                    Fuzz.require(
                        parsed.map { same($0, envelope) } == true,
                        "the coordinator sent an envelope that does not read back:\n\(envelope.json.serialized)")
                    Fuzz.require(
                        (try? Message(round: envelope.round, body: envelope.body)) != nil,
                        "the coordinator sent a message its parties cannot read:\n\(envelope.json.serialized)")
                    return true
                }
            case .close(let connection, _):
                guard open.remove(connection) != nil else { continue }
                closed.insert(connection)
                if authenticated.contains(connection) { queue += machine.disconnected(connection) }
            case .startDeadline, .log, .finished, .failed:
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
        if op & 4 != 0 {
            let party = Int(reader.byte() ?? 0)
            guard !closed.contains(connection), !authenticated.contains(connection) else { continue }
            open.insert(connection)
            authenticated.insert(connection)
            perform(machine.connected(connection, as: party))
            continue
        }
        switch op & 3 {
        case 0, 1:
            let bytes = reader.take(reader.length() ?? 0)
            guard !closed.contains(connection) else { continue }
            open.insert(connection)
            var decoder = decoders[connection] ?? FrameDecoder(maximumLength: limits.maximumFrame)
            let payloads: [Data]
            do {
                payloads = try decoder.append(bytes)
            } catch {
                perform([.close(connection, reason: "\(error)")])
                continue
            }
            for payload in payloads where !closed.contains(connection) {
                let delivered = op & 3 == 1 ? (Fixtures.resignedPayload(Array(payload)).map { Data($0.payload) } ?? payload) : payload
                let actions = machine.received(delivered, from: connection)
                if !authenticated.contains(connection) {
                    Fuzz.require(
                        actions.allSatisfy { if case .close(connection, _) = $0 { true } else { false } },
                        "bytes from a connection that did not authenticate did more than close it: \(actions)")
                }
                perform(actions)
            }
            decoders[connection] = decoder
        case 2:
            guard open.remove(connection) != nil else { continue }
            closed.insert(connection)
            if authenticated.contains(connection) { perform(machine.disconnected(connection)) }
        default:
            perform(machine.deadlinePassed())
        }
    }
}
