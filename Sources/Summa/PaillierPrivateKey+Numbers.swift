import BigNum
import Paillier

extension PaillierPrivateKey {
    /// Encrypts an exact decimal as the key owner (CRT, faster).
    public func encrypt(_ value: FixedPoint, field: String = "value") throws(SummaError) -> EncryptedNumber {
        try Encryptor.privateKey(self).encrypt(value, field: field)
    }

    /// Decrypts to the exact decimal, or throws ``SummaError/overflow`` when the value left the guard band or its
    /// own bound, or ``SummaError/wrongPrivateKey(fileKey:privateKey:)`` for a number under another key.
    public func decrypt(_ number: EncryptedNumber) throws(SummaError) -> FixedPoint {
        try checkKey(of: number)
        return try number.value(ofDecryptedResidue: decrypt(number.ciphertext))
    }

    /// Decrypts many numbers on all cores, keeping their order.
    public func decrypt(batch numbers: [EncryptedNumber]) async throws(SummaError) -> [FixedPoint] {
        for number in numbers { try checkKey(of: number) }
        let residues = await decrypt(batch: numbers.map(\.ciphertext))
        return try zip(residues, numbers).map { (residue, number) throws(SummaError) in
            try number.value(ofDecryptedResidue: residue)
        }
    }

    func checkKey(of number: EncryptedNumber) throws(SummaError) {
        guard number.publicKey.n == publicKey.n else {
            throw .wrongPrivateKey(fileKey: number.publicKey.fingerprint, privateKey: publicKey.fingerprint)
        }
    }
}

extension PaillierPrivateKey {
    /// Decrypts an aggregate to its statistics.
    public func decrypt(_ aggregate: EncryptedAggregate, digits: Int? = nil) throws(SummaError) -> ColumnStatistics {
        try totals(of: aggregate).statistics(digits: digits)
    }

    /// Decrypts an aggregate to its count, sum and sum of squares.
    public func totals(of aggregate: EncryptedAggregate) throws(SummaError) -> ColumnTotals {
        let squares = try aggregate.sumOfSquares.map { (s) throws(SummaError) in try decrypt(s) }
        return ColumnTotals(count: aggregate.count, sum: try decrypt(aggregate.sum), sumOfSquares: squares)
    }

    /// Decrypts every part of an aggregate table to the statistics of each reported column.
    public func decrypt(_ table: AggregateTable, digits: Int? = nil) async throws(SummaError)
        -> [(name: String, statistics: ColumnStatistics)]
    {
        try await totals(of: table).map { (column) throws(SummaError) in (column.name, try column.totals.statistics(digits: digits)) }
    }

    /// The totals of every column the table reports, by column name: what analyses and regressions look their
    /// columns up in.
    public func totalsByName(of table: AggregateTable) async throws(SummaError) -> [String: ColumnTotals] {
        Dictionary(uniqueKeysWithValues: try await totals(of: table).map { ($0.name, $0.totals) })
    }

    /// The exact totals (count, sum, sum of squares) of every column the table reports, in its order: what
    /// statistics, analyses and regressions are computed from.
    public func totals(of table: AggregateTable) async throws(SummaError) -> [(name: String, totals: ColumnTotals)] {
        guard table.publicKey.n == publicKey.n else {
            throw .wrongPrivateKey(fileKey: table.publicKey.fingerprint, privateKey: publicKey.fingerprint)
        }
        var byName: [String: ColumnTotals] = [:]
        func add(_ name: String, _ part: ColumnTotals) throws(SummaError) {
            byName[name] = try byName[name].map { (total) throws(SummaError) in try total.adding(part) } ?? part
        }
        for (name, aggregate) in table.columns { try add(name, try totals(of: aggregate)) }
        for packed in table.packed {
            let residues = await decrypt(batch: packed.records)
            for (column, part) in zip(packed.columns, try packed.totals(ofDecryptedResidues: residues)) {
                try add(column.name, part)
            }
        }
        return try table.columnNames.map { (name) throws(SummaError) in
            guard let total = byName[name] else { throw .incompatible("column \(name) has no values in the aggregate") }
            return (name, total)
        }
    }
}
