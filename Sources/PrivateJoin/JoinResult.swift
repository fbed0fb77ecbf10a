import BigNum
import Summa

/// What the recipient of a join learns: the intersection's size and, per kept group (or overall), the count, sum
/// and mean of each value column over the intersection, noisy when the contributor asked for differential privacy.
public struct JoinResult: Sendable, Equatable {
    /// The rows of each list (the contributor's without its noise rows): each side learns the other's list size.
    public let recipientRows: Int
    public let contributorRows: Int
    /// The intersection's size (noisy under differential privacy, then at least 0).
    public let size: Int
    public let columns: [JoinLayout.Column]
    public let keep: String?
    /// One figure per kept group, or a single one with no name.
    public let groups: [Group]
    public let noise: JoinMessage.NoiseDescription?

    public struct Group: Sendable, Equatable {
        public let name: String?
        /// Matched rows in the group (the size when nothing is kept).
        public let count: Int
        /// Per column, the sum at the column's scale.
        public let sums: [FixedPoint]
        /// Per column, sum ÷ count to 4 more decimals than the column; nil when the count is 0.
        public let means: [FixedPoint?]
    }

    /// Extra decimals of a mean.
    public static let meanDigits = 4

    /// The figures from the decrypted slots of `layout`.
    init(
        recipientRows: Int, contributorRows: Int, size: Int, layout: JoinLayout, keep: String?, slots: [BigInteger],
        noise: JoinMessage.NoiseDescription?
    ) throws(PrivateJoinError) {
        self.recipientRows = recipientRows
        self.contributorRows = contributorRows
        self.size = size
        columns = layout.columns
        self.keep = keep
        self.noise = noise
        var groups: [Group] = []
        for group in 0..<layout.groupCount {
            var count = size
            if layout.hasCounts {
                let slot = slots[layout.countSlot(group: group)]
                // Noise can make a count negative; a count below zero means nothing, so it is shown as 0.
                guard noise != nil || !slot.isNegative else { throw .protocolViolation("a group's count decrypted below zero") }
                count = slot.isNegative ? 0 : (slot.intValue ?? Int.max)
            }
            var sums: [FixedPoint] = []
            var means: [FixedPoint?] = []
            for (index, column) in layout.columns.enumerated() {
                let sum = slots[layout.sumSlot(group: group, column: index)]
                do {
                    sums.append(try FixedPoint(mantissa: sum, scale: column.scale))
                    if count > 0 {
                        // Rounded half away from zero.
                        let scaled = sum * BigInteger(10).power(Self.meanDigits) * 2
                        let divisor = BigInteger(count) * 2
                        let quotient = (scaled.magnitude + BigInteger(count)).quotientAndRemainder(flooringBy: divisor).quotient
                        means.append(try FixedPoint(mantissa: sum.isNegative ? -quotient : quotient, scale: column.scale + Self.meanDigits))
                    } else {
                        means.append(nil)
                    }
                } catch {
                    throw .protocolViolation("a sum does not make a number: \(error)")
                }
            }
            groups.append(Group(name: layout.hasCounts ? layout.groups[group] : nil, count: count, sums: sums, means: means))
        }
        self.groups = groups
    }
}
