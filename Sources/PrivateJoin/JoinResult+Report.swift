import SummaFormats

extension JoinResult {
    /// The result as one JSON object, numbers as decimal strings.
    public var json: JSONValue {
        .object([
            ("format", .string("summa.join-result")), ("version", .integer(1)),
            ("recipient-rows", .integer(recipientRows)), ("contributor-rows", .integer(contributorRows)),
            ("intersection", .integer(size)), ("keep", keep.map { .string($0) } ?? .null),
            ("groups", .array(groups.map { group in
                .object([
                    ("name", group.name.map { .string($0) } ?? .null), ("count", .integer(group.count)),
                    ("columns", .array(columns.indices.map { index in
                        .object([
                            ("name", .string(columns[index].name)), ("sum", .string(group.sums[index].description)),
                            ("mean", group.means[index].map { .string($0.description) } ?? .null),
                        ])
                    })),
                ])
            })),
            ("noise", noise?.json ?? .null),
        ])
    }

    /// The result as lines to read.
    public var lines: [String] {
        var lines = ["intersection: \(size) (of \(recipientRows) rows here and \(contributorRows) there)"]
        for group in groups {
            let prefix = group.name.map { "\(keep ?? "group") \($0): " } ?? ""
            if group.name != nil { lines.append("\(prefix)count \(group.count)") }
            for (index, column) in columns.enumerated() {
                lines.append("\(prefix)\(column.name) sum \(group.sums[index]), mean \(group.means[index]?.description ?? "undefined")")
            }
        }
        if let noise {
            lines.append("differentially private: ε = \(noise.epsilon), δ = \(noise.delta), discrete Gaussian noise added by the other side")
            for family in noise.families { lines.append("  \(family.name): σ \(family.sigma)") }
        } else {
            lines.append("exact: no noise was added")
        }
        return lines
    }
}
