import Testing

@testable import PacketKit

/// `tcp.flags_text`, `raw(length, fill)`, IPv4 options by name (expressions and the JSON list
/// form) and routing header addresses. Bytes against scapy are CraftVectors'
/// (`ipv4-options-*`, `raw-*`, `ipv6-routing-addresses`); here, the JSON side and the errors.
@Suite("Craft additions")
struct CraftAdditionsTests {
  func packet(_ expression: String) throws -> [UInt8] {
    try PacketCrafter.packets(from: ExpressionParser.parse(expression))[0]
  }

  func fromJSON(_ line: String) throws(JSONPacketError) -> [UInt8] {
    guard let value = try? JSONParser.parse(line) else {
      throw JSONPacketError(message: "bad JSON in the test")
    }
    return try JSONPacket(value).bytes
  }

  @Test("TCP flag letters in scapy's order FSRPAUECN")
  func flagLetters() {
    #expect(TCPFlags([.syn, .ack]).letters == "SA")
    #expect(TCPFlags([.ack, .psh, .fin]).letters == "FPA")
    #expect(TCPFlags(rawValue: 0x1FF).letters == "FSRPAUECN")
    #expect(TCPFlags(rawValue: 0xE00).letters == "")
  }

  static let synAck =
    #"{"frame":{"protocols":"ipv4:tcp"},"ipv4":{"src":"192.0.2.1","dst":"192.0.2.2"},"tcp":{"dport":80,FLAGS}}"#

