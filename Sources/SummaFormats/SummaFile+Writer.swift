import Foundation
import Paillier

extension SummaFile {
    /// The members every ciphertext file starts with: format, version, the key's fingerprint and the key.
    static func header(_ format: Format, publicKey: PaillierPublicKey) -> [(String, JSONValue)] {
        header(format: format.rawValue, version: version, publicKey: publicKey)
    }

    /// The same members for a format versioned on its own (the binary `summa.encrypted-records`).
    static func header(format: String, version: Int, publicKey: PaillierPublicKey) -> [(String, JSONValue)] {
        [
            ("format", .string(format)), ("version", .integer(version)),
            ("keyFingerprint", .string(publicKey.fingerprint)), ("publicKey", publicKey.summaJSON),
        ]
    }

    /// Writes a document atomically; `secret` files are readable by the owner only; never over any of `inputs`
    /// (see the `Data` form).
    public static func write(
        _ document: JSONValue, to path: String, secret: Bool = false, inputs: [String] = []
    ) throws(FormatError) {
        try write(Data(document.prettySerialized.utf8), to: path, secret: secret, inputs: inputs)
    }

    /// Writes bytes atomically (through ``AtomicFile``): to a new temporary file beside `path`, synced, then renamed
    /// into place, so a failed or interrupted write leaves no file and never replaces `path`. The temporary file is
    /// created exclusively with its final mode (0600 if `secret`, else 0644, less the umask), so a secret is never
    /// readable by others, not even while it is written. `path` must pass ``checkOutput(_:inputs:)``.
    public static func write(_ data: Data, to path: String, secret: Bool = false, inputs: [String] = []) throws(FormatError) {
        let file = try AtomicFile(path: path, secret: secret, inputs: inputs)
        try file.write(data)
        try file.commit()
    }

    /// Refuses an output path that writing would destroy something at, so that a command can call it before any
    /// long work and the write itself checks again. The folder must exist. `path` must not exist or be a regular
    /// file (seen with lstat: a symbolic link is refused, never followed; so are folders, FIFOs, sockets and
    /// devices), and must not be the same file as one of `inputs` (same device and inode, or the same path).
    public static func checkOutput(_ path: String, inputs: [String] = []) throws(FormatError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var folder = stat()
        guard stat(directory, &folder) == 0, folder.st_mode & S_IFMT == S_IFDIR else {
            throw .io(path: path, reason: "cannot write: the folder \(directory) does not exist")
        }
        var target = stat()
        if lstat(path, &target) != 0 {
            guard errno == ENOENT else { throw .io(path: path, reason: "cannot write (\(systemError()))") }
            if inputs.contains(where: { canonicalPath($0) == canonicalPath(path) }) {
                throw .io(path: path, reason: "is also an input: refusing to overwrite it")
            }
            return
        }
        if let kind = nonRegularKind(target.st_mode) {
            throw .io(path: path, reason: "is \(kind): refusing to replace it")
        }
        if inputs.contains(where: { isSameFile($0, as: target) || canonicalPath($0) == canonicalPath(path) }) {
            throw .io(path: path, reason: "is also an input: refusing to overwrite it")
        }
    }

    /// Whether two paths name one file: the same device and inode when both exist (links followed), else the same
    /// resolved path. For outputs that must not be written over each other, such as a private and a public key.
    public static func isSameFile(_ first: String, _ second: String) -> Bool {
        var status = stat()
        if stat(second, &status) == 0, isSameFile(first, as: status) { return true }
        return canonicalPath(first) == canonicalPath(second)
    }

    private static func isSameFile(_ path: String, as status: stat) -> Bool {
        var other = stat()
        return stat(path, &other) == 0 && other.st_dev == status.st_dev && other.st_ino == status.st_ino
    }

    /// The path with its folder resolved (links, `.` and `..`) and its last component kept as is.
    private static func canonicalPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        guard let resolved = realpath(directory, nil) else { return url.standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + url.lastPathComponent
    }

    /// What a file that is not a regular file is, for messages; nil for a regular file.
    private static func nonRegularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFLNK: "a symbolic link"
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "not a regular file"
        }
    }
}
