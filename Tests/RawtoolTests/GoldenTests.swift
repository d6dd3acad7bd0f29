import Foundation
import TestSupport
import Testing

/// Each `Fixtures/x.pcap` has its expected outputs beside it: `x.pcap.txt` (one-line),
/// `x.pcap.verbose.txt` (the tree, -V), `x.pcap.v.txt` (tcpdump's -v text) and `x.pcap.jsonl`
/// (--json). `Scripts/regen-golden.sh`
/// rewrites them, only when a change of output is intended.
@Suite("Golden outputs")
struct GoldenTests {
  static let formats: [(suffix: String, arguments: [String])] = [
    (".txt", []), (".verbose.txt", ["-V"]), (".v.txt", ["-v"]), (".jsonl", ["--json"]),
  ]

  @Test("rawtool read matches the committed output", arguments: Fixtures.all)
  func golden(path: String) throws {
    for format in Self.formats {
      let expectedPath = path + format.suffix
      let expected = try #require(
        FileManager.default.contents(atPath: expectedPath),
        "missing \(Fixtures.name(expectedPath)): run Scripts/regen-golden.sh")
      let result = try Rawtool.run(["read"] + format.arguments + [path])
      #expect(
        result.status == 0 || !result.stderr.isEmpty, "\(Fixtures.name(path)) \(format.arguments)")
      #expect(
        result.output == String(decoding: expected, as: UTF8.self),
        "\(Fixtures.name(path)) \(format.arguments): output differs from \(Fixtures.name(expectedPath))"
      )
    }
  }
}
