// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Benchmarks pull in package-benchmark and its malloc interposer; ordinary builds stay quick without them.
let benchmarksEnabled = ProcessInfo.processInfo.environment["SUMMA_BENCHMARKS"] == "1"

var package = Package(
    name: "Summa",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "BigNum", targets: ["BigNum"]),
        .library(name: "Paillier", targets: ["Paillier"]),
        .library(name: "Summa", targets: ["Summa"]),
        .library(name: "Threshold", targets: ["Threshold"]),
        .library(name: "SummaFormats", targets: ["SummaFormats"]),
        .library(name: "Provenance", targets: ["Provenance"]),
        .library(name: "RangeProofs", targets: ["RangeProofs"]),
        .library(name: "KeyGeneration", targets: ["KeyGeneration"]),
        .library(name: "MultiParty", targets: ["MultiParty"]),
        .library(name: "MultiPartyNIO", targets: ["MultiPartyNIO"]),
        .library(name: "PrivateJoin", targets: ["PrivateJoin"]),
        .executable(name: "summa", targets: ["SummaCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGMP",
            pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"]), .brew(["gmp"])]
        ),
        // Layers point one way: CGMP → BigNum → Paillier → {Summa, Threshold} → SummaFormats → {Provenance, MultiParty}
        // → {PrivateJoin, MultiPartyNIO} → SummaCLI.
        // Only BigNum imports CGMP.
        .target(name: "BigNum", dependencies: ["CGMP"]),
        .target(
            name: "Paillier",
            dependencies: ["BigNum", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "Summa", dependencies: ["BigNum", "Paillier"]),
        .target(
            name: "Threshold",
            dependencies: ["BigNum", "Paillier", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "SummaFormats",
            dependencies: [
                "BigNum", "Paillier", "Summa", "Threshold", .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Who vouches for an input: signing identities, signed statements of encrypted files, the inputs an aggregate
        // lists, and the checks the key holder and an auditor make of them.
        .target(
            name: "Provenance",
            dependencies: ["BigNum", "Paillier", "Summa", "SummaFormats", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Zero-knowledge proofs that packed Paillier plaintexts lie in declared ranges (integer commitments under
        // the Paillier modulus, three-square decomposition).
        .target(
            name: "RangeProofs",
            dependencies: ["BigNum", "Paillier", "Summa", "Threshold", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Dealer-free threshold keys: Boneh–Franklin generation of n among the parties (distributed sieving, BGW,
        // a distributed biprimality test) and integer sharing of the decryption exponent, socket-free.
        .target(
            name: "KeyGeneration",
            dependencies: ["BigNum", "Paillier", "Threshold", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "MultiParty",
            dependencies: [
                "BigNum", "Paillier", "Summa", "Threshold", "SummaFormats", "RangeProofs", "KeyGeneration", "Provenance",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Private join and sum: commutative blinding on P-256 (swift-crypto) and Paillier sums over the
        // intersection, as two socket-free machines that MultiPartyNIO's peer transport drives.
        .target(
            name: "PrivateJoin",
            dependencies: [
                "BigNum", "Paillier", "Summa", "SummaFormats", "MultiParty",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The session's transport: TCP and mutual TLS (SwiftNIO, swift-nio-ssl). Apart from the machines, so that
        // what parses outside bytes builds (and is fuzzed) without BoringSSL.
        .target(
            name: "MultiPartyNIO",
            dependencies: [
                "Threshold", "MultiParty",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .executableTarget(
            name: "SummaCLI",
            dependencies: [
                "BigNum", "Paillier", "Summa", "Threshold", "SummaFormats", "Provenance", "MultiParty", "MultiPartyNIO",
                "PrivateJoin", "RangeProofs", .product(name: "Crypto", package: "swift-crypto"), .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "BigNumTests", dependencies: ["BigNum"], resources: [.copy("Vectors")]),
        .testTarget(name: "PaillierTests", dependencies: ["BigNum", "Paillier"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SummaTests", dependencies: ["BigNum", "Paillier", "Summa", "TestSupport"], resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ThresholdTests",
            dependencies: ["BigNum", "Paillier", "Summa", "Threshold", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "SummaFormatsTests",
            dependencies: [
                "BigNum", "Paillier", "Summa", "Threshold", "SummaFormats", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ProvenanceTests",
            dependencies: ["BigNum", "Paillier", "Summa", "SummaFormats", "Provenance", "TestSupport"]
        ),
        .testTarget(
            name: "PrivateJoinTests",
            dependencies: [
                "BigNum", "Paillier", "Summa", "SummaFormats", "MultiParty", "MultiPartyNIO", "PrivateJoin", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "KeyGenerationTests",
            dependencies: ["BigNum", "Paillier", "Threshold", "KeyGeneration", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "RangeProofsTests", dependencies: ["BigNum", "Paillier", "Summa", "RangeProofs", "TestSupport"]
        ),
        .testTarget(
            name: "MultiPartyTests",
            dependencies: [
                "BigNum", "Paillier", "Summa", "Threshold", "SummaFormats", "MultiParty", "MultiPartyNIO", "RangeProofs", "KeyGeneration", "Provenance",
                "TestSupport", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "SummaCLITests",
            dependencies: [
                "BigNum", "Paillier", "Summa", "SummaFormats", "Threshold", "MultiParty", "MultiPartyNIO", "PrivateJoin",
                "Provenance", "RangeProofs", "SummaCLI", "TestSupport", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Committed fixture keys and deals shared by the test targets, and a temporary-folder helper.
        .target(
            name: "TestSupport",
            dependencies: ["BigNum", "Paillier", "Summa", "Threshold", "SummaFormats"],
            path: "Tests/TestSupport",
            resources: [.copy("Fixtures")]
        ),
    ]
)

if benchmarksEnabled {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"])
    )
    package.targets.append(
        .executableTarget(
            name: "SummaBenchmarks",
            dependencies: [
                "BigNum", "Paillier", "Summa", "Threshold", "MultiParty", "MultiPartyNIO", "RangeProofs", "KeyGeneration",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SummaBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}

// MARK: - Fuzzing (only with SUMMA_FUZZ=1; see Fuzz/README.md)
// libFuzzer harnesses for every parser of outside bytes, and FuzzSeeds, which writes their generated seed corpora.
// scripts/fuzz.sh builds them into .build-fuzz with `-Xswiftc -sanitize=fuzzer,address`, which instruments the
// libraries under test too. Each harness's main.swift hands its test function to libFuzzer's driver (FuzzDriver).
if ProcessInfo.processInfo.environment["SUMMA_FUZZ"] == "1" {
    let underTest: [Target.Dependency] = [
        "BigNum", "Paillier", "Summa", "Threshold", "SummaFormats", "MultiParty", "PrivateJoin", "RangeProofs", "KeyGeneration",
    ]
    // Random draws restart at a fixed seed before every input (BigNum's FuzzRandomness), only in these builds.
    package.targets.first { $0.name == "BigNum" }!.swiftSettings = [.define("SUMMA_FUZZ_RANDOMNESS")]
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/Driver"),
        .target(
            name: "FuzzSupport", dependencies: ["FuzzDriver", .product(name: "Crypto", package: "swift-crypto")] + underTest,
            path: "Fuzz/Support"),
        .executableTarget(name: "FuzzSeeds", dependencies: ["FuzzSupport"] + underTest, path: "Fuzz/Seeds"),
    ]
    for harness in [
        "FuzzSummaFile", "FuzzThresholdFile", "FuzzCSV", "FuzzFrames", "FuzzCoordinator", "FuzzParty", "FuzzTranscript",
        "FuzzRecordsFile", "FuzzProvenance", "FuzzJoin", "FuzzKeyGeneration",
    ] {
        package.targets.append(
            .executableTarget(name: harness, dependencies: ["FuzzSupport", "Provenance"] + underTest, path: "Fuzz/\(harness)")
        )
    }
}
