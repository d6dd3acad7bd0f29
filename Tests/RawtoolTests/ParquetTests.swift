import Foundation
import TestSupport
import Testing

/// `read --parquet` (issue: past one machine): the tables rawtool writes are read by pyarrow,
/// DuckDB and Spark with the values `read --json` gives, and the Spark job and the DuckDB
/// query over a folder of captures report what `rawtool stats --json` reports.
@Suite("Parquet packet tables")
struct ParquetTests {
  static let scripts = Fixtures.root.appending(path: "Scripts").path

  /// Whether python3 can import `modules`; in CI (RAWTOOL_REQUIRE_ENGINES=1) a missing one
  /// is a failure, elsewhere the test skips.
  static func engines(_ modules: String) -> Bool {
    // The sanitized run (Scripts/test-asan.sh) checks the tables rawtool writes, not Spark.
    if modules.contains("pyspark")
      && ProcessInfo.processInfo.environment["RAWTOOL_SKIP_SPARK"] == "1"
    {
      return false
    }
    let check = try? python(["-c", "import \(modules)"])
    let present = check?.status == 0
    if !present && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_ENGINES"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_ENGINES=1 but python3 cannot import \(modules)")
    }
    return present
  }

  /// Runs python3 with `arguments`; stdout and stderr come back as text.
  static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(filePath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    process.currentDirectoryURL = Fixtures.root
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test("every fixture and corpus file: pyarrow's and DuckDB's rows equal read --json")
  func rowsEqualJSON() throws {
    guard Self.engines("pyarrow, duckdb") else { return }
    let files = Fixtures.all + (Fixtures.corpusIsAvailable ? Fixtures.corpus : [])
    let result = try Self.python(
      ["\(Self.scripts)/compare-parquet.py", Rawtool.executable] + files)
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("\(files.count) captures"), "\(result.output)")
    #expect(result.output.contains(", 0 differing"), "\(result.output)")
  }

  @Test("Spark (local, two workers) reads every fixture's table with the same values")
  func sparkReadsTables() throws {
    guard Self.engines("pyspark") else { return }
    let larger = try Self.largerCapture("spark")
    defer { try? FileManager.default.removeItem(at: larger.folder) }
    // One Spark session for the fixtures and the larger capture (its start takes longest).
    let result = try Self.python(
      ["\(Self.scripts)/compare-parquet.py", Rawtool.executable, "--engines", "spark"]
        + Self.largerOptions + Fixtures.all + [larger.capture])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains(", 0 differing"), "\(result.output)")
    #expect(result.output.contains("mixed-40k.pcap: 40000 rows equal"), "\(result.output)")
  }

  /// A capture of 40,000 mixed packets (the benchmark file's generator, shorter), in a folder
  /// of its own for `engine`. Written with `largerOptions`, row groups of 25,000 rows, its
  /// table has several data pages per column chunk, a row group that ends inside a page's
  /// worth of rows, dictionaries grown across pages, and chunks stored with and without
  /// compression.
  static func largerCapture(_ engine: String) throws -> (folder: URL, capture: String) {
    let folder = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-larger-table-\(engine)-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let capture = folder.appending(path: "mixed-40k.pcap").path
    let made = try Self.python([
      "Benchmarks/make-mixed-pcap.py", capture, "--count", "40000", "--seed", "7",
    ])
    #expect(made.status == 0, "\(made.output)")
    return (folder, capture)
  }

  static let largerOptions = ["--row-group-rows", "25000"]

  @Test("a 40,000-packet capture in two row groups: pyarrow's and DuckDB's rows equal read --json")
  func largerTableEqualsJSON() throws {
    guard Self.engines("pyarrow, duckdb") else { return }
    let larger = try Self.largerCapture("arrow-duckdb")
    defer { try? FileManager.default.removeItem(at: larger.folder) }
    let result = try Self.python(
      ["\(Self.scripts)/compare-parquet.py", Rawtool.executable, larger.capture]
        + Self.largerOptions)
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("mixed-40k.pcap: 40000 rows equal"), "\(result.output)")
  }

  /// The Ethernet fixtures, copied to a folder as a user's captures would be.
  static func captureFolder(_ engine: String) throws -> (folder: URL, merged: URL) {
    // One folder per engine: the two cases of the test run at the same time.
    let folder = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-tables-\(engine)-\(getpid())")
    try? FileManager.default.removeItem(at: folder)
    let captures = folder.appending(path: "captures")
    try FileManager.default.createDirectory(at: captures, withIntermediateDirectories: true)
    let names = [
      "mixed.pcap", "ethernet-ipv4-tcp.pcap", "ethernet-ipv4-udp.pcap", "ethernet-ipv6.pcap",
      "ethernet-ipv4-icmp.pcap", "ethernet-gre.pcap", "dns-udp.pcap", "http.pcap", "tls.pcap",
    ]
    for name in names {
      try FileManager.default.copyItem(
        at: Fixtures.directory.appending(path: name), to: captures.appending(path: name))
    }
    // One file with the captures' packets in the same order, for `rawtool stats`.
    let merged = folder.appending(path: "merged.pcap")
    let process = Process()
    process.executableURL = URL(filePath: "/usr/bin/env")
    process.arguments =
      ["mergecap", "-a", "-F", "pcap", "-w", merged.path]
      + names.sorted().map { captures.appending(path: $0).path }
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return (folder, merged)
  }

  /// `stats --json`'s hierarchy (as a set) and top conversations, as the job prints them.
  static func statsReport(_ merged: URL) throws -> [String: AnyHashable] {
    let stats = try Rawtool.run(["stats", "--json", "--top", "20", merged.path])
    #expect(stats.status == 0)
    let object = try JSONSerialization.jsonObject(with: stats.stdout) as? [String: Any] ?? [:]
    return normalized(object)
  }

  static func normalized(_ object: [String: Any]) -> [String: AnyHashable] {
    let protocols = (object["protocols"] as? [[String: Any]] ?? []).map {
      NSDictionary(dictionary: $0)
    }
    let conversations = NSDictionary(dictionary: object["conversations"] as? [String: Any] ?? [:])
    return ["protocols": Set(protocols), "conversations": conversations]
  }

  @Test(
    "the Spark job and the DuckDB query report stats --json's hierarchy and conversations",
    arguments: ["duckdb", "spark"])
  func jobEqualsStats(engine: String) throws {
    guard Self.engines(engine == "spark" ? "pyspark" : "duckdb"),
      Rawtool.hasProgram("mergecap")
    else { return }
    let (folder, merged) = try Self.captureFolder(engine)
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try Self.python([
      "\(Self.scripts)/packet-tables.py", engine, Rawtool.executable,
      folder.appending(path: "captures").path, folder.appending(path: "tables-\(engine)").path,
    ])
    #expect(result.status == 0, "\(result.output)")
    let line = result.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }) ?? ""
    let report = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
    let expected = try Self.statsReport(merged)
    #expect(Self.normalized(report) == expected)
  }

  @Test("--jobs converts one part per input; bad arguments are refused")
  func partsAndErrors() throws {
    let folder = FileManager.default.temporaryDirectory.appending(path: "rawtool-parts-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let inputs = ["Fixtures/mixed.pcap", "Fixtures/dns-udp.pcap", "Fixtures/http.pcap"]
    let result = try Rawtool.run(["read"] + inputs + ["--parquet", folder.path, "--jobs", "2"])
    #expect(result.status == 0, "\(result.stderr)")
    let parts = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"])
    for part in parts {
      let bytes = try Data(contentsOf: folder.appending(path: part))
      #expect(bytes.prefix(4) == Data("PAR1".utf8) && bytes.suffix(4) == Data("PAR1".utf8))
    }
    let jobs = try Rawtool.run([
      "read", "Fixtures/mixed.pcap", "--parquet", "x.parquet", "--jobs", "0",
    ])
    #expect(jobs.status == 2)
    #expect(jobs.stderr.contains("--jobs takes a positive number."))
    let missing = try Rawtool.run([
      "read", "Fixtures/mixed.pcap", "--parquet", "/nonexistent/x.parquet",
    ])
    #expect(missing.status == 1)
    #expect(missing.stderr == "rawtool: /nonexistent/x.parquet: No such file or directory\n")
  }
}
