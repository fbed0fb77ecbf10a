import Foundation
import Synchronization

/// One line of progress on standard error for a long job ("encrypting: 412,000/1,000,000 rows (41%), 5,210 rows/s,
/// 1m 53s left"), redrawn in place at most five times a second, and a last line when the job ends. Silent when
/// standard error is not a terminal, so that logs and pipes get nothing, and with `--quiet`.
///
/// Updates may come from concurrent tasks: the count is kept under a lock, and a line is written under it too, so
/// that lines never interleave.
final class ProgressMeter: Sendable {
    let label: String
    let unit: String
    /// Where lines go; nil when the meter is silent.
    private let write: (@Sendable (String) -> Void)?
    private let now: @Sendable () -> ContinuousClock.Instant
    private let start: ContinuousClock.Instant
    private let state: Mutex<State>

    private struct State {
        var done = 0
        var total: Int?
        var lastDrawn: ContinuousClock.Instant
        /// Whether a line is on the terminal; a job too short to draw one ends without a last line.
        var drawn = false
        var ended = false
    }

    /// The shortest time between two lines: five a second.
    static let interval = Duration.milliseconds(200)

    /// A meter for a job counted in `unit`s, of `total` of them when known; silent when `quiet` or when standard
    /// error is not a terminal.
    convenience init(label: String, unit: String, total: Int? = nil, quiet: Bool) {
        let silent = quiet || isatty(STDERR_FILENO) == 0
        self.init(label: label, unit: unit, total: total, write: silent ? nil : Self.writeToStandardError, now: { .now })
    }

    /// A meter that writes to `write` (nil: nowhere) and reads the time from `now` (tests drive both).
    init(
        label: String, unit: String, total: Int?, write: (@Sendable (String) -> Void)?,
        now: @escaping @Sendable () -> ContinuousClock.Instant
    ) {
        self.label = label
        self.unit = unit
        self.write = write
        self.now = now
        start = now()
        state = Mutex(State(total: total, lastDrawn: start))
    }

    /// Whether this meter writes nothing (`--quiet`, or standard error is not a terminal).
    var isSilent: Bool { write == nil }

    /// Sets the count done, and the total when the job reports one.
    func update(done: Int, total: Int? = nil) {
        record { state in
            state.done = done
            if let total { state.total = total }
        }
    }

    /// Adds `count` to the count done: for tasks that each finish a part.
    func advance(by count: Int) {
        record { $0.done += count }
    }

    /// The job is done: replaces the line by one with the count, the time taken and the rate.
    func finish() {
        end { state, elapsed in
            "\r" + Self.finalLine(label: label, unit: unit, done: state.done, elapsed: elapsed) + Self.clearToEnd + "\n"
        }
    }

    /// The job failed: erases the line, so that the error is printed on a clean one.
    func abandon() {
        end { _, _ in "\r" + Self.clearToEnd }
    }

    /// Runs `body` with a `(done, total)` callback that updates this meter, then finishes the meter, or abandons it
    /// if `body` throws.
    func tracking<T, E: Error>(_ body: (@escaping @Sendable (Int, Int) -> Void) async throws(E) -> T) async throws(E) -> T {
        do {
            let result = try await body { [self] done, total in update(done: done, total: total) }
            finish()
            return result
        } catch {
            abandon()
            throw error
        }
    }

    private func record(_ change: (inout State) -> Void) {
        guard let write else { return }
        let time = now()
        state.withLock { state in
            change(&state)
            guard !state.ended, time - state.lastDrawn >= Self.interval else { return }
            state.lastDrawn = time
            state.drawn = true
            let line = Self.line(label: label, unit: unit, done: state.done, total: state.total, elapsed: time - start)
            write("\r" + line + Self.clearToEnd)
        }
    }

    private func end(_ text: (State, Duration) -> String) {
        guard let write else { return }
        let elapsed = now() - start
        state.withLock { state in
            guard !state.ended else { return }
            state.ended = true
            if state.drawn { write(text(state, elapsed)) }
        }
    }

    @Sendable static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// ANSI "erase to the end of the line": a line shorter than the one it replaces leaves nothing behind.
    static let clearToEnd = "\u{1B}[K"

    // MARK: - Lines

    /// The line shown while a job runs: "encrypting: 412,000/1,000,000 rows (41%), 5,210 rows/s, 1m 53s left", or
    /// without a total "summing: 412,000 records, 5,210 records/s"; the rate and the time left once there is a rate.
    static func line(label: String, unit: String, done: Int, total: Int?, elapsed: Duration) -> String {
        var parts: [String] = []
        if let total {
            let percent = total > 0 ? min(100, done * 100 / total) : 100
            parts.append("\(grouped(done))/\(grouped(total)) \(unit) (\(percent)%)")
        } else {
            parts.append("\(grouped(done)) \(unit)")
        }
        let seconds = elapsed / .seconds(1)
        if done > 0 && seconds > 0 {
            let rate = Double(done) / seconds
            parts.append("\(grouped(Int(rate))) \(unit)/s")
            if let total, total > done {
                parts.append("\(duration((Double(total - done) / rate).rounded(.up))) left")
            }
        }
        return "\(label): " + parts.joined(separator: ", ")
    }

    /// The line a finished job leaves: "encrypting: 1,000,000 rows in 3m 12s (5,210 rows/s)".
    static func finalLine(label: String, unit: String, done: Int, elapsed: Duration) -> String {
        let seconds = elapsed / .seconds(1)
        let rate = seconds > 0 ? " (\(grouped(Int(Double(done) / seconds))) \(unit)/s)" : ""
        return "\(label): \(grouped(done)) \(unit) in \(duration(seconds.rounded()))\(rate)"
    }

    /// 1234567 → "1,234,567", whatever the locale: the line reads the same everywhere.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (number < 0 ? "-" : "") + result
    }

    /// Whole seconds as "45s", "1m 53s" or "2h 5m".
    static func duration(_ seconds: Double) -> String {
        let total = Int(min(seconds, Double(Int.max / 2)))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m \(total % 60)s" }
        return "\(total / 3600)h \(total % 3600 / 60)m"
    }
}
