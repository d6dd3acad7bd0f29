import Foundation
import Testing

/// `rawtool read --json` against tshark, field by field, through the shared oracle
/// (`../shared/tools/compare.py`, called in place). Every disagreement must be listed, with
/// its reason, in `docs/conformance.md`'s table, and every listed one must still occur.
@Suite("tshark oracle")
struct OracleTests {
  static let compare = Rawtool.root.deletingLastPathComponent().appending(path: "shared/tools/compare.py").path

  static var oracleIsAvailable: Bool {
    let present = FileManager.default.fileExists(atPath: compare) && Rawtool.hasProgram("tshark")
    if !present && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_ORACLE"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_ORACLE=1 but tshark or \(compare) is missing")
    }
    return present
  }

  /// The documented differences: `| file | packet | field | expected | got | reason |` rows.
  static func documentedDifferences() throws -> Set<String> {
    let text = try String(contentsOf: Rawtool.root.appending(path: "docs/conformance.md"), encoding: .utf8)
    var keys = Set<String>()
    for line in text.split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
      }
      guard cells.count >= 7 else { continue }
      keys.insert("\(cells[1]) #\(cells[2]) \(cells[3])")
    }
    return keys
  }

  static func run(_ files: [String], label: String) throws {
    let report = FileManager.default.temporaryDirectory.appending(path: "rawtool-oracle-\(label).json")
    let truthDir = FileManager.default.temporaryDirectory.appending(path: "rawtool-truth")
    try FileManager.default.createDirectory(at: truthDir, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(filePath: "/usr/bin/env")
    process.arguments =
      ["python3", compare, "--rawtool", Rawtool.executable, "--truth-dir", truthDir.path, "--quiet", "--max-diffs", "0",
       "--json-report", report.path, "--label", label] + files
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let data = try Data(contentsOf: report)
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect((json["crashes"] as? [Any])?.isEmpty == true, "crashes: \(json["crashes"] ?? "")")
    #expect((json["timeouts"] as? [Any])?.isEmpty == true, "timeouts: \(json["timeouts"] ?? "")")
    let documented = try documentedDifferences()
    var seen = Set<String>()
    let perFile = try #require(json["files"] as? [String: [String: Any]])
    for (file, figures) in perFile.sorted(by: { $0.key < $1.key }) {
      for diff in figures["diffs"] as? [[Any]] ?? [] {
        let key = "\(file) #\(diff[1]) \(diff[2])"
        seen.insert(key)
        #expect(documented.contains(key), "undocumented difference: \(key): expected \(diff[3]), got \(diff[4])")
      }
      #expect(figures["garbage"] as? Int == 0, "\(file): lines that are not JSON")
    }
    let fields = json["fields"] as? Int ?? 0
    let agree = json["agree"] as? Int ?? 0
    #expect(fields > 0)
    // Documented differences of these files that no longer occur must be removed from the table.
    let names = Set(files.map(Rawtool.name))
    for key in documented where names.contains(String(key.split(separator: " ")[0])) {
      #expect(seen.contains(key), "documented difference no longer occurs: \(key)")
    }
    print("oracle \(label): \(fields) fields, \(agree) agree")
  }

  @Test("Fixtures agree with tshark", .enabled(if: oracleIsAvailable))
  func fixtures() throws {
    try Self.run(Rawtool.fixtures, label: "fixtures")
  }

  @Test("The tcpdump corpus agrees with tshark", .enabled(if: oracleIsAvailable && Rawtool.corpusIsAvailable))
  func corpus() throws {
    try Self.run(Rawtool.corpus, label: "corpus")
  }
}
