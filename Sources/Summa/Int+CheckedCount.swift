extension Int {
    /// `self + other` for counts, sizes and blocks that came from outside (files, messages): a sum past `Int.max`
    /// is an error naming `what`, never a trap.
    @inlinable
    public func addingCount(_ other: Int, _ what: @autoclosure () -> String = "counts") throws(SummaError) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard !overflow else { throw .incompatible("\(what()) add up beyond 2^63") }
        return sum
    }

    /// `self × other` likewise.
    @inlinable
    public func multipliedCount(by other: Int, _ what: @autoclosure () -> String = "counts") throws(SummaError) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard !overflow else { throw .incompatible("\(what()) multiply beyond 2^63") }
        return product
    }
}

extension Sequence<Int> {
    /// The sum of counts from outside, checked as ``Swift/Int/addingCount(_:_:)`` checks one addition.
    @inlinable
    public func countSum(_ what: @autoclosure () -> String = "counts") throws(SummaError) -> Int {
        var total = 0
        for value in self { total = try total.addingCount(value, what()) }
        return total
    }
}
