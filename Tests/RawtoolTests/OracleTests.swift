import Foundation
import TestSupport
import Testing

/// `rawtool read --json` against tshark, field by field, through the shared oracle
/// (`../shared/tools/compare.py`, called in place). Every disagreement must be listed, with
/// its reason, in `docs/conformance.md`'s table, and every listed one must still occur.
@Suite("tshark oracle")
struct OracleTests {
  static let compare = Fixtures.root.deletingLastPathComponent().appending(
    path: "shared/tools/compare.py"
  ).path

  static var oracleIsAvailable: Bool {
    let present = FileManager.default.fileExists(atPath: compare) && Rawtool.hasProgram("tshark")
    if !present && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_ORACLE"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_ORACLE=1 but tshark or \(compare) is missing")
    }
    return present
  }

  /// A documented difference: glob patterns (`*` matches any text) for file, packet and field.
  struct Rule: Hashable {
    var file: String
    var packet: String
    var field: String

    func matches(file: String, packet: String, field: String) -> Bool {
      Self.glob(self.file, file) && Self.glob(self.packet, packet) && Self.glob(self.field, field)
    }

    /// Whether `text` matches `pattern`, where `*` stands for any run of characters.
    static func glob(_ pattern: String, _ text: String) -> Bool {
      let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
      guard parts.count > 1 else { return pattern == text }
      guard text.hasPrefix(parts[0]), text.hasSuffix(parts[parts.count - 1]),
        text.count >= parts[0].count + parts[parts.count - 1].count
      else { return false }
      var rest = Substring(text.dropFirst(parts[0].count).dropLast(parts[parts.count - 1].count))
      for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
        guard let range = rest.range(of: middle) else { return false }
        rest = rest[range.upperBound...]
      }
      return true
    }
  }

  /// The rows of `docs/conformance.md`'s table: `| `file` | `packet` | `field` | reason |`.
  static func documentedDifferences() throws -> [Rule] {
    let text = try String(
      contentsOf: Fixtures.root.appending(path: "docs/conformance.md"), encoding: .utf8)
    var rules: [Rule] = []
    for line in text.split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(
          in: CharacterSet(charactersIn: "`"))
      }
      guard cells.count >= 5 else { continue }
      rules.append(Rule(file: cells[1], packet: cells[2], field: cells[3]))
    }
    return rules
  }

  static func run(_ files: [String], label: String) throws {
    let report = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-oracle-\(label).json")
    let truthDir = FileManager.default.temporaryDirectory.appending(path: "rawtool-truth")
    try FileManager.default.createDirectory(at: truthDir, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(filePath: "/usr/bin/env")
    process.arguments =
      [
        "python3", compare, "--rawtool", Rawtool.executable, "--truth-dir", truthDir.path,
        "--quiet", "--max-diffs", "0", "--app",
        "--json-report", report.path, "--label", label,
      ] + files
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let data = try Data(contentsOf: report)
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect((json["crashes"] as? [Any])?.isEmpty == true, "crashes: \(json["crashes"] ?? "")")
    #expect((json["timeouts"] as? [Any])?.isEmpty == true, "timeouts: \(json["timeouts"] ?? "")")
    let rules = try documentedDifferences()
    var used = Set<Rule>()
    let perFile = try #require(json["files"] as? [String: [String: Any]])
    for (file, figures) in perFile.sorted(by: { $0.key < $1.key }) {
      for diff in figures["diffs"] as? [[Any]] ?? [] {
        let packet = "\(diff[1])"
        let field = "\(diff[2])"
        let rule = rules.first { $0.matches(file: file, packet: packet, field: field) }
        if let rule { used.insert(rule) }
        #expect(
          rule != nil,
          "undocumented difference: \(file) #\(packet) \(field): expected \(diff[3]), got \(diff[4])"
        )
      }
      #expect(figures["garbage"] as? Int == 0, "\(file): lines that are not JSON")
    }
    let fields = json["fields"] as? Int ?? 0
    let agree = json["agree"] as? Int ?? 0
    #expect(fields > 0)
    // A row about a file of this run that explains nothing any more must be removed.
    let names = files.map(Fixtures.name)
    for rule in rules where names.contains(where: { Rule.glob(rule.file, $0) }) {
      #expect(
        used.contains(rule),
        "documented difference no longer occurs: \(rule.file) #\(rule.packet) \(rule.field)")
    }
    print("oracle \(label): \(fields) fields, \(agree) agree")
  }

  @Test("Fixtures agree with tshark", .enabled(if: oracleIsAvailable))
  func fixtures() throws {
    try Self.run(Fixtures.all, label: "fixtures")
  }

  @Test(
    "The tcpdump corpus agrees with tshark",
    .enabled(if: oracleIsAvailable && Fixtures.corpusIsAvailable))
  func corpus() throws {
    try Self.run(Fixtures.corpus, label: "corpus")
  }
}
