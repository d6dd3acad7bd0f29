// swift-tools-version:5.4
// libFuzzer entry points for rawtool (DESIGN.md "Robustness"; Fuzz/README.md).
//
// A separate package so the sanitizer flags never reach the main build. Every directory
// `Sources/Fuzz*` except `FuzzSupport` is one fuzz target: an executable whose only file
// defines `LLVMFuzzerTestOneInput`. Adding a target is adding such a directory.
//
// Tools version 5.4 on purpose: from 5.5 on SwiftPM renames an executable's entry point to
// `<Target>_main` and links `--defsym main=<Target>_main`, which fails with
// -parse-as-library; with 5.4, libFuzzer's own main is used (README.md "Build").
//
// Build (from this directory):
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
import Foundation
import PackageDescription

let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Sources")
let fuzzTargets = ((try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? [])
  .filter { $0.hasPrefix("Fuzz") && $0 != "FuzzSupport" }
  .sorted()

let package = Package(
  name: "rawtool-fuzz",
  products: fuzzTargets.map { .executable(name: $0, targets: [$0]) },
  dependencies: [.package(name: "rawtool", path: "..")],
  targets: [
    .target(
      name: "FuzzSupport",
      dependencies: [.product(name: "PacketKit", package: "rawtool")]
    )
  ]
    + fuzzTargets.map { name in
      .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "PacketKit", package: "rawtool")]
      )
    },
  swiftLanguageVersions: [.v5]
)
