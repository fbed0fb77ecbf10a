import Crypto
import Foundation
import MultiParty
import Paillier
import Summa
import TestSupport

@testable import PrivateJoin

/// The two sides' identity keys, fixed for the run (read only).
nonisolated(unsafe) let recipientSigning = Curve25519.Signing.PrivateKey()
nonisolated(unsafe) let contributorSigning = Curve25519.Signing.PrivateKey()

/// A list read from CSV text written to a fresh file.
func list(
    _ csv: String, id: String = "id", rule: JoinIdentifier.Rule = .exact, values: [String] = [], clips: [AnalysisPlan.Clip] = [],
    keep: String? = nil
) async throws -> JoinList {
    let folder = TemporaryFolder()
    return try await JoinList.read(
        path: folder.write(csv, to: "list.csv"), identifierColumn: id, rule: rule, valueColumns: values, clips: clips, keep: keep)
}

func recipient(_ list: JoinList, minimum: Int = 0) -> JoinRecipient {
    JoinRecipient(
        list: list, rule: list.rule, minimumIntersection: minimum, signingKey: recipientSigning,
        contributorKey: contributorSigning.publicKey.rawRepresentation, allowInsecureKeySize: true)
}

func contributor(_ list: JoinList, budget: PrivacyBudget? = nil, minimum: Int = 0) -> JoinContributor {
    try! JoinContributor(
        list: list, privateKey: Fixtures.smallKey, budget: budget, minimumIntersection: minimum, signingKey: contributorSigning,
        recipientKey: recipientSigning.publicKey.rawRepresentation)
}

struct Stuck: Error {}

/// Runs both machines against each other in memory, each message through `tamper` (by round, from which side) on its
/// way; returns the recipient's result.
func run(
    _ recipient: inout JoinRecipient, _ contributor: inout JoinContributor,
    tamper: (Envelope, _ fromRecipient: Bool) -> Data? = { envelope, _ in envelope.payload }
) async throws -> JoinResult {
    while recipient.outcome == nil || contributor.outcome == nil {
        var progressed = false
        while let envelope = try await recipient.nextMessage() {
            progressed = true
            if let payload = tamper(envelope, true) { try await contributor.received(payload) }
        }
        while let envelope = try await contributor.nextMessage() {
            progressed = true
            if let payload = tamper(envelope, false) { try await recipient.received(payload) }
        }
        guard progressed else { throw Stuck() }
    }
    return recipient.outcome!
}

/// The join computed on the plaintext: per group (or overall) the count and the sums of the value columns, as
/// decimal strings, over the identifiers both lists hold (normalized as the join normalizes them).
func plaintextJoin(
    ids: [String], rows: [(id: String, values: [String], group: String)], rule: JoinIdentifier.Rule
) -> (size: Int, groups: [String: (count: Int, sums: [FixedPoint])]) {
    let mine = Set(ids.map { JoinIdentifier.normalize($0, rule: rule) })
    var groups: [String: (count: Int, sums: [FixedPoint])] = [:]
    var size = 0
    for row in rows where mine.contains(JoinIdentifier.normalize(row.id, rule: rule)) {
        size += 1
        var entry = groups[row.group] ?? (0, row.values.map { _ in .zero })
        entry.count += 1
        entry.sums = zip(entry.sums, row.values).map { $0 + (try! FixedPoint(parsing: $1)) }
        groups[row.group] = entry
    }
    return (size, groups)
}
