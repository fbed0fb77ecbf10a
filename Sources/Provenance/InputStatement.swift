import Crypto
import Foundation
import Summa
import SummaFormats

/// What a data owner signs about a binary file it encrypted (`summa encrypt --sign`): the SHA-256 of the whole file,
/// the key it is under, its rows and each column's count (per group, for kept columns), and the analysis plan with its
/// clipping bounds. Written beside the file as `<file>.sig` (``sidecarPath(of:)``).
///
/// An aggregate carries the statements of its inputs (``InputLedger``), so that the key holder can check, without
/// the files, who vouches for the inputs, that none is counted twice, that the counts it is shown are the signed
/// ones, and that the clipping bounds behind a private release are the data owners'.
public struct InputStatement: Sendable, Equatable {
    /// A group of kept columns: its texts, rows, and each column's count.
    public struct Group: Sendable, Equatable {
        public let key: [String]
        public let rows: Int
        public let counts: [Int]
    }

    public let signer: PublicIdentity
    /// The file's name when it was signed (its last path component): for reading, not checked.
    public let file: String
    /// `sha256:` and the hex SHA-256 of every byte of the file.
    public let digest: String
    public let keyFingerprint: String
    public let rows: Int
    /// The file's columns, in order, and how many values each holds.
    public let columns: [String]
    public let counts: [Int]
    public let groupBy: [String]
    public let groups: [Group]
    public let analysis: AnalysisPlan?
    let signature: Data

    public static let format = "summa.signed-input"
    public static let version = 1
    /// What the signature covers begins with this label, so that no other signed document's bytes can pass for a
    /// statement. (Computed: a global Data kept until exit looks leaked to LeakSanitizer.)
    static var domain: Data { Data("summa/signed-input/v1\n".utf8) }

    /// Where the statement of the file at `path` is kept.
    public static func sidecarPath(of path: String) -> String { path + ".sig" }

    /// Signs the binary file at `path` as `identity`: reads its header and trailer (groups included), hashes it whole.
    public static func sign(recordsFileAt path: String, as identity: Identity) throws(ProvenanceError) -> InputStatement {
        let (reader, digest) = try ProvenanceError.catching { () throws(FormatError) in
            guard case .encryptedRecords(let file) = try SummaFile.read(path: path) else {
                throw .incompatible("\(path): only binary files (summa encrypt's default format) can be signed")
            }
            return (try file.open(), try FileDigest.sha256(path: path))
        }
        let header = reader.header
        let unsigned = InputStatement(
            signer: identity.publicIdentity, file: URL(fileURLWithPath: path).lastPathComponent, digest: digest,
            keyFingerprint: header.publicKey.fingerprint, rows: reader.rows, columns: header.columns.map(\.name),
            counts: reader.counts, groupBy: header.groupBy,
            groups: reader.groups?.groups.map { Group(key: $0.key, rows: $0.rows, counts: $0.counts) } ?? [],
            analysis: header.analysis, signature: Data())
        return unsigned.signed(with: try identity.sign(unsigned.signedBytes))
    }

    private func signed(with signature: Data) -> InputStatement {
        InputStatement(
            signer: signer, file: file, digest: digest, keyFingerprint: keyFingerprint, rows: rows, columns: columns,
            counts: counts, groupBy: groupBy, groups: groups, analysis: analysis, signature: signature)
    }

