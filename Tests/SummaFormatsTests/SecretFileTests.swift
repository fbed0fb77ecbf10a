import Foundation
import Paillier
import SummaFormats
import TestSupport
import Testing

/// The permission bits of a file (not following a last symbolic link), or nil if it does not exist.
func permissions(_ path: String) -> mode_t? {
    var status = stat()
    return lstat(path, &status) == 0 ? status.st_mode & 0o7777 : nil
}

/// The process's umask, read without changing it where /proc allows (tests run in parallel).
func currentUmask() -> mode_t {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
        let mask = mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8)
    {
        return mask
    }
    let mask = umask(0o022)
    umask(mask)
    return mask
}

@Suite("Secret files: private from the first byte; writes that fail leave nothing")
struct SecretFileTests {
    let key = Fixtures.smallKey

    @Test func secretFilesAre0600AndOthers0644FromCreation() throws {
        let folder = TemporaryFolder()
        try SummaFile.write(key.summaJSON, to: folder.file("private.json"), secret: true)
        try SummaFile.write(key.publicKey.summaJSON, to: folder.file("public.json"))
        #expect(permissions(folder.file("private.json")) == 0o600)
        #expect(permissions(folder.file("public.json")) == 0o644 & ~currentUmask())
        // Replacing a public file with a secret one gives the secret mode, not the old file's.
        try SummaFile.write(key.summaJSON, to: folder.file("public.json"), secret: true)
        #expect(permissions(folder.file("public.json")) == 0o600)
        #expect(try SummaFile.readPrivateKey(path: folder.file("public.json"), allowInsecureKeySize: true) == key)
        #expect(folder.contents == ["private.json", "public.json"])  // no temporary file left behind
    }

    /// While a file is being written nothing is named in its folder (Linux's unnamed files), so a writer killed at
    /// that moment leaves nothing behind; the name appears only with the finished file.
    @Test func aFileBeingWrittenHasNoNameUntilItIsCommitted() throws {
        let folder = TemporaryFolder()
        let file = try AtomicFile(path: folder.file("out.json"), secret: true)
        try file.write(Array("{}".utf8))
        #expect(folder.contents.isEmpty, "\(folder.contents)")
        try file.commit()
        #expect(folder.contents == ["out.json"] && permissions(folder.file("out.json")) == 0o600)
        let discarded = try AtomicFile(path: folder.file("other.json"))
        try discarded.write(Array("{}".utf8))
        discarded.discard()
        #expect(folder.contents == ["out.json"])
    }

