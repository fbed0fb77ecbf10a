import Paillier
import Summa

extension AggregateTable {
    /// The `summa.aggregate` document: the sums of one ciphertext per column, the columns reported, and the packed
    /// sums.
    public var summaJSON: JSONValue {
        var members = SummaFile.header(.aggregate, publicKey: publicKey) + [("statistic", .string(kind.rawValue))] + body
        if isGrouped {
            members += [
                ("groupBy", .array(groupBy.map { .string($0) })),
                ("groups", .array(groups.map { group in .object([("key", .array(group.key.map { .string($0) }))] + group.table.body) })),
            ]
        }
        return .object(members)
    }

    /// The members after the header: the sums of one ciphertext per column, the columns reported, the plan and the
    /// packed sums (of the table, or of one group).
    var body: [(String, JSONValue)] {
        [
        ("columns", .array(columns.map { column in
            let sum = column.aggregate.sum
            var members: [(String, JSONValue)] = [("name", .string(column.name)), ("scale", .integer(sum.scale))]
            if !sum.denominator.isDecimal {
                members.append(("denominator", .object([
                    ("twos", .integer(sum.denominator.twos)), ("fives", .integer(sum.denominator.fives)),
                ])))
            }
            members += [
                ("count", .integer(column.aggregate.count)), ("sum", .string(sum.ciphertext.value.description)),
            ]
            if let bound = column.aggregate.sum.bound { members.append(("bound", .string(bound.description))) }
            if let squares = column.aggregate.sumOfSquares {
                members.append(("sumOfSquares", .string(squares.ciphertext.value.description)))
                if let bound = squares.bound { members.append(("sumOfSquaresBound", .string(bound.description))) }
            }
            return .object(members)
        })),
        ("columnNames", .array(columnNames.map { .string($0) })),
            ] + (analysis.map { [("analysis", $0.json)] } ?? []) + [
        ("packed", .array(packed.map { part in
            .object([
                ("columns", .array(part.columns.map { column in
                    .object([("name", .string(column.name)), ("scale", .integer(column.scale)), ("count", .integer(column.count))])
                })),
                ("layout", part.layout.summaJSON), ("blocks", .integer(part.blocks)),
                ("records", .array(part.records.map { .string($0.value.description) })),
            ])
        })),
            ]
    }
}
