import Foundation
import NIOCore
import NIOPosix
import Summa
import Synchronization
import Testing
import Threshold

@testable import MultiParty

/// Real sockets on loopback (port 0), coordinator and parties in this process.
@Suite("Sessions over TCP on loopback", .serialized)
struct TCPSessionTests {
    /// Starts a coordinator and returns its port and its outcome's task.
    func startCoordinator(minimumInputs: Int = 3, inputDeadline: Int = 20) async throws -> (Int, Task<CoordinatorOutcome, Error>) {
        let port = Mutex<Int?>(nil)
        let machine = CoordinatorMachine(key: dealt.publicKey, scale: 2, minimumInputs: minimumInputs, inputDeadline: inputDeadline, roundDeadline: 10)
        let task = Task { try await CoordinatorServer.run(machine: machine, host: "127.0.0.1", port: 0) { bound in port.withLock { $0 = bound } } }
        for _ in 0..<200 where port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        return (try #require(port.withLock { $0 }), task)
    }

    func party(_ index: Int, _ value: String, port: Int) -> Task<SessionResult, Error> {
        let machine = PartyMachine(share: dealt.shares[index - 1], value: try! FixedPoint(parsing: value))
        return Task { try await PartyClient.run(machine: machine, host: "127.0.0.1", port: port, timeout: .seconds(60)) }
    }

    /// Opens a raw connection and writes `bytes` (then keeps it open, or closes it).
    func raw(_ bytes: [UInt8], port: Int, close: Bool) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        try await channel.executeThenClose { _, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            if !close { try await Task.sleep(for: .milliseconds(300)) }
        }
    }

    @Test func fivePartiesGetTheSameResult() async throws {
        let (port, coordinator) = try await startCoordinator()
        let values = ["100.50", "-20.25", "0", "7.75", "12"]
        let parties = values.enumerated().map { party($0.offset + 1, $0.element, port: port) }
        let outcome = try await coordinator.value
        let result = try #require(outcome.result, "\(String(describing: outcome.failure))")
        #expect(result.sum == (try FixedPoint(parsing: "100.00")) && result.count == 5)
        for task in parties { #expect(try await task.value == result) }
        #expect(outcome.transcript.contains { $0.round == .result })
    }

    @Test func badConnectionsAreDroppedAndAMissingPartyIsLeftOut() async throws {
        let (port, coordinator) = try await startCoordinator(inputDeadline: 3)
        try await raw(Array("random bytes, not a frame".utf8), port: port, close: true)
        try await raw([0x7F, 0xFF, 0xFF, 0xFF], port: port, close: false)  // an oversized length prefix
        try await raw([0, 0, 0, 50, 1, 2, 3], port: port, close: true)     // a half-sent frame
        let parties = [1, 2, 3, 4].map { party($0, "\($0).00", port: port) }  // party 5 never connects
        let outcome = try await coordinator.value
        let result = try #require(outcome.result, "\(String(describing: outcome.failure))")
        #expect(result.sum == (try FixedPoint(parsing: "10.00")) && result.contributors == [1, 2, 3, 4])
        for task in parties { #expect(try await task.value.sum == result.sum) }
    }
}