  @Test("--from-json: flags_text alone sets the flags; beside flags it must agree")
  func flagsTextFromJSON() throws {
    let expected = try packet("ipv4(src=192.0.2.1, dst=192.0.2.2) / tcp(dport=80, flags=SA)")
    let alone = Self.synAck.replacingOccurrences(of: "FLAGS", with: #""flags_text":"SA""#)
    #expect(try fromJSON(alone) == expected)
    let both = Self.synAck.replacingOccurrences(
      of: "FLAGS", with: #""flags":18,"flags_text":"SA""#)
    #expect(try fromJSON(both) == expected)
    let wrong = Self.synAck.replacingOccurrences(
      of: "FLAGS", with: #""flags":2,"flags_text":"SA""#)
    #expect {
      _ = try fromJSON(wrong)
    } throws: { error in
      "\(error)" == #"tcp: field flags_text: "SA" does not match flags 2 ("S")"#
    }
    let letter = Self.synAck.replacingOccurrences(of: "FLAGS", with: #""flags_text":"SX""#)
    #expect {
      _ = try fromJSON(letter)
    } throws: { error in
      "\(error)"
        == #"tcp: field flags_text: "SX" has X, which is not a flag letter (F S R P A U E C N)"#
    }
  }

  @Test("--from-json: ipv4.options as hex or as the list form")
  func ipv4OptionsFromJSON() throws {
    let expected = try packet(
      "ipv4(src=192.0.2.1, dst=192.0.2.2, options=[nop, rr=[192.0.2.9], ts(flag=0, timestamp=7), ra, unknown=(30, 0x0102), eol]) / udp()"
    )
    let list =
      #"[{"kind":"nop"},{"kind":"rr","routers":["192.0.2.9"]},{"kind":"ts","flag":0,"timestamp":7},{"kind":"ra","value":0},{"kind":"unknown","code":30,"hex":"0102"},{"kind":"eol"}]"#
    let line =
      #"{"frame":{"protocols":"ipv4:udp"},"ipv4":{"src":"192.0.2.1","dst":"192.0.2.2","options":OPTIONS},"udp":{}}"#
    #expect(try fromJSON(line.replacingOccurrences(of: "OPTIONS", with: list)) == expected)
    let hex =
      "\""
      + expected[20..<(Int(expected[0] & 0x0F) * 4)].map {
        ($0 < 16 ? "0" : "") + String($0, radix: 16)
      }.joined() + "\""
    #expect(try fromJSON(line.replacingOccurrences(of: "OPTIONS", with: hex)) == expected)
    #expect {
      _ = try fromJSON(line.replacingOccurrences(of: "OPTIONS", with: #"[{"kind":"sec"}]"#))
    } throws: { error in
      "\(error)"
        == "ipv4.options[0]: field kind: unknown IPv4 option sec; kinds: eol, nop, rr, lsrr, ssrr, ts, ra, unknown"
    }
  }

  @Test("--from-json: routing addresses alone make the header; beside hex they must agree")
  func routingAddressesFromJSON() throws {
    let expected = try packet(
      "ipv6(extensions=[routing(addresses=[2001:db8::a, 2001:db8::b])]) / udp()")
    let line =
      #"{"frame":{"protocols":"ipv6:udp"},"ipv6":{"extensions":[{"type":43,ROUTE}]},"udp":{}}"#
    let alone = line.replacingOccurrences(
      of: "ROUTE", with: #""addresses":["2001:db8::a","2001:db8::b"]"#)
    #expect(try fromJSON(alone) == expected)
    let hex =
      "00020000000020010db800000000000000000000000a20010db800000000000000000000000b"
    let both = line.replacingOccurrences(
      of: "ROUTE", with: #""addresses":["2001:db8::a","2001:db8::b"],"hex":"\#(hex)""#)
    #expect(try fromJSON(both) == expected)
    let edited = line.replacingOccurrences(
      of: "ROUTE", with: #""addresses":["2001:db8::c","2001:db8::b"],"hex":"\#(hex)""#)
    #expect {
      _ = try fromJSON(edited)
    } throws: { error in
      "\(error)"
        == "ipv6.extensions[0]: field addresses: do not match the addresses in hex: change one and leave the other out"
    }
  }

  @Test(
    "expression errors",
    arguments: [
      (
        "ipv4(options=[nop, sec]) / udp()",
        "ipv4: field options: unknown IPv4 option sec; options: eol, nop, rr, lsrr, ssrr, ts, ra, unknown"
      ),
      ("ipv4(options=[rr=[2001:db8::1]]) / udp()", "ipv4: field options: expects IPv4 addresses"),
      (
        "ipv4(options=[ts(when=1)]) / udp()",
        "ts: field when: unknown field when; fields of ts: pointer, overflow, flag, address, timestamp"
      ),
      (
        "ipv6(extensions=[routing(hex=0x0000, addresses=[2001:db8::1])]) / udp()",
        "routing: field addresses: give addresses or hex, not both"
      ),
      (
        "ipv6(extensions=[routing(addresses=[192.0.2.1])]) / udp()",
        "routing: field addresses: expects a list of IPv6 addresses"
      ),
      (
        "ipv4() / raw(\"hello\", length=3)",
        "raw: field length: 3 is not in 5...65535 (the bytes given come first)"
      ),
      ("ipv4() / raw(length=70000)", "raw: field length: 70000 is out of range 0...65535"),
    ])
  func expressionErrors(text: String, message: String) throws {
    #expect {
      _ = try PacketCrafter.packets(from: ExpressionParser.parse(text))
    } throws: { error in
      (error as? ExpressionError)?.description == message
    }
  }

  @Test("raw(length, fill): the bytes given, then the pattern repeated")
  func rawLength() throws {
    #expect(
      try Payload([1, 2], length: 7, fill: [9, 8]).resolvedBytes() == [1, 2, 9, 8, 9, 8, 9])
    #expect(try Payload(length: 3).resolvedBytes() == [0, 0, 0])
    #expect(throws: BuildError.self) { _ = try Payload([1], length: 3, fill: []).resolvedBytes() }
    let bytes = try packet("ipv4() / udp() / raw(length=10, fill=\"ab\")")
    #expect(Array(bytes[28...]) == Array("ababababab".utf8))
  }
}
