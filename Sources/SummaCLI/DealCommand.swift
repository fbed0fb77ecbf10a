import ArgumentParser
import Foundation
import Paillier
import Provenance
import Summa
import SummaFormats
import Threshold

struct DealCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "deal", abstract: "Deal a t-of-ℓ threshold key: a public key and one share file per party.",
        discussion: """
            Writes <dir>/public.json (for everyone: encrypt under it with `summa encrypt --key`), \
            <dir>/party-1.json … party-ℓ.json (each secret, for one party only) and <dir>/coordinator.json (secret, \
            for whoever runs `summa coordinate`: parties check its identity), the secret ones created readable by you \
            only. The dealer keeps nothing: p, q and the shared exponent exist only in memory, zeroed when freed.
            With --party-identity for every party and --coordinator-identity, the key names those identities (each \
            made by its owner with `summa identity`): the share files hold no signing key and no coordinator.json is \
            written, so the dealer never holds anyone's signing key; each party then runs `summa party --identity`, \
            the coordinator `summa coordinate --key <dir>/public.json --identity`.
            """)

    @Option(parsing: .unconditional, help: "Number of parties ℓ (1…64); with --party-identity, their number.")
    var parties: Int?

    @Option(
        name: .customLong("party-identity"),
        help: ArgumentHelp("A party's public identity (summa identity), in party order: repeat for every party.", valueName: "file"))
    var partyIdentity: [String] = []

    @Option(
        name: .customLong("coordinator-identity"),
        help: ArgumentHelp("With --party-identity: the coordinator's public identity.", valueName: "file"))
    var coordinatorIdentity: String?

    @Option(help: ArgumentHelp(
        "A roster (summa roster): deal to its party and coordinator identities, at its threshold and size.", valueName: "file"))
    var roster: String?

    @Option(parsing: .unconditional, help: "Shares needed to decrypt, t (2…ℓ): with t = 1 any one party could decrypt every input.")
    var threshold: Int?

    @Option(parsing: .unconditional, help: "Size of n in bits (at least 2048); safe primes take seconds to minutes to find.")
    var bits: Int?

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Folder for the key files (created if missing).", valueName: "dir"))
    var outDir: String

    @OptionGroup var keyFile: KeyFileOptions

    /// ℓ: --parties, or the number of party identities (both, when given, must agree).
    var partyCount: Int { parties ?? partyIdentity.count }

    func validate() throws {
        if roster != nil {
            guard partyIdentity.isEmpty, coordinatorIdentity == nil, parties == nil, threshold == nil, bits == nil else {
                throw ValidationError("--roster names the parties, the coordinator, the threshold and the size: give none of them besides")
            }
            return
        }
        guard let threshold else { throw ValidationError("give --threshold, or --roster") }
        let bits = bits ?? PaillierPublicKey.defaultBits
        if partyIdentity.isEmpty != (coordinatorIdentity == nil) {
            throw ValidationError("give --party-identity for every party together with --coordinator-identity, or neither")
        }
        if parties == nil && partyIdentity.isEmpty { throw ValidationError("give --parties, or --party-identity for every party") }
        if let parties, !partyIdentity.isEmpty, parties != partyIdentity.count {
            throw ValidationError("--parties \(parties), but \(partyIdentity.count) --party-identity")
        }
        let parties = partyCount
        guard (1...64).contains(parties), (1...parties).contains(threshold) else {
            throw ValidationError("need 1 ≤ --threshold ≤ --parties ≤ 64")
        }
        if threshold < 2 && !keyFile.allowsInsecureKeySize {
            throw ValidationError("--threshold 1 would let any one party decrypt every input alone: use at least 2")
        }
        try checkKeyBits(bits, allowingInsecureSize: keyFile.allowsInsecureKeySize)
    }

    func execute() async throws {
        let roster = try self.roster.map { (path) throws(ProvenanceError) in
            try Roster.read(path: path, allowInsecureKeySize: keyFile.allowsInsecureKeySize)
        }
        let parties = roster?.parties.count ?? partyCount
        let threshold = roster?.threshold ?? self.threshold!
        let bits = roster?.bits ?? self.bits ?? PaillierPublicKey.defaultBits
        let identities = try roster?.parties ?? partyIdentity.map { (path) throws(ProvenanceError) in try PublicIdentity.read(path: path) }
        let coordinator = try roster?.coordinator ?? coordinatorIdentity.map { (path) throws(ProvenanceError) in try PublicIdentity.read(path: path) }
        if let repeated = identities.first(where: { identity in identities.filter { $0 == identity }.count > 1 || identity == coordinator }) {
            throw CommandFailure(description: "\(repeated.label) is named twice: every party and the coordinator need an identity of their own")
        }
        let files = ["public.json"] + (coordinator == nil ? ["coordinator.json"] : []) + (1...parties).map { "party-\($0).json" }
        let paths = files.map { outDir + "/" + $0 }
        if !keyFile.force, let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw CommandFailure(description: "\(existing) exists: refusing to overwrite key files (use --force)")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: outDir, isDirectory: &isFolder), isFolder.boolValue {
            for path in paths { try SummaFile.checkOutput(path) }
        }
        do {
            // 0700 whatever the umask: the folder holds every party's secret share until they are handed out.
            try FileManager.default.createDirectory(
                atPath: outDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CommandFailure(description: "\(outDir): cannot create the folder")
        }
        printError("searching for two \(bits / 2)-bit safe primes…")
        let fingerprint: String
        if let coordinator {
            let (publicKey, shares) = try ThresholdDealer.deal(
                bits: bits, threshold: threshold,
                identities: (identities.map(\.publicKeyBytes), coordinator.publicKeyBytes),
                allowInsecureThreshold: keyFile.allowsInsecureKeySize)
            try SummaFile.write(publicKey.json, to: paths[0])
            for (share, path) in zip(shares, paths.dropFirst()) { try SummaFile.write(share.json, to: path, secret: true) }
            fingerprint = publicKey.fingerprint
        } else {
            let (publicKey, shares, coordinator) = try ThresholdDealer.deal(
                bits: bits, parties: parties, threshold: threshold, allowInsecureThreshold: keyFile.allowsInsecureKeySize)
            try SummaFile.write(publicKey.json, to: paths[0])
            try SummaFile.write(coordinator.json, to: paths[1], secret: true)
            for (share, path) in zip(shares, paths.dropFirst(2)) { try SummaFile.write(share.json, to: path, secret: true) }
            fingerprint = publicKey.fingerprint
        }
        let named = roster.map { " to roster \($0.fingerprint) (no signing key written)" }
            ?? (coordinator == nil ? "" : " naming \(parties) party identities and the coordinator's (no signing key written)")
        printError("dealt a \(threshold)-of-\(parties) \(bits)-bit key \(fingerprint)\(named) into \(outDir)")
    }
}
