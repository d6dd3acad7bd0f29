import Foundation
import Testing

/// `rawtool craft`: printing, writing, repeating and expanding crafted packets.
@Suite("rawtool craft")
struct CraftCommandTests {
  static let syn =
    "eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02) / ipv4(src=192.0.2.1, dst=192.0.2.2, id=7)"
    + " / tcp(sport=1234, dport=80, flags=S, seq=1000, options=[mss=1460, nop, window_scale=7])"

  func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appending(path: "rawtool-craft-\(name)").path
  }

  func lines(_ result: Rawtool.Result) -> [String] {
    result.output.split(separator: "\n").map(String.init)
  }

  @Test(
    "prints each packet as rawtool read does (one line)",
    arguments: [
      (
        syn,
        "IP 192.0.2.1.1234 > 192.0.2.2.80: Flags [S], seq 1000, win 8192, options [mss 1460,nop,wscale 7], length 0"
      ),
      (
        "ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=5000, dport=53) / raw(\"hello\")",
        "IP 192.0.2.1.5000 > 192.0.2.2.53: domain [length 5 < 12] (invalid)"
      ),
      (
        "ipv6(src=2001:db8::1, dst=2001:db8::2) / icmpv6(id=3, seq=4)",
        "IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 3, seq 4, length 8"
      ),
      (
        "eth(src=02:00:00:00:00:01) / arp(op=1, sender_ip=192.0.2.1, target_ip=192.0.2.2)",
        "ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 28"
      ),
    ])
  func oneLine(expression: String, expected: String) throws {
    let result = try Rawtool.run(["craft", "-t", expression])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    #expect(lines(result) == [expected])
  }

  @Test("an expression split over several words is joined with spaces")
  func splitWords() throws {
    let joined = try Rawtool.run(["craft", "--hex", "eth / ipv4(ttl=3) / udp / raw(\"x\")"])
    let split = try Rawtool.run([
      "craft", "--hex", "eth", "/", "ipv4(ttl=3)", "/", "udp", "/", "raw(\"x\")",
    ])
    #expect(joined.status == 0 && split.status == 0)
    #expect(joined.output == split.output)
    #expect(
      joined.output
        == "ffffffffffff00000000000008004500001d000100000311b9cd7f0000017f000001003500350009896f78\n"
    )
  }

  @Test("--hex prints one line of contiguous hex per packet; with --json it adds payload hex")
  func hexModes() throws {
    let plain = try Rawtool.run(["craft", "--hex", "ipv4 / udp / raw(0x0102)"])
    #expect(plain.status == 0)
    #expect(lines(plain).count == 1)
    #expect(lines(plain)[0].hasSuffix("0102") && lines(plain)[0].allSatisfy(\.isHexDigit))
    let json = try Rawtool.run(["craft", "--json", "--hex", "ipv4 / udp / raw(0x0102)"])
    #expect(json.status == 0)
    #expect(json.output.contains("\"raw\":{\"length\":2,\"hex\":\"0102\"}"))
  }

  @Test("--json prints the contract's fields, with the values given and computed")
  func jsonFields() throws {
    let result = try Rawtool.run(["craft", "--json", "--time", "1700000000", Self.syn])
    #expect(result.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let frame = try #require(object["frame"] as? [String: Any])
    #expect(frame["protocols"] as? String == "eth:ipv4:tcp")
    #expect(frame["time"] as? String == "1700000000.000000000")
    #expect(frame["caplen"] as? Int == 62)
    let ipv4 = try #require(object["ipv4"] as? [String: Any])
    #expect(ipv4["id"] as? Int == 7)
    #expect(ipv4["ttl"] as? Int == 64)
    #expect(ipv4["total_length"] as? Int == 48)
    #expect(ipv4["checksum_valid"] as? Bool == true)
    let tcp = try #require(object["tcp"] as? [String: Any])
    #expect(tcp["flags"] as? Int == 2)
    #expect(tcp["header_length"] as? Int == 28)
    #expect(tcp["checksum_valid"] as? Bool == true)
    #expect((tcp["options"] as? [[String: Any]])?.count == 3)
  }

  @Test("-v, -x and -X go through the read formatters")
  func verboseAndDumps() throws {
    let verbose = try Rawtool.run(["craft", "-v", "-t", Self.syn])
    #expect(verbose.status == 0 && verbose.output.contains("ttl"))
    let dump = try Rawtool.run(["craft", "-t", "-XX", Self.syn])
    #expect(
      dump.status == 0 && dump.output.contains("\t0x0000:  0200 0000 0002 0200 0000 0001 0800 4500")
    )
  }

  @Test("lists, ranges and prefixes expand to the cross product")
  func expansion() throws {
    let result = try Rawtool.run([
      "craft", "-t", "ipv4(dst=192.0.2.0/30, ttl=[1,2]) / udp(sport=7, dport=20-22)",
    ])
    #expect(result.status == 0)
    let output = lines(result)
    #expect(output.count == 4 * 2 * 3)
    // Outer layers vary slowest; the first line and the last.
    #expect(output.first == "IP 127.0.0.1.7 > 192.0.2.0.20: UDP, length 0")
    #expect(output.last == "IP 127.0.0.1.7 > 192.0.2.3.22: UDP, length 0")
    let limited = try Rawtool.run(["craft", "--limit", "10", "ipv4 / udp(dport=1-11)"])
    #expect(limited.status == 2 && limited.stdout.isEmpty)
    #expect(limited.stderr.contains("expands to 11 packets, more than the limit of 10"))
  }

  @Test("--count repeats the whole set, times one millisecond apart")
  func count() throws {
    let result = try Rawtool.run([
      "craft", "--count", "3", "--time", "1700000000", "-tt", "--nano", "ipv4 / udp(dport=[1,2])",
    ])
    #expect(result.status == 0)
    let output = lines(result)
    #expect(output.count == 6)
    #expect(
      output.map { $0.split(separator: " ")[0] } == (0..<6).map { "1700000000.00\($0)000000" })
    #expect(output.map { $0.hasSuffix("length 0") }.allSatisfy { $0 })
  }

  @Test("--seed makes random values reproducible")
  func seed() throws {
    let expression = "ipv4(src=random, id=random) / tcp(sport=random, seq=random) / raw(\"x\")"
    let a = try Rawtool.run(["craft", "--hex", "--seed", "42", "--count", "2", expression])
    let b = try Rawtool.run(["craft", "--hex", "--seed", "42", "--count", "2", expression])
    let c = try Rawtool.run(["craft", "--hex", "--seed", "43", "--count", "2", expression])
    #expect(a.status == 0 && b.status == 0 && c.status == 0)
    #expect(a.output == b.output)
    #expect(a.output != c.output)
  }

  @Test(
    "-w writes pcap and pcapng that rawtool and tcpdump read back", arguments: ["pcap", "pcapng"])
  func write(ext: String) throws {
    let expression = Self.syn + " / raw(\"GET / HTTP/1.0\\r\\n\\r\\n\")"
    let path = temporaryPath("w.\(ext)")
    let written = try Rawtool.run([
      "craft", "--time", "1700000000", "-w", path, "--count", "2", expression,
    ])
    #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderr)")
    let printed = try Rawtool.run([
      "craft", "--time", "1700000000", "--count", "2", "-tt", expression,
    ])
    let read = try Rawtool.run(["read", "-tt", path])
    #expect(read.status == 0)
    #expect(read.output == printed.output)
    // The same bytes as --hex.
    let hex = try Rawtool.run(["craft", "--hex", expression])
    let dump = try Rawtool.run(["read", "-t", "-xx", path])
    let dumped = dump.output.split(separator: "\n").filter { $0.hasPrefix("\t0x") }
      .map { line in
        line.split(separator: ":", maxSplits: 1)[1].prefix(41).filter { !$0.isWhitespace }
      }
      .joined()
    #expect(dumped == String(repeating: hex.output.filter { !$0.isNewline }, count: 2))
    if Rawtool.hasProgram("tcpdump") {
      let tcpdump = Process()
      tcpdump.executableURL = URL(filePath: "/usr/bin/env")
      tcpdump.arguments = ["tcpdump", "-n", "-tt", "-r", path]
      let out = Pipe()
      tcpdump.standardOutput = out
      tcpdump.standardError = FileHandle.nullDevice
      try tcpdump.run()
      let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      tcpdump.waitUntilExit()
      #expect(tcpdump.terminationStatus == 0)
      let tcpdumpLines = text.split(separator: "\n")
      #expect(tcpdumpLines.count == 2)
      #expect(
        tcpdumpLines.allSatisfy {
          $0.contains("IP 192.0.2.1.1234 > 192.0.2.2.80: Flags [S], seq 1000:1018")
        })
    }
  }

  @Test("-w: the link type is Ethernet, or raw IP (101) when the stack starts at IP")
  func linkType() throws {
    for (expression, linkType) in [("eth / ipv4", 1), ("ipv4 / udp", 101), ("ipv6 / udp", 101)] {
      let path = temporaryPath("lt.pcap")
      let result = try Rawtool.run(["craft", "-w", path, expression])
      #expect(result.status == 0)
      let bytes = try #require(FileManager.default.contents(atPath: path))
      #expect(bytes.count > 24 && Int(bytes[20]) | Int(bytes[21]) << 8 == linkType, "\(expression)")
    }
  }

  @Test("--time makes files identical from run to run")
  func reproducibleFiles() throws {
    let a = temporaryPath("a.pcap")
    let b = temporaryPath("b.pcap")
    for path in [a, b] {
      #expect(
        try Rawtool.run(["craft", "--time", "1700000000.25", "-w", path, Self.syn]).status == 0)
    }
    #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
  }

  @Test("raw(file=\"path\") reads the payload from a file")
  func payloadFile() throws {
    let path = temporaryPath("payload.bin")
    try Data([0xDE, 0xAD, 0xBE, 0xEF]).write(to: URL(filePath: path))
    let result = try Rawtool.run(["craft", "--hex", "ipv4 / udp / raw(file=\"\(path)\")"])
    #expect(result.status == 0)
    #expect(result.output.hasSuffix("deadbeef\n"))
    let missing = try Rawtool.run(["craft", "ipv4 / raw(file=\"/nonexistent/payload\")"])
    #expect(missing.status == 1 && missing.stdout.isEmpty)
    #expect(
      missing.stderr
        == "rawtool: raw: field file: cannot read /nonexistent/payload: No such file or directory\n"
    )
  }

  @Test("--from-json: an edited field is written, a deleted checksum is recomputed")
  func editedJSON() throws {
    let json = try Rawtool.run(["craft", "--json", "--hex", "--time", "1700000000", Self.syn])
    var text = json.output
    text = text.replacingOccurrences(of: "\"ttl\":64", with: "\"ttl\":9")
    let wrong = try Rawtool.run(["craft", "--from-json", "-", "-v"], stdin: Data(text.utf8))
    #expect(wrong.status == 0)
    #expect(wrong.output.contains("ttl 9"))
    #expect(wrong.output.contains("bad cksum") || wrong.output.contains("incorrect"))
    let range = try #require(
      text.range(of: #""checksum":\d+,"checksum_valid":true,"src""#, options: .regularExpression))
    text.replaceSubrange(range, with: "\"src\"")
    let fixed = try Rawtool.run(["craft", "--from-json", "-", "--json"], stdin: Data(text.utf8))
    #expect(fixed.status == 0)
    #expect(fixed.output.contains("\"ttl\":9"))
    #expect(!fixed.output.contains("\"checksum_valid\":false"))
  }

  @Test("--from-json: a packet that cannot be rebuilt names the line and layer (exit 1)")
  func unbuildableJSON() throws {
    let good = try Rawtool.run(["craft", "--json", "ipv4 / udp"]).output
    let truncated =
      #"{"frame":{"protocols":"ipv4:tcp"},"ipv4":{"protocol":6},"tcp":{"src_port":1,"truncated":true}}"#
    let noHex = #"{"frame":{"protocols":"ipv4:raw"},"ipv4":{},"raw":{"length":3}}"#
    let input = good + truncated + "\n" + noHex + "\n"
    let result = try Rawtool.run(["craft", "--from-json", "-", "-t"], stdin: Data(input.utf8))
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr
        == "rawtool: line 2: tcp: is truncated: a layer cut short by the capture cannot be rebuilt\n"
    )
    let going = try Rawtool.run(
      ["craft", "--from-json", "-", "-t", "--keep-going"], stdin: Data(input.utf8))
    #expect(going.status == 0)
    #expect(going.output.split(separator: "\n").count == 1)
    #expect(
      going.stderr.split(separator: "\n") == [
        "rawtool: warning: line 2: tcp: is truncated: a layer cut short by the capture cannot be rebuilt",
        "rawtool: warning: line 3: raw: field hex: is missing: read the packets with --json --hex",
      ])
  }
}
