import Foundation
import TestSupport
import Testing

@testable import PacketKit

/// Issue 9: a contract field name is spelled as a string literal in at most two files of
/// Sources/ (its `FieldName`, and at most one other place), so the JSON, verbose, expression
/// and `--from-json` sides cannot drift apart.
@Suite("Field names spelled once")
struct FieldNameSpellingTests {
  /// The names of the layers converted to Protocols/ (TCP, ICMP, ICMPv6, IPv6, UDP).
  static let names = [
    "src_port", "dst_port", "payload_length", "next_header", "hop_limit", "traffic_class",
    "flow_label", "extensions", "routing_type", "segments_left", "window", "urgent", "target",
    "rest", "kind", "blocks", "sport", "dport",
  ]

  /// Every Swift file under Sources/ with its text.
  static let sources: [(path: String, text: String)] = {
    let root = Fixtures.root.appending(path: "Sources").path
    let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    return files.filter { $0.hasSuffix(".swift") }.sorted().compactMap { file in
      (try? String(contentsOfFile: root + "/" + file, encoding: .utf8)).map { (file, $0) }
    }
  }()

  @Test("each converted name is a string literal in at most two files", arguments: names)
  func spelledOnce(name: String) {
    #expect(Self.sources.count > 100)
    let files = Self.sources.filter { $0.text.contains("\"\(name)\"") }.map(\.path)
    #expect(files.count >= 1 && files.count <= 2, "\(name) is spelled in \(files)")
  }

  @Test("no source file is over 500 lines")
  func shortFiles() {
    for file in Self.sources {
      let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
      #expect(lines <= 500, "\(file.path) has \(lines) lines")
    }
  }
}
