import ArgumentParser
import BigNum

@main
struct SummaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summa",
        abstract: "Sums, means and statistics over encrypted numbers (Paillier).",
        discussion: """
            Encrypt CSV columns under a public key; anyone can then sum and average the ciphertexts without the key; \
            only the private key holder decrypts the results, exact to the last decimal.
            Keys and ciphertexts of python-paillier's pheutil are accepted wherever a key or ciphertext file is.
            """,
        version: "0.1.0 (GMP \(BigInteger.gmpVersion))",
        subcommands: [
            KeygenCommand.self, EncryptCommand.self, SumCommand.self, MeanCommand.self, StatsCommand.self,
            DecryptCommand.self, RegressCommand.self, InspectCommand.self, IdentityCommand.self, RosterCommand.self, AuditCommand.self, DemoCommand.self,
            DealCommand.self, CoordinateCommand.self, PartyCommand.self, VerifyCommand.self, JoinCommand.self,
            BenchCommand.self,
        ]
    )
}
