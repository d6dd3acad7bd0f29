import Foundation
import TestSupport
import Testing

/// `rawtool read -v` / `-vv` against `TZ=UTC tcpdump -nr FILE -v` / `-vv`, line by line,
/// through the shared `compare_lines.py` (called in place). Every fixture that is not
/// identical must be listed, with its reason, in `docs/conformance.md` (rows
/// `| verbose FILE | ...`), and every listed one must still differ; the corpus files whose
/// one-line text rawtool prints as tcpdump does must agree on at least 95 % of their lines.
@Suite("tcpdump -v conformance")
struct VerboseConformanceTests {
  static let compareLines = Fixtures.root.deletingLastPathComponent().appending(
    path: "shared/tools/compare_lines.py"
  ).path

  static var isAvailable: Bool {
    let present =
      FileManager.default.fileExists(atPath: compareLines) && Rawtool.hasProgram("tcpdump")
    if !present && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_ORACLE"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_ORACLE=1 but tcpdump or \(compareLines) is missing")
    }
    return present
  }

  /// The corpus files whose protocols rawtool decodes: their one-line text is tcpdump's on
  /// every line (docs/conformance.md).
  static let decodedCorpus = [
    // STP and CDP (text printers over raw LLC payloads):
    "3560_CDP.pcap", "MSTP_Intra-Region_BPDUs.pcap",
    "802.1ad_QinQ.pcap", "LINKTYPE_IPV4.pcap", "LINKTYPE_IPV6.pcap", "LINKTYPE_RAW_ipv4.pcap",
    "LINKTYPE_RAW_ipv6.pcap", "accecn_handshake.pcap", "arp-too-long-tha.pcap", "bfd-sbfd.pcap",
    "dhcp-rfc4388.pcap", "dhcpv6-ia-na.pcap", "dns_tcp.pcap", "dns_udp.pcap", "edns-opts.pcap",
    "gso-ipv4.pcap", "gso-ipv6.pcap", "heapoverflow-tcp_print.pcap", "icmp-rfc8335.pcap",
    "icmpv6-ns-nonce.pcap", "icmpv6-ra-pref64.pcap", "ip_ts_opts_asan.pcap",
    "ipv4_invalid_hdr_length.pcap", "ipv4_invalid_total_length.pcap",
    "ipv4_invalid_total_length_2.pcap", "ipv4_tcp_http_xml.pcap", "ipv6-bad-version.pcap",
    "ipv6-routing-header.pcap", "ipv6-srh-ext-header.pcap", "ipv6_39_byte_header.pcap",
    "ipv6_no_next_header.pcap", "ipv6hdr-heapoverflow.pcap", "mptcp-aa-v1.pcap",
    "mptcp-fclose.pcap", "mptcp-tcprst.pcap", "print-flags.pcap",
    "tcp_eight_lowest_weight_flags_set.pcap", "tcp_header_heapoverflow.pcap",
    "tcp_rst_data-trunc.pcap", "tcp_rst_data.pcap", "time_2106_max.pcap",
    "time_2106_overflow.pcapng", "udp-length-heapoverflow.pcap", "vxlan.pcap",
  ]

  /// Per file: lines compared and lines identical.
  static func compare(_ files: [String], flags: String, label: String) throws -> [String: (
    lines: Int, identical: Int
  )] {
    let report = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-verbose-\(label)-\(ProcessInfo.processInfo.processIdentifier).json")
    let process = Process()
    process.executableURL = URL(filePath: "/usr/bin/env")
    process.arguments =
      [
        "python3", compareLines, "--rawtool", Rawtool.executable, "--flags=\(flags)", "--quiet",
        "--json-report", report.path, "--label", label,
      ] + files
    var environment = ProcessInfo.processInfo.environment
    environment["TZ"] = "UTC"
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    defer { try? FileManager.default.removeItem(at: report) }
    let data = try Data(contentsOf: report)
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect((json["crashes"] as? [Any])?.isEmpty == true, "crashes: \(json["crashes"] ?? "")")
    #expect((json["timeouts"] as? [Any])?.isEmpty == true, "timeouts: \(json["timeouts"] ?? "")")
    #expect((json["nonzero"] as? [Any])?.isEmpty == true, "exit codes: \(json["nonzero"] ?? "")")
    let perFile = try #require(json["files"] as? [String: [String: Any]])
    return perFile.mapValues { ($0["lines"] as? Int ?? 0, $0["identical"] as? Int ?? 0) }
  }

  /// The files `docs/conformance.md` lists as differing at `-v`: `| verbose FILE | ...`.
  static func documentedFiles() throws -> Set<String> {
    let text = try String(
      contentsOf: Fixtures.root.appending(path: "docs/conformance.md"), encoding: .utf8)
    var files = Set<String>()
    for line in text.split(separator: "\n") where line.hasPrefix("| verbose ") {
      let cell = line.dropFirst("| verbose ".count).prefix { $0 != " " && $0 != "|" }
      files.insert(String(cell))
    }
    return files
  }

  @Test("Fixtures print tcpdump's -v and -vv text", .enabled(if: isAvailable))
  func fixtures() throws {
    let documented = try Self.documentedFiles()
    var differing = Set<String>()
    for flags in ["-v", "-vv"] {
      let figures = try Self.compare(Fixtures.all, flags: flags, label: "fixtures\(flags)")
      #expect(figures.count == Fixtures.all.count)
      for (file, figure) in figures where figure.identical < figure.lines {
        differing.insert(file)
        #expect(
          documented.contains(file),
          "\(file) \(flags): \(figure.identical) of \(figure.lines) lines identical, not in docs/conformance.md"
        )
      }
    }
    let fixtureNames = Set(Fixtures.all.map(Fixtures.name))
    for file in documented where fixtureNames.contains(file) {
      #expect(differing.contains(file), "\(file) is identical now: remove its row")
    }
  }

  @Test(
    "The decoded corpus files print tcpdump's -v and -vv text (95 %)",
    .enabled(if: isAvailable && Fixtures.corpusIsAvailable))
  func corpus() throws {
    let files = Self.decodedCorpus.map { Fixtures.corpusPath + "/" + $0 }
    for flags in ["-v", "-vv"] {
      let figures = try Self.compare(files, flags: flags, label: "corpus\(flags)")
      #expect(figures.count == files.count)
      let lines = figures.values.reduce(0) { $0 + $1.lines }
      let identical = figures.values.reduce(0) { $0 + $1.identical }
      #expect(lines > 0)
      #expect(identical * 100 >= lines * 95, "\(flags): \(identical) of \(lines) lines identical")
    }
  }
}
