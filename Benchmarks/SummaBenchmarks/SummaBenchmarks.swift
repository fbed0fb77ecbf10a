import BigNum
import Benchmark
import Crypto
import Foundation
import KeyGeneration
import MultiParty
import MultiPartyNIO
import Paillier
import RangeProofs
import Summa
import Threshold

/// Summa's benchmarks (ordo-one/package-benchmark). Run with
///     SUMMA_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark
/// Keys are generated once per size when the suite starts; key generation itself has its own benchmarks.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal],
        warmupIterations: 2, maxDuration: .seconds(3), maxIterations: 10_000)

    // MARK: Modular arithmetic

    for bits in [2048, 3072, 4096] {
        // An odd modulus of `bits` bits, as n² or a prime would be, and full-size operands.
        let modulus = BigInteger.random(bits: bits).shiftedLeft(1) + 1 + BigInteger(1).shiftedLeft(bits)
        let a = BigInteger.random(below: modulus), b = BigInteger.random(below: modulus)
        let exponent = BigInteger.random(bits: bits / 2)

        Benchmark("mulmod \(bits)", configuration: .init(scalingFactor: .kilo)) { benchmark in
            var x = a
            for _ in benchmark.scaledIterations { x.formProduct(with: b, modulo: modulus) }
            blackHole(x)
        }
        Benchmark("powm \(bits) (\(bits / 2)-bit exponent)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(a.power(exponent, modulo: modulus)) }
        }
        Benchmark("powm_sec \(bits) (\(bits / 2)-bit exponent)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(a.power(secretExponent: exponent, modulo: modulus)) }
        }
        Benchmark("small-factor search \(bits) (gcd with the primes below 2^20)") { benchmark in
            _ = modulus.smallPrimeFactor  // builds the product of the primes once, outside the timing
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(modulus.smallPrimeFactor) }
        }
        let table = FixedBaseTable(base: a, modulus: modulus, exponentBits: bits / 2)
        Benchmark("fixed-base powm \(bits) (\(bits / 2)-bit exponent, w = 7)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(table.power(exponent)) }
        }
    }

    Benchmark("random prime 1024", configuration: .init(maxDuration: .seconds(10))) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(BigInteger.randomPrime(bits: 1024)) }
    }
    Benchmark("random safe prime 512", configuration: .init(maxDuration: .seconds(10))) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(BigInteger.randomSafePrime(bits: 512)) }
    }

    // MARK: Paillier

    for bits in [2048, 3072] {
        let paillier = Lazily { PaillierFixture(bits: bits) }

        Benchmark("keygen \(bits)", configuration: .init(maxDuration: .seconds(20), maxIterations: 10)) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try PaillierPrivateKey(generatingBits: bits)) }
        }
        benchmark("encrypt \(bits) (public key)", with: paillier) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(f.standard.encrypt(f.m)) }
        }
        benchmark("encrypt \(bits) (key owner, CRT)", with: paillier) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(f.key.encrypt(f.m)) }
        }
        benchmark("encrypt \(bits) (fast, DJN table)", with: paillier) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(f.fast.encrypt(f.m)) }
        }
        benchmark("encrypt \(bits) (from a randomness pool)", .init(scalingFactor: .kilo), with: paillier) { benchmark, f in
            let pool = RandomnessPool(privateKey: f.key, capacity: benchmark.scaledIterations.count)
            await pool.refill()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(pool.encrypt(f.m)) }
        }
        benchmark("decrypt \(bits) (constant-time)", with: paillier) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(f.key.decrypt(f.c)) }
        }
        benchmark("decrypt \(bits) (CRT halves concurrently)", with: paillier) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(await f.key.decryptConcurrently(f.c)) }
        }
        benchmark("add \(bits)", .init(scalingFactor: .kilo), with: paillier) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(f.standard.add(f.c, f.c2)) }
        }
        benchmark("scalar multiply \(bits) (64-bit scalar)", with: paillier) { benchmark, f in
            let scalar = BigInteger.random(bits: 64)
            for _ in benchmark.scaledIterations { blackHole(f.standard.multiply(f.c, by: scalar)) }
        }
        benchmark("sum of 10,000 \(bits)", with: paillier) { benchmark, f in
            let many = Array(repeating: f.c, count: 10_000)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(f.standard.sum(many)) }
        }
        benchmark("batch encrypt 256 \(bits) (all cores)", .init(maxDuration: .seconds(10)), with: paillier) { benchmark, f in
            let values = (0..<256).map { BigInteger($0) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(await f.standard.encrypt(batch: values)) }
        }
        benchmark("encrypt \(bits) (any key, base drawn by the encryptor, table built)", with: paillier) { benchmark, f in
            for _ in benchmark.scaledIterations {
                let encryptor = FastEncryptor(publicKey: f.standard)
                blackHole(encryptor.encrypt(f.m))
            }
        }
        let fastDecryption = Lazily { FastDecryptionFixture(bits: bits) }
        benchmark("encrypt \(bits) (fast-decryption key, l-bit exponent)", with: fastDecryption) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(f.key.publicKey.encrypt(f.m)) }
        }
        benchmark("decrypt \(bits) (fast-decryption key, constant-time)", with: fastDecryption) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(f.key.decrypt(f.c)) }
        }
        benchmark("summa encrypt 256 decimals \(bits) (fast key, all cores)", .init(maxDuration: .seconds(10)), with: paillier) { benchmark, f in
            let amounts = (0..<256).map { FixedPoint(BigInteger($0)) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try await f.fast.encrypt(batch: amounts)) }
        }
    }

    // MARK: Range proofs (values in 0 to 10⁶, packed as a five-party session packs them; docs/benchmarks.md)

    let rangeKey = Lazily { PaillierFixture(bits: 2048).standard }
    for count in [1, 100, 10_000] {
        let fixture = Lazily {
            let key = rangeKey.value
            let (statement, values) = RangeStatement.benchmark(count: count, key: key)!
            let commitmentKey = RangeCommitmentKey.shared(for: key)
            let (ciphertexts, proof) = try! RangeProof.encrypt(values, statement: statement, key: commitmentKey)
            return (statement, values, commitmentKey, ciphertexts, proof)
        }
        let limits = Benchmark.Configuration(maxDuration: .seconds(10), maxIterations: count > 100 ? 3 : 1_000)
        benchmark("range prove 2048, \(count) values", limits, with: fixture) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(try RangeProof.encrypt(f.1, statement: f.0, key: f.2)) }
        }
        benchmark("range verify 2048, \(count) values", limits, with: fixture) { benchmark, f in
            for _ in benchmark.scaledIterations { try f.4.verify(f.3, statement: f.0, key: f.2) }
        }
    }

    // MARK: Dealer-free key generation: every party's local arithmetic in one process, no transport

    for (bits, parties, threshold) in [(1024, 3, 2), (2048, 3, 2)] {
        let parameters = try! KeyGenerationParameters(bits: bits, parties: parties, threshold: threshold)
        let keys = (0..<parties).map { _ in Curve25519.Signing.PrivateKey() }
        Benchmark(
            "key generation in one process, \(bits) bits, \(threshold) of \(parties)",
            configuration: .init(maxDuration: .seconds(120), maxIterations: 10)
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                let session = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
                var all = keys.enumerated().map { i, key in
                    KeyGenerationParty(
                        parameters: parameters, index: i + 1, session: session, signingKeys: keys.map(\.publicKey.rawRepresentation),
                        coordinatorKey: Curve25519.Signing.PrivateKey().publicKey.rawRepresentation, signingKey: key.rawRepresentation,
                        allowInsecureKeySize: true)
                }
                blackHole(try KeyGenerationParty.runTogether(&all))
            }
        }
    }

    // MARK: Threshold (3 of 5; docs/benchmarks.md compares them with plain-GMP reference costs)

    for bits in [2048, 3072] {
        let threshold = Lazily { ThresholdFixture(bits: bits) }

        Benchmark("threshold deal 3 of 5, \(bits)", configuration: .init(maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try ThresholdDealer.deal(bits: bits, parties: 5, threshold: 3)) }
        }
        benchmark("threshold precompute the v table \(bits)", .init(maxIterations: 5), with: threshold) { benchmark, f in
            for _ in benchmark.scaledIterations {
                blackHole(SecretFixedBaseTable(base: f.key.v, modulus: f.key.nSquared, exponentBits: f.key.proofExponentBits))
            }
        }
        benchmark("threshold decryption share with proof \(bits)", with: threshold) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(f.shares[0].decryptionShare(of: f.c, session: f.session)) }
        }
        benchmark("threshold verify a decryption share \(bits)", with: threshold) { benchmark, f in
            for _ in benchmark.scaledIterations { try f.decryption[0].verify(for: f.c, key: f.key, session: f.session) }
        }
        benchmark("threshold combine 3 shares (with verification) \(bits)", with: threshold) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(try f.key.combine(f.decryption, for: f.c, session: f.session)) }
        }
        // 100 ciphertexts (packed results, several columns): one batched proof against 100 single ones.
        benchmark("threshold 100 decryption shares, one batched proof \(bits)", .init(maxIterations: 5), with: threshold) { benchmark, f in
            for _ in benchmark.scaledIterations { blackHole(f.shares[0].decryptionShares(of: f.hundred, session: f.session)) }
        }
        benchmark("threshold 100 decryption shares, 100 proofs \(bits)", .init(maxIterations: 5), with: threshold) { benchmark, f in
            for _ in benchmark.scaledIterations {
                blackHole(f.hundred.map { [session = f.session] c in f.shares[0].decryptionShare(of: c, session: session) })
            }
        }
        benchmark("threshold 100 decryption shares, no proof \(bits)", .init(maxIterations: 5), with: threshold) { benchmark, f in
            let exponent = (f.key.delta * f.shares[0].secret).shiftedLeft(1)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(f.hundred.map { $0.value.power(secretExponent: exponent, modulo: f.key.nSquared) })
            }
        }
        benchmark("threshold verify 100 shares, one batched proof \(bits)", .init(maxIterations: 10), with: threshold) { benchmark, f in
            for _ in benchmark.scaledIterations { try f.batch.verify(for: f.hundred, key: f.key, session: f.session) }
        }
        benchmark("threshold verify 100 shares, 100 proofs \(bits)", .init(maxIterations: 5), with: threshold) { benchmark, f in
            for _ in benchmark.scaledIterations {
                for (c, share) in zip(f.hundred, f.singles) { try share.verify(for: c, key: f.key, session: f.session) }
            }
        }
        benchmark("proof of plaintext knowledge, prove \(bits)", with: threshold) { benchmark, f in
            for _ in benchmark.scaledIterations {
                blackHole(PlaintextKnowledgeProof.encrypt(BigInteger(7), key: f.key.paillierKey, sender: 1, session: f.session))
            }
        }
        benchmark("proof of plaintext knowledge, verify \(bits)", with: threshold) { benchmark, f in
            let (ciphertext, proof) = PlaintextKnowledgeProof.encrypt(BigInteger(7), key: f.key.paillierKey, sender: 1, session: f.session)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { try proof.verify(ciphertext, key: f.key.paillierKey, sender: 1, session: f.session) }
        }
    }

    // MARK: Multi-party sessions: a coordinator and ℓ parties (t = ℓ/2 + 1) in this process, over loopback TCP

    let bytesExchanged = BenchmarkMetric.custom("bytes exchanged", useScalingFactor: false)
    for bits in [2048, 3072] {
        let primes = Lazily { (p: BigInteger.randomSafePrime(bits: bits / 2), q: BigInteger.randomSafePrime(bits: bits / 2)) }
        for parties in [3, 5, 10] {
            let dealt = Lazily { try! ThresholdDealer.deal(p: primes.value.p, q: primes.value.q, parties: parties, threshold: parties / 2 + 1) }
            benchmark(
                "session \(parties / 2 + 1) of \(parties), \(bits) (loopback, all in one process)",
                .init(metrics: [.wallClock, .cpuTotal, bytesExchanged], maxDuration: .seconds(20), maxIterations: 10), with: dealt
            ) { benchmark, dealt in
                for _ in benchmark.scaledIterations {
                    let outcome = try await loopbackSession(key: dealt.publicKey, shares: dealt.shares, coordinator: dealt.coordinator)
                    benchmark.measurement(bytesExchanged, outcome.bytesReceived + outcome.bytesSent)
                }
            }
            // Vectors: 100 values per party, each with its proof, decrypted with one batched share proof per party.
            if bits == 2048 && parties == 3 {
                benchmark(
                    "session \(parties / 2 + 1) of \(parties), \(bits), 100 values each (loopback, all in one process)",
                    .init(metrics: [.wallClock, .cpuTotal, bytesExchanged], maxDuration: .seconds(60), maxIterations: 3), with: dealt
                ) { benchmark, dealt in
                    for _ in benchmark.scaledIterations {
                        let outcome = try await loopbackSession(
                            key: dealt.publicKey, shares: dealt.shares, coordinator: dealt.coordinator, length: 100)
                        benchmark.measurement(bytesExchanged, outcome.bytesReceived + outcome.bytesSent)
                    }
                }
            }
        }
    }
}

