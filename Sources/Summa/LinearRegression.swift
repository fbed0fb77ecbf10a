import BigNum

/// Ordinary least squares with an intercept, fitted from sums alone: n, Σxᵢ, Σy, Σxᵢxⱼ, Σxᵢy and Σy², exactly what
/// encrypted columns with their squares and cross products decrypt to, so the key holder never sees a row. Solved
/// exactly in rationals (Gauss–Jordan on XᵀX), then rounded half to even.
public struct LinearRegression: Sendable, Equatable {
    /// One coefficient: the intercept first (named "intercept"), then one per regressor in the order given.
    public struct Coefficient: Sendable, Equatable {
        public let name: String
        public let estimate: FixedPoint
        /// √(σ̂²·(XᵀX)⁻¹ⱼⱼ), σ̂² = RSS/(n − p); nil when n = p (no residual degrees of freedom).
        public let standardError: FixedPoint?
    }

    public let response: String
    public let coefficients: [Coefficient]
    /// 1 − RSS/TSS; nil when y is constant.
    public let rSquared: FixedPoint?
    public let count: Int

    /// Fits `response` on `regressors` from `totals`, which must hold every column and `"a*b"` product the fit
    /// needs, with squares, over the same rows.
    /// - Parameters:
    ///   - response: the column fitted (y).
    ///   - regressors: the columns it is fitted on (x₁…), in the order the coefficients follow.
    ///   - totals: decrypted totals by column name: the value columns (with sums of squares) and their products.
    ///   - digits: decimals of every figure.
    public init(response: String, regressors: [String], totals: [String: ColumnTotals], digits: Int = 6) throws(SummaError) {
        guard !regressors.isEmpty, Set(regressors).count == regressors.count, !regressors.contains(response) else {
            throw .incompatible("give one or more distinct --x columns, none of them the --y column")
        }
        let columns = regressors + [response]
        func total(_ name: String) throws(SummaError) -> ColumnTotals {
            guard let total = totals[name] else { throw .incompatible("column \(name) is not in the aggregate") }
            return total
        }
        func product(_ a: String, _ b: String) throws(SummaError) -> Rational {
            if a == b {
                guard let squares = try total(a).sumOfSquares else {
                    throw .incompatible("regression needs the squares of \(a): encrypt with --squares")
                }
                return Rational(squares)
            }
            guard let sum = totals["\(a)*\(b)"] ?? totals["\(b)*\(a)"] else {
                throw .incompatible("regression needs the products of \(a) and \(b): encrypt with --products \(a):\(b) (or --products all)")
            }
            return Rational(sum.sum)
        }
        let n = try total(response).count
        for name in columns where try total(name).count != n {
            throw .notComputable("columns \(response) and \(name) count different rows (empty cells): regression needs every row complete")
        }
        let p = regressors.count + 1
        guard n >= p else { throw .notComputable("\(n) rows cannot fit \(p) coefficients") }
        // XᵀX and Xᵀy with x₀ = 1.
        let sums = try [Rational(n)] + regressors.map { (name) throws(SummaError) in Rational(try total(name).sum) }
        var matrix = Array(repeating: Array(repeating: Rational.zero, count: p), count: p)
        var moments = Array(repeating: Rational.zero, count: p)
        for i in 0..<p {
            for j in i..<p {
                let value = i == 0 ? sums[j] : try product(regressors[i - 1], regressors[j - 1])
                matrix[i][j] = value
                matrix[j][i] = value
            }
            moments[i] = i == 0 ? Rational(try total(response).sum) : try product(regressors[i - 1], response)
        }
        guard let inverse = Self.inverse(matrix) else {
            throw .notComputable("the regressors are collinear (XᵀX is singular): drop one of them")
        }
        let beta = (0..<p).map { i in (0..<p).reduce(Rational.zero) { $0 + inverse[i][$1] * moments[$1] } }
        let yy = try product(response, response)
        let ySum = Rational(try total(response).sum)
        let residual = yy - (0..<p).reduce(Rational.zero) { $0 + beta[$1] * moments[$1] }
        let spread = yy - ySum * ySum / Rational(n)
        // Sums of real rows make XᵀX positive definite and leave a residual of at least 0; forged sums of products
        // need not (and a negative variance has no square root).
        guard !residual.isNegative, !spread.isNegative, (0..<p).allSatisfy({ inverse[$0][$0] > .zero }) else {
            throw .notComputable("the sums of squares and products contradict each other: the file was not written by summa encrypt")
        }
        let variance: Rational? = n > p ? residual / Rational(n - p) : nil
        coefficients = (0..<p).map { j in
            Coefficient(
                name: j == 0 ? "intercept" : regressors[j - 1], estimate: beta[j].rounded(scale: digits),
                standardError: variance.map { ($0 * inverse[j][j]).squareRoot(scale: digits) })
        }
        rSquared = spread.isZero ? nil : (Rational.one - residual / spread).rounded(scale: digits)
        self.response = response
        count = n
    }

    /// The inverse by Gauss–Jordan elimination in exact arithmetic; nil for a singular matrix.
    static func inverse(_ matrix: [[Rational]]) -> [[Rational]]? {
        let size = matrix.count
        var left = matrix
        var right = (0..<size).map { i in (0..<size).map { $0 == i ? Rational.one : Rational.zero } }
        for column in 0..<size {
            guard let pivot = (column..<size).first(where: { !left[$0][column].isZero }) else { return nil }
            left.swapAt(column, pivot)
            right.swapAt(column, pivot)
            let scale = left[column][column]
            left[column] = left[column].map { $0 / scale }
            right[column] = right[column].map { $0 / scale }
            for row in 0..<size where row != column && !left[row][column].isZero {
                let factor = left[row][column]
                left[row] = zip(left[row], left[column]).map { $0 - factor * $1 }
                right[row] = zip(right[row], right[column]).map { $0 - factor * $1 }
            }
        }
        return right
    }
}