    /// Every member but the signature, in a fixed order: what is signed, as compact JSON after ``domain``.
    var unsignedMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("format", .string(Self.format)), ("version", .integer(Self.version)), ("signer", .object(signer.members)),
            ("file", .string(file)), ("digest", .string(digest)), ("keyFingerprint", .string(keyFingerprint)),
            ("rows", .integer(rows)),
            ("columns", .array(zip(columns, counts).map { .object([("name", .string($0)), ("count", .integer($1))]) })),
        ]
        if !groupBy.isEmpty {
            members.append(("groupBy", .array(groupBy.map { .string($0) })))
            members.append(("groups", .array(groups.map { group in
                .object([
                    ("key", .array(group.key.map { .string($0) })), ("rows", .integer(group.rows)),
                    ("counts", .array(group.counts.map { .integer($0) })),
                ])
            })))
        }
        if let analysis { members.append(("analysis", analysis.json)) }
        return members
    }

    var signedBytes: Data { Self.domain + Data(JSONValue.object(unsignedMembers).serialized.utf8) }

    /// The statement as a document: its members and the signature.
    public var json: JSONValue {
        .object(unsignedMembers + [("signature", .string(Base64URL.encode(Array(signature))))])
    }

    /// Reads and checks a statement: every member, and its signature against the key it names. `path` names where
    /// it came from in errors. Whether that key is one to trust is the reader's question (``InputLedger``).
    public init(json: JSONValue, path: String) throws(ProvenanceError) {
        let fields = try ProvenanceError.catching { () throws(FormatError) in try JSONFields(json, path: path) }
        let members = try ProvenanceError.catching { () throws(FormatError) in
            guard try fields.string("format") == Self.format, try fields.integer("version", in: 1...Int.max) == Self.version else {
                throw .unrecognizedFile(path: path, reason: "not a \(Self.format) document of version \(Self.version)")
            }
            let columns = try fields.array("columns").enumerated().map { (index, value) throws(FormatError) in
                let column = try JSONFields(value, path: path, prefix: "columns[\(index)]")
                return (try column.string("name"), try column.integer("count", in: 0...Int.max))
            }
            let names = columns.map(\.0)
            guard !names.isEmpty, Set(names).count == names.count else {
                throw .malformedField(path: path, field: "columns", reason: "expected distinct columns")
            }
            let groupBy = fields.optional("groupBy") == nil ? [] : try fields.strings("groupBy")
            let groups: [Group] = groupBy.isEmpty ? [] : try fields.array("groups").enumerated().map { (index, value) throws(FormatError) in
                let group = try JSONFields(value, path: path, prefix: "groups[\(index)]")
                let counts = try group.array("counts").map { (count) throws(FormatError) in
                    guard case .integer(let number) = count, number >= 0 else {
                        throw .malformedField(path: path, field: group.name("counts"), reason: "expected counts")
                    }
                    return number
                }
                let key = try group.strings("key")
                guard key.count == groupBy.count, counts.count == names.count else {
                    throw .malformedField(path: path, field: group.name("key"), reason: "expected a text per kept column and a count per column")
                }
                return Group(key: key, rows: try group.integer("rows", in: 0...Int.max), counts: counts)
            }
            let analysis = try fields.optional("analysis").map { _ throws(FormatError) in
                try AnalysisPlan.parse(try fields.object("analysis"), columns: names)
            }
            return (
                file: try fields.string("file"), digest: try fields.string("digest"),
                keyFingerprint: try fields.string("keyFingerprint"), rows: try fields.integer("rows", in: 0...Int.max),
                columns: columns, groupBy: groupBy, groups: groups, analysis: analysis,
                signer: try fields.object("signer"), signature: try fields.string("signature"))
        }
        let (name, key) = try PublicIdentity.parseMembers(members.signer)
        guard let signature = Base64URL.decode(members.signature), signature.count == 64 else {
            throw .badSignature(path: path)
        }
        self.init(
            signer: PublicIdentity(name: name, key: key), file: members.file, digest: members.digest,
            keyFingerprint: members.keyFingerprint, rows: members.rows, columns: members.columns.map(\.0),
            counts: members.columns.map(\.1), groupBy: members.groupBy, groups: members.groups, analysis: members.analysis,
            signature: Data(signature))
        // The signature covers the members as this reader understood them, re-encoded: nothing it ignores counts.
        guard signer.verifies(self.signature, over: signedBytes) else { throw .badSignature(path: path) }
    }

    private init(
        signer: PublicIdentity, file: String, digest: String, keyFingerprint: String, rows: Int, columns: [String],
        counts: [Int], groupBy: [String], groups: [Group], analysis: AnalysisPlan?, signature: Data
    ) {
        self.signer = signer
        self.file = file
        self.digest = digest
        self.keyFingerprint = keyFingerprint
        self.rows = rows
        self.columns = columns
        self.counts = counts
        self.groupBy = groupBy
        self.groups = groups
        self.analysis = analysis
        self.signature = signature
    }

    /// Reads the statement kept beside the file at `path`, or nil when there is none.
    public static func sidecar(of path: String) throws(ProvenanceError) -> InputStatement? {
        let sidecar = sidecarPath(of: path)
        guard FileManager.default.fileExists(atPath: sidecar) else { return nil }
        let json = try ProvenanceError.catching { () throws(FormatError) in
            try JSONValue(parsing: try SummaFile.contents(atPath: sidecar), path: sidecar)
        }
        return try InputStatement(json: json, path: sidecar)
    }

    /// Checks that this statement is about `file` (read from `path`, whose digest is `digest`): the same bytes, and
    /// counts, groups and plan as the file itself says. A signer that signed counts its file does not have is caught
    /// here, by whoever sums.
    func check(against file: EncryptedRecords.Reader, digest: String, path: String) throws(ProvenanceError) {
        let sidecar = Self.sidecarPath(of: path)
        guard digest == self.digest else {
            throw .statementMismatch(path: sidecar, reason: "it signs other bytes than \(path) holds (the file changed after it was signed)")
        }
        let groups = file.groups?.groups.map { Group(key: $0.key, rows: $0.rows, counts: $0.counts) } ?? []
        guard keyFingerprint == file.header.publicKey.fingerprint, rows == file.rows, columns == file.header.columns.map(\.name),
            counts == file.counts, groupBy == file.header.groupBy, groups == groups, analysis == file.header.analysis
        else {
            throw .statementMismatch(path: sidecar, reason: "its key, rows, counts, groups or plan are not those of \(path)")
        }
    }
}

