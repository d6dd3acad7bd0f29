import Foundation
import Testing

/// Capture files the tests read: the repository's own `Fixtures/` and the shared corpus
/// (`../shared/corpus/tcpdump-tests`, read in place, never copied).
enum Fixtures {
  /// The repository's top folder, found from this file's path.
  static let root: URL = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// Every capture in `Fixtures/`, sorted by name.
  static let all: [String] = captures(in: root.appending(path: "Fixtures").path)

  /// The shared corpus folder.
  static let corpusPath = root.deletingLastPathComponent().appending(path: "shared/corpus/tcpdump-tests").path

  /// Whether the shared corpus is here. When it is not, corpus tests skip, unless
  /// `RAWTOOL_REQUIRE_CORPUS=1` (CI), where its absence is a failure.
  static var corpusIsAvailable: Bool {
    let present = FileManager.default.fileExists(atPath: corpusPath)
    if !present && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_CORPUS"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_CORPUS=1 but \(corpusPath) is missing")
    }
    return present
  }

  /// Every capture in the shared corpus, sorted (empty when it is absent).
  static let corpus: [String] = captures(in: corpusPath)

  static func captures(in folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted().map { folder + "/" + $0 }
  }

  /// The file name of a path.
  static func name(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }
}
