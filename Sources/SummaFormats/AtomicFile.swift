import BigNum
import Foundation

/// A file written beside its target and moved into place only once complete, so that a failed or interrupted write
/// leaves no file and never replaces the target: how every file of this module is written.
///
/// On Linux the file is written unnamed (`O_TMPFILE`): a process killed while writing (SIGKILL) leaves nothing behind,
/// because nothing was ever named. ``commit()`` then gives it a name beside the target (`.<name>.tmp-<random>`, made
/// exclusively) and renames that over the target. Where the folder's file system has no unnamed files, the file is
/// created under that name from the start, exclusively and never through a symbolic link. Either way it has its
/// final mode from its first byte. A failed write or commit, ``discard()``, or letting go of a file not committed
/// removes it.
public final class AtomicFile {
    /// The target.
    public let path: String
    private let prefix: String
    /// The temporary file's name, or nil while it is unnamed.
    private var temporary: String?
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
        let mode: mode_t = secret ? 0o600 : 0o644
        var temporary: String?
        var descriptor: Int32 = -1
        #if os(Linux)
        descriptor = open(directory, Self.unnamedFile | O_WRONLY | O_CLOEXEC, mode)
        #endif
        if descriptor < 0 {
            // The name is unguessable and O_EXCL refuses anything already there (a planted file or symlink).
            for _ in 0..<8 {
                temporary = prefix + Self.randomSuffix()
                descriptor = open(temporary!, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
                if descriptor >= 0 || errno != EEXIST { break }
            }
        }
        guard descriptor >= 0 else {
            throw .io(path: path, reason: "cannot write: cannot create a file in \(directory) (\(systemError()))")
        }
        self.path = path
        self.prefix = prefix
        self.temporary = temporary
        self.descriptor = descriptor
    }

    #if os(Linux)
    /// Linux's O_TMPFILE (`__O_TMPFILE | O_DIRECTORY`), which Swift's Glibc module does not import.
    private static let unnamedFile: Int32 = 0o20000000 | O_DIRECTORY
    #endif

    /// Names an unnamed file (through /proc/self/fd, as linkat(2) documents for O_TMPFILE) at a fresh temporary
    /// name; nil and errno set when it cannot.
    private func nameUnnamedFile() -> String? {
        for _ in 0..<8 {
            let name = prefix + Self.randomSuffix()
            if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0 { return name }
            if errno != EEXIST { return nil }
        }
        return nil
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
        if failure == nil && temporary == nil {
            temporary = nameUnnamedFile()
            if temporary == nil { failure = "cannot write: cannot name the new file (\(systemError()))" }
        }
        if close(descriptor) != 0 && failure == nil { failure = "cannot write (\(systemError()))" }
        descriptor = -1
        if failure == nil, let temporary, rename(temporary, path) != 0 {
            failure = "cannot write: cannot move the new file into place (\(systemError()))"
        }
        if let failure {
            if let temporary { unlink(temporary) }
            throw .io(path: path, reason: failure)
        }
    }

    /// Closes and removes the temporary file, leaving the target as it was; nothing once committed or discarded.
    public func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        if let temporary { unlink(temporary) }
    }

    private static func randomSuffix() -> String {
        // 32 hex digits always: a name whose length varies with the random number took a varying path through
        // the digit loop, which the fuzzers saw as new coverage.
        var generator = SecureRandomNumberGenerator()
        let value = (generator.next() as UInt64, generator.next() as UInt64)
        return String(format: "%016llx%016llx", value.0, value.1)
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
