// What an aggregator or a data owner hands the key holder about provenance: identity documents, a signed statement
// (`<file>.sig`, or one inside an aggregate) and an aggregate's `inputs`. InputStatement(json:path:) and InputLedger.parse(aggregate:path:)
// on the bytes; a statement that reads (its signature verified) must write back as a document that reads as the
// same statement, and a ledger never lists one input twice.
import Foundation
import FuzzSupport
import Provenance
import SummaFormats

Fuzz.run { data in
    // Identity documents (a signer's public half, a secret identity): what reads must read back as the same identity.
    if let identity = try? PublicIdentity.parse(data, path: "identity") {
        Fuzz.require((try? PublicIdentity.parse(Data(identity.json.serialized.utf8), path: "again")) == identity,
                     "a public identity Summa wrote from one it read reads back as another")
    }
    _ = try? Identity.parse(data, path: "secret")
    guard let json = JSONValue(parsing: data) else { return }
    if let statement = try? InputStatement(json: json, path: "statement") {
        do {
            let again = try InputStatement(json: statement.json, path: "again")
            Fuzz.require(again == statement, "a statement Summa wrote from one it read reads back as another")
        } catch {
            Fuzz.require(false, "a statement Summa wrote from one it read does not read back (\(error))")
        }
    }
    if let ledger = (try? InputLedger.parse(aggregate: json, path: "aggregate")) ?? nil {
        Fuzz.require(Set(ledger.entries.map(\.digest)).count == ledger.entries.count, "a ledger lists an input twice")
        _ = ledger.unverifiedNotes(listingSigners: true)
        _ = ledger.json.serialized
    }
}
