import Testing

@testable import PacketKit

@Suite("DHCP")
struct DHCPTests {
  static let discover =
    "eth(src=02:00:00:00:00:01, dst=ff:ff:ff:ff:ff:ff) / ipv4(src=0.0.0.0, dst=255.255.255.255)"
    + " / udp(sport=68, dport=67) / dhcp(xid=0x1234, flags=0x8000, chaddr=02:00:00:00:00:01,"
    + " message_type=1, options=[option(code=50, value=192.0.2.5),"
    + " option(code=61, hex=0x01020000000001), option(code=55, value=[1, 3, 6]),"
    + " option(code=12, value=\"host-1\")], padding=0x0000)"
  /// Where the DHCP message starts in the frames above (Ethernet 14, IPv4 20, UDP 8).
  static let start = 42

  @Test("a discover: its fields in JSON, tcpdump's line, the verbose view")
  func discoverFields() throws {
    let frame = try UDPApplication.craft(Self.discover)
    #expect(UDPApplication.kinds(frame) == ["eth", "ipv4", "udp", "dhcp"])
    let texts = UDPApplication.texts(frame)
    #expect(
      texts.line
        == "IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from 02:00:00:00:00:01, length 274"
    )
    let dhcp = try #require(texts.json.split(separator: "\"dhcp\":").last)
    let expected =
      #"{"op":1,"htype":1,"hlen":6,"hops":0,"xid":4660,"secs":0,"flags":32768,"#
      + #""ciaddr":"0.0.0.0","yiaddr":"0.0.0.0","siaddr":"0.0.0.0","giaddr":"0.0.0.0","#
      + #""chaddr":"02:00:00:00:00:01","message_type":1,"options":["#
      + #"{"code":53,"hex":"01","value":1},"#
      + #"{"code":50,"hex":"c0000205","value":"192.0.2.5"},"#
      + #"{"code":61,"hex":"01020000000001","value":"01:02:00:00:00:00:01"},"#
      + #"{"code":55,"hex":"010306","value":[1,3,6]},"#
      + #"{"code":12,"hex":"686f73742d31","value":"host-1"}],"padding":"0000"}}"# + "\n"
    #expect(String(dhcp) == expected)
    #expect(texts.verbose.contains("    message_type 1 (discover)\n"))
    #expect(texts.verbose.contains("        code 50, hex c0000205, value 192.0.2.5\n"))
  }

  @Test("the options end at the end option; pad options are skipped; names and files as text")
  func replyFields() throws {
    let zeros = { (count: Int) in [UInt8](repeating: 0, count: count) }
    var payload: [UInt8] = [2, 1, 6, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 3]
    payload += zeros(8) + [2, 0, 0, 0, 0, 1] + zeros(10)
    payload += Array("srv".utf8) + zeros(61) + Array("boot.img".utf8) + zeros(120)
    payload += [0x63, 0x82, 0x53, 0x63, 53, 1, 5, 0, 0, 3, 8, 192, 0, 2, 1, 192, 0, 2, 254]
    payload += [255, 0, 0]
    let frame = try UDPApplication.overIPv4(payload, sport: 67, dport: 68)
    let texts = UDPApplication.texts(frame)
    #expect(texts.line == "IP 192.0.2.1.67 > 192.0.2.2.68: BOOTP/DHCP, Reply, length 258")
    #expect(texts.json.contains("\"sname\":\"srv\",\"file\":\"boot.img\",\"message_type\":5,"))
    let options =
      #""options":[{"code":53,"hex":"05","value":5},"#
      + #"{"code":3,"hex":"c0000201c00002fe","value":["192.0.2.1","192.0.2.254"]}],"#
      + #""padding":"0000""#
    #expect(texts.json.contains(options))
  }

  @Test("chaddr is hex of hlen bytes when the hardware is not Ethernet")
  func hexHardwareAddress() throws {
    let frame = try UDPApplication.craft(
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / udp() / dhcp(htype=32, hlen=16,"
        + " chaddr=0x0102030405060708090a0b0c0d0e0f10, message_type=8)")
    let decoded = FrameDecoder().decode(frame, linkType: .raw)
    #expect(decoded.count == 3 && decoded[2].kind == .dhcp)
    var json = TextBuffer()
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 0), capturedLength: frame.count,
      wireLength: frame.count, linkType: .raw)
    JSONFormatter().write(decoded, bytes: frame.span, record: record, to: &json)
    #expect(json.string.contains("\"chaddr\":\"0102030405060708090a0b0c0d0e0f10\""))
  }

  @Test("a payload shorter than the fixed header, captured whole, is not DHCP: raw")
  func shortPayloadIsRaw() throws {
    let frame = try UDPApplication.overIPv4(
      [1, 1, 6, 0] + [UInt8](repeating: 0, count: 96), sport: 68, dport: 67)
    #expect(UDPApplication.kinds(frame) == ["eth", "ipv4", "udp", "raw"])
    #expect(UDPApplication.texts(frame).line.hasSuffix(": UDP, length 100"))
  }

  @Test("cut by the capture: truncated, and tcpdump's [|bootp] until the client address is there")
  func cutByCapture() throws {
    let frame = try UDPApplication.craft(Self.discover)
    for kept in [1, 2, 33] {
      #expect(UDPApplication.kinds(frame, captured: Self.start + kept).last == "dhcp")
      #expect(
        UDPApplication.texts(frame, captured: Self.start + kept).line
          == "IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request [|bootp]")
    }
    let texts = UDPApplication.texts(frame, captured: Self.start + 34)
    #expect(texts.line.hasSuffix("BOOTP/DHCP, Request from 02:00:00:00:00:01, length 274"))
    #expect(texts.json.contains("\"chaddr\":\"02:00:00:00:00:01\",\"truncated\":true}"))
    let options = UDPApplication.texts(frame, captured: Self.start + 250)
    #expect(options.json.contains("\"truncated\":true"))
    #expect(options.json.contains("{\"code\":50,\"hex\":\"c0000205\",\"value\":\"192.0.2.5\"}"))
  }

  @Test("an option running past the end, or no cookie in a short message: malformed")
  func malformed() throws {
    var payload = try UDPApplication.craft("dhcp(message_type=1)")
    payload.removeLast()  // the end option
    let overrun = try UDPApplication.overIPv4(payload + [12, 200, 0x41], sport: 68, dport: 67)
    let texts = UDPApplication.texts(overrun)
    #expect(texts.json.contains("\"malformed\":\"options 243: an option runs past the end"))
    #expect(texts.line.hasSuffix("BOOTP/DHCP, Request from 00:00:00:00:00:00, length 246"))
    let noCookie = try UDPApplication.overIPv4(
      [UInt8](try UDPApplication.craft("dhcp()")) + [1, 2, 3, 4], sport: 68, dport: 67)
    #expect(UDPApplication.texts(noCookie).json.contains("\"malformed\":\"length 240: shorter"))
  }

  @Test("pad options to the end, huge lengths, random damage: no trap, no hang")
  func damage() throws {
    let allPad = try UDPApplication.overIPv4(
      [UInt8](try UDPApplication.craft("dhcp(message_type=1)").prefix(240))
        + [UInt8](repeating: 0, count: 1000), sport: 68, dport: 67)
    #expect(UDPApplication.texts(allPad).json.contains("\"options\":[]"))
    let huge = try UDPApplication.overIPv4(
      [UInt8](try UDPApplication.craft("dhcp(message_type=1)").prefix(240))
        + [UInt8](repeating: 0xFE, count: 600), sport: 68, dport: 67)
    #expect(UDPApplication.texts(huge).json.contains("\"malformed\""))
    UDPApplication.survivesDamage(try UDPApplication.craft(Self.discover), payloadStart: Self.start)
  }

  @Test("builder defaults are scapy's BOOTP(); messageType and options add the cookie and end")
  func builder() throws {
    var dhcp = DHCP()
    dhcp.xid = 0x1234
    #expect(try PacketStack(dhcp).build().count == 236)
    dhcp.messageType = 3
    dhcp.options = [DHCPOption(code: 53, bytes: [1]), DHCPOption(code: 50, bytes: [192, 0, 2, 5])]
    let bytes = try PacketStack(dhcp).build()
    #expect(Array(bytes[236...]) == [0x63, 0x82, 0x53, 0x63, 53, 1, 3, 50, 4, 192, 0, 2, 5, 255])
    #expect(try UDPApplication.craft("udp() / dhcp()")[0..<4] == [0, 67, 0, 68])
  }

  @Test("expression errors name the option")
  func expressionErrors() throws {
    #expect(throws: ExpressionError.self) {
      try UDPApplication.craft("dhcp(options=[option(code=200, value=1)])")
    }
    #expect(throws: ExpressionError.self) {
      try UDPApplication.craft("dhcp(options=[option(value=1)])")
    }
    #expect(throws: ExpressionError.self) {
      try UDPApplication.craft("dhcp(options=[option(code=3, value=[192.0.2.1, 7])])")
    }
  }
}
