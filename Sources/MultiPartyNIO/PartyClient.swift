import Crypto
import Foundation
import MultiParty
import Synchronization
import NIOCore
import NIOSSL

/// Runs one party's side of a session over TCP and mutual TLS (SwiftNIO, swift-nio-ssl; `SessionTLS`): the party
/// authenticates with its roster key and talks only to a server that proves it holds the deal's coordinator key.
public enum PartyClient {
    /// Connects, follows the session to its end and returns the result, or throws the reason it failed. Frames
    /// from the coordinator are capped at `maximumFrame` (default: the key's limit for the party's values).
    /// `accepted` is called once with the session's header when the party has accepted it and sent its input.
    public static func run(
        machine: PartyMachine, host: String, port: Int, timeout: Duration = .seconds(120), maximumFrame: Int? = nil,
        accepted: (@Sendable (Message.Header) -> Void)? = nil
    ) async throws -> SessionResult {
        try await run(
            machine: machine, host: host, port: port, timeout: timeout,
            maximumFrame: maximumFrame
                ?? machine.share.publicKey.sessionFrameLimit(
                    values: machine.length, ciphertexts: min(machine.length, Message.Header.maximumLength)),
            accepted: accepted
        ) { $0 }
    }

    /// As above, with each outgoing message passed through `outgoing` first: tests play a faulty party with it
    /// (a forged share, another session's id), and nil hangs up instead of sending.
    static func run(
        machine: PartyMachine, host: String, port: Int, timeout: Duration, maximumFrame: Int,
        accepted: (@Sendable (Message.Header) -> Void)? = nil, outgoing: @escaping @Sendable (Envelope) -> Envelope?
    ) async throws -> SessionResult {
        let announced = Mutex(false)
        return try await run(
            machine: machine, identity: machine.share.signingKey, serverKey: machine.share.publicKey.coordinatorKey, host: host,
            port: port, timeout: timeout, maximumFrame: maximumFrame,
            observe: { machine in
                guard let header = machine.acceptedHeader, announced.withLock({ first in defer { first = true }; return !first }) else { return }
                accepted?(header)
            }, outgoing: outgoing)
    }

    /// Runs any party machine (a session's, a key generation's) against the coordinator at host:port: this party
    /// authenticates with `identity` and talks only to a server that proves it holds `serverKey`. `observe` sees
    /// the machine after each frame; `outgoing` may rewrite or (nil) withhold each message, for tests.
    public static func run<Machine: ParticipatingMachine>(
        machine: Machine, identity: Curve25519.Signing.PrivateKey, serverKey: Data, host: String, port: Int, timeout: Duration,
        maximumFrame: Int, observe: @escaping @Sendable (Machine) -> Void = { _ in },
        outgoing: @escaping @Sendable (Envelope) -> Envelope? = { $0 }
    ) async throws -> Machine.Outcome {
        let (channel, refused) = try await SessionTLS.connect(identity: identity, serverKey: serverKey, host: host, port: port)
        return try await SessionTLS.withDeadline(timeout, failure: "no result within \(timeout)") {
            do {
                return try await follow(channel, machine: machine, maximumFrame: maximumFrame, observe: observe, outgoing: outgoing)
            } catch let error as NIOSSLError {
                throw PartyFailure(
                    reason: refused.isSet
                        ? "the server at \(host):\(port) is not this party's coordinator: its TLS key is not the coordinator key its public key or roster names"
                        : "the TLS handshake with the coordinator at \(host):\(port) failed (\(error)): it refused this party's key, or it runs another key or roster")
            } catch let failure as PartyFailure {
                throw failure
            } catch {
                throw PartyFailure(
                    reason: "the connection to the coordinator at \(host):\(port) failed: \(SocketFailure.reason(error))")
            }
        }
    }

    /// Feeds the connection's frames to the machine and writes what it sends, until it finishes or fails.
    static func follow<Machine: ParticipatingMachine>(
        _ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, machine: Machine, maximumFrame: Int,
        observe: @escaping @Sendable (Machine) -> Void, outgoing: @escaping @Sendable (Envelope) -> Envelope?
    ) async throws -> Machine.Outcome {
        try await channel.executeThenClose { inbound, outbound in
            // The party keeps reading while its frames are written, by a task of their own: a party that stopped
            // reading until its write went through could wait on a coordinator that is itself waiting to write to
            // it (both TCP windows full), which key generation's megabyte steps did with ten parties.
            let (frames, queue) = AsyncStream<ByteBuffer>.makeStream()
            let writer = Task {
                // A write can fail because the coordinator closed the connection after an abort: the abort is
                // then still to be read, and it is the reason worth reporting.
                do {
                    for await frame in frames { try await outbound.write(frame) }
                    return nil as (any Error)?
                } catch {
                    return error
                }
            }
            defer { queue.finish() }
            var machine = machine
            var decoder = FrameDecoder(maximumLength: maximumFrame)
            for try await buffer in inbound {
                for payload in try decoder.append(Data(buffer.readableBytesView)) {
                    let actions = machine.received(payload)
                    observe(machine)
                    for action in actions {
                        switch action {
                        case .send(let envelope):
                            guard let envelope = outgoing(envelope) else {
                                throw PartyFailure(reason: "hung up instead of sending its \(envelope.round.rawValue) message")
                            }
                            queue.yield(ByteBuffer(bytes: FrameDecoder.frame(envelope.payload)))
                        case .finished(let result):
                            queue.finish()
                            _ = await writer.value
                            return result
                        case .failed(let reason):
                            // Whatever the machine sent on failing (its abort) is written first.
                            queue.finish()
                            _ = await writer.value
                            throw PartyFailure(reason: reason)
                        }
                    }
                }
            }
            queue.finish()
            if let failure = await writer.value { throw failure }
            throw PartyFailure(reason: "the coordinator closed the connection before the session ended")
        }
    }
}

/// Why a party's session failed, in one line.
public struct PartyFailure: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
