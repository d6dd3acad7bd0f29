import Testing

@testable import PacketKit

// Expected lines: checked field by field against `../shared/tools/truth.py` (tshark 4.0.17)
// on the same fixture packets, where the truth has the field (see the report of the
// `json` branch for the places where CONTRACT.md and the oracle differ).
@Suite("JSONFormatter")
struct JSONFormatterTests {
  static let vectors: [(file: String, number: Int, title: String, json: String)] = [
    (
      "ethernet-ipv4-tcp.pcap", 1, "TCP SYN with options",
      #"{"frame":{"number":1,"time":"1700000000.000001000","caplen":74,"len":74,"protocols":"eth:ipv4:tcp"},"eth":{"src":"02:00:00:00:00:01","dst":"02:00:00:00:00:02","type":2048},"ipv4":{"header_length":20,"tos":0,"total_length":60,"id":100,"df":true,"mf":false,"fragment_offset":0,"ttl":64,"protocol":6,"checksum":46676,"checksum_valid":true,"src":"192.0.2.1","dst":"192.0.2.2"},"tcp":{"src_port":40000,"dst_port":80,"seq":1000,"ack":0,"header_length":40,"flags":2,"flags_text":"S","window":64240,"checksum":10287,"checksum_valid":true,"urgent":0,"options":[{"kind":"mss","value":1460},{"kind":"sack_permitted"},{"kind":"timestamp","value":100,"echo":0},{"kind":"nop"},{"kind":"window_scale","value":7}],"payload_length":0}}"#
        + "\n"
    ),
    (
      "ethernet-ipv4-icmp.pcap", 5, "ICMP error quote: ipv4 is an array",
      #"{"frame":{"number":5,"time":"1700000000.004001000","caplen":75,"len":75,"protocols":"eth:ipv4:icmp:ipv4:udp:raw"},"eth":{"src":"02:00:00:00:00:02","dst":"02:00:00:00:00:01","type":2048},"ipv4":[{"header_length":20,"tos":0,"total_length":61,"id":305,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":1,"checksum":62859,"checksum_valid":true,"src":"192.0.2.2","dst":"192.0.2.1"},{"header_length":20,"tos":0,"total_length":33,"id":304,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":17,"checksum":62872,"checksum_valid":true,"src":"192.0.2.1","dst":"192.0.2.2"}],"icmp":{"type":3,"code":3,"checksum":33055,"checksum_valid":true,"rest":0},"udp":{"src_port":40000,"dst_port":33434,"length":13,"checksum":6176,"checksum_valid":true,"payload_length":5},"raw":{"length":5,"hex":"70726f6265"}}"#
        + "\n"
    ),
    (
      "ethernet-vlan.pcap", 3, "QinQ: vlan is an array",
      #"{"frame":{"number":3,"time":"1700000000.002001000","caplen":54,"len":54,"protocols":"eth:vlan:vlan:ipv4:udp:raw"},"eth":{"src":"02:00:00:00:00:01","dst":"02:00:00:00:00:02","type":34984},"vlan":[{"id":200,"pcp":3,"dei":0,"type":33024},{"id":10,"pcp":1,"dei":1,"type":2048}],"ipv4":{"header_length":20,"tos":0,"total_length":32,"id":802,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":17,"checksum":62375,"checksum_valid":true,"src":"192.0.2.1","dst":"192.0.2.2"},"udp":{"src_port":6000,"dst_port":6001,"length":12,"checksum":27926,"checksum_valid":true,"payload_length":4},"raw":{"length":4,"hex":"71696e71"}}"#
        + "\n"
    ),
    (
      "ethernet-ipip.pcap", 5, "IPv4 in IPv4 in IPv4",
      #"{"frame":{"number":5,"time":"1700000000.004001000","caplen":89,"len":89,"protocols":"eth:ipv4:ipv4:ipv4:udp:raw"},"eth":{"src":"02:00:00:00:00:01","dst":"02:00:00:00:00:02","type":2048},"ipv4":[{"header_length":20,"tos":0,"total_length":75,"id":1804,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":4,"checksum":64414,"checksum_valid":true,"src":"203.0.113.1","dst":"203.0.113.2"},{"header_length":20,"tos":0,"total_length":55,"id":1805,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":4,"checksum":8012,"checksum_valid":true,"src":"198.51.100.1","dst":"198.51.100.2"},{"header_length":20,"tos":0,"total_length":35,"id":1806,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":17,"checksum":61368,"checksum_valid":true,"src":"192.0.2.1","dst":"192.0.2.2"}],"udp":{"src_port":5000,"dst_port":5001,"length":15,"checksum":5295,"checksum_valid":true,"payload_length":7},"raw":{"length":7,"hex":"34696e34696e34"}}"#
        + "\n"
    ),
    (
      "snaplen-truncated.pcap", 7, "IPv4 header cut at 10 bytes: fields up to protocol",
      #"{"frame":{"number":7,"time":"1700000000.006001000","caplen":24,"len":62,"protocols":"eth:ipv4"},"eth":{"src":"02:00:00:00:00:01","dst":"02:00:00:00:00:02","type":2048},"ipv4":{"header_length":20,"tos":0,"total_length":48,"id":1404,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":17,"truncated":true}}"#
        + "\n"
    ),
    (
      "snaplen-truncated.pcap", 6, "TCP options cut: complete options only",
      #"{"frame":{"number":6,"time":"1700000000.005001000","caplen":64,"len":94,"protocols":"eth:ipv4:tcp"},"eth":{"src":"02:00:00:00:00:01","dst":"02:00:00:00:00:02","type":2048},"ipv4":{"header_length":20,"tos":0,"total_length":80,"id":1403,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":6,"checksum":61737,"checksum_valid":true,"src":"192.0.2.1","dst":"192.0.2.2"},"tcp":{"src_port":40000,"dst_port":80,"seq":1,"ack":0,"header_length":60,"flags":2,"flags_text":"S","window":64240,"checksum":54855,"urgent":0,"options":[{"kind":"mss","value":1460},{"kind":"sack_permitted"}],"payload_length":0,"truncated":true}}"#
        + "\n"
    ),
    (
      "malformed.pcap", 1, "IHL 4: malformed with the fields read",
      #"{"frame":{"number":1,"time":"1700000000.000001000","caplen":50,"len":50,"protocols":"eth:ipv4"},"eth":{"src":"02:00:00:00:00:01","dst":"02:00:00:00:00:02","type":2048},"ipv4":{"header_length":16,"tos":0,"total_length":36,"id":1500,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":17,"checksum":61673,"src":"192.0.2.1","dst":"192.0.2.2","malformed":"header_length 16: less than 20 bytes","hex":"4400002405dc00004011f0e9c0000201c0000202000100020010be767061796c6f616421"}}"#
        + "\n"
    ),
    (
      "ethernet-icmpv6.pcap", 3, "neighbour solicitation: target and options",
      #"{"frame":{"number":3,"time":"1700000000.002001000","caplen":86,"len":86,"protocols":"eth:ipv6:icmpv6:raw"},"eth":{"src":"02:00:00:00:00:01","dst":"33:33:ff:00:00:02","type":34525},"ipv6":{"traffic_class":0,"flow_label":0,"payload_length":32,"next_header":58,"hop_limit":255,"src":"2001:db8::1","dst":"ff02::1:ff00:2","extensions":[]},"icmpv6":{"type":135,"code":0,"checksum":7207,"checksum_valid":true,"rest":0,"target":"2001:db8::2","options":[{"type":1,"length":8,"mac":"02:00:00:00:00:01"}]},"raw":{"length":24,"hex":"20010db80000000000000000000000020101020000000001"}}"#
        + "\n"
    ),
    (
      "ethernet-8023-llc.pcap", 1, "802.3: length and padding",
      #"{"frame":{"number":1,"time":"1700000000.000001000","caplen":60,"len":60,"protocols":"eth:raw"},"eth":{"src":"02:00:00:00:00:01","dst":"01:80:c2:00:00:00","length":38,"padding":"0000000000000000"},"raw":{"length":38,"hex":"4242030000000000800002000000000100000000800002000000000180010000140002000f00"}}"#
        + "\n"
    ),
    (
      "ethernet-ipv4-tcp.pcap", 16, "AE flag, TOS ECN",
      #"{"frame":{"number":16,"time":"1700000000.015001000","caplen":63,"len":63,"protocols":"eth:ipv4:tcp:raw"},"eth":{"src":"02:00:00:00:00:01","dst":"02:00:00:00:00:02","type":2048},"ipv4":{"header_length":20,"tos":3,"total_length":49,"id":109,"df":false,"mf":false,"fragment_offset":0,"ttl":64,"protocol":6,"checksum":63059,"checksum_valid":true,"src":"192.0.2.1","dst":"192.0.2.2"},"tcp":{"src_port":40003,"dst_port":80,"seq":11001,"ack":12001,"header_length":20,"flags":344,"flags_text":"PAEN","window":502,"checksum":28785,"checksum_valid":true,"urgent":0,"options":[],"payload_length":9},"raw":{"length":9,"hex":"63652d6d61726b6564"}}"#
        + "\n"
    ),
  ]

