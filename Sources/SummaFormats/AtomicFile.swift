import Foundation

/// A file written beside its target and moved into place only once complete, so that a failed or interrupted write
/// leaves no file and never replaces the target: how every file of this module is written.
///
/// The temporary file, `.<name>.tmp-<random>` in the target's folder, is created exclusively and never through a
/// symbolic link, with its final mode. ``write(_:)`` appends to it; ``commit()`` syncs it and renames it over the
/// target. A failed write or commit, ``discard()``, or letting go of a file not committed removes it.
public final class AtomicFile {
    /// The target.
    public let path: String
    private let temporary: String
    /// The open temporary file; -1 once committed or discarded.
    private var descriptor: Int32

    /// Creates the temporary file for `path`, which must pass ``SummaFile/checkOutput(_:inputs:)``. Its mode is
    /// 0600 if `secret` (so that a secret is never readable by others, not even while it is written), else 0644,
    /// less the umask.
    public init(path: String, secret: Bool = false, inputs: [String] = []) throws(FormatError) {
        try SummaFile.checkOutput(path, inputs: inputs)
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = directory + "/." + url.lastPathComponent + ".tmp-"
        var temporary = ""
        var descriptor: Int32 = -1
        // The name is unguessable and O_EXCL refuses anything already there (a planted file or symlink).
        for _ in 0..<8 {
            temporary = prefix + Self.randomSuffix()
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, secret ? 0o600 : 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw .io(path: path, reason: "cannot write: cannot create a file in \(directory) (\(systemError()))")
        }
        self.path = path
        self.temporary = temporary
        self.descriptor = descriptor
    }

    deinit { discard() }

    /// Appends every byte of `bytes`; on failure the temporary file is removed.
    public func write(_ bytes: some ContiguousBytes) throws(FormatError) {
        precondition(descriptor >= 0, "AtomicFile.write after commit or discard")
        if let failure = bytes.withUnsafeBytes({ writeAll($0, to: descriptor) }) {
            discard()
            throw .io(path: path, reason: "cannot write (\(failure))")
        }
    }

    /// Syncs the temporary file to disk and renames it over the target; on failure it is removed and the target
    /// left as it was.
    public func commit() throws(FormatError) {
        precondition(descriptor >= 0, "AtomicFile.commit after commit or discard")
        var failure: String?
        if fsync(descriptor) != 0 { failure = "cannot write: sync failed (\(systemError()))" }
        if close(descriptor) != 0 && failure == nil { failure = "cannot write (\(systemError()))" }
        descriptor = -1
        if failure == nil && rename(temporary, path) != 0 {
            failure = "cannot write: cannot move the new file into place (\(systemError()))"
        }
        if let failure {
            unlink(temporary)
            throw .io(path: path, reason: failure)
        }
    }

    /// Closes and removes the temporary file, leaving the target as it was; nothing once committed or discarded.
    public func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }

    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 36) }.joined()
    }
}

/// Writes every byte, resuming after partial writes and interrupted calls; the error text on failure.
private func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
    var offset = 0
    while offset < buffer.count {
        let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return systemError()
        }
        offset += written
    }
    return nil
}

/// The current `errno` as text ("No space left on device").
func systemError() -> String { String(cString: strerror(errno)) }
