import ArgumentParser
import Foundation
import SummaFormats
import TestSupport
import Testing

@testable import SummaCLI

/// The bytes of a file, to show it was left alone.
func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

@Suite("Outputs never destroy keys, inputs or special files")
struct OutputSafetyTests {
    @Test func keygenNeverWritesThePublicKeyOverAPrivateKey() async throws {
        let w = Workspace()
        let same = w.file("x.json")
        #expect(await failure("keygen", "--bits", "512", "--insecure-test-key", "--out", same, "--public-out", same)
            == "\(same): is also --out: refusing to write the public key over the private key")
        #expect(await failure("keygen", "--bits", "512", "--insecure-test-key", "--force", "--out", same, "--public-out", w.path + "/./x.json")
            == "\(w.path)/./x.json: is also --out: refusing to write the public key over the private key")
        #expect(w.contents.isEmpty)

        try await w.makeKeys()
        let key = try #require(bytes(w.file("private.json")))
        #expect(await failure("keygen", "--bits", "512", "--insecure-test-key", "--out", w.file("new.json"), "--public-out", w.file("private.json"))
            == "\(w.file("private.json")) exists: refusing to overwrite it (use --force)")
        #expect(await failure("keygen", "--bits", "512", "--insecure-test-key", "--force", "--out", w.file("private.json"), "--public-out", w.file("private.json"))
            == "\(w.file("private.json")): is also --out: refusing to write the public key over the private key")
        #expect(bytes(w.file("private.json")) == key)
        #expect(w.contents == ["private.json", "public.json"])
    }

    @Test func outputsThatAreNotRegularFilesAreRefusedBeforeAnyWork() async throws {
        let w = Workspace()
        try await w.makeKeys()
        let pub = w.file("public.json")
        // The CSV has a bad value: the output is refused first, so the user hears about it before encrypting.
        let csv = w.write("amount\n1.5\nabc\n", to: "t.csv")
        let target = w.write("must stay unchanged\n", to: "target.json")
        try FileManager.default.createSymbolicLink(atPath: w.file("link.json"), withDestinationPath: target)
        #expect(mkfifo(w.file("fifo"), 0o644) == 0)
        try FileManager.default.createDirectory(atPath: w.file("dir"), withIntermediateDirectories: false)
        let refused: [(String, String)] = [
            (w.file("link.json"), "is a symbolic link"), (w.file("fifo"), "is a FIFO (named pipe)"),
            (w.file("dir"), "is a directory"), ("/dev/null", "is a character device"),
        ]
        for (out, kind) in refused {
            #expect(await failure("encrypt", "--key", pub, "--column", "amount", csv, "--out", out) == "\(out): \(kind): refusing to replace it")
            #expect(await failure("keygen", "--bits", "512", "--insecure-test-key", "--force", "--out", out) == "\(out): \(kind): refusing to replace it")
            #expect(await failure("keygen", "--bits", "512", "--insecure-test-key", "--out", w.file("k.json"), "--public-out", out, "--force")
                == "\(out): \(kind): refusing to replace it")
        }
        #expect(bytes(target) == Data("must stay unchanged\n".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: w.file("link.json")) == target)
        var status = stat()
        #expect(lstat(w.file("fifo"), &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
        #expect(w.contents == ["private.json", "public.json", "t.csv", "target.json", "link.json", "fifo", "dir"])
    }

    @Test func anOutputThatIsAlsoAnInputIsRefused() async throws {
        let w = Workspace()
        try await w.makeKeys()
        let pub = w.file("public.json"), priv = w.file("private.json")
        let csv = w.write("amount\n1.5\n2\n", to: "t.csv")
        try await summa("encrypt", "--key", pub, "--column", "amount", csv, "--out", w.file("a.json"))
        let before = try [csv, pub, priv, w.file("a.json")].map { try #require(bytes($0)) }
        let a = w.file("a.json")
        let cases: [(String, [String])] = [
            (a, ["sum", a, "--out", a]),
            (w.path + "/./a.json", ["sum", a, "--out", w.path + "/./a.json"]),
            (a, ["mean", w.file("a.json"), "--out", a]),
            (a, ["stats", a, "--out", a]),
            (priv, ["stats", a, "--private-key", priv, "--out", priv]),
            (pub, ["sum", a, "--key", pub, "--out", pub]),
            (csv, ["encrypt", "--key", pub, "--column", "amount", csv, "--out", csv]),
            (pub, ["encrypt", "--key", pub, "--column", "amount", csv, "--out", pub]),
        ]
        for (path, arguments) in cases {
            let message = await failureOf(arguments)
            #expect(message == "\(path): is also an input: refusing to overwrite it", "\(arguments)")
        }
        // The same file under another name (a hard link) is the same input.
        #expect(link(a, w.file("hard.json")) == 0)
        #expect(await failure("sum", a, "--out", w.file("hard.json")) == "\(w.file("hard.json")): is also an input: refusing to overwrite it")
        #expect(try [csv, pub, priv, a].map { try #require(bytes($0)) } == before)
        #expect(!w.contents.contains { $0.hasPrefix(".") })
    }

    @Test func dealRefusesKeyFilesThatAreSymbolicLinks() async throws {
        let w = Workspace()
        try FileManager.default.createDirectory(atPath: w.file("keys"), withIntermediateDirectories: false)
        let target = w.write("must stay unchanged\n", to: "target.json")
        try FileManager.default.createSymbolicLink(atPath: w.file("keys/party-2.json"), withDestinationPath: target)
        #expect(await failure("deal", "--parties", "3", "--threshold", "2", "--bits", "256", "--insecure-test-key", "--force", "--out-dir", w.file("keys"))
            == "\(w.file("keys/party-2.json")): is a symbolic link: refusing to replace it")
        #expect(bytes(target) == Data("must stay unchanged\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.file("keys")) == ["party-2.json"])
    }

    @Test func aTranscriptInAMissingFolderIsRefusedBeforeTheSession() async throws {
        let w = Workspace()
        try await summa("deal", "--parties", "3", "--threshold", "2", "--bits", "256", "--insecure-test-key", "--out-dir", w.file("keys"))
        let transcript = w.file("missing/run.jsonl")
        #expect(await failure("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/public.json"), "--timeout", "60", "--transcript", transcript)
            == "\(transcript): cannot write: the folder \(w.file("missing")) does not exist")
        #expect(await failure("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/public.json"), "--timeout", "60",
                              "--transcript", w.file("keys/public.json"))
            == "\(w.file("keys/public.json")): is also an input: refusing to overwrite it")
    }
}

