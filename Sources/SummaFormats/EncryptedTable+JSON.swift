import Paillier
import Summa

extension EncryptedTable {
    /// The `summa.encrypted` document.
    public var summaJSON: JSONValue {
        .object(
            SummaFile.header(.encrypted, publicKey: publicKey) + [
                ("columns", .array(columns.map { column in
                    var members: [(String, JSONValue)] = [
                        ("name", .string(column.name)), ("scale", .integer(column.scale)),
                        ("count", .integer(column.values.count)),
                        ("values", .array(column.values.map { .string($0.value.description) })),
                    ]
                    if let squares = column.squares {
                        members.append(("squares", .array(squares.map { .string($0.value.description) })))
                    }
                    return .object(members)
                }))
            ])
    }
}
