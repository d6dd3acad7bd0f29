import Testing

@testable import PacketKit

@Suite("ReplyExpectation")
struct ReplyExpectationTests {
  static let synAck =
    "eth() / ipv4(src=192.0.2.2, dst=192.0.2.1) / tcp(sport=80, dport=40000, flags=SA, seq=5000, ack=1001)"
  static let reset =
    "eth() / ipv4(src=192.0.2.2, dst=192.0.2.1) / tcp(sport=80, dport=40000, flags=RA, ack=1001)"
  static let portUnreachable =
    "eth() / ipv4(src=192.0.2.2, dst=192.0.2.1) / icmp(type=3, code=3) / ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=40000, dport=33434)"

  /// Why `reply` does not meet `expectation` (nil when it does).
  func mismatch(_ expectation: String, _ reply: String) throws -> String? {
    let frame = try Crafted(reply)
    let expected = try ReplyExpectation(parsing: expectation)
    let reason = expected.mismatch(in: frame.frame, bytes: frame.bytes.span)
    #expect(expected.isMet(by: frame.frame, bytes: frame.bytes.span) == (reason == nil))
    return reason
  }

  @Test("tcp(flags=SA) means flags == 0x012 exactly")
  func tcpFlags() throws {
    #expect(try mismatch("tcp(flags=SA)", Self.synAck) == nil)
    #expect(
      try mismatch("tcp(flags=SA)", Self.reset) == "tcp.flags is 0x014 (RA), expected 0x012 (SA)")
    #expect(
      try mismatch("tcp(flags=S)", Self.synAck) == "tcp.flags is 0x012 (SA), expected 0x002 (S)")
    #expect(try mismatch("tcp(flags=0x12, sport=80, ack=1001)", Self.synAck) == nil)
    #expect(try mismatch("tcp(flags=[SA, RA])", Self.reset) == nil)
    #expect(
      try mismatch("tcp(flags=[SA, F])", Self.reset)
        == "tcp.flags is 0x014 (RA), expected one of 0x012 (SA), 0x001 (F)")
  }

  @Test("Layers in order, fields equal, addresses and ranges")
  func layersInOrder() throws {
    #expect(try mismatch("ipv4(src=192.0.2.2) / tcp(flags=SA)", Self.synAck) == nil)
    #expect(try mismatch("eth(type=0x0800) / tcp(dport=40000)", Self.synAck) == nil)
    #expect(
      try mismatch("ipv4(src=192.0.2.3) / tcp(flags=SA)", Self.synAck)
        == "ipv4.src is 192.0.2.2, expected 192.0.2.3")
    #expect(try mismatch("ipv4(src=192.0.2.0/24)", Self.synAck) == nil)
    #expect(
      try mismatch("ip(src=198.51.100.0/24)", Self.synAck)
        == "ipv4.src is 192.0.2.2, expected 198.51.100.0-198.51.100.255")
    #expect(try mismatch("tcp / ipv4", Self.synAck) == "no ipv4 layer after tcp in eth:ipv4:tcp")
    #expect(try mismatch("udp", Self.synAck) == "no udp layer in eth:ipv4:tcp")
    #expect(try mismatch("tcp(sport=70-90, window=8192)", Self.synAck) == nil)
  }

  @Test("ICMP errors: type and code, and the quote only after the error")
  func icmpErrors() throws {
    #expect(try mismatch("icmp(type=3, code=3)", Self.portUnreachable) == nil)
    #expect(try mismatch("icmp(type=0-3)", Self.portUnreachable) == nil)
    #expect(
      try mismatch("icmp(type=3, code=1)", Self.portUnreachable) == "icmp.code is 3, expected 1")
    #expect(try mismatch("icmp(type=3) / udp(dport=33434)", Self.portUnreachable) == nil)
    #expect(try mismatch("icmp / ipv4(dst=192.0.2.2)", Self.portUnreachable) == nil)
    #expect(
      try mismatch("udp(dport=33434)", Self.portUnreachable)
        == "no udp layer in eth:ipv4:icmp:ipv4:udp (only inside an ICMP error's quote)")
    #expect(
      try mismatch("icmpv6(type=1, code=4)", Self.portUnreachable)
        == "no icmpv6 layer in eth:ipv4:icmp:ipv4:udp")
    // The outer IPv4 header is the first one; the quote's comes later.
    #expect(
      try mismatch("ipv4(src=192.0.2.1)", Self.portUnreachable)
        == "ipv4.src is 192.0.2.2, expected 192.0.2.1")
  }

  @Test("Fields read --json prints beyond crafting's: checksum_valid, payload_length, raw length")
  func readOnlyFields() throws {
    let echo =
      "eth() / ipv4(src=192.0.2.2, dst=192.0.2.1) / icmp(type=0, id=7, seq=3) / raw(\"ping\")"
    #expect(try mismatch("ipv4(checksum_valid=true) / icmp(checksum_valid=true)", echo) == nil)
    #expect(try mismatch("raw(length=4)", echo) == nil)
    #expect(try mismatch("raw(\"ping\")", echo) == nil)
    #expect(try mismatch("raw(hex=0x70696e67)", echo) == nil)
    #expect(try mismatch("raw(\"pong\")", echo) == "raw.hex is 0x70696e67, expected 0x706f6e67")
    #expect(try mismatch("tcp(payload_length=0, checksum_valid=true)", Self.synAck) == nil)
    let badChecksum =
      "eth() / ipv4(src=192.0.2.2, dst=192.0.2.1) / tcp(sport=80, dport=40000, flags=SA, checksum=1)"
    #expect(
      try mismatch("tcp(checksum_valid=true)", badChecksum)
        == "tcp.checksum_valid is false, expected true")
    // ICMP id/seq and rest follow from each other.
    #expect(try mismatch("icmp(id=7, seq=3)", echo) == nil)
    #expect(try mismatch("icmp(rest=0x00070003)", echo) == nil)
    #expect(try mismatch("icmp(id=8)", echo) == "icmp.id is 7, expected 8")
    #expect(try mismatch("icmp(id=0)", Self.portUnreachable) == nil)
  }

  @Test("Lists: TCP options, neighbour-discovery options and target, IPv6 extensions")
  func lists() throws {
    let packets = try PcapFixture.load("ethernet-ipv4-tcp.pcap")
    let synAck = Crafted(bytes: packets[1].bytes, linkType: packets[1].record.linkType)
    let options = try ReplyExpectation(
      parsing:
        "tcp(flags=SA, options=[mss=1460, sack_permitted, timestamp=(200,100), nop, window_scale=7])"
    )
    #expect(options.mismatch(in: synAck.frame, bytes: synAck.bytes.span) == nil)
    let wrong = try ReplyExpectation(parsing: "tcp(options=[mss=1400])")
    #expect(
      wrong.mismatch(in: synAck.frame, bytes: synAck.bytes.span)
        == "tcp.options is [mss=1460, sack_permitted, timestamp=(200,100), nop, window_scale=7], expected [mss=1400]"
    )
    let advertisement =
      "eth() / ipv6(src=2001:db8::2, dst=2001:db8::1, hop_limit=255) / icmpv6(type=136, rest=0x60000000, target=2001:db8::2, options=[target_mac=02:00:00:00:00:02])"
    #expect(
      try mismatch(
        "ipv6(hop_limit=255) / icmpv6(type=136, target=2001:db8::2, options=[target_mac=02:00:00:00:00:02])",
        advertisement) == nil)
    #expect(
      try mismatch("icmpv6(target=2001:db8::3)", advertisement)
        == "icmpv6.target is 2001:db8::2, expected 2001:db8::3")
    #expect(
      try mismatch("icmpv6(options=[target_mac=02:00:00:00:00:03])", advertisement)
        == "icmpv6.options is [0x0201020000000002], expected [0x0201020000000003]")
    let extensions =
      "eth() / ipv6(src=2001:db8::2, dst=2001:db8::1, extensions=[hop_by_hop(), fragment(id=7, mf=true)]) / udp(sport=53, dport=40000)"
    #expect(try mismatch("ipv6(extensions=[hop_by_hop, fragment(id=7)])", extensions) == nil)
    #expect(try mismatch("ipv6(extensions=[hop_by_hop, fragment(mf=true)])", extensions) == nil)
    #expect(
      try mismatch("ipv6(extensions=[hop_by_hop, fragment(id=8)])", extensions)
        == "ipv6.extensions is [hop_by_hop, fragment(id=7)], expected [hop_by_hop, fragment(id=8)]")
    #expect(
      try mismatch("ipv6(extensions=[fragment])", extensions)
        == "ipv6.extensions is [hop_by_hop, fragment], expected [fragment]")
  }

  @Test("ARP: the usual hardware and protocol types read --json leaves out")
  func arp() throws {
    let reply =
      "eth() / arp(op=2, sender_mac=02:00:00:00:00:02, sender_ip=192.0.2.2, target_ip=192.0.2.1)"
    #expect(
      try mismatch(
        "arp(op=2, hardware_type=1, protocol_type=0x0800, sender_ip=192.0.2.2, sender_mac=02:00:00:00:00:02)",
        reply) == nil)
    #expect(try mismatch("arp(op=1)", reply) == "arp.op is 2, expected 1")
  }

  @Test("Bad expectations: one line naming the layer, the field and the position")
  func errors() throws {
    func error(_ text: String) -> ExpressionError? {
      #expect(throws: ExpressionError.self) { _ = try ReplyExpectation(parsing: text) }
    }
    let layer = error("tcp / foo(x=1)")
    #expect(
      layer?.description
        == "foo: unknown layer foo; layers: eth, vlan, arp, ipv4, ipv6, tcp, udp, icmp, icmpv6, dns, raw"
    )
    #expect(layer?.position == 6)
    let field = error("tcp(flagz=SA)")
    #expect(
      field?.description
        == "tcp: field flagz: unknown field flagz; fields of tcp: src_port, dst_port, seq, ack, header_length, flags, window, checksum, urgent, options, checksum_valid, payload_length"
    )
    #expect(field?.position == 4)
    #expect(error("ipv4(ttl=300)")?.description == "ipv4: field ttl: 300 is out of range 0...255")
    #expect(
      error("tcp(flags=SX)")?.description
        == "tcp: field flags: unknown TCP flag X; flags are F S R P A U E C N")
    #expect(
      error("udp(sport=random)")?.description == "udp: field sport: random cannot be expected")
    #expect(
      error("vlan(tpid=0x8100)")?.description
        == "vlan: field tpid: tpid cannot be expected: read --json does not show it")
    #expect(
      error("tcp(sport=1, src_port=2)")?.description
        == "tcp: field src_port: field src_port is given twice")
    #expect(error("tcp(flags=SA")?.description == "tcp: expected ')' after the fields of tcp")
  }
}