@Suite("Outputs refused by the binary: one line, non-zero exit, at once", .serialized)
struct OutputSafetyEndToEndTests {
    @Test func anInputAsOutputAndABadTranscriptFailAtOnce() throws {
        let w = Workspace()
        #expect(try SummaProcess("keygen", "--bits", "512", "--insecure-test-key", "--out", w.file("private.json"), "--public-out", w.file("public.json")).status == 0)
        let csv = w.write("amount\n1.5\n", to: "t.csv")
        #expect(try SummaProcess("encrypt", "--key", w.file("public.json"), "--column", "amount", csv, "--out", w.file("a.json")).status == 0)
        let a = try #require(bytes(w.file("a.json")))
        let sum = try SummaProcess("sum", w.file("a.json"), "--out", w.file("a.json"))
        #expect(sum.status != 0)
        #expect(sum.stderr == "Error: \(w.file("a.json")): is also an input: refusing to overwrite it\n")
        #expect(bytes(w.file("a.json")) == a)
        let key = try #require(bytes(w.file("private.json")))
        let keygen = try SummaProcess("keygen", "--bits", "512", "--insecure-test-key", "--out", w.file("k.json"), "--public-out", w.file("private.json"))
        #expect(keygen.status != 0)
        #expect(keygen.stderr == "Error: \(w.file("private.json")) exists: refusing to overwrite it (use --force)\n")
        #expect(bytes(w.file("private.json")) == key && !w.exists("k.json"))

        #expect(try SummaProcess("deal", "--parties", "3", "--threshold", "2", "--bits", "512", "--insecure-test-key", "--out-dir", w.file("keys")).status == 0)
        let started = ContinuousClock.now
        let coordinate = try SummaProcess("coordinate", "--listen", "127.0.0.1:0", "--key", w.file("keys/public.json"), "--timeout", "60",
                                          "--transcript", w.file("missing/run.jsonl"))
        #expect(ContinuousClock.now - started < .seconds(30), "the session ran before the transcript path was checked")
        #expect(coordinate.status != 0)
        #expect(coordinate.stderr == "Error: \(w.file("missing/run.jsonl")): cannot write: the folder \(w.file("missing")) does not exist\n")
    }
}
