import ArgumentParser
import Foundation
import Paillier
import Summa
import SummaFormats

struct KeygenCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen", abstract: "Generate a key pair.",
        discussion: "The private key file holds the public key too; --public-out writes the public key to share.")

    @Option(parsing: .unconditional, help: "Size of the modulus n in bits (at least 2048).")
    var bits = PaillierPublicKey.defaultBits

    @Flag(help: "Damgård–Jurik–Nielsen fast encryption: ~10× faster encryption under an extra, published assumption.")
    var fast = false

    @Flag(name: .customLong("fast-decryption"), help: """
        A key that decrypts ~4× and encrypts ~20× faster (Ma, Han and Lei, ACSAC 2021) under an extra, published \
        assumption; Summa's format only.
        """)
    var fastDecryption = false

    @Option(help: ArgumentHelp("Where to write the private key (created readable by you only).", valueName: "file"))
    var out: String

    @Option(name: .customLong("public-out"), help: ArgumentHelp("Where to write the public key.", valueName: "file"))
    var publicOut: String?

    @Option(help: "Write python-paillier (pheutil) JWK keys instead of Summa's format (no fast encryption).")
    var format: OutputFormat = .summa

    @OptionGroup var keyFile: KeyFileOptions

    func validate() throws {
        if format == .phe && fast { throw ValidationError("python-paillier keys have no fast encryption: drop --fast or --format phe") }
        if format == .phe && fastDecryption {
            throw ValidationError("""
                a fast-decryption key cannot be written in pheutil's format, which holds n, p and q only: it would lose \
                its base and subgroup orders and decrypt at the standard speed; drop --format phe (pheutil can still \
                decrypt ciphertexts that summa writes with --format phe)
                """)
        }
        try checkKeyBits(bits, allowingInsecureSize: keyFile.allowsInsecureKeySize)
    }

    func execute() async throws {
        if !keyFile.force && FileManager.default.fileExists(atPath: out) {
            throw CommandFailure(description: "\(out) exists: refusing to overwrite a key (use --force)")
        }
        try SummaFile.checkOutput(out)
        if let publicOut {
            // Written second, the public key would replace the private key it came from.
            if SummaFile.isSameFile(publicOut, out) {
                throw CommandFailure(description: "\(publicOut): is also --out: refusing to write the public key over the private key")
            }
            if !keyFile.force && FileManager.default.fileExists(atPath: publicOut) {
                throw CommandFailure(description: "\(publicOut) exists: refusing to overwrite it (use --force)")
            }
            try SummaFile.checkOutput(publicOut)
        }
        let key: PaillierPrivateKey
        do {
            key = try PaillierPrivateKey(
                generatingBits: bits, fastEncryption: fast, fastDecryption: fastDecryption,
                allowInsecureKeySize: keyFile.allowsInsecureKeySize)
        } catch {
            throw CommandFailure(description: "--bits \(bits): \(error)")
        }
        try SummaFile.write(format == .phe ? key.pheJWK : key.summaJSON, to: out, secret: true)
        if let publicOut {
            try SummaFile.write(format == .phe ? key.publicKey.pheJWK() : key.publicKey.summaJSON, to: publicOut)
        }
        let kind = fastDecryption ? " with fast decryption and encryption" : fast ? " with fast encryption" : ""
        printError("generated a \(bits)-bit key\(kind): \(key.publicKey.fingerprint)")
    }
}
