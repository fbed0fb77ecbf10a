import SummaFormats

/// A step into a JSON document: an object member or an array element.
public enum JSONStep: Sendable { case key(String), index(Int) }

extension JSONValue {
    /// The document with the value at `path` replaced (nil removes an object member).
    public func replacing(_ path: [JSONStep], with replacement: JSONValue?) -> JSONValue {
        guard let step = path.first else { return replacement ?? .null }
        let rest = Array(path.dropFirst())
        switch (self, step) {
        case (.object(let members), .key(let key)):
            if rest.isEmpty && replacement == nil { return .object(members.filter { $0.0 != key }) }
            return .object(members.map { $0.0 == key ? ($0.0, $0.1.replacing(rest, with: replacement)) : $0 })
        case (.array(var elements), .index(let index)):
            elements[index] = elements[index].replacing(rest, with: replacement)
            return .array(elements)
        default: return self
        }
    }
}
