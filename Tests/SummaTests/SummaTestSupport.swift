import BigNum
import Foundation
import Paillier
import TestSupport
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

func decimal(_ text: String) -> FixedPoint { try! FixedPoint(parsing: text) }
