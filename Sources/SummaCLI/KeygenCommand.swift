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

    @Option(help: ArgumentHelp("Where to write the private key (created readable by you only).", valueName: "file"))
    var out: String

    @Option(name: .customLong("public-out"), help: ArgumentHelp("Where to write the public key.", valueName: "file"))
    var publicOut: String?

    @Option(help: "Write python-paillier (pheutil) JWK keys instead of Summa's format (no fast encryption).")
    var format: OutputFormat = .summa

    @OptionGroup var keyFile: KeyFileOptions

    func validate() throws {
        if format == .phe && fast { throw ValidationError("python-paillier keys have no fast encryption: drop --fast or --format phe") }
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
            key = try PaillierPrivateKey(generatingBits: bits, fastEncryption: fast, allowInsecureKeySize: keyFile.allowsInsecureKeySize)
        } catch {
            throw CommandFailure(description: "--bits \(bits): \(error)")
        }
        try SummaFile.write(format == .phe ? key.pheJWK : key.summaJSON, to: out, secret: true)
        if let publicOut {
            try SummaFile.write(format == .phe ? key.publicKey.pheJWK() : key.publicKey.summaJSON, to: publicOut)
        }
        printError("generated a \(bits)-bit key\(fast ? " with fast encryption" : ""): \(key.publicKey.fingerprint)")
    }
}
