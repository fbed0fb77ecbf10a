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
// A run starts from the state after the longest prefix of records run before (PrefixStates); one input in 64
// (Fuzz.oneIn) also runs from the start, where a leak is still a finding.
import Foundation
import FuzzSupport
import MultiParty

_ = Fixtures.deal
let limits = CoordinatorLimits.default(parties: Fixtures.publicKey.partyCount)
// The payloads that were checked to read back: most of what the coordinator sends (a header, the accepted list of
// the seeds' inputs) is the same from one input to the next, and checking it again was a tenth of the time.
let readBack = BytesMemo<Bool>(capacity: 1024)
let prefixes = PrefixStates<CoordinatorRun>(capacity: 4096)

Fuzz.run { [limits, readBack, prefixes] data in
    var reader = ByteReader(data)
    var records: [Record] = []
    var ends: [Int] = []
    while records.count < 64, let record = Record(&reader) {
        records.append(record)
        ends.append(reader.position)
    }
    var start = CoordinatorRun(machine: Fixtures.coordinator(), limits: limits, readBack: readBack)
    start.perform(start.machine.start())
    _ = Array(data).withUnsafeBytes { bytes in
        prefixes.run(bytes, ends: ends, from: start, fromStartToo: Fuzz.oneIn(64, data)) { run, index in
            run.take(records[index])
            return true
        }
    }
}

/// One record of the input (see above).
enum Record {
    case authenticate(connection: Int, party: Int)
    case bytes(connection: Int, Data, resigned: Bool)
    case end(connection: Int)
    case deadline

    init?(_ reader: inout ByteReader) {
        guard let op = reader.byte() else { return nil }
        let connection = Int(op >> 4) % 6 + 1
        if op & 4 != 0 {
            self = .authenticate(connection: connection, party: Int(reader.byte() ?? 0))
            return
        }
        switch op & 3 {
        case 0, 1: self = .bytes(connection: connection, reader.take(reader.length() ?? 0), resigned: op & 3 == 1)
        case 2: self = .end(connection: connection)
        default: self = .deadline
        }
    }
}

/// The coordinator and what the transport knows of its connections.
struct CoordinatorRun {
    var machine: CoordinatorMachine
    let limits: CoordinatorLimits
    let readBack: BytesMemo<Bool>
    var decoders: [Int: FrameDecoder] = [:]
    var open = Set<Int>()
    var closed = Set<Int>()
    var authenticated = Set<Int>()
    // A broadcast sends one envelope to every connection: it is checked once.
    var checked: [Envelope] = []

    mutating func perform(_ initial: [CoordinatorMachine.Action]) {
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

    mutating func take(_ record: Record) {
        switch record {
        case .authenticate(let connection, let party):
            guard !closed.contains(connection), !authenticated.contains(connection) else { return }
            open.insert(connection)
            authenticated.insert(connection)
            perform(machine.connected(connection, as: party))
        case .bytes(let connection, let bytes, let resigned):
            guard !closed.contains(connection) else { return }
            open.insert(connection)
            var decoder = decoders[connection] ?? FrameDecoder(maximumLength: limits.maximumFrame)
            let payloads: [Data]
            do {
                payloads = try decoder.append(bytes)
            } catch {
                perform([.close(connection, reason: "\(error)")])
                return
            }
            for payload in payloads where !closed.contains(connection) {
                let delivered = resigned ? (Fixtures.resignedPayload(Array(payload)).map { Data($0.payload) } ?? payload) : payload
                let actions = machine.received(delivered, from: connection)
                if !authenticated.contains(connection) {
                    Fuzz.require(
                        actions.allSatisfy { if case .close(connection, _) = $0 { true } else { false } },
                        "bytes from a connection that did not authenticate did more than close it: \(actions)")
                }
                perform(actions)
            }
            decoders[connection] = decoder
        case .end(let connection):
            guard open.remove(connection) != nil else { return }
            closed.insert(connection)
            if authenticated.contains(connection) { perform(machine.disconnected(connection)) }
        case .deadline:
            perform(machine.deadlinePassed())
        }
    }
}
