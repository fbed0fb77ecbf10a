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
        .executable(name: "summa", targets: ["SummaCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGMP",
            pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"]), .brew(["gmp"])]
        ),
        .target(name: "BigNum", dependencies: ["CGMP"]),
        .target(
            name: "Paillier",
            dependencies: ["BigNum", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "Summa",
            dependencies: ["BigNum", "Paillier", .product(name: "CSV", package: "CSV.swift")]
        ),
        .target(
            name: "Threshold",
            dependencies: ["BigNum", "Paillier", "Summa", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "MultiParty",
            dependencies: [
                "BigNum", "Summa", "Threshold", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "SummaCLI",
            dependencies: [
                "Summa", "Paillier", "BigNum", "Threshold", "MultiParty",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "BigNumTests", dependencies: ["BigNum"], resources: [.copy("Vectors")]),
        .testTarget(name: "PaillierTests", dependencies: ["Paillier"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ThresholdTests", dependencies: ["Threshold", "Summa"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MultiPartyTests", dependencies: ["MultiParty"]),
        .testTarget(name: "SummaTests", dependencies: ["Summa", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SummaCLITests", dependencies: ["SummaCLI", "TestSupport"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
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
                "BigNum", "Paillier", "Summa", "Threshold", "MultiParty",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SummaBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}
