import Crypto
import Foundation
import Logging
import MultiParty
import NIOCore
import NIOSSL
import Threshold

/// How a coordinated session (or key generation) ended, with everything it saw.
public struct CoordinatorOutcome<Result: Sendable>: Sendable {
    public let result: Result?
    public let failure: (reason: String, parties: [Int])?
    public let transcript: [Envelope]
    /// Bytes on the wire, length prefixes included, summed over every connection (garbage too).
    public let bytesReceived: Int
    public let bytesSent: Int
}

/// Runs one session's coordinator over TCP and mutual TLS (SwiftNIO, swift-nio-ssl; `SessionTLS`): a connection
/// that authenticates with a roster key is bound to that party, and its frames go through a `FrameDecoder` into the
/// `CoordinatorMachine`, whose actions become writes, closes and deadlines. A connection that fails the handshake,
/// sends garbage, an oversized prefix or a bad signature is closed; the session goes on. The input deadline starts
/// when the server listens. Every event is one line in `logger`, never a secret.
public enum CoordinatorServer {
    /// Listens on host:port (0 for any free port, reported through `listening`), runs the session, returns.
    public static func run(
        machine: CoordinatorMachine, identity: CoordinatorKey, host: String, port: Int, limits: CoordinatorLimits? = nil,
        logger: Logger = Logger(label: "summa.coordinator", factory: { _ in SwiftLogNoOpLogHandler() }),
        listening: @Sendable (Int) -> Void = { _ in }
    ) async throws -> CoordinatorOutcome<SessionResult> {
        guard identity.publicKey == machine.key else { throw TransportError.coordinatorKeyOfAnotherDeal }
        return try await run(
            machine: machine, identity: identity.signingKey, host: host, port: port,
            limits: limits
                ?? .default(
                    parties: machine.key.partyCount,
                    maximumFrame: machine.key.sessionFrameLimit(values: machine.length, ciphertexts: machine.ciphertexts)),
            logger: logger,
            announcement: "for \(machine.key.partyCount) parties (\(machine.key.threshold) to decrypt), key \(machine.key.fingerprint)",
            listening: listening)
    }

    /// Runs any coordinator machine (a session, a key generation) with `identity` as its TLS key and its roster's
    /// keys as the only ones a connection may authenticate with.
    public static func run<Machine: CoordinatingMachine>(
        machine: Machine, identity: Curve25519.Signing.PrivateKey, host: String, port: Int, limits: CoordinatorLimits,
        logger: Logger, announcement: String, listening: @Sendable (Int) -> Void = { _ in }
    ) async throws -> CoordinatorOutcome<Machine.Outcome> {
        let server = try await SessionTLS.listen(identity: identity, roster: machine.partyKeys, host: host, port: port)
        let listeningPort = server.channel.localAddress?.port ?? port
        listening(listeningPort)
        let hub = CoordinatorHub(machine: machine, limits: limits, logger: logger)
        logger.info("listening on \(host):\(listeningPort) \(announcement)")
        await hub.start()
        return try await withThrowingTaskGroup(of: CoordinatorOutcome<Machine.Outcome>?.self) { group in
            group.addTask {
                try await server.executeThenClose { inbound in
                    try await withThrowingDiscardingTaskGroup { connections in
                        for try await (connection, handshake) in inbound {
                            connections.addTask { await hub.serve(connection, handshake: handshake) }
                        }
                    }
                }
                return nil
            }
            group.addTask { await hub.outcome() }
            var outcome: CoordinatorOutcome<Machine.Outcome>?
            while outcome == nil, let next = try await group.next() { outcome = next }
            group.cancelAll()
            try? await server.channel.close()
            return outcome!
        }
    }
}

