import Testing

@testable import PacketKit

/// The packet `expression` builds (the first of its expansion).
private func craft(_ expression: String) throws -> [UInt8] {
  try PacketCrafter.packets(from: try ExpressionParser.parse(expression))[0]
}

/// Every checksum the decoder can verify, layer by layer (quoted layers included).
private func checksums(_ bytes: [UInt8], linkType: LinkType = .ethernet) -> [(String, Bool?)] {
  var frame = DecodedFrame(linkType: linkType, capturedLength: 0, wireLength: 0)
  FrameDecoder(verifyChecksums: true).decode(
    bytes.span, linkType: linkType, wireLength: bytes.count, into: &frame)
  return (0..<frame.count).map { ("\(frame[$0].kind)", frame[$0].checksumValid) }
}

@Suite("PacketRewriter")
struct PacketRewriterTests {
  static let v4 = try! AddressMapping(parsing: "192.0.2.0/24=198.51.100.0/24")
  static let v6 = try! AddressMapping(parsing: "2001:db8:1::/48=2001:db8:ff::/48")

  /// Rewriting A's packet must give exactly the packet crafted with B's addresses: every
  /// checksum the builder computes comes out the same after an incremental update.
  @Test(
    "Rewriting equals crafting with the new addresses",
    arguments: [
      (
        "ipv4(src=192.0.2.1, dst=192.0.2.2)/tcp(sport=1234, dport=80, flags=S)/raw(\"hello\")",
        "ipv4(src=198.51.100.1, dst=198.51.100.2)/tcp(sport=1234, dport=80, flags=S)/raw(\"hello\")"
      ),
      (
        "ipv4(src=192.0.2.1, dst=203.0.113.9)/udp(sport=53, dport=5353)/raw(\"odd\")",
        "ipv4(src=198.51.100.1, dst=203.0.113.9)/udp(sport=53, dport=5353)/raw(\"odd\")"
      ),
      (
        "vlan(id=100)/ipv4(src=192.0.2.1, dst=192.0.2.2)/icmp(type=8, id=7, seq=1)",
        "vlan(id=100)/ipv4(src=198.51.100.1, dst=198.51.100.2)/icmp(type=8, id=7, seq=1)"
      ),
      // An ICMP error quotes the packet it answers: the quote is rewritten too.
      (
        "ipv4(src=203.0.113.1, dst=192.0.2.1)/icmp(type=3, code=3)/ipv4(src=192.0.2.1, dst=192.0.2.7)/udp(sport=4000, dport=9)/raw(\"x\")",
        "ipv4(src=203.0.113.1, dst=198.51.100.1)/icmp(type=3, code=3)/ipv4(src=198.51.100.1, dst=198.51.100.7)/udp(sport=4000, dport=9)/raw(\"x\")"
      ),
      (
        "ipv4(src=203.0.113.1, dst=192.0.2.1)/icmp(type=11, code=0)/ipv4(src=192.0.2.1, dst=192.0.2.7)/tcp(sport=4000, dport=80)",
        "ipv4(src=203.0.113.1, dst=198.51.100.1)/icmp(type=11, code=0)/ipv4(src=198.51.100.1, dst=198.51.100.7)/tcp(sport=4000, dport=80)"
      ),
      (
        "ipv6(src=2001:db8:1::1, dst=2001:db8:2::2)/tcp(sport=1, dport=443, flags=PA)/raw(\"data\")",
        "ipv6(src=2001:db8:ff::1, dst=2001:db8:2::2)/tcp(sport=1, dport=443, flags=PA)/raw(\"data\")"
      ),
      (
        "ipv6(src=2001:db8:1::1, dst=2001:db8:1::2)/icmpv6(type=128, id=1, seq=2)/raw(\"ping\")",
        "ipv6(src=2001:db8:ff::1, dst=2001:db8:ff::2)/icmpv6(type=128, id=1, seq=2)/raw(\"ping\")"
      ),
      // Through extension headers (hop-by-hop, then a first fragment).
      (
        "ipv6(src=2001:db8:1::1, dst=2001:db8:1::2, extensions=[hop_by_hop(hex=0x010400000000), fragment(fragment_offset=0, mf=true, id=7)])/udp(sport=1, dport=2)/raw(\"frag\")",
        "ipv6(src=2001:db8:ff::1, dst=2001:db8:ff::2, extensions=[hop_by_hop(hex=0x010400000000), fragment(fragment_offset=0, mf=true, id=7)])/udp(sport=1, dport=2)/raw(\"frag\")"
      ),
      (
        "ipv6(src=2001:db8:3::1, dst=2001:db8:1::1)/icmpv6(type=1, code=4)/ipv6(src=2001:db8:1::1, dst=2001:db8:3::1)/udp(sport=7, dport=9)",
        "ipv6(src=2001:db8:3::1, dst=2001:db8:ff::1)/icmpv6(type=1, code=4)/ipv6(src=2001:db8:ff::1, dst=2001:db8:3::1)/udp(sport=7, dport=9)"
      ),
      (
        "arp(op=1, sender_ip=192.0.2.1, target_ip=192.0.2.2)",
        "arp(op=1, sender_ip=198.51.100.1, target_ip=198.51.100.2)"
      ),
    ])
  func matchesCrafted(before: String, after: String) throws {
    let eth = "eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02)/"
    var frame = try craft(eth + before)
    let expected = try craft(eth + after)
    let rewriter = PacketRewriter(addressMappings: [Self.v4, Self.v6])
    #expect(rewriter.rewrite(&frame, linkType: .ethernet))
    #expect(frame == expected)
    for (layer, valid) in checksums(frame) { #expect(valid != false, "\(layer)") }
  }

  @Test("Raw IP frames are rewritten")
  func rawIP() throws {
    var packet = try craft("ipv4(src=192.0.2.1, dst=192.0.2.2)/udp(sport=1, dport=2)")
    let expected = try craft("ipv4(src=198.51.100.1, dst=198.51.100.2)/udp(sport=1, dport=2)")
    PacketRewriter(addressMappings: [Self.v4]).rewrite(&packet, linkType: .raw)
    #expect(packet == expected)
  }

  @Test("Checksums wrong on purpose stay wrong, unless fixChecksums")
  func wrongStaysWrong() throws {
    let original = try craft(
      "eth/ipv4(src=192.0.2.1, dst=192.0.2.2, checksum=0x1234)/udp(sport=1, dport=2, checksum=0x4321)/raw(\"x\")"
    )
    var kept = original
    PacketRewriter(addressMappings: [Self.v4]).rewrite(&kept, linkType: .ethernet)
    #expect(checksums(kept).filter { $0.1 != nil }.map(\.1) == [false, false])
    #expect(kept[26...29] == [198, 51, 100, 1])
    var fixed = original
    PacketRewriter(addressMappings: [Self.v4], fixChecksums: true).rewrite(
      &fixed, linkType: .ethernet)
    #expect(checksums(fixed).filter { $0.1 != nil }.map(\.1) == [true, true])
    #expect(
      fixed
        == (try craft(
          "eth/ipv4(src=198.51.100.1, dst=198.51.100.2)/udp(sport=1, dport=2)/raw(\"x\")")))
  }