/// Registers a benchmark whose inputs come from `fixture`, made in the benchmark's setup hook, outside the timing.
func benchmark<Fixture>(
    _ name: String, _ configuration: Benchmark.Configuration = Benchmark.defaultConfiguration, with fixture: Lazily<Fixture>,
    _ body: @escaping (Benchmark, Fixture) async throws -> Void
) {
    Benchmark(name, configuration: configuration, closure: { try await body($0, fixture.value) }, setup: { _ = fixture.value })
}

/// A value made on first use. package-benchmark runs this whole registration in every benchmark's process, so keys,
/// deals and safe primes made eagerly cost every benchmark the setup of all of them (about a minute each).
final class Lazily<Value>: @unchecked Sendable {
    private let make: () -> Value
    private let lock = NSLock()
    private var made: Value?

    init(_ make: @escaping () -> Value) { self.make = make }

    var value: Value {
        lock.withLock {
            if made == nil { made = make() }
            return made!
        }
    }
}

/// A 2048- or 3072-bit key with fast encryption, its plain public key and two ciphertexts.
struct PaillierFixture {
    let key: PaillierPrivateKey
    let standard: PaillierPublicKey
    let fast: PaillierPublicKey
    let m: BigInteger
    let c: PaillierCiphertext
    let c2: PaillierCiphertext

