import ArgumentParser
import Provenance

struct RosterCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "roster", abstract: "Write the roster of a threshold key: who takes part, the threshold and the key size.",
        discussion: """
            Everyone makes an identity (summa identity) and hands out its public half; one person writes the roster from \
            them and everyone compares its fingerprint (printed, and shown by summa inspect) out of band. \
            summa deal --roster deals to the roster's identities. The roster requires 2 ≤ t and at least 2t − 1 parties.
            """)

    @Option(help: ArgumentHelp("A party's public identity, in party order: repeat for every party.", valueName: "file"))
    var party: [String] = []

    @Option(help: ArgumentHelp("The coordinator's public identity.", valueName: "file"))
    var coordinator: String

    @Option(parsing: .unconditional, help: "Shares needed to decrypt, t.")
    var threshold: Int

    @Option(parsing: .unconditional, help: "Size of n in bits.")
    var bits = 2048

    @Option(help: ArgumentHelp("Where to write the roster.", valueName: "file"))
    var out: String

    @OptionGroup var insecureTest: InsecureTestOption

    func execute() async throws {
        let roster = try Roster(
            parties: try party.map { (path) throws(ProvenanceError) in try PublicIdentity.read(path: path) },
            coordinator: try PublicIdentity.read(path: coordinator), threshold: threshold, bits: bits, path: out,
            allowInsecureKeySize: insecureTest.allowsInsecure)
        try roster.write(to: out)
        printError("roster \(roster.fingerprint): \(threshold) of \(party.count) parties, \(bits) bits -> \(out)")
    }
}
