// swift-tools-version:6.2
// rawtool: capture, decode, craft and send raw packets on Linux.
//
// Layout (DESIGN.md): rawtool (CLI) -> PacketIO (Linux I/O, libpcap) -> PacketKit (pure Swift).
// Only PacketIO sees C, through the CPacketIO system-library target.
import PackageDescription

let package = Package(
  name: "rawtool",
  products: [
    .library(name: "PacketKit", targets: ["PacketKit"]),
    .library(name: "PacketIO", targets: ["PacketIO"]),
    .library(name: "PacketTables", targets: ["PacketTables"]),
    .executable(name: "rawtool", targets: ["rawtool"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // `swift package generate-documentation` (Scripts/check-docs.sh): PacketKit.docc.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CPacketIO",
      pkgConfig: "libpcap",
      providers: [.apt(["libpcap-dev"])]
    ),
    .target(name: "PacketKit"),
    .target(name: "PacketIO", dependencies: ["CPacketIO", "PacketKit"]),
    // Packet tables for engines that spread the work (Parquet): zstd through CZstd.
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .target(name: "PacketTables", dependencies: ["CZstd", "PacketKit"]),
    .executableTarget(
      name: "rawtool",
      dependencies: [
        "PacketKit", "PacketIO", "PacketTables",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // What the test targets share: where the fixtures and the corpus are.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "PacketKitTests", dependencies: ["PacketKit", "TestSupport"]),
    .testTarget(name: "PacketIOTests", dependencies: ["PacketIO", "PacketKit"]),
    // Written as an outside test suite would: public API of the products only.
    .testTarget(name: "PacketIOClientTests", dependencies: ["PacketIO", "PacketKit"]),
    .testTarget(name: "PacketKitClientTests", dependencies: ["PacketKit"]),
    .testTarget(
      name: "RawtoolTests", dependencies: ["rawtool", "PacketKit", "PacketIO", "TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
