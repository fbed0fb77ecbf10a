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

    /// The most parties a session has, and so the most that can be counted on.
    public static let maximumParties = 64

    /// Checks the one rule the coordinator's options, a header's parser and a party's policy share: ε and δ as
    /// `PrivacyBudget` (Summa) takes them (δ required), a positive clipping norm, and 1…64 honest parties.
    public init(epsilon: FixedPoint, delta: FixedPoint, clipNorm: FixedPoint, honestParties: Int) throws(SummaError) {
        _ = try PrivacyBudget(epsilon: epsilon, delta: delta)
        guard clipNorm > .zero else { throw .incompatible("the clipping norm must be positive, not \(clipNorm)") }
        guard (1...Self.maximumParties).contains(honestParties) else {
            throw .incompatible("the honest parties must be 1…\(Self.maximumParties), not \(honestParties)")
        }
        self.epsilon = epsilon
        self.delta = delta
        self.clipNorm = clipNorm
        self.honestParties = honestParties
    }

    /// Checks the noise against the session it is for: its guarantee counts on `honestParties` parties adding
    /// noise, so the session must decrypt only sums of at least that many inputs (`minimumInputs`), out of
    /// `parties`. A guarantee for "64 of 3 parties" would cut σ for parties that do not exist.
    public func check(parties: Int, minimumInputs: Int) throws(SummaError) {
        guard honestParties <= minimumInputs, minimumInputs <= parties else {
            throw .incompatible(
                "noise counted on \(honestParties) honest parties needs a session that decrypts only sums of at least as many inputs (it decrypts \(minimumInputs) of \(parties))")
        }
    }

    /// The per-party noise for vectors of `length` values at `scale` decimals.
    public func calibration(length: Int, scale: Int) throws(SummaError) -> DistributedNoise {
        try DistributedNoise.calibrated(
            budget: try PrivacyBudget(epsilon: epsilon, delta: delta),
            clipUnits: (Double(clipNorm.description) ?? 0) * pow10(scale),
            dimension: length, honestParties: honestParties)
    }

    /// Whether this noise is at least as strong as `policy` asks, for a party that insists on it: ε and δ no larger,
    /// and the guarantee counting on no more honest parties than the party believes in. Nil if it is, else why not.
    public func weakness(against policy: SessionNoise.Policy) -> String? {
        if let epsilon = policy.epsilon, self.epsilon > epsilon {
            return "the session's noise is for ε = \(self.epsilon); this party requires ε ≤ \(epsilon)"
        }
        if let delta = policy.delta, self.delta > delta {
            return "the session's noise is for δ = \(self.delta); this party requires δ ≤ \(delta)"
        }
        if let honest = policy.honestParties, honestParties > honest {
            return "the session's noise counts on \(honestParties) honest parties; this party counts on at most \(honest)"
        }
        return nil
    }

    /// What a party requires of a session's noise before it sends anything: noise at all, and optionally ε and δ
    /// no larger than its own and a guarantee that counts on no more honest parties than it does.
    public struct Policy: Sendable, Equatable {
        public let epsilon: FixedPoint?
        public let delta: FixedPoint?
        public let honestParties: Int?

        public init(epsilon: FixedPoint? = nil, delta: FixedPoint? = nil, honestParties: Int? = nil) throws(SummaError) {
            if let epsilon { _ = try PrivacyBudget(epsilon: epsilon, delta: delta) }
            if let delta, !(delta > .zero && delta < 1) { throw .incompatible("δ must be above 0 and below 1, not \(delta)") }
            if let honestParties, !(1...SessionNoise.maximumParties).contains(honestParties) {
                throw .incompatible("the honest parties must be 1…\(SessionNoise.maximumParties), not \(honestParties)")
            }
            self.epsilon = epsilon
            self.delta = delta
            self.honestParties = honestParties
        }
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
