import Foundation
import NIOCore
import NIOPosix

/// Runs one party's side of a session over TCP (SwiftNIO).
public enum PartyClient {
    /// Connects, follows the session to its end and returns the result, or throws the reason it failed.
    public static func run(
        machine: PartyMachine, host: String, port: Int, timeout: Duration = .seconds(120), maximumFrame: Int = 1 << 20
    ) async throws -> SessionResult {
        try await run(machine: machine, host: host, port: port, timeout: timeout, maximumFrame: maximumFrame) { $0 }
    }

    /// As above, with each outgoing message passed through `outgoing` first: tests play a faulty party with it
    /// (a forged share, another session's id), and nil hangs up instead of sending.
    static func run(
        machine: PartyMachine, host: String, port: Int, timeout: Duration, maximumFrame: Int,
        outgoing: @escaping @Sendable (Envelope) -> Envelope?
    ) async throws -> SessionResult {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await withThrowingTaskGroup(of: SessionResult.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    var machine = machine
                    var decoder = FrameDecoder(maximumLength: maximumFrame)
                    for try await buffer in inbound {
                        for payload in try decoder.append(Data(buffer.readableBytesView)) {
                            for action in machine.received(payload) {
                                switch action {
                                case .send(let envelope):
                                    guard let envelope = outgoing(envelope) else {
                                        throw PartyFailure(reason: "hung up instead of sending its \(envelope.round.rawValue) message")
                                    }
                                    let frame = FrameDecoder.frame(envelope.payload)
                                    try await outbound.write(ByteBuffer(bytes: frame))
                                case .finished(let result): return result
                                case .failed(let reason): throw PartyFailure(reason: reason)
                                }
                            }
                        }
                    }
                    throw PartyFailure(reason: "the coordinator closed the connection before the session ended")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw PartyFailure(reason: "no result within \(timeout)")
            }
            let result = try await group.next()!
            group.cancelAll()
            return result
        }
    }
}

/// Why a party's session failed, in one line.
public struct PartyFailure: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
