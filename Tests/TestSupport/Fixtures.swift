import Foundation
import Testing

/// The files the tests read, found once for every test target: the repository's own
/// `Fixtures/` and the shared tcpdump corpus (`../shared/corpus/tcpdump-tests`, read in
/// place, never copied).
public enum Fixtures {
  /// The repository's top folder, found from this file's path (`Tests/TestSupport/`).
  public static let root: URL = URL(filePath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The repository's `Fixtures/` folder.
  public static let directory: URL = root.appending(path: "Fixtures")

  /// Every capture in `Fixtures/`, sorted by name.
  public static let all: [String] = captures(in: directory.path)

  /// The shared corpus folder.
  public static let corpusPath: String = root.deletingLastPathComponent()
    .appending(path: "shared/corpus/tcpdump-tests").path

  /// Whether the shared corpus is here. When it is not, corpus tests skip, unless
  /// `RAWTOOL_REQUIRE_CORPUS=1` (CI: Scripts/test.sh sets it when `CI=true`), where its
  /// absence is recorded as a failure.
  public static var corpusIsAvailable: Bool {
    let present = FileManager.default.fileExists(atPath: corpusPath)
    if !present && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_CORPUS"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_CORPUS=1 but \(corpusPath) is missing")
    }
    return present
  }

  /// Every capture in the shared corpus, sorted (empty when it is absent).
  public static let corpus: [String] = captures(in: corpusPath)

  /// The shared corpus' top folder (`../shared/corpus`), of which `corpusPath` is one subfolder.
  public static let corpusRoot: String = root.deletingLastPathComponent()
    .appending(path: "shared/corpus").path

  /// Every capture anywhere under `corpusRoot`, every subfolder included, sorted by path
  /// (empty when it is absent).
  public static let everyCorpusCapture: [String] = {
    let names = (try? FileManager.default.subpathsOfDirectory(atPath: corpusRoot)) ?? []
    return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted().map {
      corpusRoot + "/" + $0
    }
  }()

  /// The pcap and pcapng files directly in `folder`, as paths sorted by name (empty when
  /// the folder is absent).
  public static func captures(in folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted().map {
      folder + "/" + $0
    }
  }

  /// The file name of a path.
  public static func name(_ path: String) -> String {
    String(path.split(separator: "/").last ?? "")
  }
}
