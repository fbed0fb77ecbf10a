import BigNum
import Foundation

/// What a range proof is about: the prover's packed ciphertexts, the range of every value they hold, how the
/// values are packed, and who proves it where. Everything here is public and goes into the Fiat–Shamir challenge,
/// so a proof made for another ciphertext, range, packing, sender, session or context does not verify.
public struct RangeStatement: Sendable, Equatable {
    /// One range per value in packing order, or a single range for every value.
    public let ranges: [ValueRange]
    /// Values proven.
    public let count: Int
    /// w: ciphertext j holds values j·k … j·k + k − 1 as ∑ v·2^(w·position) (``Summa/PackingLayout/joined(_:slotBits:)``).
    public let slotBits: Int
    /// k: values per ciphertext (the last may hold fewer).
    public let slotsPerCiphertext: Int
    /// The prover's party index.
    public let sender: Int
    /// The session id.
    public let session: Data
    /// Anything else the proof is bound to (a session's header digest).
    public let context: Data

    /// - Parameters:
    ///   - ranges: one range per value, or one for all `count` values.
    ///   - count: values proven (default: one per range).
    public init(
        ranges: [ValueRange], count: Int? = nil, slotBits: Int, slotsPerCiphertext: Int, sender: Int, session: Data, context: Data
    ) {
        let count = count ?? ranges.count
        precondition(
            count > 0 && (ranges.count == 1 || ranges.count == count) && slotBits > 0 && slotsPerCiphertext > 0,
            "a statement has values, one range for each or for all, and slots")
        self.ranges = ranges
        self.count = count
        self.slotBits = slotBits
        self.slotsPerCiphertext = slotsPerCiphertext
        self.sender = sender
        self.session = session
        self.context = context
    }

    /// Ciphertexts the values take.
    public var ciphertextCount: Int { (count + slotsPerCiphertext - 1) / slotsPerCiphertext }

    /// The range of value `index`.
    public func range(of index: Int) -> ValueRange { ranges.count == 1 ? ranges[0] : ranges[index] }

    /// The values of ciphertext `index`.
    func slots(of index: Int) -> Range<Int> {
        index * slotsPerCiphertext..<min((index + 1) * slotsPerCiphertext, count)
    }

    /// Bits of the widest committed quantity, W + 1 for the widest range (x₁, x₂, x₃ ≤ W + 1).
    var valueBits: Int { (ranges.map(\.width).max() ?? 0).bitWidth + 1 }

    /// Bits every value response may take: valueBits + λ + σ + 1.
    var responseBits: Int { valueBits + RangeCommitmentKey.challengeBits + RangeCommitmentKey.hidingBits + 1 }

    /// Bytes of one value response on the wire.
    public var responseBytes: Int { (responseBits + 7) / 8 }
}
