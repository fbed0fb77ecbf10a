import Foundation
import NIOCore
import NIOPosix

/// How a coordinated session ended, with everything it saw.
public struct CoordinatorOutcome: Sendable {
    public let result: SessionResult?
    public let failure: (reason: String, parties: [Int])?
    public let transcript: [Envelope]
    /// Bytes on the wire, length prefixes included, summed over every connection (garbage too).
    public let bytesReceived: Int
    public let bytesSent: Int
}

/// What the coordinator's port lets a client hold, so that hostile clients cannot exhaust its memory: a bounded
/// number of connections, small frames until a connection has spoken as a party with a valid signature, and a
/// deadline to do so.
public struct CoordinatorLimits: Sendable {
    /// Connections open at once; more are closed as they arrive.
    public var maximumConnections: Int
    /// The largest frame from a connection that has not yet authenticated (its first message, an input, is a few KB
    /// even at 16384-bit keys).
    public var anonymousFrame: Int
    /// The largest frame from a connection bound to a party.
    public var maximumFrame: Int
    /// How long a connection may stay open without authenticating.
    public var authenticationTimeout: Duration

    public init(maximumConnections: Int, anonymousFrame: Int = 64 << 10, maximumFrame: Int = 1 << 20,
                authenticationTimeout: Duration = .seconds(10)) {
        self.maximumConnections = maximumConnections
        self.anonymousFrame = anonymousFrame
        self.maximumFrame = maximumFrame
        self.authenticationTimeout = authenticationTimeout
    }

    /// Room for every party of the roster to connect twice (a reconnect while its old connection is closing) plus
    /// a few strangers.
    public static func `default`(parties: Int) -> CoordinatorLimits { CoordinatorLimits(maximumConnections: 2 * parties + 8) }
}

/// Runs one session's coordinator over TCP (SwiftNIO): each connection's bytes go through a ``FrameDecoder`` into
/// the ``CoordinatorMachine``, whose actions become writes, closes and deadlines. A connection that sends garbage,
/// an oversized prefix or a bad signature is closed; the session goes on. The input deadline starts when the
/// server listens.
public enum CoordinatorServer {
    /// Listens on host:port (0 for any free port, reported through `listening`), runs the session, returns.
    public static func run(
        machine: CoordinatorMachine, host: String, port: Int, limits: CoordinatorLimits? = nil,
        listening: @Sendable (Int) -> Void = { _ in }
    ) async throws -> CoordinatorOutcome {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        listening(server.channel.localAddress?.port ?? port)
        let hub = CoordinatorHub(machine: machine, limits: limits ?? .default(parties: machine.key.partyCount))
        await hub.start()
        return try await withThrowingTaskGroup(of: CoordinatorOutcome?.self) { group in
            group.addTask {
                try await server.executeThenClose { inbound in
                    try await withThrowingDiscardingTaskGroup { connections in
                        for try await connection in inbound {
                            connections.addTask { await hub.serve(connection) }
                        }
                    }
                }
                return nil
            }
            group.addTask { await hub.outcome() }
            var outcome: CoordinatorOutcome?
            while outcome == nil, let next = try await group.next() { outcome = next }
            group.cancelAll()
            try? await server.channel.close()
            return outcome!
        }
    }
}

/// Owns the coordinator's state machine and the open connections.
actor CoordinatorHub {
    var machine: CoordinatorMachine
    let limits: CoordinatorLimits
    var writers: [Int: NIOAsyncChannelOutboundWriter<ByteBuffer>] = [:]
    var channels: [Int: Channel] = [:]
    var nextConnection = 1
    var deadline: Task<Void, Never>?
    /// Which deadline is current: a deadline that fires after a newer one was set is ignored.
    var deadlineGeneration = 0
    var bytesReceived = 0, bytesSent = 0
    var finalOutcome: CoordinatorOutcome?
    var waiters: [CheckedContinuation<CoordinatorOutcome, Never>] = []

    init(machine: CoordinatorMachine, limits: CoordinatorLimits) {
        self.machine = machine
        self.limits = limits
    }

    func start() async { await perform(machine.start()) }

    func outcome() async -> CoordinatorOutcome {
        if let finalOutcome { return finalOutcome }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let id = nextConnection
        nextConnection += 1
        guard channels.count < limits.maximumConnections else {
            try? await connection.channel.close()
            return
        }
        try? await connection.executeThenClose { inbound, outbound in
            writers[id] = outbound
            channels[id] = connection.channel
            await perform(machine.connected(id))
            let timeout = limits.authenticationTimeout
            let anonymousDeadline = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                await self?.closeIfAnonymous(id)
            }
            defer { anonymousDeadline.cancel() }
            var decoder = FrameDecoder(maximumLength: limits.anonymousFrame)
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
                    if machine.isAuthenticated(id) { decoder.maximumLength = limits.maximumFrame }
                }
            }
        }
        writers[id] = nil
        channels[id] = nil
        await perform(machine.disconnected(id))
    }

    func perform(_ actions: [CoordinatorMachine.Action]) async {
        for action in actions {
            switch action {
            case .send(let connection, let envelope):
                guard let writer = writers[connection] else { continue }
                let frame = FrameDecoder.frame(envelope.payload)
                bytesSent += frame.count
                try? await writer.write(ByteBuffer(bytes: frame))
            case .close(let connection, _):
                writers[connection] = nil
                channels.removeValue(forKey: connection)?.close(promise: nil)
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
            case .finished(let result):
                finish(result: result, failure: nil)
            case .failed(let reason, let parties):
                finish(result: nil, failure: (reason, parties))
            }
        }
    }

    /// Closes a connection that has not spoken as a party by its authentication deadline.
    func closeIfAnonymous(_ connection: Int) async {
        guard channels[connection] != nil, !machine.isAuthenticated(connection) else { return }
        await perform([.close(connection, reason: "no valid message within the authentication timeout")])
    }

    func deadlinePassed(generation: Int) async {
        guard generation == deadlineGeneration else { return }
        await perform(machine.deadlinePassed())
    }

    func finish(result: SessionResult?, failure: (reason: String, parties: [Int])?) {
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
