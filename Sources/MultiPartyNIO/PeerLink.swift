import Crypto
import Foundation
import Logging
import MultiParty
import NIOCore
import NIOSSL

/// The transport of a two-party protocol (a private join): one TCP connection under mutual TLS 1.3 pinned to the
/// peer's Ed25519 identity key, as sessions pin their roster (`SessionTLS`), length-prefixed frames of session
/// envelopes (`FrameDecoder`), and a ``PeerMachine`` on each end. One side listens and serves the first connection
/// that authenticates as the peer; a connection holding any other key fails the handshake and is closed, and the
/// listener keeps waiting. Nothing is read before the handshake completes.
public enum PeerLink {
    /// Listens on host:port (0 for any free port, reported through `listening`) and runs `machine` with the first
    /// connection that authenticates as `peerKey`; returns its outcome.
    public static func listen<Machine: PeerMachine>(
        machine: Machine, identity: Curve25519.Signing.PrivateKey, peerKey: Data, host: String, port: Int,
        maximumFrame: Int, timeout: Duration, logger: Logger, listening: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Machine.Outcome {
        let server = try await SessionTLS.listen(identity: identity, roster: [peerKey], host: host, port: port)
        let listeningPort = server.channel.localAddress?.port ?? port
        listening(listeningPort)
        logger.info("listening on \(host):\(listeningPort) for the peer")
        return try await SessionTLS.withDeadline(timeout, failure: "the join did not end within \(timeout)") {
            defer { server.channel.close(promise: nil) }
            return try await server.executeThenClose { inbound in
                for try await (connection, handshake) in inbound {
                    let peer = connection.channel.remoteAddress.map { "\($0)" } ?? "an unknown address"
                    do {
                        // A connection that never completes its handshake is dropped, not waited on.
                        try await SessionTLS.withDeadline(.seconds(10), failure: "the TLS handshake did not end within 10 seconds") { try await handshake.get() }
                    } catch {
                        logger.warning("connection from \(peer) closed: it did not authenticate as the peer (\(error))")
                        try? await connection.channel.close()
                        continue
                    }
                    logger.info("connection from \(peer) authenticated as the peer")
                    return try await run(machine, on: connection, maximumFrame: maximumFrame, logger: logger)
                }
                throw PartyFailure(reason: "the listener closed before the peer connected")
            }
        }
    }

    /// Connects to host:port, accepts only a server holding `peerKey`, and runs `machine`; returns its outcome.
    public static func connect<Machine: PeerMachine>(
        machine: Machine, identity: Curve25519.Signing.PrivateKey, peerKey: Data, host: String, port: Int,
        maximumFrame: Int, timeout: Duration, logger: Logger
    ) async throws -> Machine.Outcome {
        let (channel, refused) = try await SessionTLS.connect(identity: identity, serverKey: peerKey, host: host, port: port)
        return try await SessionTLS.withDeadline(timeout, failure: "the join did not end within \(timeout)") {
            do {
                return try await run(machine, on: channel, maximumFrame: maximumFrame, logger: logger)
            } catch where error is NIOSSLError || error is BoringSSLError {
                throw PartyFailure(
                    reason: refused.isSet
                        ? "the server at \(host):\(port) is not the peer: its TLS key is not the peer's identity"
                        : "the TLS handshake with \(host):\(port) failed: it refused this side's identity")
            }
        }
    }

    /// Alternates between sending what the machine has and feeding it frames, until it has an outcome. When the
    /// machine fails, the peer is told why before the connection closes. Logs the bytes each way at the end.
    static func run<Machine: PeerMachine>(
        _ machine: Machine, on channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, maximumFrame: Int, logger: Logger
    ) async throws -> Machine.Outcome {
        try await channel.executeThenClose { inbound, outbound in
            var machine = machine
            var decoder = FrameDecoder(maximumLength: maximumFrame)
            var frames = inbound.makeAsyncIterator()
            var sent = 0, received = 0
            func flush() async throws -> Machine.Outcome? {
                while let envelope = try await machine.nextMessage() {
                    let frame = FrameDecoder.frame(envelope.payload)
                    sent += frame.count
                    try await outbound.write(ByteBuffer(bytes: frame))
                }
                guard let outcome = machine.outcome else { return nil }
                logger.notice("ended: \(sent) bytes sent, \(received) bytes received (frames, before TLS)")
                return outcome
            }
            do {
                if let outcome = try await flush() { return outcome }
                while true {
                    guard let buffer = try await frames.next() else {
                        throw PartyFailure(reason: "the peer closed the connection before the end")
                    }
                    received += buffer.readableBytes
                    for payload in try decoder.append(Data(buffer.readableBytesView)) {
                        try await machine.received(payload)
                        if let outcome = try await flush() { return outcome }
                    }
                }
            } catch {
                if !(error is NIOSSLError || error is BoringSSLError), let abort = machine.abortMessage(reason: "\(error)") {
                    try? await outbound.write(ByteBuffer(bytes: FrameDecoder.frame(abort.payload)))
                }
                throw error
            }
        }
    }
}
