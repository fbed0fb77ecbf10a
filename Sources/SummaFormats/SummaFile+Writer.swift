import Foundation
import Paillier

extension SummaFile {
    /// The members every ciphertext file starts with: format, version, the key's fingerprint and the key.
    static func header(_ format: Format, publicKey: PaillierPublicKey) -> [(String, JSONValue)] {
        [
            ("format", .string(format.rawValue)), ("version", .integer(version)),
            ("keyFingerprint", .string(publicKey.fingerprint)), ("publicKey", publicKey.summaJSON),
        ]
    }

    /// Writes a document atomically: to a temporary file beside `path`, then renamed into place, so a failed or
    /// interrupted write never leaves a half-written file. `secret` files are created readable by the owner only.
    public static func write(_ document: JSONValue, to path: String, secret: Bool = false) throws(FormatError) {
        try write(Data(document.prettySerialized.utf8), to: path, secret: secret)
    }

    /// Writes bytes atomically (see ``write(_:to:secret:)``).
    public static func write(_ data: Data, to path: String, secret: Bool = false) throws(FormatError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .io(path: path, reason: "cannot write: the folder \(directory) does not exist")
        }
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let created = FileManager.default.createFile(
            atPath: temporary, contents: data, attributes: [.posixPermissions: secret ? 0o600 : 0o644])
        guard created else { throw .io(path: path, reason: "cannot write (permission denied or disk full?)") }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(path: path, reason: "cannot write (is it a folder, or read-only?)")
        }
    }
}
