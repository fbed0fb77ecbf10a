import BigNum
import Summa

/// Built-in synthetic transactions for `summa demo` and for tests: deterministic, so every run shows the same
/// numbers. The generator is SplitMix64: fine for made-up data, and never used for anything secret.
public enum SampleData {
    /// A CSV of `rows` transactions: id, merchant (some quoted, with commas and quotes), amount (2 decimals, some
    /// negative refunds), fee (3 decimals).
    public static func transactionsCSV(rows: Int, seed: UInt64 = 2026) -> String {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let merchants = ["Acme Supplies", "\"Bits, Bytes & Co\"", "Café Zürich", "\"The \"\"Best\"\" Bakery\"", "Northwind"]
        var lines = ["id,merchant,amount,fee"]
        for row in 1...max(rows, 1) {
            let cents = Int(next() % 500_000) - (next() % 10 == 0 ? 550_000 : 0)
            let fee = Int(next() % 20_000)
            let merchant = merchants[Int(next() % UInt64(merchants.count))]
            lines.append("\(row),\(merchant),\(format(cents, decimals: 2)),\(format(fee, decimals: 3))")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func format(_ value: Int, decimals: Int) -> String {
        (try? FixedPoint(mantissa: BigInteger(value), scale: decimals))?.description ?? "0"
    }
}
