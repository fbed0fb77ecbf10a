import BigNum
import Summa

/// What the coordinator of a packed session asks every party to do to its vector so that the sum is (ε, δ)-DP for
/// one party's vector added or removed: clip it to L2 norm `clipNorm`, round it at random, and add the distributed
/// discrete Gaussian noise that `DistributedNoise` calibrates, assuming at least `honestParties` add theirs.
public struct SessionNoise: Sendable, Equatable {
    public let epsilon: FixedPoint
    public let delta: FixedPoint
    /// The L2 norm, in the values' own units, every vector is clipped to.
    public let clipNorm: FixedPoint
    /// The fewest parties whose noise the guarantee counts on (the others may add none, or drop out).
    public let honestParties: Int

    public init(epsilon: FixedPoint, delta: FixedPoint, clipNorm: FixedPoint, honestParties: Int) {
        self.epsilon = epsilon
        self.delta = delta
        self.clipNorm = clipNorm
        self.honestParties = honestParties
    }

    /// The per-party noise for vectors of `length` values at `scale` decimals.
    public func calibration(length: Int, scale: Int) throws(SummaError) -> DistributedNoise {
        try DistributedNoise.calibrated(
            epsilon: Double(epsilon.description) ?? 0, delta: Double(delta.description) ?? 0,
            clipUnits: (Double(clipNorm.description) ?? 0) * pow10(scale),
            dimension: length, honestParties: honestParties)
    }

    /// One line saying what the noise is and what it guarantees.
    public func description(_ calibration: DistributedNoise, parties: Int, scale: Int) -> String {
        let sigma = calibration.sigma / pow10(scale)
        return "each party adds discrete Gaussian noise of σ = \(String(format: "%.6g", sigma)) to every value; with at least "
            + "\(honestParties) of the \(parties) parties adding theirs, the sums are (ε = \(epsilon), δ = \(delta))-differentially "
            + "private for one party's vector (clipped to norm \(clipNorm)) added or removed"
    }

    private func pow10(_ k: Int) -> Double { (0..<k).reduce(1.0) { value, _ in value * 10 } }
}
