// swift-tools-version:6.1
// PacketKit's library benchmarks (ordo-one/benchmark), in a package of their own so that the
// main package does not depend on the benchmark library. Run them with ../check.sh.
import PackageDescription

let package = Package(
  name: "PacketKitBenchmarks",
  dependencies: [
    .package(name: "rawtool", path: "../.."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // The captures the benchmarks run over, held in memory, and the decode loop they share
    // with `decode-rate`.
    .target(
      name: "CaptureSamples",
      dependencies: ["CacheHints", .product(name: "PacketKit", package: "rawtool")]),
    // A prefetch hint for the file walks (the C reference decoder's walk uses the same one).
    .target(name: "CacheHints"),
    // PacketKit's decode loop over a pcap file from an mmap, timed; the C reference decoder
    // (../reference/decode.c) does the same job.
    .executableTarget(
      name: "decode-rate",
      dependencies: ["CaptureSamples", .product(name: "PacketKit", package: "rawtool")]),
    .executableTarget(
      name: "PacketKitBenchmarks",
      dependencies: [
        "CaptureSamples",
        .product(name: "PacketKit", package: "rawtool"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/PacketKitBenchmarks",
      // The benchmark library's API predates strict concurrency checking.
      swiftSettings: [.swiftLanguageMode(.v5)],
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
