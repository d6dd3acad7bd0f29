import Testing

@testable import PacketKit

@Suite("JSONParser and JSONPacket")
struct JSONParserTests {
  @Test("values: objects keep key order, numbers keep their text, escapes resolve")
  func values() throws {
    let value = try JSONParser.parse(
      #" {"b":[1,-2.5e3,true,false,null],"a":"x\"\u00e9\ud83d\ude00\n"} "#)
    guard case .object(let pairs) = value else {
      Issue.record("not an object")
      return
    }
    #expect(pairs.map(\.key) == ["b", "a"])
    #expect(
      value["b"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
    #expect(value["a"] == .string("x\"é😀\n"))
    #expect(JSONValue.number("18446744073709551615").unsignedInteger == UInt64.max)
    #expect(JSONValue.number("-1").unsignedInteger == nil)
  }

  @Test(
    "syntax errors name line and column",
    arguments: [
      ("{", 1, 2), ("{\"a\" 1}", 1, 6), ("[1,]", 1, 4), ("{\"a\":01}", 1, 6), ("\"\\ud800\"", 1, 8),
      ("{\n  \"a\": tru\n}", 2, 8), ("{\"a\":1,\"a\":2}", 1, 8), ("\"a\tb\"", 1, 3), ("1 2", 1, 3),
    ])
  func syntaxErrors(text: String, line: Int, column: Int) {
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    do {
      _ = try JSONParser.parse(text)
    } catch {
      #expect(error.line == line && error.column == column, "\(text): \(error)")
    }
  }

  @Test("nesting is bounded")
  func depth() throws {
    let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(throws: Never.self) { try JSONParser.parse(ok) }
    let deep = String(repeating: "[", count: 100_000)
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
  }

  @Test("a packet object rebuilds the same bytes; a field left out is computed")
  func packet() throws {
    let expression = try ExpressionParser.parse(
      "eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02) / ipv4(src=192.0.2.1, dst=192.0.2.2)"
        + " / udp(sport=1, dport=2) / raw(\"hi\")")
    let bytes = try #require(try PacketCrafter.packets(from: expression).first)
    let json = """
      {"frame":{"protocols":"eth:ipv4:udp:raw","time":"1700000000.5"},
       "eth":{"src":"02:00:00:00:00:01","dst":"02:00:00:00:00:02","type":2048},
       "ipv4":{"header_length":20,"tos":0,"total_length":30,"id":1,"df":false,"mf":false,
         "fragment_offset":0,"ttl":64,"protocol":17,"src":"192.0.2.1","dst":"192.0.2.2"},
       "udp":{"src_port":1,"dst_port":2,"length":10},"raw":{"length":2,"hex":"6869"}}
      """
    let packet = try JSONPacket(JSONParser.parse(json))
    #expect(packet.bytes == bytes)
    #expect(packet.linkType == .ethernet)
    #expect(packet.timestamp == Timestamp(seconds: 1_700_000_000, nanoseconds: 500_000_000))
  }

  @Test(
    "malformed layers, undecodable TCP options and raw after an extension header come back",
    arguments: [
      ("malformed.pcap", 1), ("malformed.pcap", 4), ("malformed.pcap", 11),
      ("malformed.pcap", 15), ("malformed.pcap", 16), ("malformed.pcap", 17),
      ("ethernet-ipv6.pcap", 9),
    ])
  func rebuildsDamaged(file: String, number: Int) throws {
    let packet = try PcapFixture.load(file)[number - 1]
    let json = try PcapFixture.json(file, number, includeHex: true)
    let rebuilt = try JSONPacket(JSONParser.parse(json))
    #expect(rebuilt.bytes == packet.bytes)
    #expect(rebuilt.linkType == .ethernet)
  }

  @Test("a malformed layer's hex goes before the Ethernet padding; earlier fields as given")
  func malformedBeforePadding() throws {
    let packet = JSONFormatterTests.malformedUDPWithPadding
    let json = PcapFixture.format(packet, includeHex: true)
    #expect(try JSONPacket(JSONParser.parse(json)).bytes == packet.bytes)
    // The IPv4 total length and checksum are written as given, whatever the tail.
    let edited = json.replacing(
      #""hex":"0001000200040000""#, with: #""hex":"00010002000400001234""#)
    let bytes = try JSONPacket(JSONParser.parse(edited)).bytes
    #expect(bytes == Array(packet.bytes[..<42]) + [0x12, 0x34] + Array(repeating: 0xAA, count: 6))
  }

  @Test("a malformed IP header first: a link type that reads it back as the same kind")
  func malformedFirstLinkType() throws {
    let ipv4 =
      #"{"frame":{"protocols":"ipv4"},"ipv4":{"malformed":"version 6: not 4","hex":"6000"}}"#
    #expect(try JSONPacket(JSONParser.parse(ipv4)).linkType == .ipv4)
    let ipv6 =
      #"{"frame":{"protocols":"ipv6"},"ipv6":{"malformed":"version 4: not 6","hex":"4500"}}"#
    #expect(try JSONPacket(JSONParser.parse(ipv6)).linkType == .ipv6)
    let usual = #"{"frame":{"protocols":"ipv4"},"ipv4":{"malformed":"x","hex":"4400"}}"#
    let packet = try JSONPacket(JSONParser.parse(usual))
    #expect(packet.linkType == .raw)
    #expect(packet.bytes == [0x44, 0x00])
  }

  @Test("an IPv6 extension header's next_header is written as given")
  func extensionNextHeader() throws {
    let json = """
      {"frame":{"protocols":"ipv6:udp"},"ipv6":{"src":"2001:db8::1","dst":"2001:db8::2",
       "extensions":[{"type":60,"length":8,"next_header":99,"hex":"010400000000"}]},
       "udp":{"src_port":1,"dst_port":2}}
      """
    let bytes = try JSONPacket(JSONParser.parse(json)).bytes
    #expect(bytes[6] == 60)
    #expect(bytes[40] == 99)
  }

  @Test(
    "objects that cannot be rebuilt name the layer",
    arguments: [
      (
        #"{"frame":{"protocols":"ipv4:tcp"},"ipv4":{},"tcp":{"truncated":true}}"#,
        "tcp: is truncated"
      ),
      (
        #"{"frame":{"protocols":"ipv4:raw"},"ipv4":{},"raw":{"length":1}}"#,
        "raw: field hex: is missing"
      ),
      (
        #"{"frame":{"protocols":"ipv4"},"ipv4":{"ttl":300}}"#,
        "ipv4: field ttl: 300 is out of range 0...255"
      ),
      (#"{"frame":{"protocols":"ipv4"},"ipv4":{"colour":1}}"#, "ipv4: field colour: unknown field"),
      (#"{"frame":{"protocols":"tcp"},"tcp":{}}"#, "tcp: cannot start a packet"),
      (#"{"frame":{"protocols":"ipv4:udp"},"ipv4":{}}"#, "udp: is listed in frame.protocols"),
      (#"[1]"#, "expects a JSON object"),
      (
        #"{"frame":{"protocols":"ipv4"},"ipv4":{"malformed":"version 5: not 4"}}"#,
        "ipv4: is malformed (version 5: not 4): it cannot be rebuilt without its hex"
      ),
      (
        #"{"frame":{"protocols":"ipv4:udp"},"ipv4":{"malformed":"x","hex":"45"},"udp":{}}"#,
        "udp: follows the malformed layer ipv4"
      ),
      (
        #"{"frame":{"protocols":"ipv4:tcp"},"ipv4":{},"tcp":{"options":[{"kind":"malformed"}]}}"#,
        "tcp.options[0]: field hex: is missing"
      ),
      (
        #"{"frame":{"protocols":"ipv4:tcp"},"ipv4":{},"tcp":{"options":[{"kind":"malformed","hex":"0203"},{"kind":"nop"}]}}"#,
        "tcp.options[1]: follows a malformed option"
      ),
    ])
  func unbuildable(json: String, message: String) throws {
    do {
      _ = try JSONPacket(JSONParser.parse(json))
      Issue.record("\(json) was rebuilt")
    } catch let error as JSONPacketError {
      #expect(error.description.hasPrefix(message), "\(error)")
    }
  }
}
