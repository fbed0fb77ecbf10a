import Foundation
import NIOCore
import NIOPosix
import Summa
import SummaFormats
import Synchronization
import TestSupport
import Testing
import Threshold

@testable import MultiParty

/// Real sockets on loopback (port 0), coordinator and parties in this process.
@Suite("Sessions over TCP on loopback", .serialized)
struct TCPSessionTests {
    /// Starts a coordinator and returns its port and its outcome's task.
    func startCoordinator(
        minimumInputs: Int = 3, inputDeadline: Int = 20, limits: CoordinatorLimits? = nil
    ) async throws -> (Int, Task<CoordinatorOutcome, Error>) {
        let port = Mutex<Int?>(nil)
        let machine = CoordinatorMachine(key: dealt.publicKey, scale: 2, minimumInputs: minimumInputs, inputDeadline: inputDeadline, roundDeadline: 10)
        let task = Task {
            try await CoordinatorServer.run(machine: machine, host: "127.0.0.1", port: 0, limits: limits) { bound in port.withLock { $0 = bound } }
        }
        for _ in 0..<200 where port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        return (try #require(port.withLock { $0 }), task)
    }

    /// Party `index` with its share (or `share`), sending each message through `outgoing` (nil hangs up).
    func party(
        _ index: Int, _ value: String, port: Int, share: KeyShare? = nil,
        outgoing: @escaping @Sendable (Envelope) -> Envelope? = { $0 }
    ) -> Task<SessionResult, Error> {
        let machine = PartyMachine(share: share ?? dealt.shares[index - 1], value: try! FixedPoint(parsing: value))
        return Task {
            try await PartyClient.run(
                machine: machine, host: "127.0.0.1", port: port, timeout: .seconds(60), maximumFrame: 1 << 20,
                outgoing: outgoing)
        }
    }

    static let values = ["100.50", "-20.25", "0", "7.75", "12"]  // 100.00; 88.00 without party 5

    /// Parties 1…5 with ``values``; `faulty` replaces party 5.
    func fiveParties(port: Int, faulty: Task<SessionResult, Error>? = nil) -> [Task<SessionResult, Error>] {
        (1...(faulty == nil ? 5 : 4)).map { party($0, Self.values[$0 - 1], port: port) } + (faulty.map { [$0] } ?? [])
    }

    /// A bare connection to the coordinator, for bytes no honest party would send.
    func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
    }

    /// Sends one signed envelope on a new connection and reports whether the coordinator then closed it.
    func sendAlone(_ envelope: Envelope, port: Int) async throws -> Bool {
        try await closesConnection(after: Array(FrameDecoder.frame(envelope.payload)), port: port)
    }

