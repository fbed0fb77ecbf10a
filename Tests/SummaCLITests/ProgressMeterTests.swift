import Foundation
import Synchronization
import TestSupport
import Testing

@testable import SummaCLI

/// The progress line of long jobs: its text, how often it is drawn, and that it is silent off a terminal.
@Suite("Progress on standard error")
struct ProgressMeterTests {
    /// A clock the test moves by hand, and everything the meter wrote.
    final class Terminal: Sendable {
        let start = ContinuousClock.now
        let elapsed = Mutex(Duration.zero)
        let written = Mutex([String]())

        func meter(total: Int? = 1_000_000) -> ProgressMeter {
            ProgressMeter(
                label: "encrypting", unit: "rows", total: total, write: { text in self.written.withLock { $0.append(text) } },
                now: { self.start + self.elapsed.withLock { $0 } })
        }

        func advance(_ duration: Duration) { elapsed.withLock { $0 += duration } }
        var lines: [String] { written.withLock { $0 } }
    }

    @Test func theLineGivesCountPercentRateAndTimeLeft() {
        #expect(
            ProgressMeter.line(label: "encrypting", unit: "rows", done: 412_000, total: 1_000_000, elapsed: .seconds(79))
                == "encrypting: 412,000/1,000,000 rows (41%), 5,215 rows/s, 1m 53s left")
        #expect(
            ProgressMeter.line(label: "summing a.bin", unit: "records", done: 1_500, total: nil, elapsed: .seconds(3))
                == "summing a.bin: 1,500 records, 500 records/s")
        // Before any rate, no rate and no time left; a total of 0 is complete.
        #expect(ProgressMeter.line(label: "x", unit: "rows", done: 0, total: 10, elapsed: .zero) == "x: 0/10 rows (0%)")
        #expect(ProgressMeter.line(label: "x", unit: "rows", done: 0, total: 0, elapsed: .seconds(1)) == "x: 0/0 rows (100%)")
        #expect(
            ProgressMeter.finalLine(label: "encrypting", unit: "rows", done: 1_000_000, elapsed: .seconds(192))
                == "encrypting: 1,000,000 rows in 3m 12s (5,208 rows/s)")
    }

    @Test func numbersAndDurationsReadTheSameEverywhere() {
        #expect(ProgressMeter.grouped(0) == "0")
        #expect(ProgressMeter.grouped(999) == "999")
        #expect(ProgressMeter.grouped(1_000) == "1,000")
        #expect(ProgressMeter.grouped(-1_234_567) == "-1,234,567")
        #expect(ProgressMeter.duration(45) == "45s")
        #expect(ProgressMeter.duration(113) == "1m 53s")
        #expect(ProgressMeter.duration(7_500) == "2h 5m")
        // No rate yet makes an infinite time left: shown in hours, never a trap converting it to Int.
        #expect(ProgressMeter.duration(.infinity).hasSuffix("m"))
    }

    @Test func aLineIsDrawnAtMostFiveTimesASecondAndEndsWithTheTotal() {
        let terminal = Terminal()
        let meter = terminal.meter()
        terminal.advance(.milliseconds(100))
        meter.update(done: 10)
        #expect(terminal.lines.isEmpty, "drawn before 200 ms had passed")
        terminal.advance(.milliseconds(150))
        meter.update(done: 250_000)
        #expect(terminal.lines.count == 1)
        #expect(terminal.lines.last?.hasPrefix("\rencrypting: 250,000/1,000,000 rows (25%), 1,000,000 rows/s") == true)
        #expect(terminal.lines.last?.hasSuffix(ProgressMeter.clearToEnd) == true)
        terminal.advance(.milliseconds(50))
        meter.advance(by: 1)
        #expect(terminal.lines.count == 1, "drawn again 50 ms later")
        terminal.advance(.milliseconds(700))
        meter.update(done: 1_000_000)
        meter.finish()
        meter.finish()
        #expect(terminal.lines.count == 3, "\(terminal.lines)")
        #expect(terminal.lines.last == "\rencrypting: 1,000,000 rows in 1s (1,000,000 rows/s)\(ProgressMeter.clearToEnd)\n")
    }

    @Test func aJobTooShortToDrawLeavesNothingAndAFailedOneErasesItsLine() async {
        let short = Terminal()
        let quick = short.meter()
        quick.update(done: 1_000_000)
        quick.finish()
        #expect(short.lines.isEmpty)

        let failing = Terminal()
        let meter = failing.meter(total: nil)
        await #expect(throws: CancellationError.self) {
            try await meter.tracking { (update) async throws(CancellationError) -> Int in
                failing.advance(.seconds(1))
                update(5, 10)
                throw CancellationError()
            }
        }
        #expect(failing.lines == ["\rencrypting: 5/10 rows (50%), 5 rows/s, 1s left\(ProgressMeter.clearToEnd)", "\r\(ProgressMeter.clearToEnd)"])
    }

    @Test func tasksCountingAtOnceAddUp() async {
        let terminal = Terminal()
        let meter = terminal.meter(total: 8_000)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<1_000 { meter.advance(by: 1) } }
            }
        }
        #expect(terminal.lines.isEmpty, "drawn with no time passed")
        terminal.advance(.seconds(1))
        meter.advance(by: 0)
        #expect(terminal.lines == ["\rencrypting: 8,000/8,000 rows (100%), 8,000 rows/s\(ProgressMeter.clearToEnd)"])
    }

    @Test func quietOrNotATerminalWritesNothing() throws {
        #expect(ProgressMeter(label: "x", unit: "rows", quiet: true).isSilent)
        #expect(ProgressMeter(label: "x", unit: "rows", quiet: false).isSilent == (isatty(STDERR_FILENO) == 0))
        let quiet = try ProgressOptions.parse(["--quiet"])
        #expect(quiet.meter("x", unit: "rows").isSilent)
    }
}
