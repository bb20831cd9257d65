// swift-tools-version:6.1
import PackageDescription

/// Release builds use AVX2 + FMA: without FMA, `addProduct` becomes a `fmaf` call per lane.
/// RecScope therefore needs an x86-64 CPU with AVX2 and FMA (Haswell, Zen 1 or newer) in release.
let simdFlags: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"], .when(configuration: .release)),
]

let package = Package(
    name: "RecScope",
    products: [
        .executable(name: "recscope", targets: ["recscope"]),
        .library(name: "RecCore", targets: ["RecCore"]),
        .library(name: "RecCatalog", targets: ["RecCatalog"]),
        .library(name: "RecEval", targets: ["RecEval"]),
        .library(name: "RecModels", targets: ["RecModels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "RecCore", swiftSettings: simdFlags),
        .target(
            name: "RecCatalog",
            dependencies: [
                "RecCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: simdFlags),
        .target(name: "RecEval", dependencies: ["RecCore"], swiftSettings: simdFlags),
        .target(name: "RecModels", dependencies: ["RecCore"], swiftSettings: simdFlags),
        .executableTarget(
            name: "recscope",
            dependencies: [
                "RecCore",
                "RecCatalog",
                "RecEval",
                "RecModels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: simdFlags),
        .testTarget(name: "RecCoreTests", dependencies: ["RecCore"]),
        .testTarget(name: "RecCatalogTests", dependencies: ["RecCatalog", "RecCore"]),
        .testTarget(name: "RecEvalTests", dependencies: ["RecEval", "RecCore"]),
        .testTarget(name: "RecModelsTests", dependencies: ["RecModels", "RecEval", "RecCore"]),
    ],
    swiftLanguageModes: [.v6]
)
