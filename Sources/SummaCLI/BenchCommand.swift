import ArgumentParser
import BigNum
import Foundation
import MultiParty
import Paillier
import RangeProofs
import Summa
import SummaFormats

/// Times one operation for a few seconds and reports operations per second: what Benchmarks/compare-peers.py runs
/// beside python-paillier. Claims about speed come from there and from the package-benchmark suite.
struct BenchCommand: SummaSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Time one operation with a private key's modulus (operations per second).")

    enum Operation: String, ExpressibleByArgument, CaseIterable {
        case encrypt, encryptOwner = "encrypt-owner", encryptFast = "encrypt-fast", encryptPool = "encrypt-pool"
        case decrypt, decryptConcurrent = "decrypt-concurrent", add, scalarMultiply = "scalar-multiply"
        case sum, sumConcurrent = "sum-concurrent", batchEncrypt = "batch-encrypt"
        case rangeProve = "range-prove", rangeVerify = "range-verify"
    }

    @Option(help: ArgumentHelp("A private key file (Summa's or pheutil's).", valueName: "file"))
    var key: String

    @Option(help: "One of: \(Operation.allCases.map(\.rawValue).joined(separator: ", ")).")
    var op: Operation

    @Option(parsing: .unconditional, help: "How long to run, in seconds.")
    var seconds = 2.0

    @Option(parsing: .unconditional, help: "Ciphertexts per sum, values per batch.")
    var count = 100_000

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        try OptionBounds.benchSeconds.check(seconds, option: "--seconds")
        try OptionBounds.values.check(count, option: "--count")
    }

    func execute() async throws {
        let privateKey = try SummaFile.readPrivateKey(path: key)
        let publicKey = privateKey.publicKey
        let value = try FixedPoint(parsing: "1234.56")
        let encrypted = try publicKey.encrypt(value)
        let clock = ContinuousClock()
        let duration = Duration.milliseconds(Int(seconds * 1000))
        /// Runs `body` until `duration` has passed (at least once) and reports the rate; setup stays outside.
        func timed(_ body: () async throws -> Void) async rethrows {
            let start = clock.now
            var iterations = 0
            repeat {
                try await body()
                iterations += 1
            } while clock.now - start < duration
            report(iterations, clock.now - start, publicKey)
        }
        switch op {
        case .encrypt: try await timed { _ = try publicKey.encrypt(value) }
        case .encryptOwner: try await timed { _ = try privateKey.encrypt(value) }
        case .encryptFast:
            // The key's own base if it publishes one, else one drawn here, as `encrypt --fast` does.
            let fast = FastEncryptor(publicKey: publicKey)
            fast.prepare()  // builds the fixed-base table outside the timing
            try await timed { _ = try Encryptor.fast(fast).encrypt(value) }
        case .encryptPool:
            let pool = RandomnessPool(privateKey: privateKey, capacity: 1 << 14)
            let refill = pool.refillInBackground()
            defer { refill.cancel() }
            let residue = try publicKey.encode(mantissa: value.mantissa)
            try await Task.sleep(for: duration)  // let the background fill the pool first
            refill.cancel()
            // Only pooled encryptions count: stop before the pool runs dry.
            let available = pool.count
            let start = clock.now
            for _ in 0..<available { _ = pool.encrypt(residue) }
            report(available, clock.now - start, publicKey)
        case .decrypt: try await timed { _ = try privateKey.decrypt(encrypted) }
        case .decryptConcurrent: await timed { _ = await privateKey.decryptConcurrently(encrypted.ciphertext) }
        case .add:
            var total = encrypted
            try await timed { total = try total.adding(encrypted) }
        case .scalarMultiply: try await timed { _ = try encrypted.multiplied(by: 7) }
        case .sum:
            let distinct = try (0..<min(count, 256)).map { _ in try publicKey.encrypt(value) }
            let numbers = (0..<count).map { distinct[$0 % distinct.count] }
            try await timed { _ = try EncryptedNumber.sum(numbers, publicKey: publicKey) }
        case .sumConcurrent:
            let distinct = try (0..<min(count, 256)).map { _ in try publicKey.encrypt(value).ciphertext }
            let ciphertexts = (0..<count).map { distinct[$0 % distinct.count] }
            await timed { _ = await publicKey.sumConcurrently(ciphertexts) }
        case .batchEncrypt:
            let values = Array(repeating: value, count: count)
            try await timed { _ = try await publicKey.encrypt(batch: values) }
        case .rangeProve, .rangeVerify:
            guard let (statement, values) = RangeStatement.benchmark(count: count, key: publicKey) else {
                throw CommandFailure(description: "a \(publicKey.bits)-bit key has no room for the slots")
            }
            let commitmentKey = RangeCommitmentKey.shared(for: publicKey)
            let (ciphertexts, proof) = try RangeProof.encrypt(values, statement: statement, key: commitmentKey)
            if op == .rangeProve {
                try await timed { _ = try RangeProof.encrypt(values, statement: statement, key: commitmentKey) }
            } else {
                try await timed { try proof.verify(ciphertexts, statement: statement, key: commitmentKey) }
            }
            printError("\(count) values in \(ciphertexts.count) ciphertexts; the proof takes \(proof.wireBytes) bytes as JSON")
        }
    }

    func report(_ iterations: Int, _ elapsed: Duration, _ key: PaillierPublicKey) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perSecond = Double(iterations) / seconds
        if json {
            print(JSONValue.object([
                ("op", .string(op.rawValue)), ("bits", .integer(key.bits)), ("iterations", .integer(iterations)),
                ("seconds", .number(seconds)), ("opsPerSecond", .number(perSecond)), ("gmp", .string(BigInteger.gmpVersion)),
            ]).serialized, terminator: "")
        } else {
            print(String(format: "%@ at %d bits: %.1f ops/s (%d in %.2f s, GMP %@)", op.rawValue, key.bits, perSecond, iterations, seconds, BigInteger.gmpVersion))
        }
    }
}
