import BigNum
import Foundation
import Paillier
import Summa
import TestSupport
import Testing
import Threshold

@testable import SummaFormats

/// Files whose key was altered: every public field of a key is covered by its fingerprint (docs/formats.md), and
/// validated on load; and how files of format version 1 are read.
@Suite("Key fingerprints, fast bases and format versions in files")
struct KeyFingerprintFileTests {
    /// A 512-bit fast key (insecure, tests only), made once for the suite.
    static let fast = try! PaillierPrivateKey(generatingBits: 512, fastEncryption: true, allowInsecureKeySize: true)
    var fast: PaillierPrivateKey { Self.fast }
    var n: BigInteger { fast.publicKey.n }
    var nSquared: BigInteger { fast.publicKey.nSquared }
    var base: BigInteger { fast.publicKey.fastEncryptionBase! }

    func parse(_ document: JSONValue) throws(FormatError) -> SummaFile {
        try SummaFile.parse(Data(document.serialized.utf8), path: "f.json", allowInsecureKeySize: true)
    }

    /// Bases that would make ciphertexts readable, or are no unit, each with the error naming it.
    var invalidBases: [(BigInteger, PaillierError)] {
        let (p, q) = (fast.p, fast.q)
        let pSquared = p * p, qSquared = q * q
        // ≡ 1 mod p², ≡ −1 mod q²: a square root of 1 other than ±1 (order 2).
        let orderTwo = BigInteger.crt(1, modulo: pSquared, qSquared - 1, modulo: qSquared, pInverseModQ: pSquared.inverse(modulo: qSquared)!)
        return [
            (nSquared - 1, .fastEncryptionBaseTrivial),
            (1, .fastEncryptionBaseTrivial),
            (p * 7, .fastEncryptionBaseNotInvertible),
            (orderTwo, .fastEncryptionBaseOfOrderTwo),
            ((1 + BigInteger(1).shiftedLeft(250) * n).modulo(nSquared), .fastEncryptionBaseNotNthResidue),
            (nSquared, .fastEncryptionBaseOutOfRange),
        ]
    }

    /// A valid n-th residue other than the key's base: passes validation, so only the fingerprint can tell.
    var otherValidBase: BigInteger { base.multiplied(by: base, modulo: nSquared) }

