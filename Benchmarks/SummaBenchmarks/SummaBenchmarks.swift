import BigNum
import Benchmark
import Foundation
import MultiParty
import Paillier
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
        let key = try! PaillierPrivateKey(generatingBits: bits, fastEncryption: true)
        let standard = key.publicKey.withoutFastEncryption
        let fast = key.publicKey
        _ = fast.randomMask()  // build the fixed-base table before timing
        let m = BigInteger.random(below: standard.n)
        let c = standard.encrypt(m)
        let c2 = standard.encrypt(m)

        Benchmark("keygen \(bits)", configuration: .init(maxDuration: .seconds(20), maxIterations: 10)) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try PaillierPrivateKey(generatingBits: bits)) }
        }
        Benchmark("encrypt \(bits) (public key)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(standard.encrypt(m)) }
        }
        Benchmark("encrypt \(bits) (key owner, CRT)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(key.encrypt(m)) }
        }
        Benchmark("encrypt \(bits) (fast, DJN table)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(fast.encrypt(m)) }
        }
        Benchmark("encrypt \(bits) (from a randomness pool)", configuration: .init(scalingFactor: .kilo)) { benchmark in
            let pool = RandomnessPool(privateKey: key, capacity: benchmark.scaledIterations.count)
            await pool.refill()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(pool.encrypt(m)) }
        }
        Benchmark("decrypt \(bits) (constant-time)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(key.decrypt(c)) }
        }
        Benchmark("decrypt \(bits) (CRT halves concurrently)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(await key.decryptConcurrently(c)) }
        }
        Benchmark("add \(bits)", configuration: .init(scalingFactor: .kilo)) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(standard.add(c, c2)) }
        }
        Benchmark("scalar multiply \(bits) (64-bit scalar)") { benchmark in
            let scalar = BigInteger.random(bits: 64)
            for _ in benchmark.scaledIterations { blackHole(standard.multiply(c, by: scalar)) }
        }
        let many = Array(repeating: c, count: 10_000)
        Benchmark("sum of 10,000 \(bits)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(standard.sum(many)) }
        }
        let values = (0..<256).map { BigInteger($0) }
        Benchmark("batch encrypt 256 \(bits) (all cores)", configuration: .init(maxDuration: .seconds(10))) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(await standard.encrypt(batch: values)) }
        }
        let amounts = (0..<256).map { FixedPoint(BigInteger($0)) }
        Benchmark("summa encrypt 256 decimals \(bits) (fast key, all cores)", configuration: .init(maxDuration: .seconds(10))) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try await fast.encrypt(batch: amounts)) }
        }
    }

    // MARK: Threshold (3 of 5; DESIGN.md §4 lists plain-GMP costs to beat by 1.5× for proving and verifying)

    for bits in [2048, 3072] {
        let (publicKey, shares) = try! ThresholdDealer.deal(bits: bits, parties: 5, threshold: 3)
        publicKey.precomputeTables()  // a long-lived prover/verifier's setting: the fixed-base table for v
        let session = Data("benchmark".utf8)
        let c = publicKey.paillierKey.encrypt(BigInteger(12345))
        let decryption = shares.prefix(3).map { $0.decryptionShare(of: c, session: session) }

        Benchmark("threshold deal 3 of 5, \(bits)", configuration: .init(maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try ThresholdDealer.deal(bits: bits, parties: 5, threshold: 3)) }
        }
        Benchmark("threshold precompute the v table \(bits)", configuration: .init(maxIterations: 5)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(SecretFixedBaseTable(base: publicKey.v, modulus: publicKey.nSquared, exponentBits: publicKey.proofExponentBits))
            }
        }
        Benchmark("threshold decryption share with proof \(bits)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(shares[0].decryptionShare(of: c, session: session)) }
        }
        Benchmark("threshold verify a decryption share \(bits)") { benchmark in
            for _ in benchmark.scaledIterations { try decryption[0].verify(for: c, key: publicKey, session: session) }
        }
        Benchmark("threshold combine 3 shares (with verification) \(bits)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try publicKey.combine(decryption, for: c, session: session)) }
        }
        Benchmark("proof of plaintext knowledge, prove \(bits)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(PlaintextKnowledgeProof.encrypt(BigInteger(7), key: publicKey.paillierKey, sender: 1, session: session))
            }
        }
    }

    // MARK: Multi-party sessions: a coordinator and ℓ parties (t = ℓ/2 + 1) in this process, over loopback TCP

    let bytesExchanged = BenchmarkMetric.custom("bytes exchanged", useScalingFactor: false)
    for bits in [2048, 3072] {
        let p = BigInteger.randomSafePrime(bits: bits / 2), q = BigInteger.randomSafePrime(bits: bits / 2)
        for parties in [3, 5, 10] {
            let (publicKey, shares) = try! ThresholdDealer.deal(p: p, q: q, parties: parties, threshold: parties / 2 + 1)
            Benchmark(
                "session \(parties / 2 + 1) of \(parties), \(bits) (loopback, all in one process)",
                configuration: .init(metrics: [.wallClock, .cpuTotal, bytesExchanged], maxDuration: .seconds(20), maxIterations: 10)
            ) { benchmark in
                for _ in benchmark.scaledIterations {
                    let outcome = try await loopbackSession(key: publicKey, shares: shares)
                    benchmark.measurement(bytesExchanged, outcome.bytesReceived + outcome.bytesSent)
                }
            }
        }
    }
}

/// One whole session on 127.0.0.1: every party contributes 1.00; all must be in before the deadline.
func loopbackSession(key: ThresholdPublicKey, shares: [KeyShare]) async throws -> CoordinatorOutcome {
    let machine = CoordinatorMachine(key: key, scale: 2, minimumInputs: shares.count, inputDeadline: 120, roundDeadline: 120)
    let (ports, bound) = AsyncStream.makeStream(of: Int.self)
    async let outcome = CoordinatorServer.run(machine: machine, host: "127.0.0.1", port: 0) { port in
        bound.yield(port)
        bound.finish()
    }
    var iterator = ports.makeAsyncIterator()
    let port = await iterator.next()!
    try await withThrowingDiscardingTaskGroup { group in
        for share in shares {
            group.addTask {
                _ = try await PartyClient.run(machine: PartyMachine(share: share, value: 1), host: "127.0.0.1", port: port)
            }
        }
    }
    let finished = try await outcome
    precondition(finished.result?.count == shares.count, "the benchmark session failed: \(String(describing: finished.failure))")
    return finished
}
