import BigNum
import Foundation
import Testing

@testable import Paillier

/// A key and its known answers from Fixtures/kat-*.json (made by Fixtures/generate.py with Python's pow()).
struct KnownAnswers: Decodable {
    struct Encryption: Decodable { let m: String, r: String, c: String }
    struct FastEncryption: Decodable { let m: String, a: String, c: String }
    let n, p, q, fastBase: String
    let encryptions: [Encryption]
    let fastEncryptions: [FastEncryption]

    static func load(bits: Int) throws -> KnownAnswers {
        let url = try #require(Bundle.module.url(forResource: "kat-\(bits)", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(KnownAnswers.self, from: Data(contentsOf: url))
    }

    func privateKey(fast: Bool = false) throws -> PaillierPrivateKey {
        let publicKey = try PaillierPublicKey(
            validatingModulus: big(n), fastEncryptionBase: fast ? big(fastBase) : nil, allowInsecureKeySize: true)
        return try PaillierPrivateKey(p: big(p), q: big(q), publicKey: publicKey)
    }
}

func big(_ text: String) -> BigInteger { BigInteger(text)! }

/// The 512-bit fixture key (insecure, tests only): fast enough for property tests with many operations.
let smallKey = try! KnownAnswers.load(bits: 512).privateKey()