    @Test func failedWritesLeaveNothingAndReplaceNothing() throws {
        let folder = TemporaryFolder()
        #expect(throws: FormatError.io(path: folder.file("missing/x.json"), reason: "cannot write: the folder \(folder.file("missing")) does not exist")) {
            try SummaFile.write(key.summaJSON, to: folder.file("missing/x.json"), secret: true)
        }
        try FileManager.default.createDirectory(atPath: folder.file("dir.json"), withIntermediateDirectories: false)
        #expect(throws: FormatError.io(path: folder.file("dir.json"), reason: "is a directory: refusing to replace it")) {
            try SummaFile.write(key.summaJSON, to: folder.file("dir.json"), secret: true)
        }
        #expect(folder.contents == ["dir.json"])
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder.file("dir.json"), isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test func outputsThatWouldDestroySomethingAreRefused() throws {
        let folder = TemporaryFolder()
        let original = Data("keep me\n".utf8)
        let target = folder.file("target.json")
        #expect(FileManager.default.createFile(atPath: target, contents: original))
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.json"), withDestinationPath: target)
        try FileManager.default.createSymbolicLink(atPath: folder.file("dangling.json"), withDestinationPath: folder.file("nowhere.json"))
        #expect(mkfifo(folder.file("fifo"), 0o644) == 0)
        let refused: [(String, String)] = [
            (folder.file("link.json"), "is a symbolic link: refusing to replace it"),
            (folder.file("dangling.json"), "is a symbolic link: refusing to replace it"),
            (folder.file("fifo"), "is a FIFO (named pipe): refusing to replace it"),
            ("/dev/null", "is a character device: refusing to replace it"),
            (folder.path, "is a directory: refusing to replace it"),
        ]
        for (path, reason) in refused {
            #expect(throws: FormatError.io(path: path, reason: reason)) { try SummaFile.checkOutput(path) }
            #expect(throws: FormatError.io(path: path, reason: reason)) { try SummaFile.write(Data("x".utf8), to: path) }
        }
        // An input, whether named as given, through a symbolic link, by another spelling or by a hard link.
        #expect(link(target, folder.file("hard.json")) == 0)
        let alsoInput = "is also an input: refusing to overwrite it"
        for (output, input) in [
            (target, target), (target, folder.file("link.json")), (folder.path + "/./target.json", target),
            (folder.file("hard.json"), target), (folder.file("new.json"), folder.path + "/../" + URL(fileURLWithPath: folder.path).lastPathComponent + "/new.json"),
        ] {
            #expect(throws: FormatError.io(path: output, reason: alsoInput)) { try SummaFile.write(Data("x".utf8), to: output, inputs: [input]) }
        }
        #expect(FileManager.default.contents(atPath: target) == original)
        #expect(folder.contents == ["target.json", "link.json", "dangling.json", "fifo", "hard.json"])
        // A regular file that is not an input is replaced.
        try SummaFile.write(Data("new\n".utf8), to: target, inputs: [folder.file("other.json")])
        #expect(FileManager.default.contents(atPath: target) == Data("new\n".utf8))
        #expect(SummaFile.isSameFile(folder.file("link.json"), target) && !SummaFile.isSameFile(folder.file("a"), folder.file("b")))
    }

    /// A process running as another, unprivileged user watches the folder while secret files are written, opening
    /// every name it sees. It must open nothing but a decoy written readable on purpose, which proves it could.
    @Test func anotherUserWatchingCannotOpenSecretFilesBeingWritten() throws {
        guard let command = UnprivilegedWatcher.command() else { return }
        let folder = TemporaryFolder()
        #expect(chmod(folder.path, 0o755) == 0)  // others may list and traverse the folder: only file modes protect
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: command[0])
        watcher.arguments = Array(command.dropFirst()) + ["-I", "-c", UnprivilegedWatcher.script, folder.path, "30"]
        let out = Pipe(), err = Pipe()
        watcher.standardOutput = out
        watcher.standardError = err
        try watcher.run()
        defer { if watcher.isRunning { watcher.terminate() } }

        var output = ""
        while !output.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
        }
        guard let ready = output.split(separator: "\n").first, ready.hasPrefix("ready ") else {
            let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            Issue.record("the unprivileged watcher (\(command.joined(separator: " "))) did not start: \(output) \(error)")
            return
        }
        #expect(ready != "ready 0", "the watcher must not run as root")

        let decoy = "readable on purpose"
        try SummaFile.write(Data(decoy.utf8), to: folder.file("decoy.txt"))
        #expect(chmod(folder.file("decoy.txt"), 0o644) == 0)
        for index in 0..<200 {
            try SummaFile.write(key.summaJSON, to: folder.file("private-\(index).json"), secret: true)
        }
        try SummaFile.write(Data(), to: folder.file("done"))
        output += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        watcher.waitUntilExit()

        let lines = output.split(separator: "\n").map(String.init)
        let opened = Set(lines.filter { $0.hasPrefix("opened ") }.map { String($0.dropFirst("opened ".count)) })
        #expect(lines.last == "end", "the watcher stopped early: \(output)")
        #expect(opened.contains("decoy.txt") && lines.contains("read decoy.txt \(decoy)"), "the watcher cannot read the folder, so it proves nothing: \(output)")
        // The decoy's and the marker's temporary files are 0644 too; anything else opened was a key's.
        let isPublic = { (name: String) in ["decoy.txt", "done"].contains { name == $0 || name.hasPrefix(".\($0).tmp-") } }
        #expect(opened.allSatisfy(isPublic), "another user opened secret files: \(opened.filter { !isPublic($0) }.sorted())")
        let readAKey = output.contains("summa.private-key")
        #expect(!readAKey, "another user read a private key")
        #expect(folder.contents.count == 202)  // 200 keys, the decoy and the marker: no temporary file left
    }
}

/// Starting the watcher as an unprivileged user: `runuser` or `setpriv` to `nobody`, running the system python3.
enum UnprivilegedWatcher {
    /// Lists the folder in a loop until a file named `done` appears (or the time limit in seconds), opening every
    /// name it sees and keeping what opened; then prints each name it could open and what it finally read from it.
    static let script = """
        import os, sys, time
        folder, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
        print("ready", os.getuid(), flush=True)
        opened = {}
        while time.monotonic() < deadline:
            finishing = os.path.exists(os.path.join(folder, "done"))
            for name in os.listdir(folder):
                if name in opened: continue
                try: opened[name] = os.open(os.path.join(folder, name), os.O_RDONLY | os.O_NONBLOCK)
                except OSError: pass
            if finishing: break
        for name, fd in opened.items():
            print("opened", name, flush=True)
            try: data = os.read(fd, 1 << 20)
            except OSError: data = b""
            if data: print("read", name, data.decode("utf-8", "replace").replace("\\n", " "), flush=True)
        print("end", flush=True)
        """

    /// The command that runs python3 as `nobody`, or nil after recording an issue that says what is missing.
    static func command() -> [String]? {
        guard getuid() == 0 else {
            Issue.record("NOT TESTED: run the tests as root so that a watcher can be started as another user (nobody)")
            return nil
        }
        guard let nobody = getpwnam("nobody") else {
            Issue.record("NOT TESTED: there is no user 'nobody' to run the watcher as")
            return nil
        }
        let executable = { (paths: [String]) in paths.first { FileManager.default.isExecutableFile(atPath: $0) } }
        // python3 must be runnable by others: not a shim under root's home.
        let python = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first { path in
            var status = stat()
            return stat(path, &status) == 0 && status.st_mode & S_IXOTH != 0
        }
        guard let python else {
            Issue.record("NOT TESTED: no python3 runnable by other users in /usr/bin, /usr/local/bin or /bin")
            return nil
        }
        if let runuser = executable(["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"]) {
            return [runuser, "-u", "nobody", "--", python]
        }
        if let setpriv = executable(["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"]) {
            return [setpriv, "--reuid=\(nobody.pointee.pw_uid)", "--regid=\(nobody.pointee.pw_gid)", "--clear-groups", "--", python]
        }
        Issue.record("NOT TESTED: neither runuser nor setpriv is installed to start a watcher as 'nobody'")
        return nil
    }
}
