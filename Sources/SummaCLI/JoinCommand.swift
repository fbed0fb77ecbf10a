import ArgumentParser
import Crypto
import Foundation
import Logging
import MultiPartyNIO
import Paillier
import PrivateJoin
import Provenance
import Summa
import SummaFormats

struct JoinCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Total what two organizations' lists have in common, and learn nothing else.",
        discussion: """
            Run it on both sides. The --listen side brings identifiers only and learns the size of the intersection \
            and, over it, the count, sum and mean of each value column (per --keep group); the --connect side brings \
            identifiers with values, holds the Paillier key, and learns only the other list's size. Each side names its \
            own identity (summa identity) and the other's public identity; the connection is mutual TLS pinned to them. \
            With --epsilon and --delta (on the --connect side, whose values they protect) the outputs get exact \
            discrete Gaussian noise calibrated to the --clip bounds.
            """)

    @Option(help: ArgumentHelp("Listen here (the side that learns the result).", valueName: "host:port"))
    var listen: Endpoint?

    @Option(help: ArgumentHelp("Connect to the other side here (the side that brings values).", valueName: "host:port"))
    var connect: Endpoint?

    @Option(help: ArgumentHelp("This side's list: a CSV file.", valueName: "file"))
    var ids: String

    @Option(name: .customLong("id-column"), help: "The column of identifiers.")
    var idColumn: String

    @Flag(name: .customLong("case-fold"), help: "Compare identifiers regardless of case (both sides must say it).")
    var caseFold = false

    @Option(help: "With --connect: a value column to total over the intersection; repeat it for several.")
    var column: [String] = []

    @Option(help: "With --connect: a column whose values group the totals (segments).")
    var keep: String?

    @Option(help: ArgumentHelp("With --connect: clip a column's values to [low, high] (needed with --epsilon).", valueName: "column=low:high"))
    var clip: [String] = []

    @Option(help: ArgumentHelp("With --connect: release with (ε, δ)-differential privacy for one row of either list.", valueName: "ε"))
    var epsilon: String?

    @Option(help: ArgumentHelp("With --epsilon: δ.", valueName: "δ"))
    var delta: String?

    @Option(name: .customLong("min-intersection"), parsing: .unconditional, help: "Release nothing if fewer rows match.")
    var minIntersection = 0

    @Option(help: ArgumentHelp("This side's identity (summa identity).", valueName: "file"))
    var identity: String

    @Option(help: ArgumentHelp("The other side's public identity.", valueName: "file"))
    var peer: String

    @Option(name: .customLong("paillier-key"), help: ArgumentHelp(
        "With --connect: a Paillier private key to use (default: a fresh key made for this join).", valueName: "file"))
    var paillierKey: String?

    @Option(name: .customLong("key-bits"), parsing: .unconditional, help: "With --connect: the size of the fresh key.")
    var keyBits = 2048

    @Option(parsing: .unconditional, help: "Seconds to wait for the join to end.")
    var timeout = 3600

    @Flag(help: "Print the result as one JSON object (numbers as decimal strings).")
    var json = false

    @Option(name: .customLong("log-level"), help: "What to log on stderr: info shows connections and refused strangers.")
    var logLevel = Logger.Level.notice

    @OptionGroup var progress: ProgressOptions

    @OptionGroup var insecureTest: InsecureTestOption

    func validate() throws {
        guard (listen == nil) != (connect == nil) else { throw ValidationError("give one of --listen and --connect") }
        if listen != nil {
            let given = [(!column.isEmpty, "--column"), (keep != nil, "--keep"), (!clip.isEmpty, "--clip"),
                         (epsilon != nil, "--epsilon"), (delta != nil, "--delta"), (paillierKey != nil, "--paillier-key")]
            if let (_, option) = given.first(where: \.0) {
                throw ValidationError("\(option) belongs to the --connect side, which brings the values")
            }
        }
        if delta != nil && epsilon == nil { throw ValidationError("--delta needs --epsilon") }
        guard (0...JoinList.maximumRows).contains(minIntersection) else {
            throw ValidationError("--min-intersection must be from 0 to \(JoinList.maximumRows)")
        }
        try OptionBounds.sessionSeconds.check(timeout, option: "--timeout")
        try checkColumns(column + (keep.map { [$0] } ?? []) + [idColumn])
    }

    func execute() async throws {
        let me = try Identity.read(path: identity)
        let other = try PublicIdentity.read(path: peer)
        let signingKey = try Curve25519.Signing.PrivateKey(rawRepresentation: me.signingKeyBytes)
        var logger = Logger(label: "summa.join") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        let rule: JoinIdentifier.Rule = caseFold ? .caseFolded : .exact
        let frames = 8 << 20
        if let listen {
            let list = try await JoinList.read(path: ids, identifierColumn: idColumn, rule: rule)
            var machine = JoinRecipient(
                list: list, rule: rule, minimumIntersection: minIntersection, signingKey: signingKey,
                contributorKey: other.publicKeyBytes, allowInsecureKeySize: insecureTest.allowsInsecure)
            let result = try await failing("join with \(other.label)") {
                try await progress.meter("receiving", unit: "rows").tracking { update in
                    machine.progress = update
                    return try await PeerLink.listen(
                        machine: machine, identity: signingKey, peerKey: other.publicKeyBytes, host: listen.host, port: listen.port,
                        maximumFrame: frames, timeout: .seconds(timeout), logger: logger
                    ) { port in printError("listening on \(listen.host):\(port) for \(other.label)") }
                }
            }
            print(json ? result.json.serialized : result.lines.joined(separator: "\n"))
            return
        }
        let connect = connect!
        let budget = try epsilon.map { epsilon in
            try PrivacyBudget(
                epsilon: try FixedPoint(parsing: epsilon, field: "--epsilon"), delta: try delta.map { try FixedPoint(parsing: $0, field: "--delta") })
        }
        let list = try await JoinList.read(
            path: ids, identifierColumn: idColumn, rule: rule, valueColumns: column, clips: try AnalysisOptions.clips(clip), keep: keep)
        let key: PaillierPrivateKey
        if let paillierKey {
            key = try SummaFile.readPrivateKey(path: paillierKey, allowInsecureKeySize: insecureTest.allowsInsecure)
        } else {
            key = try PaillierPrivateKey(generatingBits: keyBits, fastDecryption: true, allowInsecureKeySize: insecureTest.allowsInsecure)
        }
        var machine = try JoinContributor(
            list: list, privateKey: key, budget: budget, minimumIntersection: minIntersection, signingKey: signingKey,
            recipientKey: other.publicKeyBytes)
        let contribution = try await failing("join with \(other.label)") {
            try await progress.meter("encrypting and sending", unit: "rows").tracking { update in
                machine.progress = update
                return try await PeerLink.connect(
                    machine: machine, identity: signingKey, peerKey: other.publicKeyBytes, host: connect.host, port: connect.port,
                    maximumFrame: frames, timeout: .seconds(timeout), logger: logger)
            }
        }
        printError("sent \(contribution.rows) rows to \(other.label), whose list has \(contribution.recipientRows) rows; this side learns nothing else")
    }

    /// `body`'s result; its failure as one line naming the join.
    func failing<Result>(_ what: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            throw CommandFailure(description: "\(what): \(error)")
        }
    }
}