/// SHA-256 of whole files, read in chunks.
enum FileDigest {
    /// `sha256:` and the hex digest of every byte of the file at `path`.
    static func sha256(path: String) throws(FormatError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .io(path: path, reason: "cannot be read") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch { throw .io(path: path, reason: "cannot be read") }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

extension InputStatement {
    /// What `summa inspect` shows of a statement: who signed which file, under which key, its rows and counts.
    public var summary: [String] {
        var lines = [
            "kind: signed statement of an encrypted file (signature verified; whether to trust its signer is yours to decide)",
            "signer: \(signer.label)", "file: \(file)", "digest: \(digest)", "key: \(keyFingerprint)", "rows: \(rows)",
        ]
        lines += zip(columns, counts).map { "column \($0): \($1) values" }
        if !groupBy.isEmpty { lines.append("groups: \(groups.count) of \(groupBy.joined(separator: ", "))") }
        if let clips = analysis?.clips.map({ "\($0.column) \($0.lower)…\($0.upper)" }) {
            lines.append("clipping bounds: " + (clips.isEmpty ? "none" : clips.joined(separator: ", ")))
        }
        return lines
    }

    /// The summary of the provenance document at `path` (a statement or an identity), or nil when it is none.
    /// (Statements, identities and rosters: the documents of this module.)
    public static func summary(ofFileAt path: String) throws(ProvenanceError) -> [String]? {
        let data = try ProvenanceError.catching { () throws(FormatError) in try SummaFile.contents(atPath: path) }
        guard let json = JSONValue(parsing: data), case .string(let format) = json["format"] else { return nil }
        switch format {
        case Self.format: return try InputStatement(json: json, path: path).summary
        case PublicIdentity.format:
            return ["kind: public identity", "identity: \(try PublicIdentity.parse(data, path: path).label)"]
        case Identity.format:
            return ["kind: signing identity (secret: for its owner only)", "identity: \(try Identity.parse(data, path: path).publicIdentity.label)"]
        case Roster.format: return try Roster.parse(data, path: path, allowInsecureKeySize: SummaFile.insecureTestKeysAllowed).summary
        default: return nil
        }
    }
}
