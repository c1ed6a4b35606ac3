// swift-tools-version:6.0
import PackageDescription

/// Settings shared by every target: strict concurrency is the Swift 6 default; we also
/// ask for explicit `any` so existential costs are visible.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "OncoNav",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "onconav", targets: ["onconav"]),
        .library(name: "OncoKnowledge", targets: ["OncoKnowledge"]),
        .library(name: "OncoRecords", targets: ["OncoRecords"]),
        .library(name: "OncoTrials", targets: ["OncoTrials"]),
        .library(name: "OncoMatch", targets: ["OncoMatch"]),
        .library(name: "OncoAnswers", targets: ["OncoAnswers"]),
        .library(name: "OncoNavServer", targets: ["OncoNavServer"]),
        .library(name: "OncoMail", targets: ["OncoMail"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "OncoKnowledge",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OncoRecords",
            dependencies: ["OncoKnowledge", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OncoTrials",
            dependencies: ["OncoKnowledge", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OncoMatch",
            dependencies: ["OncoKnowledge", "OncoRecords", "OncoTrials"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OncoAnswers",
            dependencies: ["OncoKnowledge", "OncoMatch", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OncoMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OncoNavServer",
            dependencies: [
                "OncoKnowledge", "OncoRecords", "OncoTrials", "OncoMatch", "OncoAnswers", "OncoMail",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "onconav",
            dependencies: [
                "OncoNavServer", "OncoTrials", "OncoMatch", "OncoKnowledge", "OncoAnswers", "OncoRecords",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "OncoKnowledgeTests", dependencies: ["OncoKnowledge"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "OncoRecordsTests", dependencies: ["OncoRecords"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "OncoTrialsTests", dependencies: ["OncoTrials"], swiftSettings: strictSettings),
        .testTarget(name: "OncoMatchTests", dependencies: ["OncoMatch"], swiftSettings: strictSettings),
        .testTarget(name: "OncoAnswersTests", dependencies: ["OncoAnswers", "OncoKnowledge"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(
            name: "OncoMailTests",
            dependencies: [
                "OncoMail",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OncoNavServerTests",
            dependencies: [
                "OncoNavServer",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
