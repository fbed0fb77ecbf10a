import BigNum
import Foundation
import Testing

@testable import Paillier

/// A fast-decryption key and its known answers from Fixtures/fast-decryption-*.json, made independently by
/// Fixtures/generate-fast-decryption.py (Python's integers and pow(), its own Miller–Rabin; every decryption there
/// checked both the fast way and with λ).
struct FastDecryptionVectors: Decodable {
    struct Encryption: Decodable { let m: String, r: String, c: String }
    let bits: Int
    let shortExponentBits: Int
    let n, p, q, pSubgroupOrder, qSubgroupOrder, fastBase: String
    let encryptions: [Encryption]
    let standardEncryption: Encryption

    static func load(bits: Int) throws -> FastDecryptionVectors {
        let url = try #require(Bundle.module.url(forResource: "fast-decryption-\(bits)", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(FastDecryptionVectors.self, from: Data(contentsOf: url))
    }

    func publicKey(shortExponentBits l: Int? = nil, base: BigInteger? = nil) throws -> PaillierPublicKey {
        try PaillierPublicKey(
            validatingModulus: big(n), fastEncryptionBase: base ?? big(fastBase), shortExponentBits: l ?? shortExponentBits,
            allowInsecureKeySize: true)
    }

    var orders: PaillierPrivateKey.SubgroupOrders { .init(p: big(pSubgroupOrder), q: big(qSubgroupOrder)) }

    func privateKey() throws -> PaillierPrivateKey {
        try PaillierPrivateKey(p: big(p), q: big(q), subgroupOrders: orders, publicKey: try publicKey())
    }
}

@Suite("Fast-decryption keys (Ma, Han and Lei)")
struct FastDecryptionKeyTests {
    @Test(arguments: [512, 2048])
    func knownAnswersEncryptAndDecrypt(bits: Int) throws {
        let vectors = try FastDecryptionVectors.load(bits: bits)
        let key = try vectors.privateKey()
        let publicKey = key.publicKey
        #expect(publicKey.hasFastDecryption && publicKey.fastExponentBits == vectors.shortExponentBits)
        #expect(vectors.shortExponentBits == PaillierPublicKey.shortExponentBits(forModulusBits: bits))
        let base = try #require(publicKey.fastEncryptionBase)
        for vector in vectors.encryptions {
            let mask = base.power(big(vector.r), modulo: publicKey.nSquared)
            #expect(publicKey.encrypt(big(vector.m), mask: mask).value == big(vector.c))
            #expect(key.decrypt(PaillierCiphertext(unchecked: big(vector.c))) == big(vector.m))
        }
        // rⁿ with a uniform r, as any other implementation encrypts: noticed, and decrypted the standard way.
        #expect(key.decrypt(PaillierCiphertext(unchecked: big(vectors.standardEncryption.c))) == 77)
    }

    @Test func generatedKeysHaveTheStructureAndRoundTrip() async throws {
        let key = try PaillierPrivateKey(generatingBits: 512, fastDecryption: true, allowInsecureKeySize: true)
        let publicKey = key.publicKey
        let l = try #require(publicKey.shortExponentBits)
        #expect(l == 128 && publicKey.bits == 512)
        let orders = try #require(key.subgroupOrders)
        for (prime, order) in [(key.p, orders.p), (key.q, orders.q)] {
            #expect(order.bitWidth == l / 2 && order.isProbablePrime())
            #expect((prime - 1).modulo(order.shiftedLeft(1)) == 0)
            #expect(((prime - 1) / order.shiftedLeft(1)).isOdd)
        }
        // The base's order divides 2α: hₛ^(2α) ≡ 1 (mod n²).
        let base = try #require(publicKey.fastEncryptionBase)
        #expect(base.power((orders.p * orders.q).shiftedLeft(1), modulo: publicKey.nSquared) == 1)
        // The key re-validates from its parts.
        let reloaded = try PaillierPrivateKey(
            p: key.q, q: key.p, subgroupOrders: .init(p: orders.q, q: orders.p),
            publicKey: try PaillierPublicKey(
                validatingModulus: publicKey.n, fastEncryptionBase: base, shortExponentBits: l, allowInsecureKeySize: true))
        #expect(reloaded == key)

        let values = (0..<40).map { BigInteger($0 * 7919 - 100_000) }
        let ciphertexts = await publicKey.encrypt(batch: values.map(publicKey.residue))
        #expect(await key.decrypt(batch: ciphertexts) == values.map(publicKey.residue))
        let owner = key.encrypt(publicKey.residue(-5))
        let sum = ciphertexts.reduce(owner, publicKey.add)
        let total = values.reduce(BigInteger(-5), +)
        #expect(key.decrypt(sum) == publicKey.residue(total))
        #expect(await key.decryptConcurrently(sum) == publicKey.residue(total))
        // A standard ciphertext under the same n, alone and summed with fast ones, still decrypts exactly.
        let standard = publicKey.withoutFastEncryption.encrypt(1234)
        #expect(key.decrypt(standard) == 1234)
        #expect(key.decrypt(publicKey.add(standard, sum)) == publicKey.residue(total + 1234))
    }

