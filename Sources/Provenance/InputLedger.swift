import Foundation
import Summa
import SummaFormats

/// What an aggregate says about its inputs: for each, the file it was read from, the SHA-256 of its bytes and, when
/// its data owner signed it, the signed statement (``InputStatement``). `summa sum` writes it as the aggregate's
/// `inputs` member and refuses the same input twice; `summa decrypt --signer` checks it against the signers the key
/// holder trusts and against the aggregate's own counts and plan; `summa audit` recomputes the aggregate from it.
public struct InputLedger: Sendable {
    public struct Entry: Sendable {
        /// The path the input was read from, as given to the command that summed it.
        public let file: String
        public let digest: String
        public let statement: InputStatement?
    }

    public let entries: [Entry]

    /// A ledger of no inputs: what an aggregate that lists none is read as.
    public static let empty = try! InputLedger(merging: [])

    /// The entries of several inputs, refusing any input (the same bytes) that appears twice, anywhere among them.
    public init(merging parts: [[Entry]]) throws(ProvenanceError) {
        var seen = Set<String>()
        for entry in parts.joined() where !seen.insert(entry.digest).inserted {
            throw .duplicateInput(path: entry.file, digest: entry.digest)
        }
        entries = Array(parts.joined())
    }

    /// What one input brings: a binary file's own entry, with the statement beside it checked against the file; an
    /// aggregate's ledger (or, when it lists none, one unsigned entry for the aggregate itself); any other file, one
    /// unsigned entry.
    public static func entries(ofInput path: String, file: SummaFile) throws(ProvenanceError) -> [Entry] {
        if case .aggregate = file, let ledger = try read(aggregateAt: path) { return ledger.entries }
        let digest = try ProvenanceError.catching { () throws(FormatError) in try FileDigest.sha256(path: path) }
        switch file {
        case .encryptedRecords(let records):
            let statement = try InputStatement.sidecar(of: path)
            if let statement {
                let reader = try ProvenanceError.catching { () throws(FormatError) in try records.open() }
                try statement.check(against: reader, digest: digest, path: path)
            }
            return [Entry(file: path, digest: digest, statement: statement)]
        default:
            return [Entry(file: path, digest: digest, statement: nil)]
        }
    }

    /// The `inputs` member of an aggregate.
    public var json: JSONValue {
        .array(entries.map { entry in
            .object([("file", .string(entry.file)), ("digest", .string(entry.digest))]
                + (entry.statement.map { [("statement", $0.json)] } ?? []))
        })
    }

    /// The aggregate document: the table's members and the ledger.
    public func document(of table: AggregateTable) -> JSONValue {
        guard case .object(let members) = table.summaJSON else { return table.summaJSON }
        return .object(members + [("inputs", json)])
    }

    /// The `inputs` of the aggregate at `path`, each statement's signature checked against the key it names; nil
    /// for an aggregate that lists none (written before inputs were recorded, or by hand).
    public static func read(aggregateAt path: String) throws(ProvenanceError) -> InputLedger? {
        let json = try ProvenanceError.catching { () throws(FormatError) in
            try JSONValue(parsing: try SummaFile.contents(atPath: path), path: path)
        }
        return try parse(aggregate: json, path: path)
    }

    /// The `inputs` of an aggregate document (`path` names it in errors), or nil when it lists none.
    public static func parse(aggregate json: JSONValue, path: String) throws(ProvenanceError) -> InputLedger? {
        guard let inputs = json["inputs"] else { return nil }
        guard case .array(let items) = inputs else { throw .file(.malformedField(path: path, field: "inputs", reason: "expected an array")) }
        let entries = try items.enumerated().map { (index, item) throws(ProvenanceError) in
            let field = "inputs[\(index)]"
            let fields = try ProvenanceError.catching { () throws(FormatError) in try JSONFields(item, path: path, prefix: field) }
            let statement = try fields.optional("statement").map { (value) throws(ProvenanceError) in
                try InputStatement(json: value, path: "\(path): \(field).statement")
            }
            let entry = try ProvenanceError.catching { () throws(FormatError) in
                Entry(file: try fields.string("file"), digest: try fields.string("digest"), statement: statement)
            }
            if let statement, statement.digest != entry.digest {
                throw .aggregateMismatch(path: path, reason: "\(field): its statement signs another digest")
            }
            return entry
        }
        return try InputLedger(merging: [entries])
    }

    /// A line for each kind of input, saying what vouches for it when no signers are given: for the key holder,
    /// who must not take an unsigned input for one somebody answers for. `listingSigners` adds who signed the
    /// others, unchecked (the key holder's note; whoever sums checks no signer).
    public func unverifiedNotes(listingSigners: Bool) -> [String] {
        let unsigned = entries.filter { $0.statement == nil }
        let signers = Set(entries.compactMap { $0.statement?.signer })
        var notes: [String] = []
        if entries.isEmpty {
            notes.append("the file lists no inputs: nothing vouches for what was summed, or that no input was summed twice")
        }
        if !unsigned.isEmpty {
            notes.append("\(unsigned.count) of \(entries.count) inputs are unsigned (\(unsigned.prefix(3).map(\.file).joined(separator: ", "))\(unsigned.count > 3 ? ", …" : "")): nothing vouches for them")
        }
        if listingSigners, !signers.isEmpty {
            notes.append("inputs are signed by \(signers.map(\.label).sorted().joined(separator: ", ")), not checked: give --signer for each data owner you trust")
        }
        return notes
    }
}
