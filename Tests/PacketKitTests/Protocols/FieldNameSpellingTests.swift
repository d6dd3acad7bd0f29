import Foundation
import TestSupport
import Testing

@testable import PacketKit

/// Issue 9: a contract field name is spelled as a string literal in at most two files of
/// Sources/ (its `FieldName`, and at most one other place), so the JSON, verbose, expression
/// and `--from-json` sides cannot drift apart.
@Suite("Field names spelled once")
struct FieldNameSpellingTests {
  /// Every Swift file under Sources/ with its code: comments taken out, string literals kept.
  static let sources: [(path: String, code: String)] = {
    let root = Fixtures.root.appending(path: "Sources").path
    let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    return files.filter { $0.hasSuffix(".swift") }.sorted().compactMap { file in
      (try? String(contentsOfFile: root + "/" + file, encoding: .utf8)).map {
        (file, withoutComments($0))
      }
    }
  }()

  /// Every contract field name: the text of each `FieldName("...")` in Sources/.
  static let names: [String] = {
    let declaration = #/FieldName\("([a-z0-9_]+)"\)/#
    let found = sources.flatMap { $0.code.matches(of: declaration).map { String($0.output.1) } }
    return Set(found).sorted()
  }()

  /// Files where a word that is also a field name is written for another purpose, and what
  /// that purpose is. Nothing else may spell a field name a third time.
  static let otherUses: [String: [String: String]] = [
    "name": [
      "PacketIO/Namespaces/VethPair.swift": "an argument of `ip link add`",
      "PacketIO/Namespaces/RoutedTopology.swift": "an argument of `ip link add`",
    ],
    "type": [
      "PacketIO/Namespaces/VethPair.swift": "an argument of `ip link add`",
      "PacketIO/Namespaces/RoutedTopology.swift": "an argument of `ip link add`",
    ],
    "malformed": [
      "PacketKit/Protocols/TCP/TCPOptions.swift": "the value of a damaged option's `kind`",
      "PacketKit/Protocols/TCP/TCP+JSON.swift": "the value of a damaged option's `kind`",
      "PacketKit/Building/JSONPacketConverter.swift": "the reason given when none is",
    ],
    "hex": [
      "rawtool/Options/OutputOptions.swift": "the `--hex` flag",
      "rawtool/Commands/Craft.swift": "the `--hex` flag",
    ],
    "file": [
      "rawtool/Commands/Read.swift": "the FILE argument's name in the usage line"
    ],
    "code": [
      "PacketKit/Protocols/DHCPv6+Names.swift":
        "tcpdump's text for an unnamed status code (`code12`)"
    ],
    "poll": [
      "PacketIO/System/Syscalls.swift": "the name of the system call",
      "PacketIO/PcapHandle.swift": "the name of the system call",
    ],
  ]

  /// Names too short to tell apart from other uses: MPLS's `s` (bottom of stack) is also a
  /// plural's ending, the unit of seconds and the `-s` flag in a dozen places.
  static let unchecked: Set<String> = ["s"]

  @Test("each field name is a string literal in at most two files")
  func spelledOnce() {
    #expect(Self.sources.count > 100)
    #expect(Self.names.count > 100)
    for name in Self.names where !Self.unchecked.contains(name) {
      let other = Self.otherUses[name] ?? [:]
      let files = Self.sources.filter { $0.code.contains("\"\(name)\"") }.map(\.path)
      let asFieldName = files.filter { other[$0] == nil }
      #expect(asFieldName.count >= 1 && asFieldName.count <= 2, "\(name) is spelled in \(files)")
      for file in other.keys {
        #expect(
          files.contains(file), "\(file) no longer writes \"\(name)\": drop it from otherUses")
      }
    }
  }

  @Test("no source file is over 500 lines")
  func shortFiles() {
    let root = Fixtures.root.appending(path: "Sources").path
    for file in Self.sources {
      let text = (try? String(contentsOfFile: root + "/" + file.path, encoding: .utf8)) ?? ""
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
      #expect(lines <= 500, "\(file.path) has \(lines) lines")
    }
  }

  /// `text` without its `//` comments (string literals, which may hold `//`, are kept).
  static func withoutComments(_ text: String) -> String {
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var inString = false
      var escaped = false
      var previous: Character = " "
      var kept = Substring(line)
      for index in line.indices {
        let character = line[index]
        if inString {
          if escaped {
            escaped = false
          } else if character == "\\" {
            escaped = true
          } else if character == "\"" {
            inString = false
          }
        } else if character == "\"" {
          inString = true
        } else if character == "/" && previous == "/" {
          kept = line[..<line.index(before: index)]
          break
        }
        previous = character
      }
      out += kept + "\n"
    }
    return out
  }
}
