import Testing

@testable import PacketKit

@Suite("PacketCrafter")
struct PacketCrafterTests {
  func hexString(_ bytes: [UInt8]) -> String {
    bytes.map {
      String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
    }
    .joined()
  }

  @Test("crafted bytes equal scapy's", arguments: CraftVectors.all)
  func matchesScapy(vector: CraftVector) throws {
    let packets = try PacketCrafter.packets(from: ExpressionParser.parse(vector.expression))
    #expect(packets.map(hexString) == vector.hex)
  }

  @Test(
    "decode(build(x)) gives back the fields given; automatic checksums verify",
    arguments: CraftVectors.all)
  func roundTrips(vector: CraftVector) throws {
    // A fragment's stack ends in raw bytes that decode as the layers they were cut from:
    // FragmentationTests puts fragments back together instead.
    guard !vector.name.hasPrefix("frag-") else { return }
    let stacks = try PacketCrafter.stacks(from: ExpressionParser.parse(vector.expression))
    for stack in stacks {
      let bytes = try stack.build()
      let linkType: LinkType
      switch stack.layers.first {
      case .ethernet: linkType = .ethernet
      case .ipv4, .ipv6: linkType = .raw
      default: continue
      }
      let frame = FrameDecoder().decode(bytes, linkType: linkType)
      // Lengths given explicitly (wrong on purpose) make checksum verdicts meaningless.
      let lengthsGiven = stack.layers.contains(where: Self.givesLength)
      var decoded = frame.layers[...]
      for (index, given) in stack.layers.enumerated() {
        guard let match = decoded.first else { break }
        var layer = given
        // UDP ports the next layer implies (scapy's bind_layers: VXLAN's 4789).
        if case .udp(var udp) = given, index + 1 < stack.layers.count,
          let implied = stack.layers[index + 1].udpPorts
        {
          udp.srcPort = udp.givenSrcPort ?? implied.src
          udp.dstPort = udp.givenDstPort ?? implied.dst
          layer = .udp(udp)
        }
        decoded = decoded.dropFirst()
        let next = index + 1 < stack.layers.count ? stack.layers[index + 1] : nil
        compare(layer, match, next: next, vector: vector, checkChecksum: !lengthsGiven)
        if case .payload = layer { break }
        // Past a length given wrong on purpose, the decoder reads other bytes: stop there.
        if Self.givesLength(layer) { break }
      }
    }
  }

  static func givesLength(_ layer: StackLayer) -> Bool {
    switch layer {
    case .ipv4(let ip): ip.totalLength != nil || ip.headerLength != nil
    case .ipv6(let ip): ip.payloadLength != nil || ip.nextHeader != nil
    case .udp(let udp): udp.length != nil
    case .tcp(let tcp): tcp.headerLength != nil
    case .ethernet(let eth): eth.type != nil
    case .vlan(let tag): tag.type != nil
    default: false
    }
  }

