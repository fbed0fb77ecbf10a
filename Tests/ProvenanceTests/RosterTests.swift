import Foundation
import Provenance
import SummaFormats
import Testing

@Suite("rosters")
struct RosterTests {
    static let people = (1...6).map { try! Identity(name: "member-\($0)").publicIdentity }

    @Test func aRosterReadsBackAndItsFingerprintCoversEveryMember() throws {
        let roster = try Roster(parties: Array(Self.people[0..<5]), coordinator: Self.people[5], threshold: 3, bits: 2048)
        let data = Data(roster.json.serialized.utf8)
        #expect(try Roster.parse(data, path: "roster.json") == roster)
        #expect(roster.summary.contains("threshold: 3 of 5 parties") && roster.summary.contains("fingerprint: \(roster.fingerprint)"))
        // Another threshold, size, order or coordinator is another roster.
        let others = [
            try Roster(parties: Array(Self.people[0..<5]), coordinator: Self.people[5], threshold: 2, bits: 2048),
            try Roster(parties: Array(Self.people[0..<5]), coordinator: Self.people[5], threshold: 3, bits: 3072),
            try Roster(parties: Array(Self.people[0..<5]).reversed(), coordinator: Self.people[5], threshold: 3, bits: 2048),
            try Roster(parties: Array(Self.people[1..<6]), coordinator: Self.people[0], threshold: 3, bits: 2048),
        ]
        #expect(Set(others.map(\.fingerprint) + [roster.fingerprint]).count == 5)
    }

    @Test func anAlteredRosterIsRefused() throws {
        let roster = try Roster(parties: Array(Self.people[0..<3]), coordinator: Self.people[5], threshold: 2, bits: 2048)
        let text = roster.json.serialized
        for (from, to) in [("\"threshold\":2", "\"threshold\":3"), ("\"bits\":2048", "\"bits\":3072"), ("member-1", "member-9")] {
            let altered = Data(text.replacingOccurrences(of: from, with: to).utf8)
            #expect(throws: ProvenanceError.self) { try Roster.parse(altered, path: "roster.json") }
        }
        do {
            _ = try Roster.parse(Data(text.replacingOccurrences(of: "\"threshold\":2", with: "\"threshold\":1").utf8), path: "r.json")
            Issue.record("a threshold of 1 was read")
        } catch {
            #expect("\(error)".hasPrefix("r.json: a threshold of 1 needs 2 ≤ t"))
        }
        do {
            _ = try Roster.parse(Data(text.replacingOccurrences(of: "\"bits\":2048", with: "\"bits\":2050").utf8), path: "r.json")
            Issue.record("an altered size was read")
        } catch {
            #expect("\(error)" == "r.json: the fingerprint is not the roster's: it was altered after it was made")
        }
    }

    @Test func rostersThatCannotServeAreRefused() throws {
        func refusal(_ parties: Int, _ threshold: Int, bits: Int = 2048, coordinator: PublicIdentity = RosterTests.people[5]) -> String {
            do {
                _ = try Roster(parties: Array(Self.people.prefix(parties)), coordinator: coordinator, threshold: threshold, bits: bits)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(4, 3).contains("at least 2t − 1 = 5 parties (an honest majority), not 4"))
        #expect(refusal(5, 3) == "accepted")
        #expect(refusal(1, 1).contains("1 parties: a roster has 2 to 64"))
        #expect(refusal(3, 2, bits: 1024).contains("a key of 1024 bits"))
        #expect(refusal(3, 2, coordinator: Self.people[0]).contains("member-1") && refusal(3, 2, coordinator: Self.people[0]).contains("named twice"))
        #expect((try? Roster(parties: Array(Self.people.prefix(3)), coordinator: Self.people[5], threshold: 2, bits: 512, allowInsecureKeySize: true)) != nil)
    }
}
