import ArgumentParser

/// The `--quiet` flag of commands that run long jobs. Apart from ``OutputOptions`` because commands that print their
/// result rather than write a file (`decrypt`) run long jobs too.
struct ProgressOptions: ParsableArguments {
    @Flag(help: "Show no progress (it is shown only when standard error is a terminal).")
    var quiet = false

    /// A meter for a job of `unit`s ("rows", "records"), labelled with what it does ("encrypting"), silent when
    /// `--quiet` was given or standard error is not a terminal.
    func meter(_ label: String, unit: String, total: Int? = nil) -> ProgressMeter {
        ProgressMeter(label: label, unit: unit, total: total, quiet: quiet)
    }
}