    @Test func alteredFastBasesInPublicKeyFilesAreRefused() throws {
        let document = fast.publicKey.summaJSON
        for (bad, error) in invalidBases {
            let altered = document.replacing([.key("fastEncryptionBase")], with: .string(bad.description))
            // Under the old fingerprint, and under one recomputed for the new base: refused for the base either way.
            let refitted = altered.replacing(
                [.key("fingerprint")], with: .string(PaillierPublicKey.fingerprint(of: n, fastEncryptionBase: bad)))
            for candidate in [altered, refitted] {
                #expect(throws: FormatError.invalidKey(path: "f.json", field: "fastEncryptionBase", error), "\(error)") {
                    try parse(candidate)
                }
            }
        }
        #expect(throws: FormatError.invalidKey(path: "f.json", field: "fastEncryptionBase", .fastEncryptionBaseTrivial)) {
            try parse(document.replacing([.key("fastEncryptionBase")], with: .string((nSquared - 1).description)))
        }
        // A valid base that is not the key's: the file still parses, and its fingerprint no longer matches.
        let swapped = document.replacing([.key("fastEncryptionBase")], with: .string(otherValidBase.description))
        #expect(throws: FormatError.fingerprintMismatch(path: "f.json")) { try parse(swapped) }
        // Nor may the base be dropped under the fast key's fingerprint, or the fingerprint be n's alone.
        #expect(throws: FormatError.fingerprintMismatch(path: "f.json")) { try parse(document.replacing([.key("fastEncryptionBase")], with: nil)) }
        #expect(throws: FormatError.fingerprintMismatch(path: "f.json")) {
            try parse(document.replacing([.key("fingerprint")], with: .string(PaillierPublicKey.fingerprint(of: n))))
        }
        // The real file reads back, under its fast fingerprint.
        guard case .publicKey(let loaded) = try parse(document) else { Issue.record("not a public key"); return }
        #expect(loaded == fast.publicKey && loaded.fingerprint == fast.publicKey.fingerprint)
        #expect(loaded.fingerprint != PaillierPublicKey.fingerprint(of: n))
        #expect(try SummaFile.parse(Data(document.serialized.utf8), path: "f.json", allowInsecureKeySize: true).summary
            .contains("key: \(fast.publicKey.fingerprint)"))
    }

    func table(under key: PaillierPublicKey) throws -> EncryptedTable {
        let values = try ["1.25", "-3.50"].map { try key.encrypt(decimal($0)) }
        return EncryptedTable(publicKey: key, columns: [
            EncryptedColumn(name: "amount", scale: 2, values: values.map(\.ciphertext), squares: nil)
        ])
    }

    @Test func alteredFastBasesInEncryptedAndPrivateKeyFilesAreRefused() async throws {
        let document = try table(under: fast.publicKey).summaJSON
        #expect(document["keyFingerprint"] == .string(fast.publicKey.fingerprint))
        let swapped = document.replacing([.key("publicKey"), .key("fastEncryptionBase")], with: .string(otherValidBase.description))
        #expect(throws: FormatError.fingerprintMismatch(path: "f.json")) { try parse(swapped) }
        for (bad, error) in invalidBases {
            let altered = document.replacing([.key("publicKey"), .key("fastEncryptionBase")], with: .string(bad.description))
            #expect(throws: FormatError.invalidKey(path: "f.json", field: "publicKey.fastEncryptionBase", error)) { try parse(altered) }
        }
        guard case .encrypted(let loaded) = try parse(document) else { Issue.record("not a table"); return }
        #expect(try await DecryptedReport.decrypt(.encrypted(loaded), path: "f.json", with: fast).lines == ["1.25", "-3.50"])
        // A private key file: its factors decide n-th residuosity exactly. hₛ·(1 + n) passes every public check.
        let notResidue = base.multiplied(by: n + 1, modulo: nSquared)
        let privateDocument = fast.summaJSON
            .replacing([.key("publicKey"), .key("fastEncryptionBase")], with: .string(notResidue.description))
            .replacing([.key("publicKey"), .key("fingerprint")], with: .string(PaillierPublicKey.fingerprint(of: n, fastEncryptionBase: notResidue)))
        #expect(throws: FormatError.invalidKey(path: "f.json", field: "publicKey.fastEncryptionBase", .fastEncryptionBaseNotNthResidue)) {
            try parse(privateDocument)
        }
        guard case .privateKey(let loadedKey) = try parse(fast.summaJSON) else { Issue.record("not a private key"); return }
        #expect(loadedKey == fast)
    }

    @Test func everyDocumentIsWrittenAtItsCurrentVersion() throws {
        let deal = Fixtures.deal
        let documents = [
            fast.summaJSON, fast.publicKey.summaJSON, try table(under: fast.publicKey).summaJSON,
            try Aggregation.aggregate([("f.json", .encrypted(try table(under: fast.publicKey)))], kind: .sum).summaJSON,
        ]
        #expect(SummaFile.version == 3 && ThresholdFile.version == 3)
        for document in documents { #expect(document["version"] == .integer(3)) }
        for document in [deal.publicKey.json, deal.shares[0].json, deal.coordinator.json] {
            #expect(document["version"] == .integer(3))
        }
    }

    /// A version-1 file is read as what its fingerprint covered: n. Plain keys and their files as before; a fast
    /// base dropped, except in a private key, whose factors check it; threshold keys and shares refused.
    @Test func versionOneFilesAreReadAsWhatTheirFingerprintCovered() async throws {
        let plainFingerprint = PaillierPublicKey.fingerprint(of: n)
        func versionOne(_ document: JSONValue, fingerprints: [[JSONStep]]) -> JSONValue {
            fingerprints.reduce(document.replacing([.key("version")], with: .integer(1))) { document, path in
                document.replacing(path, with: .string(plainFingerprint))
            }
        }
        // The committed small-private.json is a version-1 plain key: read, with the fingerprint it always had.
        let committed = try JSONValue(parsing: try SummaFile.contents(atPath: Fixtures.path("small-private.json")), path: "k")
        #expect(committed["version"] == .integer(1))
        #expect(Fixtures.smallKey.publicKey.fingerprint == PaillierPublicKey.fingerprint(of: Fixtures.smallKey.publicKey.n))
        // A version-1 plain public key.
        let plain = fast.publicKey.withoutFastEncryption
        guard case .publicKey(let loadedPlain) = try parse(versionOne(plain.summaJSON, fingerprints: [])) else {
            Issue.record("not a public key"); return
        }
        #expect(loadedPlain == plain && loadedPlain.fingerprint == plainFingerprint)
        // A version-1 fast public key: read as the standard key of n, whatever its base says, even n² − 1.
        let oldFast = versionOne(fast.publicKey.summaJSON, fingerprints: [[.key("fingerprint")]])
        for document in [oldFast, oldFast.replacing([.key("fastEncryptionBase")], with: .string((nSquared - 1).description))] {
            guard case .publicKey(let loaded) = try parse(document) else { Issue.record("not a public key"); return }
            #expect(!loaded.hasFastEncryption && loaded.fingerprint == plainFingerprint)
        }
        // … and its fingerprint is checked as version 1 defined it.
        #expect(throws: FormatError.fingerprintMismatch(path: "f.json")) {
            try parse(oldFast.replacing([.key("fingerprint")], with: .string(fast.publicKey.fingerprint)))
        }
        // A version-1 fast private key keeps its base, checked with the factors.
        let oldPrivate = versionOne(fast.summaJSON, fingerprints: [[.key("publicKey"), .key("fingerprint")]])
        guard case .privateKey(let loadedPrivate) = try parse(oldPrivate) else { Issue.record("not a private key"); return }
        #expect(loadedPrivate == fast && loadedPrivate.publicKey.hasFastEncryption)
        let notResidue = base.multiplied(by: n + 1, modulo: nSquared)
        #expect(throws: FormatError.invalidKey(path: "f.json", field: "publicKey.fastEncryptionBase", .fastEncryptionBaseNotNthResidue)) {
            try parse(oldPrivate.replacing([.key("publicKey"), .key("fastEncryptionBase")], with: .string(notResidue.description)))
        }
        // A version-1 encrypted file under a fast key: read under the standard key of n, and decrypts.
        let oldTable = versionOne(
            try table(under: fast.publicKey).summaJSON, fingerprints: [[.key("keyFingerprint")], [.key("publicKey"), .key("fingerprint")]])
        guard case .encrypted(let loadedTable) = try parse(oldTable) else { Issue.record("not a table"); return }
        #expect(!loadedTable.publicKey.hasFastEncryption)
        #expect(try await DecryptedReport.decrypt(.encrypted(loadedTable), path: "f.json", with: fast).lines == ["1.25", "-3.50"])
        // Version-1 threshold keys and shares: refused, saying what to do.
        let deal = Fixtures.deal
        let paillierFingerprint = deal.publicKey.paillierKey.fingerprint
        let oldPublic = deal.publicKey.json.replacing([.key("version")], with: .integer(1))
            .replacing([.key("fingerprint")], with: .string(paillierFingerprint))
        let refusal = FormatError.obsoleteVersion(
            path: "f.json", format: "summa.threshold-public-key", version: 1, remedy: ThresholdFile.remedy(forVersion: 1))
        #expect(throws: refusal) { try parse(oldPublic) }
        #expect(throws: refusal) {
            try ThresholdFile.publicKey(from: Data(oldPublic.serialized.utf8), path: "f.json", allowInsecureKeySize: true)
        }
        #expect(refusal.description.hasSuffix("deal a new key with `summa deal`"))
        #expect(!refusal.description.contains("\n"))
        let oldShare = deal.shares[0].json.replacing([.key("version")], with: .integer(1))
            .replacing([.key("publicKey")], with: oldPublic)
        #expect(throws: FormatError.obsoleteVersion(
            path: "f.json", format: "summa.threshold-share", version: 1, remedy: ThresholdFile.remedy(forVersion: 1))) {
            try ThresholdFile.share(from: Data(oldShare.serialized.utf8), path: "f.json", allowInsecureKeySize: true)
        }
        // Version-2 deal documents name no coordinator key: refused, saying why.
        let secondVersion = deal.coordinator.json.replacing([.key("version")], with: .integer(2))
        let secondRefusal = FormatError.obsoleteVersion(
            path: "f.json", format: "summa.coordinator-key", version: 2, remedy: ThresholdFile.remedy(forVersion: 2))
        #expect(throws: secondRefusal) {
            try ThresholdFile.coordinatorKey(from: Data(secondVersion.serialized.utf8), path: "f.json", allowInsecureKeySize: true)
        }
        #expect(secondRefusal.description.contains("names no coordinator key"))
        #expect(throws: FormatError.unsupportedVersion(path: "f.json", format: "summa.threshold-share", version: 4)) {
            let future = deal.shares[0].json.replacing([.key("version")], with: .integer(4))
            try ThresholdFile.share(from: Data(future.serialized.utf8), path: "f.json", allowInsecureKeySize: true)
        }
        // Version 4 is from the future.
        #expect(throws: FormatError.unsupportedVersion(path: "f.json", format: "summa.public-key", version: 4)) {
            try parse(fast.publicKey.summaJSON.replacing([.key("version")], with: .integer(4)))
        }
    }

    /// A fast-decryption key's file: the committed fixture (its fingerprint computed in Python) loads and reads back;
    /// l is covered by the fingerprint and range-checked, the subgroup orders are checked with the factors.
    @Test func fastDecryptionKeyFilesReadBackAndTheirStructureIsChecked() async throws {
        let key = Fixtures.smallFastDecryptionKey
        #expect(key.publicKey.shortExponentBits == 128 && key.subgroupOrders != nil)
        guard case .privateKey(let reread) = try parse(key.summaJSON) else { Issue.record("not a private key"); return }
        #expect(reread == key)
        guard case .publicKey(let publicKey) = try parse(key.publicKey.summaJSON) else { Issue.record("not a public key"); return }
        #expect(publicKey == key.publicKey)
        #expect(try parse(key.publicKey.summaJSON).summary.contains("key size: 512 bits, fast decryption and encryption (Ma–Han–Lei, l = 128)"))
        // Encrypted under the public key read from the file, decrypted with the private key read from its file.
        let table = try table(under: publicKey)
        #expect(try await DecryptedReport.decrypt(.encrypted(table), path: "f.json", with: reread).lines == ["1.25", "-3.50"])

        let document = key.summaJSON
        // l changed: under the old fingerprint a mismatch; dropped: read as a DJN key, whose fingerprint differs too.
        let longer = document.replacing([.key("publicKey"), .key("shortExponentBits")], with: .integer(130))
        #expect(throws: FormatError.fingerprintMismatch(path: "f.json")) { try parse(longer) }
        #expect(throws: FormatError.fingerprintMismatch(path: "f.json")) {
            try parse(key.publicKey.summaJSON.replacing([.key("shortExponentBits")], with: nil))
        }
        // l made weaker, with the fingerprint recomputed to match: refused for the exponent, naming it.
        let n = key.publicKey.n, base = key.publicKey.fastEncryptionBase!
        let weaker = key.publicKey.summaJSON.replacing([.key("shortExponentBits")], with: .integer(64))
            .replacing([.key("fingerprint")], with: .string(PaillierPublicKey.fingerprint(of: n, fastEncryptionBase: base, shortExponentBits: 64)))
        #expect(throws: FormatError.invalidKey(path: "f.json", field: "shortExponentBits", .shortExponentOutOfRange(bits: 64, allowed: 128...256))) {
            try parse(weaker)
        }
        // The orders: both missing, or the wrong ones, named together; one missing, named alone; never quoted.
        let noOrders = document.replacing([.key("pSubgroupOrder")], with: nil).replacing([.key("qSubgroupOrder")], with: nil)
        #expect(throws: FormatError.invalidKey(path: "f.json", field: "pSubgroupOrder, qSubgroupOrder", .subgroupOrderInvalid)) {
            try parse(noOrders)
        }
        let orders = try #require(key.subgroupOrders)
        let swapped = document.replacing([.key("pSubgroupOrder")], with: .string(orders.q.description))
            .replacing([.key("qSubgroupOrder")], with: .string(orders.p.description))
        do {
            _ = try parse(swapped)
            Issue.record("swapped subgroup orders were accepted")
        } catch {
            #expect(error == .invalidKey(path: "f.json", field: "pSubgroupOrder, qSubgroupOrder", .subgroupOrderInvalid))
            #expect(!error.description.contains(orders.p.description) && !error.description.contains(orders.q.description))
        }
        #expect(throws: FormatError.malformedField(path: "f.json", field: "qSubgroupOrder", reason: "missing")) {
            try parse(document.replacing([.key("qSubgroupOrder")], with: nil))
        }
        // Orders added to a standard key are refused, not ignored.
        guard case .object(let members) = Fixtures.smallKey.summaJSON else { Issue.record("not an object"); return }
        let standard = JSONValue.object(members + [("pSubgroupOrder", .string("3")), ("qSubgroupOrder", .string("5"))])
        #expect(throws: FormatError.invalidKey(path: "f.json", field: "pSubgroupOrder, qSubgroupOrder", .subgroupOrderInvalid)) {
            try parse(standard)
        }
    }
}
