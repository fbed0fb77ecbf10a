import Summa

extension AnalysisPlan {
    /// The `analysis` member of a binary file's header and of an aggregate: the plan, numbers as decimal strings.
    public var json: JSONValue {
        .object([
            ("values", .array(values.map { .string($0) })),
            ("categories", .array(categories.map { category in
                .object([
                    ("column", .string(category.column)), ("levels", .array(category.levels.map { .string($0) })),
                    ("other", .bool(category.other)),
                ])
            })),
            ("bins", .array(bins.map { histogram in
                .object([("column", .string(histogram.column)), ("edges", .array(histogram.edges.map { .string($0.description) }))])
            })),
            ("products", .array(products.map { .object([("first", .string($0.first)), ("second", .string($0.second))]) })),
            ("clips", .array(clips.map { clip in
                .object([
                    ("column", .string(clip.column)), ("lower", .string(clip.lower.description)),
                    ("upper", .string(clip.upper.description)),
                ])
            })),
        ])
    }

    /// Reads the `analysis` member and checks it against the file's columns: the plan must derive exactly those,
    /// in that order, so that no report can be laid out over columns that hold something else.
    public static func parse(_ fields: JSONFields, columns: [String]) throws(FormatError) -> AnalysisPlan {
        func objects(_ key: String) throws(FormatError) -> [JSONFields] {
            try fields.array(key).enumerated().map { (index, value) throws(FormatError) in
                try JSONFields(value, path: fields.path, prefix: "\(fields.name(key))[\(index)]")
            }
        }
        func decimal(_ text: String, field: String) throws(FormatError) -> FixedPoint {
            try FormatError.catching { () throws(SummaError) in try FixedPoint(parsing: text, field: field) }
        }
        let categories = try objects("categories").map { (category) throws(FormatError) in
            Category(column: try category.string("column"), levels: try category.strings("levels"), other: try category.bool("other"))
        }
        let bins = try objects("bins").map { (histogram) throws(FormatError) in
            Bins(column: try histogram.string("column"), edges: try histogram.strings("edges").enumerated().map { (index, text) throws(FormatError) in
                try decimal(text, field: "\(histogram.name("edges"))[\(index)]")
            })
        }
        let products = try objects("products").map { (product) throws(FormatError) in
            Product(try product.string("first"), try product.string("second"))
        }
        let clips = try objects("clips").map { (clip) throws(FormatError) in
            Clip(
                column: try clip.string("column"), lower: try decimal(try clip.string("lower"), field: clip.name("lower")),
                upper: try decimal(try clip.string("upper"), field: clip.name("upper")))
        }
        let values = try fields.strings("values")
        let plan: AnalysisPlan
        do {
            plan = try AnalysisPlan(values: values, categories: categories, bins: bins, products: products, clips: clips)
        } catch {
            throw .malformedField(path: fields.path, field: fields.prefix, reason: error.description)
        }
        guard plan.columns.map(\.name) == columns else {
            throw .malformedField(path: fields.path, field: fields.prefix, reason: "the plan does not derive the file's columns")
        }
        return plan
    }
}
