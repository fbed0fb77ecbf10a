import ArgumentParser
import Provenance

struct IdentityCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "identity", abstract: "Make a signing identity (an Ed25519 key of your own) and its public half.",
        discussion: """
            The identity file is secret (written 0600) and signs what you encrypt (encrypt --sign). Hand the public \
            half to whoever checks your signatures (decrypt --signer); compare its fingerprint with them out of band.
            """)

    @Option(help: ArgumentHelp("A name for the identity, shown beside its fingerprint (1…64 characters).", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("Where to write the secret identity.", valueName: "file"))
    var out: String

    @Option(name: .customLong("public-out"), help: ArgumentHelp("Where to write its public half.", valueName: "file"))
    var publicOut: String

    func execute() async throws {
        let identity = try Identity(name: name)
        try identity.write(to: out, publicTo: publicOut)
        printError("identity \(identity.publicIdentity.label) -> \(out) (secret), \(publicOut) (public)")
    }
}
