import Foundation
import Testing

/// Bad crafting expressions and bad JSON: exit status 2, nothing on stdout, and on stderr
/// exactly three lines: the error, the input echoed, a caret under the column. No crash.
@Suite("rawtool craft: bad input")
struct CraftErrorTests {
  static let expressions: [String] = [
    "",  // empty input
    "foo",  // unknown layer
    "eth / bogus(x=1)",  // unknown layer after a good one
    "eth(bogus=1)",  // unknown field
    "tcp(sport=1, colour=2)",  // unknown field after a good one
    "ipv4(ttl=256)",  // out of range
    "ipv4(ttl=0x1ff)",  // out of range, hex
    "ipv4(ttl=-1)",  // negative
    "vlan(id=5000)",  // out of range 12 bits
    "ipv6(flow_label=0x100000)",  // out of range 20 bits
    "arp(op=70000)",  // out of range 16 bits
    "ipv4(src=300.1.1.1)",  // bad address
    "ipv6(dst=2001:db8:::1)",  // bad IPv6 address
    "eth(src=02:00:00:00:00)",  // bad MAC
    "eth(dst=[02:00:00:00:00:01, 1])",  // wrong type in a list
    "udp(sport=\"x\")",  // string for an integer
    "ipv4(df=maybe)",  // bad boolean
    "ipv4(src=192.0.2.1",  // unbalanced parenthesis
    "ipv4((",  // unbalanced parentheses
    "icmp(type=[1,2,3)",  // unbalanced bracket
    "ipv4 /",  // trailing slash
    "/ ipv4",  // leading slash
    "ipv4 / / tcp",  // empty layer
    "\"unterminated",  // unterminated string
    "ipv4(dst=10.0.0.0/8)",  // huge prefix over the limit
    "ipv4(src=10.0.0.0/8, dst=10.0.0.0/8)",  // cross product over the limit
    "tcp(dport=25-20)",  // empty range
    "tcp(sport=[])",  // empty list
    "ipv4(dst=192.0.2.1/33)",  // bad prefix length
    "tcp(flags=SX)",  // bad flag letter
    "tcp(options=[bogus])",  // unknown TCP option
    "tcp(options=[mss=70000])",  // bad option value
    "tcp(options=[timestamp=(1)])",  // bad option tuple
    "icmpv6(options=[bogus=1])",  // bad ND option
    "ipv6(extensions=[bogus])",  // unknown extension header
    "ipv6(extensions=[fragment(fragment_offset=3)])",  // fragment offset not a multiple of 8
    "ipv6(extensions=[fragment(length=8)])",  // field not allowed in a fragment header
    "raw(0x123)",  // odd hex digits
    "raw(1, 2)",  // two positional values
    "ipv4(ttl=1, ttl=2)",  // a field twice
    "ipv4(options=0x01020304050607080910111213141516171819202122232425262728293031323334353637383940414243)",
    "ipv4(id=random) / tcp(flags=random, dport=[1,2])(",  // junk after a layer
    "raw(file=12)",  // file takes a quoted path
    "tcp / raw",  // no link type: a packet starts at eth, ipv4 or ipv6
  ]

  static func checkThreeLines(_ result: Rawtool.Result, echo: String, _ note: String) {
    #expect(result.status == 2, "\(note): status \(result.status)")
    #expect(result.stdout.isEmpty, "\(note)")
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 4 && lines[3].isEmpty, "\(note): \(result.stderr)")
    guard lines.count >= 3 else { return }
    #expect(lines[0].hasPrefix("rawtool: ") && lines[0].count > 12, "\(note)")
    #expect(lines[1] == "  " + echo, "\(note)")
    #expect(lines[2].hasPrefix("  ") && lines[2].hasSuffix("^"), "\(note)")
    #expect(lines[2].dropLast().allSatisfy { $0 == " " }, "\(note)")
    #expect(lines[2].count - 2 <= echo.count + 1, "\(note): caret past the end")
  }

  @Test("bad expression: exit 2, error + expression + caret", arguments: expressions)
  func badExpression(expression: String) throws {
    let result = try Rawtool.run(["craft", expression])
    Self.checkThreeLines(result, echo: expression, expression)
  }

  @Test("the caret is under the offending value")
  func caretColumn() throws {
    let result = try Rawtool.run(["craft", "eth() / ipv4(ttl=300)"])
    #expect(
      result.stderr == """
        rawtool: ipv4: field ttl: 300 is out of range 0...255
          eth() / ipv4(ttl=300)
                           ^

        """)
  }

  static let badJSON: [String] = [
    "{",  // unterminated object
    "{\"frame\" 1}",  // missing colon
    "{\"a\":1,}",  // trailing comma
    "[1,2",  // unterminated array
    "{\"a\":01}",  // leading zero
    "{\"a\":\"x}",  // unterminated string
    "{\"a\":tru}",  // bad literal
    "{\"a\":1}{}",  // junk after the value
    "{\"a\":1,\"a\":2}",  // duplicate key
    "{\"a\":\"\\q\"}",  // bad escape
    String(repeating: "[", count: 100) + String(repeating: "]", count: 100),  // too deep
  ]

  @Test("bad JSON for --from-json: exit 2, error + line + caret", arguments: badJSON)
  func badJSONSyntax(line: String) throws {
    let good = try Rawtool.run(["craft", "--json", "ipv4 / udp"]).output
    let result = try Rawtool.run(
      ["craft", "--from-json", "-"], stdin: Data((good + line + "\n").utf8))
    Self.checkThreeLines(result, echo: line, line)
    #expect(result.stderr.hasPrefix("rawtool: line 2: column "), "\(result.stderr)")
  }

  @Test(
    "bad options: exit 2",
    arguments: [
      ["craft"], ["craft", "--count", "0", "ipv4"], ["craft", "--limit", "0", "ipv4"],
      ["craft", "--time", "yesterday", "ipv4"], ["craft", "-w", "/tmp/x.pcap", "--json", "ipv4"],
      ["craft", "--from-json", "-", "ipv4"], ["craft", "--keep-going", "ipv4"],
    ])
  func badOptions(arguments: [String]) throws {
    let result = try Rawtool.run(arguments)
    #expect(result.status == 2, "\(arguments)")
    #expect(result.stdout.isEmpty)
    #expect(!result.stderr.isEmpty)
  }

  @Test("read keeps refusing --hex without --json")
  func readHexNeedsJSON() throws {
    let result = try Rawtool.run(["read", "--hex", "Fixtures/ethernet-arp.pcap"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--hex goes with --json"))
  }
}
