import Foundation
import SummaFormats
import TestSupport
import Testing

@testable import SummaCLI

/// Encrypted categories, histograms, products, regression and private release, through the summa binary: two
/// shards encrypted apart, summed together, decrypted by the key holder. Expected figures come from Foundation's
/// `Decimal` over the rows (a second implementation of the sums).
@Suite("Analyses over encrypted files, end to end", .serialized)
struct AnalyticsEndToEndTests {
    static let regions = ["north", "south", "east"]

    /// Rows (region, amount, fee, qty) with cents, negatives and one amount above the clipping bound.
    static let rows: [(region: String, amount: String, fee: String, qty: String)] = (0..<240).map { index in
        let cents = index == 17 ? 900_000 : (index * 7919 % 150_000) - 20_000
        let sign = cents < 0 ? "-" : ""
        let amount = "\(sign)\(abs(cents) / 100).\(String(format: "%02d", abs(cents) % 100))"
        return (regions[index * 7 % 3], amount, "\(index % 9).\(index % 4)5", String(index % 11 + 1))
    }

    /// The value after clipping amount to [-1000, 5000].
    static func clipped(_ amount: String) -> Decimal { min(max(Decimal(string: amount)!, -1000), 5000) }

    static func write(_ rows: ArraySlice<(region: String, amount: String, fee: String, qty: String)>, in w: Workspace, to name: String) -> String {
        w.write("region,amount,fee,qty\n" + rows.map { "\($0.region),\($0.amount),\($0.fee),\($0.qty)" }.joined(separator: "\n") + "\n", to: name)
    }

    static let analysis = [
        "--column", "amount", "--column", "fee", "--column", "qty", "--squares", "--category", "region",
        "--levels", "north,south,east", "--bins", "amount=0,100,1000", "--products", "all", "--clip", "amount=-1000:5000",
        "--clip", "fee=0:50", "--clip", "qty=0:100",
    ]

    static func key() -> String { Fixtures.path("small-private.json") }

