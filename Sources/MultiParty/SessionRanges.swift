import BigNum
import RangeProofs
import Summa

/// The ranges a coordinator declares (``Message/Header/ranges``), read from its specifications: `lo:hi` for every
/// value, or `name=lo:hi` per named column, decimals at the session's scale. Values without a range of their own are
/// proven within ±bound; a session with a bound and no specification proves every value within ±bound.
public struct SessionRanges: Sendable, Equatable {
    /// One range for all values, or one per value.
    public let ranges: [ValueRange]
    /// The bound the session packs with: the one given, or else the largest |value| any range allows.
    public let valueBound: BigInteger?

    /// - Parameters:
    ///   - specifications: `lo:hi`, once, or `name=lo:hi` per column of `names`.
    ///   - names: the session's column names (none for unnamed vectors).
    ///   - length: values in every input.
    ///   - scale: decimals of the values.
    ///   - bound: the session's bound as a mantissa, if one was given.
    /// - Throws: ``MultiPartyError/invalidRange(_:)`` naming the specification.
    public init(
        parsing specifications: [String], names: [String], length: Int, scale: Int, bound: BigInteger?
    ) throws(MultiPartyError) {
        guard !specifications.isEmpty else {
            ranges = bound.map { [ValueRange(symmetric: $0)] } ?? []
            valueBound = bound
            return
        }
        var named: [String: ValueRange] = [:]
        var unnamed: ValueRange?
        for specification in specifications {
            let separator = specification.lastIndex(of: "=")
            let name = separator.map { String(specification[..<$0]) }
            let range = try Self.range(separator.map { String(specification[specification.index(after: $0)...]) } ?? specification,
                specification: specification, scale: scale, bound: bound)
            guard let name else {
                guard unnamed == nil, specifications.count == 1 else {
                    throw .invalidRange("\(specification): a range without a column name is for every value, and comes alone")
                }
                unnamed = range
                continue
            }
            guard names.contains(name) else {
                throw .invalidRange("\(specification): no column \(name) in the session (\(names.isEmpty ? "it names none" : names.joined(separator: ", ")))")
            }
            guard named.updateValue(range, forKey: name) == nil else { throw .invalidRange("\(specification): column \(name) has two ranges") }
        }
        if let unnamed {
            ranges = [unnamed]
        } else {
            ranges = try names.map { (name) throws(MultiPartyError) in
                if let range = named[name] { return range }
                guard let bound else { throw .invalidRange("column \(name) has no range: give it one, or give a bound for the others") }
                return ValueRange(symmetric: bound)
            }
        }
        precondition(ranges.count == 1 || ranges.count == length, "one range per named column")
        valueBound = bound ?? max(BigInteger(1), ranges.map(\.magnitude).max()!)
    }

    /// `lo:hi` as mantissas at `scale`, lo ≤ hi, each within the bound (or 2⁶³ − 1).
    static func range(_ text: String, specification: String, scale: Int, bound: BigInteger?) throws(MultiPartyError) -> ValueRange {
        let ends = text.split(separator: ":", omittingEmptySubsequences: false)
        guard ends.count == 2 else { throw .invalidRange("\(specification): expected lower:upper") }
        let limit = bound ?? Message.Header.maximumValueBound
        let mantissas = try ends.map { (end) throws(MultiPartyError) in
            let value: FixedPoint
            do throws(SummaError) {
                value = try FixedPoint(parsing: end, field: "range")
            } catch {
                throw .invalidRange("\(specification): \(end) is not a decimal number")
            }
            guard value.scale <= scale, let mantissa = try? value.rescaled(to: scale).mantissa else {
                throw .invalidRange("\(specification): \(end) has more than the session's \(scale) decimals")
            }
            return mantissa
        }
        guard let range = ValueRange(lower: mantissas[0], upper: mantissas[1]) else {
            throw .invalidRange("\(specification): the lower end is above the upper")
        }
        guard range.magnitude <= limit else {
            throw .invalidRange("\(specification): beyond \(bound == nil ? "2^63 - 1 at the session's scale" : "the session's bound")")
        }
        return range
    }
}
