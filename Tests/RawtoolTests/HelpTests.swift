import Foundation
import PacketKit
import Testing

/// Help texts a user can follow without the source tree: no pointer to files only the
/// developers have, wrapped by the terminal rather than by hand, and the expression language
/// (every layer and field) both in `craft --help` and in docs/expressions.md.
@Suite("Help texts and the expression document")
struct HelpTests {
  static let commands = [
    "read", "stats", "craft", "sniff", "send", "replay", "probe", "trace", "interfaces",
  ]

  static let repository = URL(filePath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let document = repository.appending(path: "docs/expressions.md")

  static let begin =
    "<!-- BEGIN GENERATED: ExpressionVocabulary.markdownReference (HelpTests regenerates it with RAWTOOL_REGENERATE_DOCS=1) -->\n"
  static let end = "<!-- END GENERATED -->\n"

  /// `--help` of the root (`[]`) or of a command, at a width wide enough for any sentence.
  static func help(_ command: [String], columns: Int = 1000) throws -> String {
    let result = try Rawtool.run(command + ["--help"], environment: ["COLUMNS": "\(columns)"])
    #expect(result.status == 0)
    return result.output
  }

  @Test("No help text points at CONTRACT.md, DESIGN.md or STYLE.md", arguments: [""] + commands)
  func noDeveloperFiles(command: String) throws {
    let text = try Self.help(command.isEmpty ? [] : [command])
    for name in ["CONTRACT.md", "DESIGN.md", "STYLE.md", "../shared"] {
      #expect(!text.contains(name), "\(command): \(name)")
    }
  }

  @Test("The root help points at the man pages")
  func rootPointsAtManual() throws {
    let text = try Self.help([])
    #expect(text.contains("man rawtool-read"))
    #expect(text.contains("Scripts/install.sh"))
  }

  /// Lines that continue a sentence broken by hand: the line before ends inside a sentence
  /// (a letter or a comma) and this one goes on in lower case. Example lines (commands,
  /// comments, continuations) and the layer list are not prose.
  static func handBrokenLines(_ text: String) -> [String] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var found: [String] = []
    for index in lines.indices.dropFirst() {
      let previous = lines[index - 1].trimmingCharacters(in: .whitespaces)
      let line = lines[index].trimmingCharacters(in: .whitespaces)
      guard let last = previous.last, let first = line.first else { continue }
      if previous.hasPrefix("rawtool ") || previous.hasPrefix("#") || previous.hasPrefix("|")
        || previous.hasSuffix("\\") || previous.hasPrefix("-")
      {
        continue
      }
      if line.hasPrefix("rawtool ") || line.hasPrefix("|") || line.hasPrefix("-") { continue }
      if line.range(of: #"^[a-z0-9]+( \([a-z0-9, ]+\))?: "#, options: .regularExpression) != nil {
        continue
      }
      if (last.isLetter || last == ",") && first.isLowercase {
        found.append("\(previous) / \(line)")
      }
    }
    return found
  }

  @Test("Help text is wrapped by the terminal, not by hand", arguments: [""] + commands)
  func wrappedByTerminal(command: String) throws {
    let text = try Self.help(command.isEmpty ? [] : [command])
    #expect(Self.handBrokenLines(text) == [], "\(command)")
  }

  @Test("The hand-wrap check finds a sentence broken by hand")
  func handWrapCheckWorks() {
    #expect(
      Self.handBrokenLines("  sniff, send and replay need root\n  or CAP_NET_RAW.\n")
        == ["sniff, send and replay need root / or CAP_NET_RAW."])
    #expect(Self.handBrokenLines("  One sentence.\n  Another one.\n") == [])
  }

  @Test("A narrow terminal wraps the help, a wide one does not")
  func followsTerminalWidth() throws {
    let narrow = try Self.help(["sniff"], columns: 60)
    let wide = try Self.help(["sniff"], columns: 1000)
    // The usage synopsis is one line whatever the width (the argument parser's own).
    #expect(
      narrow.split(separator: "\n").allSatisfy { $0.count <= 60 || $0.hasPrefix("USAGE: ") })
    #expect(wide.split(separator: "\n").count < narrow.split(separator: "\n").count)
  }

  @Test("craft --help lists every layer and every field")
  func craftHelpListsLayers() throws {
    let text = try Self.help(["craft"])
    #expect(ExpressionVocabulary.layers.count >= 20)
    for layer in ExpressionVocabulary.layers {
      let line = text.split(separator: "\n").first {
        $0.trimmingCharacters(in: .whitespaces).hasPrefix(layer.name + " (")
          || $0.trimmingCharacters(in: .whitespaces).hasPrefix(layer.name + ":")
      }
      #expect(line != nil, "\(layer.name)")
      for field in layer.fields {
        #expect(line?.contains(field.name) == true, "\(layer.name).\(field.name)")
      }
    }
  }

  @Test("docs/expressions.md lists every layer and field as the crafter defines them")
  func documentIsCurrent() throws {
    var text = try String(contentsOf: Self.document, encoding: .utf8)
    let start = try #require(text.range(of: Self.begin))
    let stop = try #require(text.range(of: Self.end, range: start.upperBound..<text.endIndex))
    let generated = ExpressionVocabulary.markdownReference
    if ProcessInfo.processInfo.environment["RAWTOOL_REGENERATE_DOCS"] == "1" {
      text.replaceSubrange(start.upperBound..<stop.lowerBound, with: generated)
      try text.write(to: Self.document, atomically: true, encoding: .utf8)
      return
    }
    #expect(
      String(text[start.upperBound..<stop.lowerBound]) == generated,
      "docs/expressions.md is stale: run RAWTOOL_REGENERATE_DOCS=1 swift test --filter HelpTests")
    for layer in ExpressionVocabulary.layers {
      #expect(text.contains("### `\(layer.name)`"), "\(layer.name)")
    }
  }

  @Test("Every example of docs/expressions.md crafts")
  func documentExamplesCraft() throws {
    let text = try String(contentsOf: Self.document, encoding: .utf8)
    let section = try #require(text.range(of: "## Examples, layer by layer"))
    let rest = text[section.upperBound...]
    let open = try #require(rest.range(of: "```\n"))
    let close = try #require(rest.range(of: "```\n", range: open.upperBound..<rest.endIndex))
    let examples = rest[open.upperBound..<close.lowerBound].split(separator: "\n")
    #expect(examples.count >= 20)
    let payload = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-help-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: payload, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: payload) }
    try Data("payload".utf8).write(to: payload.appending(path: "payload.bin"))
    for example in examples {
      let expression = example.replacingOccurrences(
        of: "file=\"payload.bin\"", with: "file=\"\(payload.path)/payload.bin\"")
      let result = try Rawtool.run(["craft", expression])
      #expect(result.status == 0, "\(example): \(result.stderr)")
      // Every layer the example names is decoded back (http/tls are read-only, not crafted).
      #expect(!result.output.isEmpty)
    }
  }
}