    init(bits: Int) {
        key = try! PaillierPrivateKey(generatingBits: bits, fastEncryption: true)
        standard = key.publicKey.withoutFastEncryption
        fast = key.publicKey
        _ = fast.randomMask()  // build the fixed-base table before timing
        m = BigInteger.random(below: standard.n)
        c = standard.encrypt(m)
        c2 = standard.encrypt(m)
    }
}

/// A fast-decryption key (Ma, Han and Lei) with its fixed-base table built, and a ciphertext made with its base.
struct FastDecryptionFixture {
    let key: PaillierPrivateKey
    let m: BigInteger
    let c: PaillierCiphertext

    init(bits: Int) {
        key = try! PaillierPrivateKey(generatingBits: bits, fastDecryption: true)
        m = BigInteger.random(below: key.publicKey.n)
        c = key.publicKey.encrypt(m)
    }
}

/// A 3-of-5 deal with the v table built (a long-lived prover's and verifier's setting), a ciphertext and 3 shares of it.
struct ThresholdFixture {
    let key: ThresholdPublicKey
    let shares: [KeyShare]
    let session = Data("benchmark".utf8)
    let c: PaillierCiphertext
    let decryption: [DecryptionShare]
    /// 100 ciphertexts, party 1's batched shares of them and its 100 single shares.
    let hundred: [PaillierCiphertext]
    let batch: BatchDecryptionShare
    let singles: [DecryptionShare]

