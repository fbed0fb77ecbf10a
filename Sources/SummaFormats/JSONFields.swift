import BigNum

/// Reads the fields of one JSON object of a file, naming the file and the field's path in every error.
public struct JSONFields {
    public let path: String
    public let prefix: String
    let members: [(String, JSONValue)]

    public init(_ value: JSONValue, path: String, prefix: String = "") throws(FormatError) {
        guard case .object(let members) = value else {
            throw prefix.isEmpty
                ? .unrecognizedFile(path: path, reason: "expected a JSON object")
                : .malformedField(path: path, field: prefix, reason: "expected a JSON object")
        }
        self.path = path
        self.prefix = prefix
        self.members = members
    }

    public func name(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    public func optional(_ key: String) -> JSONValue? {
        guard let value = members.first(where: { $0.0 == key })?.1, value != .null else { return nil }
        return value
    }

    public func required(_ key: String) throws(FormatError) -> JSONValue {
        guard let value = optional(key) else { throw .malformedField(path: path, field: name(key), reason: "missing") }
        return value
    }

    public func string(_ key: String) throws(FormatError) -> String {
        guard case .string(let string) = try required(key) else {
            throw .malformedField(path: path, field: name(key), reason: "expected a string")
        }
        return string
    }

    public func bool(_ key: String) throws(FormatError) -> Bool {
        guard case .bool(let value) = try required(key) else {
            throw .malformedField(path: path, field: name(key), reason: "expected true or false")
        }
        return value
    }

    public func integer(_ key: String, in range: ClosedRange<Int>) throws(FormatError) -> Int {
        guard case .integer(let integer) = try required(key) else {
            throw .malformedField(path: path, field: name(key), reason: "expected an integer")
        }
        guard range.contains(integer) else {
            throw .malformedField(path: path, field: name(key), reason: "\(integer) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return integer
    }

    /// The `format` name of a versioned Summa document, after checking that its `version` is one this build reads
    /// (``SummaFile/readableVersions``). What a version-1 document may hold is up to the reader of each format
    /// (docs/formats.md); use ``formatAndVersion()`` to know it.
    public func versionedFormat() throws(FormatError) -> String {
        try formatAndVersion().name
    }

    /// The `format` name and `version` of a versioned Summa document, the version one this build reads. A deal's
    /// documents are read at ``ThresholdFile/version`` only: earlier ones are refused saying why.
    public func formatAndVersion() throws(FormatError) -> (name: String, version: Int) {
        let name = try string("format")
        let version = try integer("version", in: 1...Int.max)
        if ThresholdFile.formats.contains(name) {
            guard version <= ThresholdFile.version else { throw .unsupportedVersion(path: path, format: name, version: version) }
            guard version == ThresholdFile.version else {
                throw .obsoleteVersion(path: path, format: name, version: version, remedy: ThresholdFile.remedy(forVersion: version))
            }
        } else if !SummaFile.readableVersions.contains(version) {
            throw .unsupportedVersion(path: path, format: name, version: version)
        }
        return (name, version)
    }

    public func object(_ key: String) throws(FormatError) -> JSONFields {
        try JSONFields(try required(key), path: path, prefix: name(key))
    }

    public func array(_ key: String) throws(FormatError) -> [JSONValue] {
        guard case .array(let elements) = try required(key) else {
            throw .malformedField(path: path, field: name(key), reason: "expected an array")
        }
        return elements
    }

    /// A big integer written as a decimal string (never a JSON number, which readers may round).
    public func bigInteger(_ key: String) throws(FormatError) -> BigInteger {
        try Self.decimal(try required(key), path: path, field: name(key))
    }

    /// A big integer of either sign in its canonical decimal string ("-12", never "-0", "+1" or "012").
    public func signedBigInteger(_ key: String) throws(FormatError) -> BigInteger {
        guard case .string(let text) = try required(key), let number = BigInteger(text), number.description == text else {
            throw .malformedField(path: path, field: name(key), reason: "expected an integer as a canonical decimal string")
        }
        return number
    }

    /// An array of strings.
    public func strings(_ key: String) throws(FormatError) -> [String] {
        try array(key).map { (value) throws(FormatError) in
            guard case .string(let text) = value else { throw .malformedField(path: path, field: name(key), reason: "expected strings") }
            return text
        }
    }

    /// An array of big integers, each a decimal string; an error names the element (`key[i]`).
    public func bigIntegers(_ key: String) throws(FormatError) -> [BigInteger] {
        try array(key).enumerated().map { (index, value) throws(FormatError) in
            try Self.decimal(value, path: path, field: "\(name(key))[\(index)]")
        }
    }

    /// A secret big integer (a prime factor, a key share): as ``bigInteger(_:)``, but an error never quotes its text,
    /// which may be most of the secret.
    public func secretBigInteger(_ key: String) throws(FormatError) -> BigInteger {
        try Self.decimal(try required(key), path: path, field: name(key), quoting: false)
    }

    /// A non-negative big integer in a decimal string; `quoting` shows the start of malformed text in the error.
    public static func decimal(_ value: JSONValue, path: String, field: String, quoting: Bool = true) throws(FormatError)
        -> BigInteger
    {
        let text: String
        switch value {
        case .string(let string): text = string
        case .integer, .number:
            // JSON readers, Foundation's among them, may round a big number through a double: only quoted digits
            // survive every reader, so a number is refused rather than read as whatever it was rounded to.
            throw .malformedField(
                path: path, field: field, reason: "must be a decimal string, not a JSON number: put the digits in quotes")
        default: throw .malformedField(path: path, field: field, reason: "expected a decimal string")
        }
        guard let number = BigInteger(text), !number.isNegative, text.first != "+" else {
            let shown = quoting ? "\"\(text.prefix(20))\" is not" : "not"
            throw .malformedField(path: path, field: field, reason: "\(shown) a non-negative decimal integer")
        }
        return number
    }
}