  @Test("A UDP checksum of 0 (none) stays 0")
  func zeroUDPChecksum() throws {
    var frame = try craft(
      "eth/ipv4(src=192.0.2.1, dst=192.0.2.2)/udp(sport=1, dport=2, checksum=0)/raw(\"x\")")
    PacketRewriter(addressMappings: [Self.v4]).rewrite(&frame, linkType: .ethernet)
    #expect(frame[40] == 0 && frame[41] == 0)
    #expect(checksums(frame).first { $0.0 == "ipv4" }?.1 == true)
  }

  @Test("A truncated capture and a non-first fragment are rewritten without a crash")
  func truncatedAndFragments() throws {
    let full = try craft(
      "eth/ipv4(src=192.0.2.1, dst=192.0.2.2)/tcp(sport=1, dport=2)/raw(\"0123456789\")")
    for cut in 0...full.count {
      var frame = Array(full[..<cut])
      PacketRewriter(addressMappings: [Self.v4], fixChecksums: true).rewrite(
        &frame, linkType: .ethernet)
      #expect(frame.count == cut)
    }
    var fragment = try craft(
      "eth/ipv4(src=192.0.2.1, dst=192.0.2.2, fragment_offset=8, protocol=17)/raw(\"abcdefgh\")")
    let payload = Array(fragment[34...])
    PacketRewriter(addressMappings: [Self.v4]).rewrite(&fragment, linkType: .ethernet)
    #expect(Array(fragment[34...]) == payload)
    #expect(checksums(fragment).first { $0.0 == "ipv4" }?.1 == true)
  }

