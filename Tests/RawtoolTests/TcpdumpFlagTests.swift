import Foundation
import TestSupport
import Testing

/// tcpdump's flags on `rawtool read`: each is run with rawtool and with `TZ=UTC tcpdump -r`
/// on the same file, and standard output must be the same bytes.
@Suite("tcpdump's flags")
struct TcpdumpFlagTests {
  static var tcpdumpIsAvailable: Bool {
    let present = Rawtool.hasProgram("tcpdump")
    if !present && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_ORACLE"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_ORACLE=1 but tcpdump is missing")
    }
    return present
  }

  /// A flag set and a fixture on which tcpdump's output is rawtool's.
  struct Case: CustomTestStringConvertible, Sendable {
    var flags: [String]
    var file: String
    var filter: [String] = []
    var testDescription: String { (flags + [file] + filter).joined(separator: " ") }
  }

  static let filterFile: String = {
    let path = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-flags-filter-\(ProcessInfo.processInfo.processIdentifier)"
    ).path
    _ = FileManager.default.createFile(
      atPath: path, contents: Data("udp # a comment\n  or icmp6 # another\n".utf8))
    return path
  }()

  static let cases: [Case] = [
    Case(flags: ["-n"], file: "dns-udp.pcap"),
    Case(flags: ["-nn"], file: "ethernet-ipv6.pcap"),
    Case(flags: ["-n", "-A"], file: "ethernet-ipv4-icmp.pcap"),
    Case(flags: ["-n", "-A"], file: "ethernet-ipv4-tcp.pcap", filter: ["not port 23"]),
    Case(flags: ["-n", "-A"], file: "dns-udp.pcap"),
    Case(flags: ["-n", "-A"], file: "dhcp.pcap"),
    Case(flags: ["-n", "-AA"], file: "dhcp.pcap"),
    Case(flags: ["-n", "-AA"], file: "linux-sll2.pcap"),
    Case(flags: ["-n", "-q"], file: "ethernet-ipv4-options.pcap"),
    Case(flags: ["-n", "-q"], file: "ethernet-gre.pcap"),
    Case(flags: ["-n", "-l"], file: "ethernet-arp.pcap"),
    Case(flags: ["-n", "-#"], file: "ethernet-icmpv6.pcap"),
    Case(flags: ["-n", "--number", "-v"], file: "dhcp.pcap"),
    Case(flags: ["-n", "-K", "-vv"], file: "ethernet-ipv6.pcap"),
    Case(flags: ["-n", "-K", "-v"], file: "ethernet-ipv4-options.pcap"),
    Case(flags: ["-n", "-v"], file: "ethernet-ipv6.pcap"),
    Case(flags: ["-n", "-vv"], file: "dns-udp.pcap"),
    Case(flags: ["-n", "-vvv"], file: "ethernet-icmpv6.pcap"),
    Case(flags: ["-n", "-F", filterFile], file: "mixed.pcap"),
    Case(flags: ["-n", "-F", filterFile], file: "mixed.pcap", filter: ["tcp"]),
    Case(flags: ["--count"], file: "mixed.pcap"),
    Case(flags: ["--count", "-c", "2"], file: "mixed.pcap", filter: ["icmp"]),
  ]

  /// Standard output of `tcpdump -r FILE FLAGS FILTER` with TZ=UTC.
  static func tcpdump(_ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(filePath: "/usr/bin/env")
    process.arguments = ["tcpdump"] + arguments
    process.currentDirectoryURL = Fixtures.root
    var environment = ProcessInfo.processInfo.environment
    environment["TZ"] = "UTC"
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
  }

  @Test(
    "rawtool read prints what tcpdump -r prints", .enabled(if: tcpdumpIsAvailable),
    arguments: cases)
  func sameOutput(_ flagCase: Case) throws {
    let path = "Fixtures/" + flagCase.file
    let expected = try Self.tcpdump(["-r", path] + flagCase.flags + flagCase.filter)
    #expect(!expected.isEmpty)
    // The positional form and tcpdump's -r form.
    for arguments in [
      ["read"] + flagCase.flags + [path] + flagCase.filter,
      ["read"] + flagCase.flags + ["-r", path] + flagCase.filter,
    ] {
      let result = try Rawtool.run(arguments)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      #expect(
        result.output == String(decoding: expected, as: UTF8.self),
        "\(arguments.joined(separator: " ")) differs from tcpdump")
    }
  }

  @Test("-F names the file it cannot read")
  func missingFilterFile() throws {
    let result = try Rawtool.run(["read", "-F", "/nonexistent/filter", "Fixtures/mixed.pcap"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("can't open /nonexistent/filter"))
  }

  @Test("sniff -i IF is sniff IF")
  func sniffInterfaceOption() throws {
    // An interface that does not exist: both forms fail alike, before any capture.
    let positional = try Rawtool.run(["sniff", "rawtool-no-such0", "-c", "1"])
    let option = try Rawtool.run(["sniff", "-i", "rawtool-no-such0", "-c", "1"])
    #expect(positional.status != 0)
    #expect(option.status == positional.status)
    #expect(option.stderr == positional.stderr)
    #expect(option.stderr.contains("rawtool-no-such0"))
  }
}