    init(bits: Int) {
        (key, shares, _) = try! ThresholdDealer.deal(bits: bits, parties: 5, threshold: 3)
        key.precomputeTables()
        c = key.paillierKey.encrypt(BigInteger(12345))
        decryption = shares.prefix(3).map { [session, c] in $0.decryptionShare(of: c, session: session) }
        hundred = (0..<100).map { [key] in key.paillierKey.encrypt(BigInteger($0)) }
        batch = shares[0].decryptionShares(of: hundred, session: session)
        singles = hundred.map { [session, shares] in shares[0].decryptionShare(of: $0, session: session) }
    }
}

/// One whole session on 127.0.0.1: every party contributes `length` values of 1.00; all must be in before the deadline.
func loopbackSession(
    key: ThresholdPublicKey, shares: [KeyShare], coordinator: CoordinatorKey, length: Int = 1
) async throws -> CoordinatorOutcome<SessionResult> {
    let machine = CoordinatorMachine(
        key: key, scale: 2, minimumInputs: shares.count, inputDeadline: 120, roundDeadline: 120, length: length)
    let (ports, bound) = AsyncStream.makeStream(of: Int.self)
    async let outcome = CoordinatorServer.run(machine: machine, identity: coordinator, host: "127.0.0.1", port: 0) { port in
        bound.yield(port)
        bound.finish()
    }
    var iterator = ports.makeAsyncIterator()
    let port = await iterator.next()!
    try await withThrowingDiscardingTaskGroup { group in
        for share in shares {
            group.addTask {
                let machine = PartyMachine(share: share, values: Array(repeating: 1, count: length))
                _ = try await PartyClient.run(machine: machine, host: "127.0.0.1", port: port)
            }
        }
    }
    let finished = try await outcome
    precondition(finished.result?.count == shares.count, "the benchmark session failed: \(String(describing: finished.failure))")
    return finished
}
