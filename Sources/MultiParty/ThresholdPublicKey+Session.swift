import Threshold

extension ThresholdPublicKey {
    /// How many inputs a session needs by default, at the coordinator and at each party: the threshold, at least 2
    /// (a sum of one input is that input), at most ℓ.
    public var defaultMinimumInputs: Int { min(partyCount, max(2, threshold)) }
}
