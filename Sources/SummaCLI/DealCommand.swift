import ArgumentParser
import Foundation
import Paillier
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
            """)

    @Option(parsing: .unconditional, help: "Number of parties ℓ (1…64).")
    var parties: Int

    @Option(parsing: .unconditional, help: "Shares needed to decrypt, t (2…ℓ): with t = 1 any one party could decrypt every input.")
    var threshold: Int

    @Option(parsing: .unconditional, help: "Size of n in bits (at least 2048); safe primes take seconds to minutes to find.")
    var bits = PaillierPublicKey.defaultBits

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Folder for the key files (created if missing).", valueName: "dir"))
    var outDir: String

    @OptionGroup var keyFile: KeyFileOptions

    func validate() throws {
        guard (1...64).contains(parties), (1...parties).contains(threshold) else {
            throw ValidationError("need 1 ≤ --threshold ≤ --parties ≤ 64")
        }
        if threshold < 2 && !keyFile.allowsInsecureKeySize {
            throw ValidationError("--threshold 1 would let any one party decrypt every input alone: use at least 2")
        }
        try checkKeyBits(bits, allowingInsecureSize: keyFile.allowsInsecureKeySize)
    }

    func execute() async throws {
        let files = ["public.json", "coordinator.json"] + (1...parties).map { "party-\($0).json" }
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
        let (publicKey, shares, coordinator) = try ThresholdDealer.deal(
            bits: bits, parties: parties, threshold: threshold, allowInsecureThreshold: keyFile.allowsInsecureKeySize)
        try SummaFile.write(publicKey.json, to: paths[0])
        try SummaFile.write(coordinator.json, to: paths[1], secret: true)
        for (share, path) in zip(shares, paths.dropFirst(2)) { try SummaFile.write(share.json, to: path, secret: true) }
        printError("dealt a \(threshold)-of-\(parties) \(bits)-bit key \(publicKey.fingerprint) into \(outDir)")
    }
}