/// Owns the coordinator's state machine and the open connections.
actor CoordinatorHub<Machine: CoordinatingMachine> {
    var machine: Machine
    let limits: CoordinatorLimits
    /// Each connection's frames to send, in the order the machine asked for them, and the task that writes them:
    /// `perform` only enqueues, so handling one event never waits on a write, and another connection's event can
    /// never slip a frame in ahead of one asked for earlier (a relayed message before the hello it follows).
    var queues: [Int: AsyncStream<ByteBuffer>.Continuation] = [:]
    var writerTasks: [Int: Task<Void, Never>] = [:]
    var channels: [Int: Channel] = [:]
    var nextConnection = 1
    var deadline: Task<Void, Never>?
    /// Which deadline is current: a deadline that fires after a newer one was set is ignored.
    var deadlineGeneration = 0
    var bytesReceived = 0, bytesSent = 0
    var finalOutcome: CoordinatorOutcome<Machine.Outcome>?
    var waiters: [CheckedContinuation<CoordinatorOutcome<Machine.Outcome>, Never>] = []

    let logger: Logger
    let started = ContinuousClock.now

    init(machine: Machine, limits: CoordinatorLimits, logger: Logger) {
        self.machine = machine
        self.limits = limits
        self.logger = logger
    }

    func start() async { await perform(machine.start()) }

    func outcome() async -> CoordinatorOutcome<Machine.Outcome> {
        if let finalOutcome { return finalOutcome }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, handshake: EventLoopFuture<Void>) async {
        let id = nextConnection
        nextConnection += 1
        let peer = connection.channel.remoteAddress.map { "\($0)" } ?? "an unknown address"
        guard channels.count < limits.maximumConnections else {
            logger.warning("connection \(id) from \(peer) refused: \(limits.maximumConnections) connections are open")
            try? await connection.channel.close()
            return
        }
        channels[id] = connection.channel
        defer { channels[id] = nil }
        let timeout = limits.authenticationTimeout
        let anonymousDeadline = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            await self?.closeIfAnonymous(id)
        }
        defer { anonymousDeadline.cancel() }
        var party: Int?
        var failure = "its certificate holds no key of the roster"
        do {
            try await handshake.get()
            let key = SessionTLS.ed25519Key(of: try await connection.channel.nioSSL_peerCertificate().get())
            party = key.flatMap(machine.partyKeys.firstIndex(of:)).map { $0 + 1 }
        } catch {
            failure = "\(error)"
        }
        guard let party else {
            // One line per event: a connection the authentication deadline closed (its handshake then fails with
            // "End of file") has had its line.
            if channels[id] != nil {
                logger.warning("connection \(id) from \(peer) closed: it did not authenticate as a party of the roster (\(failure))")
            }
            try? await connection.channel.close()
            return
        }
        logger.info("connection \(id) from \(peer) authenticated as party \(party)")
        try? await connection.executeThenClose { inbound, outbound in
            let (frames, queue) = AsyncStream<ByteBuffer>.makeStream()
            queues[id] = queue
            let channel = connection.channel
            writerTasks[id] = Task {
                for await frame in frames {
                    do { try await outbound.write(frame) } catch { break }
                }
                channel.close(promise: nil)
            }
            await perform(machine.connected(id, as: party))
            var decoder = FrameDecoder(maximumLength: limits.maximumFrame)
            for try await buffer in inbound {
                guard channels[id] != nil else { break }
                bytesReceived += buffer.readableBytes
                let payloads: [Data]
                do {
                    payloads = try decoder.append(Data(buffer.readableBytesView))
                } catch {
                    await perform([.close(id, reason: "\(error)")])
                    break
                }
                for payload in payloads where channels[id] != nil {
                    await perform(machine.received(payload, from: id))
                }
            }
        }
        queues.removeValue(forKey: id)?.finish()
        await perform(machine.disconnected(id))
    }

    func perform(_ actions: [CoordinatorAction<Machine.Outcome>]) async {
        for action in actions {
            switch action {
            case .send(let connection, let envelope):
                guard let queue = queues[connection] else { continue }
                let frame = FrameDecoder.frame(envelope.payload)
                bytesSent += frame.count
                queue.yield(ByteBuffer(bytes: frame))
            case .close(let connection, let reason):
                if channels[connection] != nil { logger.warning("connection \(connection) closed: \(reason)") }
                // Closed once what was queued for it (a refusal's reason) is written.
                if let queue = queues.removeValue(forKey: connection) {
                    queue.finish()
                    channels.removeValue(forKey: connection)
                } else {
                    channels.removeValue(forKey: connection)?.close(promise: nil)
                }
            case .startDeadline(let seconds):
                deadlineGeneration += 1
                let generation = deadlineGeneration
                deadline?.cancel()
                deadline = Task { [weak self] in
                    try? await Task.sleep(for: .seconds(seconds))
                    guard !Task.isCancelled else { return }
                    // The round's actions must not run in this task: the next round's deadline would cancel it,
                    // and NIO's writes fail in a cancelled task.
                    Task.detached { await self?.deadlinePassed(generation: generation) }
                }
            case .log(let level, let message):
                let elapsed = started.duration(to: .now).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
                logger.log(level: level, "\(message)", metadata: ["elapsed": "\(String(format: "%.3f", seconds)) s"])
            case .finished(let result):
                await flush()
                finish(result: result, failure: nil)
            case .failed(let reason, let parties):
                await flush()
                finish(result: nil, failure: (reason, parties))
            }
        }
    }

    /// Lets every connection's writer send what is queued (the result or the abort) before the session's outcome
    /// closes the server: up to 5 seconds, for a party that no longer reads.
    func flush() async {
        let tasks = Array(writerTasks.values)
        for queue in queues.values { queue.finish() }
        queues = [:]
        let timeout = Task {
            try? await Task.sleep(for: .seconds(5))
            for task in tasks { task.cancel() }
        }
        for task in tasks { await task.value }
        timeout.cancel()
    }

    /// Closes a connection that has not authenticated as a party by its deadline.
    func closeIfAnonymous(_ connection: Int) async {
        guard channels[connection] != nil, !machine.isAuthenticated(connection) else { return }
        await perform([.close(connection, reason: "it did not authenticate within \(limits.authenticationTimeout)")])
    }

    func deadlinePassed(generation: Int) async {
        guard generation == deadlineGeneration else { return }
        await perform(machine.deadlinePassed())
    }

    func finish(result: Machine.Outcome?, failure: (reason: String, parties: [Int])?) {
        guard finalOutcome == nil else { return }
        let outcome = CoordinatorOutcome(
            result: result, failure: failure, transcript: machine.transcript, bytesReceived: bytesReceived,
            bytesSent: bytesSent)
        finalOutcome = outcome
        deadline?.cancel()
        for waiter in waiters { waiter.resume(returning: outcome) }
        waiters = []
    }
}
