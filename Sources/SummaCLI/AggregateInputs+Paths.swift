extension AggregateInputs {
    /// Every file these options read, so that an output can be refused if it is one of them.
    var paths: [String] { files + (key.map { [$0] } ?? []) }
}
