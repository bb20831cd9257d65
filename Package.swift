// swift-tools-version:6.1
import PackageDescription

/// Release builds use AVX2 + FMA: without FMA, `addProduct` becomes a `fmaf` call per lane.
/// RecScope therefore needs an x86-64 CPU with AVX2 and FMA (Haswell, Zen 1 or newer) in release.
let simdFlags: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"], .when(configuration: .release)),
]

/// Debug builds check data-structure invariants (`_checkInvariants()` after each mutation of `TopK`,
/// `InteractionMatrix` and `PrefixTrie`), as swift-collections does under `COLLECTIONS_INTERNAL_CHECKS`.
let internalChecks: [SwiftSetting] = [.define("RECSCOPE_INTERNAL_CHECKS", .when(configuration: .debug))]

let package = Package(
    name: "RecScope",
    products: [
        .executable(name: "recscope", targets: ["recscope"]),
        .library(name: "RecCore", targets: ["RecCore"]),
        .library(name: "RecCatalog", targets: ["RecCatalog"]),
        .library(name: "RecEval", targets: ["RecEval"]),
        .library(name: "RecSynth", targets: ["RecSynth"]),
        .library(name: "TUIKit", targets: ["TUIKit"]),
        .library(name: "ExplorerApp", targets: ["ExplorerApp"]),
        .library(name: "RecModels", targets: ["RecModels"]),
        .library(name: "RecWorkbench", targets: ["RecWorkbench"]),
        .library(name: "RecSim", targets: ["RecSim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "RecCore", swiftSettings: simdFlags + internalChecks),
        .target(
            name: "RecCatalog",
            dependencies: [
                "RecCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: simdFlags),
        .target(name: "RecEval", dependencies: ["RecCore"], swiftSettings: simdFlags),
        .target(name: "RecSynth", dependencies: ["RecCore"]),
        /// ncursesw with the wide-character API; only `TUINcurses` imports it.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        /// Canvas, styles, layout, pure widgets, keys and command tables; no terminal I/O.
        .target(name: "TUIKit", dependencies: ["RecCore"]),
        /// Copies a `Canvas` to the terminal through ncurses and decodes keys, mouse and resize.
        .target(name: "TUINcurses", dependencies: ["TUIKit", "CNcursesw"]),
        /// The explorer: one `AppState`, actions, a pure `update`, effects and the panes.
        .target(
            name: "ExplorerApp",
            dependencies: [
                "TUIKit", "RecCore", "RecCatalog", "RecModels", "RecEval", "RecWorkbench", "RecSim",
            ]),
        .target(name: "RecModels", dependencies: ["RecCore"], swiftSettings: simdFlags + internalChecks),
        /// The RecoWorld-style simulated user, reflective instructions and the instruction-following agent.
        .target(name: "RecSim", dependencies: ["RecCore", "RecModels"], swiftSettings: simdFlags),
        /// The catalog's interactions, stored splits and stored models, shared by the CLI and the explorer.
        .target(name: "RecWorkbench", dependencies: ["RecCore", "RecCatalog", "RecEval", "RecModels", "RecSim"]),
        .executableTarget(
            name: "recscope",
            dependencies: [
                "RecCore",
                "RecCatalog",
                "RecEval",
                "RecSynth",
                "TUIKit",
                "TUINcurses",
                "ExplorerApp",
                "RecModels",
                "RecWorkbench",
                "RecSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: simdFlags),
        /// libFuzzer's driver, reached through a weak symbol so the fuzz target also builds without fuzzer flags.
        .target(name: "CFuzzDriver"),
        /// Feeds bytes to each importer parser: a libFuzzer target with `-sanitize=fuzzer,address`, a replayer without.
        .executableTarget(name: "recscope-fuzz", dependencies: ["CFuzzDriver", "RecCatalog"]),
        .testTarget(name: "RecCoreTests", dependencies: ["RecCore"], swiftSettings: internalChecks),
        /// Drives the real `recscope` binary (and, in tmux, the explorer); depends on it so it is built first.
        .testTarget(name: "RecScopeEndToEndTests", dependencies: ["recscope", "RecCatalog", "RecCore"]),
        .testTarget(name: "RecCatalogTests", dependencies: ["RecCatalog", "RecCore"]),
        .testTarget(name: "RecEvalTests", dependencies: ["RecEval", "RecCore"]),
        .testTarget(name: "RecSynthTests", dependencies: ["RecSynth", "RecCore"]),
        /// `assertSnapshot`, shared by the test targets that compare rendered text with committed files.
        .target(name: "SnapshotSupport", path: "Tests/SnapshotSupport"),
        .testTarget(name: "TUIKitTests", dependencies: ["TUIKit", "RecCore", "SnapshotSupport"], exclude: ["__Snapshots__"]),
        /// Contracts any data, recommendation or simulation source must keep, run by the tests on each implementation.
        .target(name: "ExplorerTestSupport", dependencies: ["ExplorerApp", "RecWorkbench", "RecModels", "RecCore"],
                path: "Tests/ExplorerTestSupport"),
        .testTarget(
            name: "ExplorerAppTests",
            dependencies: ["ExplorerApp", "ExplorerTestSupport", "TUIKit", "RecCatalog", "SnapshotSupport", "RecModels", "RecSim",
                           "RecWorkbench", "RecCore"],
            exclude: ["__Snapshots__"]),
        .testTarget(name: "RecWorkbenchTests", dependencies: ["RecWorkbench", "RecCatalog", "RecModels", "RecEval", "RecSim", "RecCore"]),
        .testTarget(name: "RecModelsTests", dependencies: ["RecModels", "RecEval", "RecCore"]),
        .testTarget(name: "RecSimTests", dependencies: ["RecSim", "RecModels", "RecCore"]),
    ],
    swiftLanguageModes: [.v6]
)