  func compare(
    _ layer: StackLayer, _ decoded: DecodedLayer, next: StackLayer?, vector: CraftVector,
    checkChecksum: Bool
  ) {
    let note = Comment(rawValue: vector.name)
    switch (layer, decoded.header) {
    case (.ethernet(let eth), .ethernet(let header)):
      #expect(header.src == eth.src && header.dst == eth.dst, note)
    case (.vlan(let tag), .vlan(let header)):
      #expect(header.id == tag.id && header.pcp == tag.pcp && header.dei == tag.dei, note)
      #expect(header.tpid == tag.tpid, note)
    case (.arp(let arp), .arp(let header)):
      #expect(header.op == arp.op && header.hardwareType == arp.hardwareType, note)
      if header.isEthernetIPv4 {
        #expect(header.senderMAC == arp.senderMAC && header.senderIP == arp.senderIP, note)
        #expect(header.targetMAC == arp.targetMAC && header.targetIP == arp.targetIP, note)
      }
    case (.ipv4(let ip), .ipv4(let header)):
      #expect(header.src == ip.src && header.dst == ip.dst && header.ttl == ip.ttl, note)
      #expect(header.id == ip.id && header.tos == ip.tos && header.df == ip.df, note)
      #expect(header.mf == ip.mf && header.fragmentOffset == ip.fragmentOffset, note)
      if let given = ip.checksum { #expect(header.checksum == given, note) }
      if let given = ip.totalLength { #expect(header.totalLength == given, note) }
      if let given = ip.protocol { #expect(header.protocol == given, note) }
      if ip.checksum == nil && checkChecksum {
        #expect(decoded.checksumValid == true, note)
      }
    case (.ipv6(let ip), .ipv6(let header)):
      #expect(header.src == ip.src && header.trafficClass == ip.trafficClass, note)
      #expect(header.flowLabel == ip.flowLabel, note)
      if let dst = ip.dst { #expect(header.dst == dst, note) }
      if let hop = ip.hopLimit { #expect(header.hopLimit == hop, note) }
      if let given = ip.payloadLength { #expect(header.payloadLength == given, note) }
    case (.tcp(let tcp), .tcp(let header)):
      #expect(header.srcPort == tcp.srcPort && header.dstPort == tcp.dstPort, note)
      #expect(
        header.seq == tcp.seq && header.ack == tcp.ack && header.flags == tcp.flags.rawValue, note)
      #expect(header.window == tcp.window && header.urgent == tcp.urgent, note)
      if let given = tcp.checksum { #expect(header.checksum == given, note) }
      if tcp.checksum == nil && checkChecksum { #expect(decoded.checksumValid != false, note) }
    case (.udp(let udp), .udp(let header)):
      // Ports left out come from the next layer (scapy's bind_layers), else 53.
      let implied = next?.udpPorts
      #expect(header.srcPort == udp.givenSrcPort ?? implied?.src ?? 53, note)
      #expect(header.dstPort == udp.givenDstPort ?? implied?.dst ?? 53, note)
      if let given = udp.checksum { #expect(header.checksum == given, note) }
      if let given = udp.length { #expect(header.length == given, note) }
      if udp.checksum == nil && checkChecksum { #expect(decoded.checksumValid != false, note) }
    case (.icmp(let icmp), .icmp(let header)):
      #expect(
        header.type == icmp.type && header.code == icmp.code && header.rest == icmp.rest, note)
      if let given = icmp.checksum { #expect(header.checksum == given, note) }
      if icmp.checksum == nil { #expect(decoded.checksumValid == true, note) }
    case (.icmpv6(let icmp), .icmpv6(let header)):
      #expect(header.type == icmp.type && header.code == icmp.code, note)
      #expect(header.rest == icmp.resolvedRest, note)
      if let given = icmp.checksum { #expect(header.checksum == given, note) }
      if icmp.checksum == nil && checkChecksum { #expect(decoded.checksumValid != false, note) }
    case (.dhcp(let dhcp), .dhcp(let message)):
      #expect(
        message.op == dhcp.op && message.htype == dhcp.htype && message.hlen == dhcp.hlen, note)
      #expect(
        message.messageType == dhcp.effectiveOptions?.first { $0.code == 53 }?.bytes.first, note)
      #expect(decoded.status.isComplete, note)
    case (.dhcpv6(let dhcpv6), .dhcpv6(let message)):
      #expect(message.msgType == dhcpv6.msgType, note)
      if !message.isRelay { #expect(message.transactionID == dhcpv6.transactionID, note) }
      #expect(decoded.status.isComplete, note)
    case (.ntp(let ntp), .ntp(let message)):
      #expect(message.leap == ntp.leap && message.version == ntp.version, note)
      #expect(message.mode == ntp.mode && decoded.status.isComplete, note)
    case (.payload, _):
      break
    default:
      // A layer decoded as something else (an 802.3 frame, a length that hides the rest).
      break
    }
  }

  @Test("builder API: the same bytes as the expression")
  func builderAPI() throws {
    let mac1 = MACAddress(2, 0, 0, 0, 0, 1)
    let mac2 = MACAddress(2, 0, 0, 0, 0, 2)
    let stack =
      Ethernet(src: mac1, dst: mac2)
      / IPv4(src: IPv4Address(192, 0, 2, 1), dst: IPv4Address(192, 0, 2, 2))
      / TCP(srcPort: 1234, dstPort: 80, seq: 1000, flags: .syn)
    let vector = CraftVectors.all.first { $0.name == "ipv4-tcp-syn" }!
    #expect(hexString(try stack.build()) == vector.hex[0])
    let quote =
      IPv4(src: IPv4Address(192, 0, 2, 254), dst: IPv4Address(192, 0, 2, 1))
      / ICMP(type: 3, code: 3)
      / (IPv4(ttl: 1, src: IPv4Address(192, 0, 2, 1), dst: IPv4Address(192, 0, 2, 2))
        / UDP(srcPort: 40000, dstPort: 33434) / Payload("probe"))
    let expected = CraftVectors.all.first { $0.name == "icmp-unreachable-quote" }!.hex[0]
    #expect(hexString(try quote.build()) == String(expected.dropFirst(28)))
  }

  @Test("builder API: invalid values name the layer and field")
  func buildErrors() {
    #expect(
      throws: BuildError.invalidValue(
        layer: "vlan", field: "id", value: "5000", reason: "exceeds 4095")
    ) {
      try (Ethernet() / VLAN(id: 5000)).build()
    }
    #expect(throws: BuildError.self) { try (IPv4(fragmentOffset: 3) / UDP()).build() }
    #expect(throws: BuildError.self) {
      try PacketStack(IPv6(extensions: [.fragment(fragmentOffset: 5)])).build()
    }
    #expect(throws: BuildError.self) { try Payload(hex: "0x123") }
  }

  @Test("errors: unknown layer, unknown field, type and range checks, limit")
  func errors() {
    func error(_ source: String, limit: Int = 65536) -> ExpressionError? {
      do {
        _ = try PacketCrafter.packets(from: ExpressionParser.parse(source), limit: limit)
        return nil
      } catch { return error }
    }
    #expect(
      error("eth() / ipv4(ttl=300)")
        == ExpressionError(
          layer: "ipv4", field: "ttl", position: 17, message: "300 is out of range 0...255"))
    let unknown = error("tcp(bogus=1)")
    #expect(unknown?.field == "bogus" && unknown?.position == 4)
    #expect(
      unknown?.message
        == "unknown field bogus; fields of tcp: src_port, dst_port, seq, ack, header_length, flags, window, checksum, urgent, options"
    )
    #expect(error("eth(dst=192.0.2.1)")?.message == "expects a MAC address")
    #expect(error("ipv4(src=02:00:00:00:00:01)")?.message == "expects an IPv4 address")
    #expect(error("frob()")?.message.hasPrefix("unknown layer frob") == true)
    #expect(error("tcp(flags=SX)")?.message.hasPrefix("unknown TCP flag X") == true)
    #expect(error("tcp(options=[bogus=1])")?.message.hasPrefix("unknown TCP option bogus") == true)
    #expect(error("vlan(id=5000)")?.message == "5000 is out of range 0...4095")
    #expect(
      error("ipv4(dst=10.0.0.0/8) / udp(dport=1-2)")?.message
        == "expands to 33554432 packets, more than the limit of 65536")
    #expect(
      error("ipv4(ttl=[1,2,3])", limit: 2)?.message
        == "expands to 3 packets, more than the limit of 2")
    let build = error("ipv4(fragment_offset=3)")
    #expect(build?.layer == "ipv4" && build?.field == "fragment_offset" && build?.position == 5)
  }

  @Test("random draws from the seed: same seed, same packets")
  func seededRandom() throws {
    let expression = try ExpressionParser.parse(
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=random, dport=[1,2,3])")
    let a = try PacketCrafter.packets(from: expression, seed: 7)
    let b = try PacketCrafter.packets(from: expression, seed: 7)
    let c = try PacketCrafter.packets(from: expression, seed: 8)
    #expect(a.count == 3 && a == b && a != c)
    #expect(Set(a.map { $0[20...21].map { $0 } }).count > 1)
  }
}
