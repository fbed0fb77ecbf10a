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

/// Runs one session's coordinator over TCP (SwiftNIO): each connection's bytes go through a ``FrameDecoder`` into
/// the ``CoordinatorMachine``, whose actions become writes, closes and deadlines. A connection that sends garbage,
/// an oversized prefix or a bad signature is closed; the session goes on.
public enum CoordinatorServer {
    /// Listens on host:port (0 for any free port, reported through `listening`), runs the session, returns.
    public static func run(
        machine: CoordinatorMachine, host: String, port: Int, maximumFrame: Int = 1 << 20,
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
        let hub = CoordinatorHub(machine: machine, maximumFrame: maximumFrame)
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
    let maximumFrame: Int
    var writers: [Int: NIOAsyncChannelOutboundWriter<ByteBuffer>] = [:]
    var channels: [Int: Channel] = [:]
    var nextConnection = 1
    var deadline: Task<Void, Never>?
    /// Which deadline is current: a deadline that fires after a newer one was set is ignored.
    var deadlineGeneration = 0
    var bytesReceived = 0, bytesSent = 0
    var finalOutcome: CoordinatorOutcome?
    var waiters: [CheckedContinuation<CoordinatorOutcome, Never>] = []

    init(machine: CoordinatorMachine, maximumFrame: Int) {
        self.machine = machine
        self.maximumFrame = maximumFrame
    }

    func outcome() async -> CoordinatorOutcome {
        if let finalOutcome { return finalOutcome }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let id = nextConnection
        nextConnection += 1
        try? await connection.executeThenClose { inbound, outbound in
            writers[id] = outbound
            channels[id] = connection.channel
            await perform(machine.connected(id))
            var decoder = FrameDecoder(maximumLength: maximumFrame)
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
