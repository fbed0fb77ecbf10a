import BigNum
import Foundation
import Paillier
import Testing

@testable import Summa

/// Fixture keys: the pheutil-made 2048-bit key (Fixtures/phe, see make-fixtures.sh) and a 512-bit key (insecure,
/// tests only; its primes are those of Tests/PaillierTests/Fixtures/kat-512.json) for fast property tests.
enum Fixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
    }

    static func path(_ name: String) -> String { url(name).path }

    static let pheKey = try! SummaFile.readPrivateKey(path: path("phe/private.jwk.json"))
    static let otherPheKey = try! SummaFile.readPrivateKey(path: path("phe/other-private.jwk.json"))
    static let smallKey = try! SummaFile.readPrivateKey(path: path("small-private.json"), allowInsecureKeySize: true)
}

/// A fresh temporary folder, removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "summa-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ text: String, to name: String) -> String {
        FileManager.default.createFile(atPath: file(name), contents: Data(text.utf8))
        return file(name)
    }

    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
}

func decimal(_ text: String) -> FixedPoint { try! FixedPoint(parsing: text) }
