import Testing

@testable import PacketKit

@Suite("DHCPv6")
struct DHCPv6Tests {
  static let solicit =
    "eth(src=02:00:00:00:00:01, dst=33:33:00:01:00:02) / ipv6(src=fe80::1, dst=ff02::1:2)"
    + " / udp() / dhcpv6(msg_type=1, transaction_id=0x123456,"
    + " options=[option(code=1, hex=0x00030001020000000001), option(code=8, hex=0x0000)])"
  /// Where the message starts (Ethernet 14, IPv6 40, UDP 8).
  static let start = 62

  @Test("a solicit: fields, tcpdump's line, ports 546 to 547")
  func solicit() throws {
    let frame = try UDPApplication.craft(Self.solicit)
    #expect(UDPApplication.kinds(frame) == ["eth", "ipv6", "udp", "dhcpv6"])
    let texts = UDPApplication.texts(frame)
    #expect(texts.line == "IP6 fe80::1.546 > ff02::1:2.547: dhcp6 solicit")
    #expect(
      texts.json.hasSuffix(
        #""dhcpv6":{"msg_type":1,"transaction_id":1193046,"options":["#
          + #"{"code":1,"hex":"00030001020000000001"},{"code":8,"hex":"0000"}]}}"# + "\n"))
    #expect(texts.verbose.contains("    msg_type 1 (solicit)\n    transaction_id 0x123456\n"))
  }

  @Test("relay messages: hop count and addresses instead of the transaction id; ports 547")
  func relay() throws {
    let frame = try UDPApplication.craft(
      "eth() / ipv6(src=2001:db8::1, dst=2001:db8::2) / udp() / dhcpv6(msg_type=12,"
        + " hop_count=2, link_address=2001:db8::1, peer_address=fe80::1,"
        + " options=[option(code=9, hex=0x01000005)])")
    let texts = UDPApplication.texts(frame)
    #expect(texts.line == "IP6 2001:db8::1.547 > 2001:db8::2.547: dhcp6 relay-fwd")
    #expect(
      texts.json.hasSuffix(
        #""dhcpv6":{"msg_type":12,"hop_count":2,"link_address":"2001:db8::1","#
          + #""peer_address":"fe80::1","options":[{"code":9,"hex":"01000005"}]}}"# + "\n"))
  }

  @Test("message type names as tcpdump's, msgtype-N for the others")
  func names() throws {
    for (type, name) in [
      (2, "advertise"), (7, "reply"), (11, "inf-req"), (13, "relay-reply"),
      (15, "leasequery-reply"), (99, "msgtype-99"),
    ] {
      let frame = try UDPApplication.overIPv4(
        [UInt8(type), 0, 0, 1] + [UInt8](repeating: 0, count: 32), sport: 546, dport: 547)
      #expect(UDPApplication.texts(frame).line.hasSuffix(": dhcp6 \(name)"))
    }
  }

  @Test("shorter than 4 bytes: raw when captured whole, truncated and [|dhcp6] when cut")
  func short() throws {
    let frame = try UDPApplication.overIPv4([1, 0, 0], sport: 546, dport: 547)
    #expect(UDPApplication.kinds(frame).last == "raw")
    let solicit = try UDPApplication.craft(Self.solicit)
    #expect(UDPApplication.kinds(solicit, captured: Self.start + 3).last == "dhcpv6")
    let texts = UDPApplication.texts(solicit, captured: Self.start + 3)
    #expect(texts.line == "IP6 fe80::1.546 > ff02::1:2.547: dhcp6 [|dhcp6]")
    #expect(texts.json.hasSuffix(#""dhcpv6":{"msg_type":1,"truncated":true}}"# + "\n"))
    let partial = UDPApplication.texts(solicit, captured: Self.start + 10)
    #expect(partial.line == "IP6 fe80::1.546 > ff02::1:2.547: dhcp6 solicit")
    #expect(partial.json.contains("\"truncated\":true"))
  }

  @Test("an option or relay header running past the end: malformed; damage: no trap")
  func malformed() throws {
    let overrun = try UDPApplication.overIPv4(
      [11, 0, 8, 0x88, 0, 1, 0, 100, 1, 2], sport: 546, dport: 547)
    #expect(
      UDPApplication.texts(overrun).json.contains(#""malformed":"options 4: an option runs past"#))
    let relay = try UDPApplication.overIPv4(
      [12, 0] + [UInt8](repeating: 0, count: 20), sport: 547, dport: 547)
    #expect(
      UDPApplication.texts(relay).json.contains(
        #""malformed":"length 22: the message ends inside the relay header""#))
    UDPApplication.survivesDamage(try UDPApplication.craft(Self.solicit), payloadStart: Self.start)
  }

  @Test("the builder: scapy's ports by message type")
  func ports() throws {
    for (type, ports) in [
      (1, [2, 34, 2, 35]), (2, [2, 35, 2, 34]), (7, [2, 35, 2, 34]), (13, [2, 35, 2, 35]),
    ] {
      var message = DHCPv6()
      message.msgType = UInt8(type)
      let bytes = try (UDP() / message).build()
      #expect(Array(bytes[0..<4]) == ports.map(UInt8.init))
    }
  }
}
