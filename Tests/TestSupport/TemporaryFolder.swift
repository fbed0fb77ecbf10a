import Foundation

/// A fresh temporary folder for one test, removed when the test lets go of it.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "summa-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    public func write(_ text: String, to name: String) -> String {
        precondition(FileManager.default.createFile(atPath: file(name), contents: Data(text.utf8)), "cannot write \(name)")
        return file(name)
    }

    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    /// Names in the folder, temporary files included (none may be left behind).
    public var contents: Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []) }
}