  @Test("MAC mappings rewrite Ethernet and ARP hardware addresses")
  func macMapping() throws {
    let from =
      "eth(src=02:00:00:00:00:01, dst=ff:ff:ff:ff:ff:ff)/arp(op=1, sender_mac=02:00:00:00:00:01, sender_ip=192.0.2.1, target_ip=192.0.2.2)"
    let to =
      "eth(src=02:00:00:00:00:aa, dst=ff:ff:ff:ff:ff:ff)/arp(op=1, sender_mac=02:00:00:00:00:aa, sender_ip=192.0.2.1, target_ip=192.0.2.2)"
    var frame = try craft(from)
    let rewriter = PacketRewriter(
      macMappings: [try MACMapping(parsing: "02:00:00:00:00:01=02:00:00:00:00:aa")])
    #expect(rewriter.rewrite(&frame, linkType: .ethernet))
    #expect(frame == (try craft(to)))
    #expect(!rewriter.rewrite(&frame, linkType: .ethernet))
  }

  @Test("Prefix mappings keep the host part; the first matching rule wins")
  func prefixes() throws {
    let rule = try AddressMapping(parsing: "10.0.0.0/8=192.0.2.0/8")
    #expect(rule.map(IPv4Address("10.1.2.3")!.rawValue) == IPv4Address("192.1.2.3")!.rawValue)
    #expect(rule.map(IPv4Address("11.1.2.3")!.rawValue) == nil)
    let host = try AddressMapping(parsing: "192.0.2.1=203.0.113.5")
    #expect(host.map(IPv4Address("192.0.2.1")!.rawValue) == IPv4Address("203.0.113.5")!.rawValue)
    #expect(host.map(IPv4Address("192.0.2.2")!.rawValue) == nil)
    let six = try AddressMapping(parsing: "2001:db8:1::/48=2001:db8:abcd::/48")
    #expect(six.map(IPv6Address("2001:db8:1::42")!) == IPv6Address("2001:db8:abcd::42")!)
    #expect(six.map(IPv6Address("2001:db8:2::42")!) == nil)
    #expect(six.map(IPv4Address("10.0.0.1")!.rawValue) == nil)
  }

  @Test(
    "Bad mappings are one-line errors",
    arguments: [
      ("192.0.2.1", "expected FROM=TO"), ("192.0.2.1=", "is not an IPv4 or IPv6 address"),
      ("192.0.2.0/24=198.51.100.0/25", "prefix lengths differ"),
      ("192.0.2.1=2001:db8::1", "both sides must be IPv4, or both IPv6"),
      ("192.0.2.0/33=198.51.100.0/33", "above /32"), ("1.2.3=4.5.6.7", "is not an IPv4"),
      ("192.0.2.0/x=198.51.100.0/24", "is not a prefix length"),
    ])
  func badMappings(text: String, message: String) {
    #expect {
      try AddressMapping(parsing: text)
    } throws: { error in
      "\(error)".contains(message) && !"\(error)".contains("\n")
    }
  }
}
