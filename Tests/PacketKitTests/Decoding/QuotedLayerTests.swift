import Testing

@testable import PacketKit

/// Layers inside an ICMP error's quote, whatever their status, are marked quoted; a layer the
/// quote cuts short (not the capture) carries its bytes in `--json --hex` and is rebuilt from
/// them; bytes after a TCP `eol` survive a round trip; raw-IP link types read the version
/// nibble.
@Suite("Quoted layers, bytes after eol, raw-IP link types")
struct QuotedLayerTests {
  let decoder = FrameDecoder()

  /// The JSON line of `bytes` decoded as `linkType`, as `read --json` prints it.
  func json(_ bytes: [UInt8], linkType: LinkType, wireLength: Int? = nil, hex: Bool) -> String {
    let wire = wireLength ?? bytes.count
    let frame = decoder.decode(bytes, linkType: linkType, wireLength: wire)
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 0),
      capturedLength: bytes.count, wireLength: wire, linkType: linkType)
    var out = TextBuffer()
    JSONFormatter(includeHex: hex).write(frame, bytes: bytes.span, record: record, to: &out)
    return out.string
  }

  @Test(
    "ethernet-ipv4-icmp.pcap: the 8 quoted bytes of TCP are quoted, cut by the quote, rebuilt",
    arguments: [6, 9])
  func tcpCutByQuote(number: Int) throws {
    let packet = try PcapFixture.load("ethernet-ipv4-icmp.pcap")[number - 1]
    #expect(packet.record.capturedLength == packet.record.wireLength)
    let frame = decoder.decode(
      packet.bytes, linkType: packet.record.linkType, wireLength: packet.record.wireLength)
    #expect(frame.layers.map(\.kind) == [.ethernet, .ipv4, .icmp, .ipv4, .tcp])
    #expect(frame.layers.map(\.isQuoted) == [false, false, false, true, true])
    guard case .truncated(let cut) = frame[4].status else {
      Issue.record("the quoted TCP header is \(frame[4].status)")
      return
    }
    #expect(cut.bound == .quote && cut.available == 8 && cut.needed == 20)

    let withHex = PcapFixture.format(packet, includeHex: true)
    #expect(withHex.contains(#""truncated":true,"hex":""#), "\(withHex)")
    #expect(!PcapFixture.format(packet).contains("hex"))
    let rebuilt = try JSONPacket(JSONParser.parse(withHex))
    #expect(rebuilt.bytes == packet.bytes)
  }

  @Test("a quote the capture cuts short: still quoted, truncated by the capture, not rebuilt")
  func quoteCutByCapture() throws {
    let packet = try PcapFixture.load("ethernet-ipv4-icmp.pcap")[5]
    let short = Array(packet.bytes.prefix(packet.bytes.count - 3))
    let frame = decoder.decode(short, linkType: .ethernet, wireLength: packet.bytes.count)
    #expect(frame.layers.map(\.kind) == [.ethernet, .ipv4, .icmp, .ipv4, .tcp])
    #expect(frame[3].isQuoted && frame[4].isQuoted)
    guard case .truncated(let cut) = frame[4].status else {
      Issue.record("the quoted TCP header is \(frame[4].status)")
      return
    }
    #expect(cut.bound == .capture && cut.available == 5)
    let line = json(short, linkType: .ethernet, wireLength: packet.bytes.count, hex: true)
    #expect(!line.contains(#""hex""#), "\(line)")
    #expect(throws: JSONPacketError.self) { try JSONPacket(JSONParser.parse(line)) }
  }

  @Test("an ICMPv6 error quoting a header its quote cuts short: every quoted layer is marked")
  func ipv6CutByQuote() throws {
    // An ICMPv6 parameter problem quoting IPv6 / fragment / 16 bytes of an inner IPv6 header
    // (the shape of the corpus' icmpv6-rfc7112.pcap), over raw IPv6.
    let expression = try ExpressionParser.parse(
      "ipv6(src=2001:db8::1, dst=2001:db8::2) / icmpv6(type=4, code=3, rest=48)"
        + " / ipv6(src=2001:db8::2, dst=2001:db8::1, payload_length=24, next_header=44)"
        + " / raw(0x2900000100000007600000000030065c00000000000000000000000000000001)")
    let bytes = try #require(try PacketCrafter.packets(from: expression).first)
    let frame = decoder.decode(bytes, linkType: .raw)
    #expect(frame.layers.map(\.kind) == [.ipv6, .icmpv6, .ipv6, .ipv6])
    #expect(frame.layers.map(\.isQuoted) == [false, false, true, true])
    guard case .truncated(let cut) = frame[3].status else {
      Issue.record("the inner quoted IPv6 header is \(frame[3].status)")
      return
    }
    #expect(cut.bound == .quote)
    let rebuilt = try JSONPacket(JSONParser.parse(json(bytes, linkType: .raw, hex: true)))
    #expect(rebuilt.bytes == bytes)
  }

  @Test("bytes after a TCP eol that are not zero come back; zeros stay implicit")
  func bytesAfterEOL() throws {
    let expression = try ExpressionParser.parse(
      "eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02) / ipv4(src=192.0.2.1, dst=192.0.2.2)"
        + " / tcp(sport=1, dport=2, options=[mss=1460, eol, nop, unknown=(254, 0xab)])")
    let bytes = try #require(try PacketCrafter.packets(from: expression).first)
    let withHex = json(bytes, linkType: .ethernet, hex: true)
    #expect(withHex.contains(#"{"kind":"eol","hex":"01fe03ab000000"}"#), "\(withHex)")
    #expect(try JSONPacket(JSONParser.parse(withHex)).bytes == bytes)
    let plain = json(bytes, linkType: .ethernet, hex: false)
    #expect(plain.contains(#"{"kind":"eol"}]"#), "\(plain)")

    let zeros = try #require(
      try PacketCrafter.packets(
        from: ExpressionParser.parse(
          "ipv4(src=192.0.2.1, dst=192.0.2.2) / tcp(options=[nop, eol, eol, eol])")
      ).first)
    let line = json(zeros, linkType: .raw, hex: true)
    #expect(line.contains(#"{"kind":"eol"}]"#), "\(line)")
    #expect(try JSONPacket(JSONParser.parse(line)).bytes == zeros)
  }

  @Test(
    "raw-IP link types read the version nibble",
    arguments: [
      (LinkType.ipv4, 6, LayerKind.ipv6), (LinkType.ipv6, 4, LayerKind.ipv4),
      (LinkType.raw, 6, LayerKind.ipv6), (LinkType.raw, 4, LayerKind.ipv4),
      (LinkType.ipv4, 4, LayerKind.ipv4), (LinkType.ipv6, 6, LayerKind.ipv6),
    ])
  func rawLinkTypes(linkType: LinkType, version: Int, kind: LayerKind) throws {
    let ip =
      version == 6 ? "ipv6(src=2001:db8::1, dst=2001:db8::2)" : "ipv4(src=192.0.2.1, dst=192.0.2.2)"
    let bytes = try #require(
      try PacketCrafter.packets(from: ExpressionParser.parse(ip + " / udp(sport=1, dport=2)"))
        .first)
    let frame = decoder.decode(bytes, linkType: linkType)
    #expect(frame.layers.map(\.kind) == [kind, .udp])
    #expect(frame.layers.allSatisfy { $0.status.isComplete })
  }

  @Test("a version nibble that is neither 4 nor 6 is the link type's own version, malformed")
  func otherVersions() throws {
    var bytes = try #require(
      try PacketCrafter.packets(
        from: ExpressionParser.parse("ipv6(src=2001:db8::1, dst=2001:db8::2) / udp")
      ).first)
    bytes[0] = 0x50
    for (linkType, kind) in [(LinkType.ipv6, LayerKind.ipv6), (.ipv4, .ipv4), (.raw, .ipv4)] {
      let frame = decoder.decode(bytes, linkType: linkType)
      #expect(frame.count == 1 && frame[0].kind == kind, "\(linkType)")
      if case .malformed = frame[0].status {} else { Issue.record("\(linkType): not malformed") }
    }
    #expect(decoder.decode([UInt8](), linkType: .raw).count == 0)
    #expect(decoder.decode([UInt8](), linkType: .ipv6).first(.ipv6) != nil)
  }
}
