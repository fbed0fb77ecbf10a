extension KeyGenerationParty {
    /// Runs every party of one key generation in this process, each message delivered at once to its recipient
    /// (or to everyone), until all have a result: for tests, benchmarks of the local arithmetic and seed corpora.
    /// `passing` sees each message as it leaves its sender and may record or rewrite it (a lying party).
    /// Throws the first error any party throws.
    public static func runTogether(
        _ parties: inout [KeyGenerationParty],
        passing: (_ sender: Int, KeyGenerationMessage) throws -> KeyGenerationMessage = { $1 }
    ) throws -> [KeyGenerationResult] {
        var pending: [(sender: Int, message: KeyGenerationMessage)] = []
        for i in parties.indices { pending += try parties[i].start().map { (i + 1, try passing(i + 1, $0)) } }
        while !pending.isEmpty {
            var next: [(sender: Int, message: KeyGenerationMessage)] = []
            for (sender, message) in pending {
                for i in parties.indices where i + 1 != sender && (message.recipient == nil || message.recipient == i + 1) {
                    next += try parties[i].receive(message, from: sender).map { (i + 1, try passing(i + 1, $0)) }
                }
            }
            pending = next
        }
        return try parties.map { party throws(KeyGenerationError) in
            guard let result = party.result else { throw .malformedMessage(party: party.index, step: party.step, reason: "no result when every message was delivered") }
            return result
        }
    }
}