  @Test("fixture packets, exact lines", arguments: 0..<vectors.count)
  func fixturePacket(index: Int) throws {
    let vector = Self.vectors[index]
    let line = try PcapFixture.json(vector.file, vector.number, includeHex: true)
    #expect(line == vector.json, "\(vector.title)")
  }

  @Test("raw hex only with includeHex")
  func rawHexOnlyWithFlag() throws {
    let line = try PcapFixture.json("ethernet-vlan.pcap", 3)
    #expect(line.contains(#""raw":{"length":4}}"#))
  }

  @Test("a malformed layer's hex: its bytes to the frame's end, only with includeHex")
  func malformedHex() throws {
    let plain = try PcapFixture.json("malformed.pcap", 4)
    #expect(plain.hasSuffix(#""malformed":"header_length 12: less than 20 bytes"}}"# + "\n"))
    let line = try PcapFixture.json("malformed.pcap", 4, includeHex: true)
    #expect(
      line.hasSuffix(
        #""malformed":"header_length 12: less than 20 bytes","hex":"9c400050000000010000000130100200d477000064617461"}}"#
          + "\n"))
    // A malformed Ethernet header: the whole frame.
    #expect(
      try PcapFixture.json("malformed.pcap", 15, includeHex: true).hasSuffix(
        #""eth":{"dst":"02:00:00:00:00:02","malformed":"length 10: the frame ends inside the header","hex":"02000000000202000000"}}"#
          + "\n"))
  }

  @Test("a malformed layer's hex leaves out the Ethernet padding")
  func malformedHexWithoutPadding() throws {
    let line = PcapFixture.format(Self.malformedUDPWithPadding, includeHex: true)
    #expect(line.contains(#""padding":"aaaaaaaaaaaa""#))
    #expect(
      line.hasSuffix(
        #""udp":{"src_port":1,"dst_port":2,"length":4,"checksum":0,"malformed":"length 4: less than 8","hex":"0001000200040000"}}"#
          + "\n"))
  }

  /// Ethernet, IPv4 (total length 28), a UDP header whose length says 4, then 6 bytes of
  /// padding.
  static var malformedUDPWithPadding: PcapFixture.Packet {
    let bytes =
      HexBytes.parse(
        "0200000000020200000000010800" + "4500001c000100004011f6ccc0000201c0000202"
          + "0001000200040000" + "aaaaaaaaaaaa")!
    return PcapFixture.Packet(
      record: CaptureRecord(
        number: 1, timestamp: Timestamp(seconds: 1), capturedLength: bytes.count,
        wireLength: bytes.count, linkType: .ethernet),
      bytes: bytes)
  }

  @Test("TCP options that cannot be decoded: a malformed entry with includeHex")
  func malformedTCPOption() throws {
    let plain = try PcapFixture.json("malformed.pcap", 17)
    #expect(plain.contains(#""options":[{"kind":"nop"},{"kind":"nop"}],"#))
    let line = try PcapFixture.json("malformed.pcap", 17, includeHex: true)
    #expect(
      line.contains(
        #""options":[{"kind":"nop"},{"kind":"nop"},{"kind":"malformed","hex":"080a"}],"#))
    #expect(
      try PcapFixture.json("malformed.pcap", 16, includeHex: true).contains(
        #""options":[{"kind":"malformed","hex":"02000101"}],"#))
  }

  @Test("IPv6 extension headers carry next_header, with or without includeHex")
  func extensionNextHeader() throws {
    let line = try PcapFixture.json("ethernet-ipv6.pcap", 9)
    #expect(
      line.contains(
        #""extensions":[{"type":44,"length":8,"next_header":17,"fragment_offset":56,"mf":false,"id":43981,"hex":"00380000abcd"}]"#
      ))
  }

  @Test("an Ethernet frame of 8 bytes: truncated, dst only")
  func truncatedEthernet() throws {
    let line = try PcapFixture.json("snaplen-truncated.pcap", 10)
    #expect(
      line.hasSuffix(
        #""protocols":"eth"},"eth":{"dst":"02:00:00:00:00:02","truncated":true}}"# + "\n"))
  }

  @Test("malformed text is Malformation.description")
  func malformedText() throws {
    let packet = try PcapFixture.load("malformed.pcap")[3]
    let frame = FrameDecoder().decode(packet.bytes, linkType: packet.record.linkType)
    let tcp = try #require(frame.first(.tcp))
    guard case .malformed(let problem) = tcp.status else {
      Issue.record("TCP data offset 3 is not malformed")
      return
    }
    let line = PcapFixture.format(packet)
    #expect(line.contains(#""malformed":""# + problem.description + #""}"#))
    #expect(
      line.contains(#""tcp":{"src_port":40000,"dst_port":80,"seq":1,"ack":1,"header_length":12,"#))
  }

  @Test("interface names are escaped; direction and index")
  func frameInterfaceEscaping() throws {
    var packet = try PcapFixture.load("ethernet-ipv4-udp.pcap")[0]
    packet.record.interfaceName = "e\"t\\h\n\u{1}\té"
    packet.record.direction = .outbound
    let line = PcapFixture.format(packet)
    #expect(line.contains(#","interface":"e\"t\\h\n\u0001\té","direction":"out"}"#))
    packet.record.interfaceName = nil
    packet.record.interfaceIndex = 3
    packet.record.direction = .inbound
    #expect(
      PcapFixture.format(packet).contains(
        #""protocols":"eth:ipv4:udp:dns","interface":3,"direction":"in"}"#))
  }

  @Test("SLL2: interface and direction from the header")
  func cookedInterface() throws {
    let line = try PcapFixture.json("linux-sll2.pcap", 1)
    #expect(
      line.contains(
        #""interface":1,"direction":"out"},"sll":{"packet_type":4,"address":"02:00:00:00:0a:01","protocol":34525,"ifindex":1}"#
      ))
  }

  @Test("JSON string escaping")
  func escaping() {
    var out = TextBuffer()
    out.append(jsonString: "a\"b\\c/\u{8}\u{c}\n\r\t\u{1f}\u{7f}ü")
    #expect(out.string == #""a\"b\\c/\b\f\n\r\t\u001f"# + "\u{7f}ü\"")
  }

  @Test("time keeps nine digits")
  func time() throws {
    var packet = try PcapFixture.load("ethernet-ipv4-udp.pcap")[0]
    packet.record.timestamp = Timestamp(seconds: 0, nanoseconds: 5)
    #expect(PcapFixture.format(packet).contains(#""time":"0.000000005""#))
  }
}