    /// Writes `bytes` on a new connection and reports whether the coordinator closed it within five seconds.
    func closesConnection(after bytes: [UInt8], port: Int) async throws -> Bool {
        try await connect(port: port).executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            return try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { for try await _ in inbound {}; return true }
                group.addTask { try await Task.sleep(for: .seconds(5)); return false }
                let closed = try await group.next()!
                group.cancelAll()
                return closed
            }
        }
    }

    @Test func hostileClientsAreBoundedInNumberFrameSizeAndTime() async throws {
        let limits = CoordinatorLimits(maximumConnections: 6, anonymousFrame: 64 << 10, authenticationTimeout: .seconds(1))
        let (port, coordinator) = try await startCoordinator(limits: limits)
        // A frame larger than a stranger may send is refused at once, though under the 1 MiB limit of parties.
        #expect(try await closesConnection(after: [0, 1, 0x90, 0], port: port))  // announces 100 KiB
        // Ten idle strangers: six are held until the authentication timeout, the other four are closed at once.
        let closings = try await withThrowingTaskGroup(of: (Bool, Duration).self) { group in
            for _ in 0..<10 {
                group.addTask {
                    let start = ContinuousClock.now
                    let closed = try await closesConnection(after: [], port: port)
                    return (closed, ContinuousClock.now - start)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(closings.filter { !$0.0 }.isEmpty)  // nobody holds a connection without speaking as a party
        #expect(closings.filter { $0.1 < .milliseconds(900) }.count >= 4)
        #expect(closings.filter { $0.1 >= .milliseconds(900) }.count <= 6)
        // The port is free again for the parties.
        let parties = fiveParties(port: port)
        let result = try #require(try await coordinator.value.result)
        #expect(result.sum == (try FixedPoint(parsing: "100.00")))
        for task in parties { #expect(try await task.value == result) }
    }

    @Test func aCoordinatorNobodyJoinsEndsAtItsDeadline() async throws {
        let (_, coordinator) = try await startCoordinator(inputDeadline: 1)
        let outcome = try await coordinator.value
        #expect(outcome.result == nil)
        #expect(outcome.failure?.reason == "only 0 of the 3 inputs needed arrived")
    }

    @Test func fivePartiesGetTheSameResult() async throws {
        let (port, coordinator) = try await startCoordinator()
        let parties = fiveParties(port: port)
        let outcome = try await coordinator.value
        let result = try #require(outcome.result, "\(String(describing: outcome.failure))")
        #expect(result.sum == (try FixedPoint(parsing: "100.00")) && result.count == 5)
        for task in parties { #expect(try await task.value == result) }
        #expect(outcome.transcript.contains { $0.round == .result })
        // Every frame is counted: each party's messages once; every coordinator message (the header too) to all five.
        let frame = { (envelope: Envelope) in 4 + envelope.payload.count }
        let fromParties = outcome.transcript.filter { $0.sender != 0 }, fromCoordinator = outcome.transcript.filter { $0.sender == 0 }
        #expect(outcome.bytesReceived == fromParties.map(frame).reduce(0, +))
        #expect(outcome.bytesSent == fromCoordinator.map { frame($0) * 5 }.reduce(0, +))
    }

    @Test func badConnectionsAreDroppedAndAMissingPartyIsLeftOut() async throws {
        let (port, coordinator) = try await startCoordinator(inputDeadline: 3)
        #expect(try await closesConnection(after: Array("random bytes, not a frame".utf8), port: port))
        #expect(try await closesConnection(after: [0x7F, 0xFF, 0xFF, 0xFF], port: port))  // an oversized length prefix
        try await connect(port: port).executeThenClose { _, outbound in  // a half-sent frame, then gone
            try await outbound.write(ByteBuffer(bytes: [0, 0, 0, 50, 1, 2, 3]))
        }
        let parties = [1, 2, 3, 4].map { party($0, "\($0).00", port: port) }  // party 5 never connects
        let outcome = try await coordinator.value
        let result = try #require(outcome.result, "\(String(describing: outcome.failure))")
        #expect(result.sum == (try FixedPoint(parsing: "10.00")) && result.contributors == [1, 2, 3, 4])
        for task in parties { #expect(try await task.value.sum == result.sum) }
    }

    @Test func aPartyThatHangsUpBeforeItsInputIsLeftOut() async throws {
        let (port, coordinator) = try await startCoordinator(inputDeadline: 3)
        let quitter = party(5, "12", port: port) { $0.round == .input ? nil : $0 }
        let parties = fiveParties(port: port, faulty: quitter)
        let result = try #require(try await coordinator.value.result)
        #expect(result.sum == (try FixedPoint(parsing: "88.00")) && result.contributors == [1, 2, 3, 4])
        for task in parties.prefix(4) { #expect(try await task.value == result) }
        await #expect(throws: PartyFailure.self) { try await quitter.value }
    }

    @Test func aPartyThatHangsUpAfterItsInputStillCounts() async throws {
        let (port, coordinator) = try await startCoordinator()
        let quitter = party(5, "12", port: port) { $0.round == .echo ? nil : $0 }
        let parties = fiveParties(port: port, faulty: quitter)
        let result = try #require(try await coordinator.value.result)
        #expect(result.sum == (try FixedPoint(parsing: "100.00")) && result.contributors == [1, 2, 3, 4, 5])
        for task in parties.prefix(4) { #expect(try await task.value == result) }
    }

    @Test func aPartyHoldingAShareFromAnotherDealTakesNoPart() async throws {
        let other = Fixtures.otherDeal
        let (port, coordinator) = try await startCoordinator(inputDeadline: 3)
        let stranger = party(5, "12", port: port, share: other.shares[4])
        let parties = fiveParties(port: port, faulty: stranger)
        let result = try #require(try await coordinator.value.result)
        #expect(result.sum == (try FixedPoint(parsing: "88.00")) && result.contributors == [1, 2, 3, 4])
        for task in parties.prefix(4) { #expect(try await task.value == result) }
        await #expect {
            try await stranger.value
        } throws: { error in
            "\(error)".hasPrefix("the coordinator runs the session under another key")
        }
    }

    @Test func aForgedShareIsBlamedAndTheResultStillRight() async throws {
        let (port, coordinator) = try await startCoordinator()
        let forge = forgingShares(of: [2]) { share in
            DecryptionShare(party: share.party, value: share.value.multiplied(by: 4, modulo: dealt.publicKey.nSquared),
                            challenge: share.challenge, response: share.response)
        }
        let liar = party(2, Self.values[1], port: port) { forge(2, $0) }
        let honest = [1, 3, 4, 5].map { party($0, Self.values[$0 - 1], port: port) }
        let result = try #require(try await coordinator.value.result)
        #expect(result.sum == (try FixedPoint(parsing: "100.00")) && result.blamed == [2])
        for task in honest { #expect(try await task.value == result) }
        await #expect(throws: PartyFailure.self) { try await liar.value }
    }

    @Test func fewerThanThresholdHonestKeyHoldersAbortNamingThem() async throws {
        let (port, coordinator) = try await startCoordinator()
        let forge = forgingShares(of: [3, 4, 5]) { share in
            DecryptionShare(party: share.party, value: share.value, challenge: share.challenge + 1, response: share.response)
        }
        let tasks = (1...5).map { index in party(index, Self.values[index - 1], port: port) { forge(index, $0) } }
        let outcome = try await coordinator.value
        #expect(outcome.result == nil)
        #expect(outcome.failure?.reason == "fewer than 3 valid decryption shares" && outcome.failure?.parties == [3, 4, 5])
        for task in tasks.prefix(2) {
            await #expect { try await task.value } throws: { "\($0)".contains("aborted: fewer than 3 valid decryption shares (parties 3, 4, 5)") }
        }
    }

    @Test func anotherSessionsMessageAndAReplayedInputAreRejected() async throws {
        // Party 1's signed input to another session (another coordinator's header).
        var machine = PartyMachine(share: dealt.shares[0], value: 1)
        guard case .send(let foreign) = machine.received(try sessionHeader().payload).first else {
            Issue.record("no input"); return
        }
        let (port, coordinator) = try await startCoordinator(inputDeadline: 3)
        let sent = Mutex<Envelope?>(nil)
        let first = party(1, Self.values[0], port: port) { envelope in
            if envelope.round == .input { sent.withLock { $0 = envelope } }
            return envelope
        }
        let others = [2, 3, 4].map { party($0, Self.values[$0 - 1], port: port) }  // party 5 never connects
        #expect(try await sendAlone(foreign, port: port))
        for _ in 0..<200 where sent.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(300))  // the original arrives first (else the copy would win the slot)
        #expect(try await sendAlone(try #require(sent.withLock { $0 }), port: port))
        let outcome = try await coordinator.value
        let result = try #require(outcome.result)
        #expect(result.sum == (try FixedPoint(parsing: "88.00")) && result.contributors == [1, 2, 3, 4])
        #expect(outcome.transcript.filter { $0.round == .input }.map(\.sender).sorted() == [1, 2, 3, 4])  // once each
        for task in [first] + others { #expect(try await task.value == result) }
    }
}
