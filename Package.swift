// swift-tools-version:6.1
//
// Folio — a keyboard-first terminal client for a store's invoices, with a
// reference server of the invoice API. Dependencies point one way:
//   folio → FolioTUI → FolioTerminal → CNcursesw
//   FolioTUI → FolioCore;  folio → FolioServer;  folio → FolioCLIOutput → FolioCore
//   folio-fuzz → FolioFuzzTargets → FolioCLIOutput, FolioCore
// FolioCore knows nothing of terminals; FolioServer shares no code with the
// client, so that the two sides of the contract can disagree in a test.
// Linux only: FolioTerminal calls Glibc directly, so the package names no
// Apple platform (a minimum macOS would only claim a build that fails).
import PackageDescription

let package = Package(
    name: "Folio",
    products: [
        .executable(name: "folio", targets: ["folio"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // ncursesw with the wide-character API switched on (see the shim header).
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),

        // The shared client core: models, queries, the API client, capture plans.
        .target(
            name: "FolioCore",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // Cell grid, styles, keys, and the ncurses / in-memory backends.
        .target(name: "FolioTerminal", dependencies: ["CNcursesw", .product(name: "Yams", package: "Yams")]),

        // The application: state, update, render, screens.
        .target(name: "FolioTUI", dependencies: ["FolioCore", "FolioTerminal"]),

        // The reference server of the invoice API: HTTP + SQLite.
        .target(
            name: "FolioServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // What the CLI prints, without the printing: terminal-safe text, JSON, CSV.
        .target(name: "FolioCLIOutput", dependencies: ["FolioCore"]),

        // The executable: argument parsing and subcommands.
        .executableTarget(
            name: "folio",
            dependencies: [
                "FolioServer", "FolioTUI", "FolioTerminal", "FolioCore", "FolioCLIOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmarks: release-built executables that print figures.
        .executableTarget(
            name: "folio-server-bench",
            dependencies: [
                "FolioServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/ServerBench"
        ),

        .executableTarget(
            name: "folio-tui-bench",
            dependencies: ["FolioTUI", "FolioTerminal", "FolioCore", "CNcursesw"],
            path: "Benchmarks/TUIBench"
        ),

        // The fuzzer: properties of the decoders and the CLI's encoders, and
        // the executable libFuzzer drives (`scripts/fuzz.sh`), which without
        // `-DFUZZING` replays a corpus instead.
        .target(name: "FolioFuzzTargets", dependencies: ["FolioCore", "FolioCLIOutput"], path: "Fuzz/FuzzTargets"),
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(name: "folio-fuzz", dependencies: ["FolioFuzzTargets", "CLibFuzzer"], path: "Fuzz/FolioFuzz"),

        // Starting the real reference server for tests, said once.
        .target(
            name: "FolioTestSupport",
            dependencies: [
                "FolioServer", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Tests/Support"),
        .testTarget(
            name: "FolioCoreTests",
            dependencies: [
                "FolioCore", "FolioServer", "FolioTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "FolioTerminalTests", dependencies: ["FolioTerminal"]),
        // The fuzz properties over the committed corpus and a fixed pseudo-random run,
        // and what fuzz runs found in the encoders.
        .testTarget(name: "FolioFuzzTests", dependencies: ["FolioFuzzTargets", "FolioCLIOutput", "FolioTestSupport"]),
        // End to end: the built `folio` binary against a live reference server.
        .testTarget(
            name: "CLITests",
            dependencies: [
                "folio", "FolioServer", "FolioTerminal", "FolioTUI", "FolioTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "FolioTUITests", dependencies: ["FolioTUI", "FolioServer", "FolioTestSupport"],
            exclude: ["Snapshots", "StoreAnswers"]),
        .testTarget(
            name: "FolioServerTests",
            dependencies: [
                "FolioServer", "FolioTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
