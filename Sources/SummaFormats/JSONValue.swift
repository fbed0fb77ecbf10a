import Foundation

/// A JSON document with its object keys in order. Summa writes its files through this (so `format` and `version`
/// come first and big integers are strings), and reads through it so that every error can name its field.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    /// Parses the JSON text of the file at `path`.
    public init(parsing data: Data, path: String) throws(FormatError) {
        guard let value = JSONValue(parsing: data) else {
            throw .unrecognizedFile(path: path, reason: "not valid JSON (truncated or corrupted?)")
        }
        self = value
    }

    /// Parses JSON text; nil when it is not JSON.
    public init?(parsing data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        self.init(foundation: object)
    }

    init(foundation object: Any) {
        // Containers before numbers: asking whether a Swift dictionary or array is an NSNumber bridges it to an
        // NSDictionary or NSArray first (a sixth of the session fuzzers' time went to that).
        switch object {
        case let string as String: self = .string(string)
        case let array as [Any]: self = .array(array.map(JSONValue.init(foundation:)))
        case let dictionary as [String: Any]:
            self = .object(dictionary.keys.sorted().map { ($0, JSONValue(foundation: dictionary[$0]!)) })
        case let number as NSNumber:
            // Foundation marks JSON booleans with type "c" and whole numbers with integer types; 1e3 and numbers
            // too big for Int come as doubles, which no Summa field accepts as an integer.
            switch String(cString: number.objCType) {
            case "c": self = .bool(number.boolValue)
            case "i", "l", "q", "s": self = .integer(number.intValue)
            default:
                // Numbers Foundation cannot hold exactly as a double (long mantissas, whole numbers beyond Int) come
                // as NSDecimalNumber, whose doubleValue is not correctly rounded: 0.30000000000000004 read as
                // 0.3000000000000001, and a number Summa wrote did not read back as itself (found by FuzzFrames).
                // The decimal's own text is exact, and Double(_:) rounds it correctly.
                self = .number((number as? NSDecimalNumber).flatMap { Double($0.description) } ?? number.doubleValue)
            }
        default: self = .null
        }
    }

    /// The value of `key` in an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// Compact JSON text, members in order, one trailing newline.
    public var serialized: String {
        var out = ""
        write(to: &out, indent: nil)
        return out + "\n"
    }

    /// The value with every object's members sorted by key, recursively: the form to sign or hash, since a
    /// parser need not keep member order.
    public var canonical: JSONValue {
        switch self {
        case .array(let elements): .array(elements.map(\.canonical))
        case .object(let members): .object(members.sorted { $0.0 < $1.0 }.map { ($0.0, $0.1.canonical) })
        default: self
        }
    }

    /// JSON text with two-space indentation, but arrays of scalars kept on one line per element.
    public var prettySerialized: String {
        var out = ""
        write(to: &out, indent: "")
        return out + "\n"
    }

    func write(to out: inout String, indent: String?) {
        switch self {
        case .string(let string): JSONValue.writeString(string, to: &out)
        case .integer(let integer): out += String(integer)
        case .number(let number): out += "\(number)"
        case .bool(let bool): out += bool ? "true" : "false"
        case .null: out += "null"
        case .array(let elements):
            Self.writeContainer(elements.count, open: "[", close: "]", to: &out, indent: indent) { index, out, inner in
                elements[index].write(to: &out, indent: inner)
            }
        case .object(let members):
            Self.writeContainer(members.count, open: "{", close: "}", to: &out, indent: indent) { index, out, inner in
                JSONValue.writeString(members[index].0, to: &out)
                out += inner == nil ? ":" : ": "
                members[index].1.write(to: &out, indent: inner)
            }
        }
    }

    /// The items of an array or object, written by `item` (index, text, the items' indentation): gathering them
    /// into an array of (key, value) first was a sixth of the time of writing an envelope (45 against 53 µs for an
    /// input's, optimized build).
    private static func writeContainer(
        _ count: Int, open: String, close: String, to out: inout String, indent: String?,
        item: (Int, inout String, String?) -> Void
    ) {
        out += open
        let inner = indent.map { $0 + "  " }
        for index in 0..<count {
            if index > 0 { out += "," }
            if let inner { out += "\n" + inner }
            item(index, &out, inner)
        }
        if let indent, count > 0 { out += "\n" + indent }
        out += close
    }

    /// The bytes a JSON string must escape but NUL, as a C string for strcspn: 0x01…0x1F, the quote, the backslash.
    static let escapedBytes: [CChar] = (1..<0x20).map { CChar($0) } + [0x22, 0x5C, 0]

    static func writeString(_ string: String, to out: inout String) {
        out += "\""
        // Most strings (big integers, base64url, names) need no escape: append them whole. Appending scalar by
        // scalar was most of the time of writing an envelope, which is done to send, sign and verify every message.
        // Scalars below 0x20, the quote and the backslash are exactly the bytes below 0x20, 0x22 and 0x5C; strcspn
        // finds the first (a NUL stops it early, which only sends a string with a NUL the slow way).
        guard string.withCString({ strcspn($0, Self.escapedBytes) }) < string.utf8.count else {
            out += string
            out += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
