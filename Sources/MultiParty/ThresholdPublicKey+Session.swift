import RangeProofs
import Threshold

extension ThresholdPublicKey {
    /// How many inputs a session needs by default, at the coordinator and at each party: the threshold, at least 2
    /// (a sum of one input is that input), at most ℓ.
    public var defaultMinimumInputs: Int { min(partyCount, max(2, threshold)) }
}

extension ThresholdPublicKey {
    /// The largest frame of a session whose inputs hold `values` values in `ciphertexts` ciphertexts: room for the
    /// largest message, the accepted list (ℓ inputs of that many ciphertexts with proofs, about five numbers below
    /// n² each in decimal, and with declared ranges the range proofs' four base64url responses per value) or the
    /// result (a decimal per value), and at least the 1 MiB of a single-value session.
    /// Both sides cap what they read at this (a party, before it knows the packing, as if unpacked up to
    /// ``Message/Header/maximumLength`` ciphertexts).
    public func sessionFrameLimit(values: Int, ciphertexts: Int) -> Int {
        let digits = nSquared.bitWidth * 30_103 / 100_000 + 1  // decimal digits of a number below n²
        let rangeProofBytes = (4 * RangeProof.maximumResponseBytes * 4 + 2) / 3  // base64url of four responses
        return max(1 << 20, (64 << 10) + partyCount * ciphertexts * (5 * digits + 256) + values * (64 + partyCount * rangeProofBytes))
    }
}