    @Test func theShortExponentIsBoundByTheFingerprintAndRangeChecked() throws {
        let vectors = try FastDecryptionVectors.load(bits: 2048)
        let key = try vectors.publicKey()
        let djn = try PaillierPublicKey(validatingModulus: key.n, fastEncryptionBase: key.fastEncryptionBase, allowInsecureKeySize: true)
        #expect(key.fingerprint != djn.fingerprint)
        #expect(key.fingerprint != (try vectors.publicKey(shortExponentBits: 512)).fingerprint)
        for weaker in [446, 440, 64] {
            #expect(throws: PaillierError.shortExponentOutOfRange(bits: weaker, allowed: 448...1024)) {
                try vectors.publicKey(shortExponentBits: weaker)
            }
        }
        #expect(throws: PaillierError.shortExponentOutOfRange(bits: 449, allowed: 448...1024)) { try vectors.publicKey(shortExponentBits: 449) }
        #expect(throws: PaillierError.shortExponentOutOfRange(bits: 1026, allowed: 448...1024)) { try vectors.publicKey(shortExponentBits: 1026) }
        #expect(throws: PaillierError.shortExponentWithoutBase) {
            try PaillierPublicKey(validatingModulus: key.n, shortExponentBits: 448, allowInsecureKeySize: true)
        }
        #expect(PaillierPublicKey.shortExponentBits(forModulusBits: 3072) == 512)
        #expect(PaillierPublicKey.shortExponentBits(forModulusBits: 4096) == 768)
        #expect(PaillierPublicKey.shortExponentBits(forModulusBits: 16384) == 1024)
    }

    @Test func thePrivateStructureIsCheckedWithTheFactors() throws {
        let vectors = try FastDecryptionVectors.load(bits: 512)
        let (p, q, orders) = (big(vectors.p), big(vectors.q), vectors.orders)
        let publicKey = try vectors.publicKey()
        // A fast-decryption key needs its orders, and a standard key takes none.
        #expect(throws: PaillierError.subgroupOrderInvalid) { try PaillierPrivateKey(p: p, q: q, publicKey: publicKey) }
        #expect(throws: PaillierError.subgroupOrderInvalid) {
            try PaillierPrivateKey(p: p, q: q, subgroupOrders: orders, publicKey: publicKey.withoutFastEncryption)
        }
        // Orders that are not p₀ and q₀: swapped, moved to the next prime, or one used twice.
        let next = BigInteger.randomPrime(bits: 64)
        for wrong in [
            PaillierPrivateKey.SubgroupOrders(p: orders.q, q: orders.p), .init(p: next, q: orders.q), .init(p: orders.p, q: orders.p),
        ] {
            #expect(throws: PaillierError.subgroupOrderInvalid) { try PaillierPrivateKey(p: p, q: q, subgroupOrders: wrong, publicKey: publicKey) }
        }
        // A DJN base (−x²)ⁿ under the same n passes every public check but is not in the subgroup of order 2α.
        let djnBase = PaillierPublicKey.drawFastEncryptionBase(n: publicKey.n)
        let outside = try vectors.publicKey(base: djnBase)
        #expect(throws: PaillierError.fastDecryptionBaseOutsideSubgroup) {
            try PaillierPrivateKey(p: p, q: q, subgroupOrders: orders, publicKey: outside)
        }
        #expect(!String(describing: try vectors.privateKey()).contains(orders.p.description))
    }
}
