// The builder side of the registry (ProtocolRegistry.swift): the layers crafting builds,
// how each is written, the numbers a layer implies for the layer above it, and the schemas
// expressions and `--from-json` read.

// MARK: - Building

/// One layer of a `PacketStack`.
public enum StackLayer: Sendable, Hashable {
  /// An Ethernet header.
  case ethernet(Ethernet)
  /// An 802.1Q/802.1ad tag.
  case vlan(VLAN)
  /// An ARP message.
  case arp(ARP)
  /// An IPv4 header.
  case ipv4(IPv4)
  /// An IPv6 header and its extension headers.
  case ipv6(IPv6)
  /// A TCP header.
  case tcp(TCP)
  /// A UDP header.
  case udp(UDP)
  /// An ICMP message header.
  case icmp(ICMP)
  /// An ICMPv6 message.
  case icmpv6(ICMPv6)
  /// A DHCP message.
  case dhcp(DHCP)
  /// A DHCPv6 message.
  case dhcpv6(DHCPv6)
  /// An NTP message.
  case ntp(NTP)
  /// A DNS message.
  case dns(DNS)
  /// Payload bytes.
  case payload(Payload)
  /// An MPLS label stack entry.
  case mpls(MPLS)
  /// A GRE header.
  case gre(GRE)
  /// A VXLAN header.
  case vxlan(VXLAN)
  /// An IGMP message.
  case igmp(IGMP)

  /// The kind of layer this builds.
  public var kind: LayerKind {
    switch self {
    case .ethernet: .ethernet
    case .vlan: .vlan
    case .arp: .arp
    case .ipv4: .ipv4
    case .ipv6: .ipv6
    case .tcp: .tcp
    case .udp: .udp
    case .icmp: .icmp
    case .icmpv6: .icmpv6
    case .dhcp: .dhcp
    case .dhcpv6: .dhcpv6
    case .ntp: .ntp
    case .dns: .dns
    case .payload: .raw
    case .mpls: .mpls
    case .gre: .gre
    case .vxlan: .vxlan
    case .igmp: .igmp
    }
  }

  /// The contract name of the layer (`eth`, `vlan`, `arp`, `ipv4`, ...).
  public var name: String { kind.name.description }
}

extension PacketStack {
  /// Layer `index` written before `payload`, the bytes of every layer after it.
  func encode(at index: Int, payload: [UInt8]) throws(BuildError) -> [UInt8] {
    let next = index + 1 < layers.count ? layers[index + 1] : nil
    let previous = index > 0 ? layers[index - 1] : nil
    var writer = ByteWriter(capacity: 64 + payload.count)
    switch layers[index] {
    case .ethernet(let layer):
      try layer.encode(into: &writer, next: next)
    case .vlan(let layer):
      try layer.encode(into: &writer, next: next)
    case .arp(let layer):
      layer.encode(into: &writer)
    case .ipv4(let layer):
      try layer.encode(into: &writer, next: next, payloadLength: payload.count)
    case .ipv6(let layer):
      try layer.encode(into: &writer, next: next, payloadLength: payload.count)
    case .tcp(let layer):
      return try layer.encode(
        payload: payload, pseudoHeader: ChecksumContext(previous, upper: layers[index]))
    case .udp(let layer):
      return try layer.encode(
        payload: payload, next: next, pseudoHeader: ChecksumContext(previous, upper: layers[index]))
    case .icmp(let layer):
      return layer.encode(payload: payload)
    case .icmpv6(let layer):
      var pseudo: ChecksumContext? = nil
      if case .ipv6 = previous { pseudo = ChecksumContext(previous, upper: layers[index]) }
      return layer.encode(payload: payload, pseudoHeader: pseudo)
    case .dhcp(let layer):
      try layer.encode(into: &writer)
    case .dhcpv6(let layer):
      try layer.encode(into: &writer)
    case .ntp(let layer):
      layer.encode(into: &writer)
    case .dns(let layer):
      writer.write(contentsOf: layer.encode(overTCP: isDNSOverTCP(at: index)))
    case .payload(let layer):
      writer.write(contentsOf: try layer.resolvedBytes())
    case .mpls(let layer):
      layer.encode(into: &writer, next: next)
    case .gre(let layer):
      return layer.encode(payload: payload, next: next)
    case .vxlan(let layer):
      layer.encode(into: &writer)
    case .igmp(let layer):
      return layer.encode(payload: payload)
    }
    writer.write(contentsOf: payload)
    return writer.bytes
  }
}
extension StackLayer {
  /// The EtherType announcing this layer, when it has one.
  var etherType: UInt16? {
    switch self {
    case .ipv4: EtherType.ipv4.rawValue
    case .ipv6: EtherType.ipv6.rawValue
    case .arp: EtherType.arp.rawValue
    case .vlan(let tag): tag.tpid
    case .mpls: 0x8847
    case .ethernet, .tcp, .udp, .icmp, .icmpv6, .payload, .gre, .vxlan, .igmp, .dns, .dhcp,
      .dhcpv6, .ntp:
      nil
    }
  }

  /// The IP protocol number announcing this layer, when it has one.
  var ipProtocol: UInt8? {
    switch self {
    case .tcp: IPProtocol.tcp.rawValue
    case .udp: IPProtocol.udp.rawValue
    case .icmp: IPProtocol.icmp.rawValue
    case .icmpv6: IPProtocol.icmpv6.rawValue
    case .ipv4: IPProtocol.ipv4.rawValue
    case .ipv6: IPProtocol.ipv6.rawValue
    case .gre: IPProtocol.gre.rawValue
    case .igmp: IPProtocol.igmp.rawValue
    case .ethernet, .vlan, .arp, .payload, .mpls, .vxlan, .dns, .dhcp, .dhcpv6, .ntp: nil
    }
  }
}

extension StackLayer {
  /// The UDP ports a layer implies when the UDP layer above it leaves them out (scapy's
  /// `bind_layers`): nil keeps UDP's own defaults.
  var udpPorts: (src: UInt16, dst: UInt16)? {
    switch self {
    case .ethernet, .vlan, .arp, .ipv4, .ipv6, .tcp, .udp, .icmp, .icmpv6, .payload: nil
    case .mpls, .gre, .igmp: nil
    case .vxlan: (4789, 4789)
    case .dhcp: (67, 68)
    case .dhcpv6(let message): message.udpPorts
    case .ntp: (123, 123)
    case .dns: (53, 53)
    }
  }
}

extension LayerSchema {
  /// Every layer crafting expressions know, in the contract's order.
  static let all: [LayerSchema] = [
    EthernetProtocol.schema, VLANProtocol.schema, ARPProtocol.schema, IPv4Protocol.schema,
    IPv6Protocol.schema, TCPProtocol.schema, UDPProtocol.schema, ICMPProtocol.schema,
    ICMPv6Protocol.schema, RawProtocol.schema, HTTPProtocol.schema, TLSProtocol.schema,
    MPLSProtocol.schema, GREProtocol.schema, VXLANProtocol.schema, IGMPProtocol.schema,
    DHCPProtocol.schema, DHCPv6Protocol.schema, NTPProtocol.schema, DNSProtocol.schema,
  ]
}