    @Test func twoShardsGroupedBinnedCorrelatedRegressedAndReleased() throws {
        let w = Workspace()
        let first = Self.write(Self.rows[..<100], in: w, to: "a.csv")
        let second = Self.write(Self.rows[100...], in: w, to: "b.csv")
        // Each shard's data owner signs what it encrypts; the key holder trusts both.
        for owner in ["a", "b"] {
            let made = try SummaProcess("identity", "--name", "owner-\(owner)", "--out", w.file("\(owner).id"), "--public-out", w.file("\(owner).pub"))
            #expect(made.status == 0, "\(made.stderr)")
        }
        for (csv, out) in [(first, "a.enc"), (second, "b.enc")] {
            let run = try SummaProcess(
                ["encrypt", "--key", Self.key(), csv, "--out", w.file(out), "--sign", w.file(out.prefix(1) + ".id")] + Self.analysis)
            #expect(run.status == 0, "\(run.stderr)")
            if csv == first {
                // One amount was clipped: the data owner is told, and only the data owner.
                #expect(run.stderr.contains("note: column amount: 1 value was clipped to [-1000, 5000]"), "\(run.stderr)")
            }
        }
        let sum = try SummaProcess("sum", w.file("a.enc"), w.file("b.enc"), "--out", w.file("sum.json"))
        #expect(sum.status == 0, "\(sum.stderr)")
        let decrypted = try SummaProcess("decrypt", "--key", Self.key(), w.file("sum.json"))
        #expect(decrypted.status == 0, "\(decrypted.stderr)")
        let lines = decrypted.stdout.split(separator: "\n").map(String.init)
        // Per region: the count and the clipped amounts' sum, from the rows.
        for region in Self.regions {
            let rows = Self.rows.filter { $0.region == region }
            let total = rows.map { Self.clipped($0.amount) }.reduce(0, +)
            let line = try #require(lines.first { $0.hasPrefix(region + " ") }, "no row for \(region) in \(lines)")
            let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(cells[1] == String(rows.count) && Decimal(string: cells[2]) == total, "\(line)")
        }
        // Per bucket: counts from the rows (the clipped outlier falls in [1000, +inf)).
        for (label, range) in [("[0, 100)", Decimal(0)..<100), ("[100, 1000)", 100..<1000)] {
            let count = Self.rows.filter { range.contains(Self.clipped($0.amount)) }.count
            let line = try #require(lines.first { $0.hasPrefix(label) })
            #expect(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first.map(String.init) == String(count), "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("p50: in ") })
        let noCSV = try SummaProcess("decrypt", "--key", Self.key(), "--csv", w.file("sum.json"))
        #expect(noCSV.status != 0 && noCSV.stderr.contains("decrypts to several tables (an analysis): use --json"), "\(noCSV.stderr)")
        #expect(lines.contains("# amount and fee") && lines.contains { $0.hasPrefix("correlation: ") })
        // The same as JSON.
        let json = try SummaProcess("decrypt", "--key", Self.key(), "--json", w.file("sum.json"))
        let parsed = try JSONValue(parsing: Data(json.stdout.utf8), path: "json")
        #expect(parsed["columns"]?["amount"]?["count"] == .integer(240))
        guard case .array(let groups) = parsed["groups"], case .array(let levels) = groups.first?["levels"] else {
            Issue.record("no groups in \(json.stdout)"); return
        }
        #expect(levels.count == 3 && levels[0]["level"] == .string("north"))

        let fit = try SummaProcess("regress", w.file("sum.json"), "--private-key", Self.key(), "--y", "amount", "--x", "fee", "--x", "qty")
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("intercept") && fit.stdout.contains("r-squared: ") && fit.stdout.contains("rows: 240"), "\(fit.stdout)")

        // A private release prints no exact sum and says how it was made.
        let signers = ["--signer", w.file("a.pub"), "--signer", w.file("b.pub")]
        let unvouched = try SummaProcess("decrypt", "--key", Self.key(), "--epsilon", "1", w.file("sum.json"))
        #expect(unvouched.status != 0 && unvouched.stderr.contains("--epsilon needs --signer"), "\(unvouched.stderr)")
        let released = try SummaProcess(["decrypt", "--key", Self.key(), "--epsilon", "1", w.file("sum.json")] + signers)
        #expect(released.status == 0, "\(released.stderr)")
        #expect(released.stdout.hasPrefix("# released with (ε = 1)-differential privacy"), "\(released.stdout)")
        let exactSums = (["amount sum: "] + Self.regions.map { "\($0) " }).compactMap { prefix in lines.first { $0.hasPrefix(prefix) } }
        for exact in exactSums { #expect(!released.stdout.contains(exact), "\(exact) printed under --epsilon") }
        #expect(!released.stdout.contains("covariance") && !released.stdout.contains("variance"))
        let gaussian = try SummaProcess(["decrypt", "--key", Self.key(), "--epsilon", "0.5", "--delta", "0.00001", "--json", w.file("sum.json")] + signers)
        let release = try JSONValue(parsing: Data(gaussian.stdout.utf8), path: "json")
        #expect(release["release"]?["mechanism"] == .string("discrete Gaussian"), "\(gaussian.stderr)")
    }

    @Test func badAnalysisOptionsAndDataFailWithOneLine() async throws {
        let w = Workspace()
        let csv = w.write("region,amount\nnorth,1.00\nwest,2.00\n", to: "t.csv")
        let key = Self.key()
        let base = ["encrypt", "--key", key, "--column", "amount", csv, "--out", w.file("t.enc")]
        #expect(await failureOf(base + ["--category", "region", "--levels", "north,south"])
            == "\(csv):3: column region: \"west\" is not one of the levels north, south (add it to --levels, or use --other)")
        #expect(!FileManager.default.fileExists(atPath: w.file("t.enc")))
        #expect(await failureOf(base + ["--levels", "a,b"]) == "--levels and --other need --category")
        #expect(await failureOf(base + ["--bins", "amount"]) == "--bins amount: expected name=value")
        #expect(await failureOf(base + ["--bins", "amount=5,1"]) == "--bins amount: give 1 to 1000 strictly increasing edges")
        #expect(await failureOf(base + ["--clip", "amount=5"]) == "--clip amount 5: expected name:value")
        #expect(await failureOf(base + ["--products", "amount:fee"]) == "--products fee: fee is not one of the encrypted value columns (add --column fee)")
        #expect(await failureOf(base + ["--category", "region", "--format", "json"]) == "--category, --bins, --products and --clip need the binary format")
        #expect(await failureOf(base + ["--category", "city"])?.contains("city") == true)

        // Levels from the data: a warning, and sorted levels.
        let fromData = try SummaProcess(base + ["--category", "region"])
        #expect(fromData.status == 0 && fromData.stderr.contains("note: the levels of region were taken from the data (north, west)"), "\(fromData.stderr)")
        // Files of different plans do not merge; a plan without bounds cannot be released; a file needs summing first.
        try await summa("encrypt", "--key", key, "--column", "amount", "--bins", "amount=0", csv, "--out", w.file("bins.enc"))
        #expect(await failure("sum", w.file("t.enc"), w.file("bins.enc"), "--out", w.file("s.json"))?
            .contains("were encrypted with different --category, --bins, --products or --clip options") == true)
        try await summa("sum", w.file("t.enc"), "--out", w.file("s.json"))
        #expect(await failure("decrypt", "--key", key, "--epsilon", "1", w.file("s.json"))
            == "column amount has no clipping bounds: encrypt it with --clip amount=low:high to release it with --epsilon")
        #expect(await failure("decrypt", "--key", key, "--epsilon", "1", w.file("t.enc"))
            == "\(w.file("t.enc")): only sums can be released with --epsilon: sum the file first (summa sum)")
        #expect(await failure("decrypt", "--key", key, "--epsilon", "0", w.file("s.json")) == "ε must be from 0.000001 to 100, not 0")
        #expect(await failure("decrypt", "--key", key, "--epsilon", "0.00000000000000002", w.file("s.json")) == "ε must be from 0.000001 to 100, not 0.00000000000000002")
        #expect(await failure("decrypt", "--key", key, "--delta", "0.1", w.file("s.json")) == "--delta needs --epsilon")
        #expect(await failure("decrypt", "--key", key, "--epsilon", "1", "--delta", "2", w.file("s.json")) == "δ must be above 0 and below 1, not 2")
        #expect(await failure("regress", w.file("s.json"), "--private-key", key, "--y", "amount", "--x", "amount") != nil)
        try await summa("encrypt", "--key", key, "--column", "amount", "--column", "fee", "--squares",
                        w.write("amount,fee\n1,2\n2,3\n4,4\n", to: "p.csv"), "--out", w.file("p.enc"))
        #expect(await failure("regress", w.file("p.enc"), "--private-key", key, "--y", "amount", "--x", "fee")
            == "regression needs the products of fee and amount: encrypt with --products fee:amount (or --products all)")
    }

    /// Kept columns: two shards with region and month in clear, summed per region, per month and region, and in
    /// total; every figure against `Decimal` sums of the rows.
    @Test func groupByKeptColumnsAcrossShards() async throws {
        let w = Workspace()
        let months = ["2026-01", "2026-02"]
        let rows = Self.rows.enumerated().map { index, row in (row.region, months[index % 2], row.amount, row.fee) }
        func write(_ rows: ArraySlice<(String, String, String, String)>, to name: String) -> String {
            w.write("region,month,amount,fee\n" + rows.map { "\($0.0),\($0.1),\($0.2),\($0.3)" }.joined(separator: "\n") + "\n", to: name)
        }
        let key = Self.key()
        for (csv, out) in [(write(rows[..<150], to: "a.csv"), "a.enc"), (write(rows[150...], to: "b.csv"), "b.enc")] {
            try await summa("encrypt", "--key", key, "--column", "amount", "--column", "fee", "--keep", "region", "--keep", "month", "--squares", csv, "--out", w.file(out))
        }
        try await summa("sum", w.file("a.enc"), w.file("b.enc"), "--by", "region", "--out", w.file("region.json"))
        let byRegion = try SummaProcess("decrypt", "--key", key, w.file("region.json"))
        #expect(byRegion.status == 0, "\(byRegion.stderr)")
        let lines = byRegion.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("region  count  amount sum  amount mean  fee sum") == true, "\(lines)")
        // Sorted by key: east, north, south.
        #expect(lines.dropFirst().map { String($0.prefix(5)) } == ["east ", "north", "south"])
        for region in Self.regions {
            let mine = rows.filter { $0.0 == region }
            let cells = try #require(lines.first { $0.hasPrefix(region + " ") }).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(cells[1] == String(mine.count))
            #expect(Decimal(string: cells[2]) == mine.map { Decimal(string: $0.2)! }.reduce(0, +))
            #expect(Decimal(string: cells[4]) == mine.map { Decimal(string: $0.3)! }.reduce(0, +))
        }
        // The same table as CSV, read back by Summa's own CSV reader.
        let csvRun = try SummaProcess("decrypt", "--key", key, "--csv", w.file("region.json"))
        let csvText = w.write(csvRun.stdout, to: "region-table.csv")
        let table = try CSVColumns.read(path: csvText, columns: ["count", "amount sum"])
        #expect(table.columns[0].values.map(\.description) == ["east", "north", "south"].map { region in String(rows.filter { $0.0 == region }.count) })
        #expect(await failure("decrypt", "--key", key, "--csv", "--json", w.file("region.json")) == "give --json or --csv, not both")
        // By month and region: six groups; in total: the sum of every row.
        let twoKeys = try SummaProcess("stats", w.file("a.enc"), w.file("b.enc"), "--by", "month", "--by", "region", "--private-key", key, "--json")
        let parsed = try JSONValue(parsing: Data(twoKeys.stdout.utf8), path: "json")
        guard case .array(let groups) = parsed["groups"] else { Issue.record("\(twoKeys.stdout) \(twoKeys.stderr)"); return }
        #expect(groups.count == 6 && groups[0]["key"]?["month"] == .string("2026-01") && groups[0]["key"]?["region"] == .string("east"))
        let total = try SummaProcess("stats", w.file("a.enc"), w.file("b.enc"), "--private-key", key)
        #expect(total.stdout.contains("amount sum: \(rows.map { Decimal(string: $0.2)! }.reduce(0, +))"), "\(total.stdout)")
        // Decrypting a grouped file shows its kept columns with every row (in the file's order).
        let values = try SummaProcess("decrypt", "--key", key, "--json", w.file("a.enc"))
        let decrypted = try JSONValue(parsing: Data(values.stdout.utf8), path: "json")
        guard case .array(let amounts) = decrypted["amount"], case .array(let regions) = decrypted["region"] else {
            Issue.record("\(values.stdout)"); return
        }
        #expect(amounts.count == 150 && regions.count == 150)
        #expect(values.stderr.contains("rows are shown group by group"))

        // What cannot be asked.
        #expect(await failure("sum", w.file("a.enc"), "--by", "city", "--out", w.file("x.json"))
            == "\(w.file("a.enc")) was not encrypted with --keep city (it keeps region, month)")
        try await summa("encrypt", "--key", key, "--column", "amount", write(rows[..<10], to: "c.csv"), "--out", w.file("plain.enc"))
        #expect(await failure("sum", w.file("plain.enc"), "--by", "region", "--out", w.file("x.json"))
            == "\(w.file("plain.enc")) keeps no columns in clear: encrypt it with --keep region to sum by it")
        #expect(await failure("decrypt", "--key", key, "--epsilon", "1", w.file("region.json"))?
            .contains("cannot be released with --epsilon: encrypt the column with --category and --levels instead") == true)
        #expect(await failure("encrypt", "--key", key, "--column", "amount", "--keep", "region", "--category", "month", w.file("c.csv"), "--out", w.file("y.enc"))?
            .hasPrefix("--keep groups plain columns") == true)
        #expect(await failure("encrypt", "--key", key, "--column", "amount", "--keep", "amount", w.file("c.csv"), "--out", w.file("y.enc"))
            == "column amount is both kept in clear and encrypted")
        #expect(await failure("encrypt", "--key", key, "--column", "amount", "--keep", "region", "--format", "json", w.file("c.csv"), "--out", w.file("y.json"))
            == "--keep needs the binary format")
    }
}
