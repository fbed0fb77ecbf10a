import Foundation

/// Runs an input of steps from the state after its longest prefix of steps run before. A mutation changes one or
/// two steps of an input (a line of a transcript, a record of a session), and running every step in front of them
/// again, a parse, a signature and the proofs behind them each, was most of an execution. This keeps the state
/// (a value) after every step run, under the key (``BytesKey``) of the input's bytes up to the end of that step, and
/// starts an input from the state of its longest prefix kept. States are kept after every step a run takes, so that
/// running an input again (libFuzzer does, when an input allocates more than it frees) finds them all and adds
/// nothing.
///
/// A run allocates what it keeps with LeakSanitizer told to ignore it (``Fuzz/keptUntilExit(_:)``: LSan cannot
/// follow every Swift reference, so kept states would look leaked), and so everything a resumed run allocates is
/// ignored: a harness also runs some inputs from the start without it, where a leak is still a finding. For the
/// same reason a step must not keep in its state anything allocated before the run (a payload decoded from the
/// input, say) but a copy of it.
public final class PrefixStates<State>: @unchecked Sendable {
    let states: BytesMemo<State>

    /// `capacity` states are kept, the oldest replaced first.
    public init(capacity: Int) {
        states = BytesMemo(capacity: capacity)
    }

    /// The state after the steps of `bytes` that end at `ends` (ascending offsets), each taken by `step` (given the
    /// state and the step's index; it returns false when the input stops there, and that state is not kept), from
    /// `start` or from the state of the longest prefix kept. When `fromStartToo`, the steps are first also taken
    /// from `start`, keeping nothing and with LeakSanitizer watching, where a leak is a finding.
    public func run(
        _ bytes: UnsafeRawBufferPointer, ends: [Int], from start: State, fromStartToo: Bool = false,
        step: (inout State, Int) -> Bool
    ) -> State {
        if fromStartToo {
            var state = start
            for index in ends.indices where !step(&state, index) { break }
        }
        return Fuzz.keptUntilExit {
            var prefix = BytesKey.Builder()
            var hashed = 0
            let keys = ends.map { end in
                prefix.add(UnsafeRawBufferPointer(rebasing: bytes[hashed..<end]))
                hashed = end
                return prefix.key
            }
            let resumed = keys.lastIndex { states[$0] != nil }
            var state = resumed.flatMap { states[keys[$0]] } ?? start
            for index in (resumed.map { $0 + 1 } ?? 0)..<ends.count {
                guard step(&state, index) else { break }
                states.remember(state, for: keys[index])
            }
            return state
        }
    }
}
