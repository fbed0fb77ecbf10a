import BigNum
import Foundation
import Paillier
import Summa
import SummaFormats
import Threshold

/// Committed keys every test target shares (see Fixtures/README.md for how each was made), so that no test waits
/// for key generation or a safe-prime search.
public enum Fixtures {
    /// The path of a committed fixture file, e.g. "phe/private.jwk.json".
    public static func path(_ name: String) -> String {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!.path
    }

    /// pheutil's 2048-bit key (Fixtures/phe, made by make-fixtures.sh).
    public static let pheKey = try! SummaFile.readPrivateKey(path: path("phe/private.jwk.json"))
    /// A second pheutil key, for "wrong key" tests.
    public static let otherPheKey = try! SummaFile.readPrivateKey(path: path("phe/other-private.jwk.json"))
    /// A 512-bit Summa key (insecure, tests only) for fast property tests.
    public static let smallKey = try! SummaFile.readPrivateKey(path: path("small-private.json"), allowInsecureKeySize: true)
    /// A 512-bit fast-decryption key (insecure, tests only; l = 128).
    public static let smallFastDecryptionKey =
        try! SummaFile.readPrivateKey(path: path("small-fast-decryption-private.json"), allowInsecureKeySize: true)

    /// A committed 3-of-5 threshold deal at 512 bits (insecure, tests only): its public key, the five shares and the
    /// coordinator's key.
    public static let deal = try! committedDeal("deal-512")
    /// Another committed 3-of-5 deal, for "another deal's key or share" tests.
    public static let otherDeal = try! committedDeal("other-deal-512")

    static func committedDeal(_ folder: String) throws
        -> (publicKey: ThresholdPublicKey, shares: [KeyShare], coordinator: CoordinatorKey)
    {
        let publicKey = try ThresholdFile.readPublicKey(path: path("\(folder)/public.json"), allowInsecureKeySize: true)
        let shares = try (1...publicKey.partyCount).map { party in
            try ThresholdFile.readShare(path: path("\(folder)/party-\(party).json"), allowInsecureKeySize: true)
        }
        let coordinator = try ThresholdFile.readCoordinatorKey(path: path("\(folder)/coordinator.json"), allowInsecureKeySize: true)
        return (publicKey, shares, coordinator)
    }

    /// The committed safe primes (Fixtures/safe-primes.json) whose product has `bits` bits: 512, 1024 or 2048.
    public static func safePrimes(bits: Int) throws -> (p: BigInteger, q: BigInteger) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("safe-primes.json")))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: [String: String]],
            let pair = json[String(bits)], let p = pair["p"].flatMap({ BigInteger($0) }), let q = pair["q"].flatMap({ BigInteger($0) })
        else { throw FixtureError.missing("safe primes for \(bits) bits") }
        return (p, q)
    }

    /// A fresh deal from the committed safe primes (milliseconds: no prime search), for other ℓ and t (t = 1 only
    /// with `allowInsecureThreshold`).
    public static func deal(
        bits: Int, parties: Int, threshold: Int, allowInsecureThreshold: Bool = false
    ) throws -> (publicKey: ThresholdPublicKey, shares: [KeyShare], coordinator: CoordinatorKey) {
        let (p, q) = try safePrimes(bits: bits)
        return try ThresholdDealer.deal(
            p: p, q: q, parties: parties, threshold: threshold, allowInsecureThreshold: allowInsecureThreshold)
    }

    enum FixtureError: Error { case missing(String) }
}

/// An exact decimal from text that is known to be valid.
public func decimal(_ text: String) -> FixedPoint { try! FixedPoint(parsing: text) }
