import ArgumentParser
import Summa
import SummaFormats

/// The options of `summa encrypt` that derive columns for analyses (docs/analytics.md): encrypted categories,
/// histograms, cross products and clipping. Each is parsed here into ``SummaFormats/CSVEncryption/Derivations``;
/// what they mean is the library's (`AnalysisPlan`).
struct AnalysisOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A text column whose levels to sum per, encrypted (repeat for several).", valueName: "name"))
    var category: [String] = []

    @Option(help: ArgumentHelp(
        "The levels of a category, comma-separated: \"a,b,c\" for the only one, \"region=a,b,c\" to name it (default: taken from the data, with a warning).",
        valueName: "levels"))
    var levels: [String] = []

    @Flag(help: "Count a value outside a category's levels in a level named other, instead of failing.")
    var other = false

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "Histogram edges of a value column: amount=0,100,1000 (buckets below, between and above them).", valueName: "column=edges"))
    var bins: [String] = []

    @Option(help: ArgumentHelp(
        "Encrypt the products of two value columns (amount:fee), or of every pair (all), for covariance and regression.",
        valueName: "a:b|all"))
    var products: [String] = []

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "Clip a value column to bounds before encrypting: amount=-1000:1000 (needed to release it with --epsilon).",
        valueName: "column=low:high"))
    var clip: [String] = []

    var isEmpty: Bool { category.isEmpty && levels.isEmpty && !other && bins.isEmpty && products.isEmpty && clip.isEmpty }

    /// The derivations asked for over the value `columns`; every malformed option is one line naming it.
    func derivations(columns: [String]) throws -> CSVEncryption.Derivations {
        if category.isEmpty && (!levels.isEmpty || other) { throw ValidationError("--levels and --other need --category") }
        var levelsOf: [String: [String]] = [:]
        for given in levels {
            var name = category.count == 1 ? category[0] : nil
            var list = given
            if let equals = given.firstIndex(of: "="), category.contains(String(given[..<equals])) {
                name = String(given[..<equals])
                list = String(given[given.index(after: equals)...])
            }
            guard let name else { throw ValidationError("--levels \(given): name its category (--levels region=a,b,c)") }
            guard levelsOf[name] == nil else { throw ValidationError("--levels given twice for \(name)") }
            let parsed = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !parsed.contains(where: \.isEmpty) else { throw ValidationError("--levels \(given): a level is empty") }
            levelsOf[name] = parsed
        }
        let categories = category.map { AnalysisPlan.Category(column: $0, levels: levelsOf[$0] ?? [], other: other) }
        let histograms = try bins.map { given in
            let (name, list) = try Self.split(given, option: "--bins", at: "=")
            let edges = try list.split(separator: ",", omittingEmptySubsequences: false).map {
                try FixedPoint(parsing: $0.trimmingCharacters(in: .whitespaces), field: "--bins \(name)")
            }
            return AnalysisPlan.Bins(column: name, edges: edges)
        }
        var pairs: [AnalysisPlan.Product] = []
        for given in products {
            if given == "all" {
                for (index, first) in columns.enumerated() {
                    for second in columns[(index + 1)...] { pairs.append(.init(first, second)) }
                }
            } else {
                let (first, second) = try Self.split(given, option: "--products", at: ":")
                pairs.append(.init(first, second))
            }
        }
        return CSVEncryption.Derivations(categories: categories, bins: histograms, products: pairs, clips: try Self.clips(clip))
    }

    /// `--clip column=low:high` options (encrypt's, and decrypt's release policy).
    static func clips(_ given: [String]) throws -> [AnalysisPlan.Clip] {
        try given.map { given in
            let (name, bounds) = try Self.split(given, option: "--clip", at: "=")
            let (lower, upper) = try Self.split(bounds, option: "--clip \(name)", at: ":", from: bounds.dropFirst().startIndex)
            return AnalysisPlan.Clip(
                column: name, lower: try FixedPoint(parsing: lower, field: "--clip \(name)"),
                upper: try FixedPoint(parsing: upper, field: "--clip \(name)"))
        }
    }

    /// "a=b" into a and b, both non-empty, cut at the first `separator` from `start` on (a negative bound's sign is
    /// not a separator).
    static func split(_ text: String, option: String, at separator: Character, from start: String.Index? = nil) throws -> (String, String) {
        guard let index = text[(start ?? text.startIndex)...].firstIndex(of: separator),
            index != text.startIndex, text.index(after: index) != text.endIndex
        else { throw ValidationError("\(option) \(text): expected name\(separator)value") }
        return (String(text[..<index]), String(text[text.index(after: index)...]))
    }
}
