/// Every protocol rawtool decodes, prints and builds, and what announces each one: the one
/// file a new protocol is registered in (docs/adding-a-protocol.md).
///
/// A protocol's own file holds its wire layout, its decoding (an extension of `Walk`), its
/// fields (`describe`, read by the JSON and verbose views), its schema for expressions and
/// `--from-json`, and its builder. This file ties them together: the layer kinds, the headers
/// a decoded layer holds, the numbers that announce a protocol (link types, EtherTypes, IP
/// protocols, ports), and the switches that send each kind to its protocol. Every switch
/// here is exhaustive, so a kind added without its cases does not compile.

/// The kinds of layer rawtool decodes; `name` is the contract's JSON key and expression name.
///
/// The raw values number the kinds for `LayerPath` (a byte each): a new kind goes at the end,
/// and at most 256 kinds fit (a test holds it to at least 64).
public enum LayerKind: UInt8, Hashable, Sendable, CaseIterable {
  case ethernet, vlan, sll, null, arp, ipv4, ipv6, tcp, udp, icmp, icmpv6, raw
  case mpls, gre, vxlan, igmp, dns, dhcp, dhcpv6, ntp, http, tls

  /// The contract name: `eth`, `vlan`, `sll`, `null`, `arp`, `ipv4`, `ipv6`, `tcp`, `udp`,
  /// `icmp`, `icmpv6`, `raw`, `mpls`, `gre`, `vxlan`, `igmp`, `dns`, `dhcp`, `dhcpv6`, `ntp`,
  /// `http`, `tls`.
  public var name: StaticString {
    switch self {
    case .ethernet: "eth"
    case .vlan: "vlan"
    case .sll: "sll"
    case .null: "null"
    case .arp: "arp"
    case .ipv4: "ipv4"
    case .ipv6: "ipv6"
    case .tcp: "tcp"
    case .udp: "udp"
    case .icmp: "icmp"
    case .icmpv6: "icmpv6"
    case .raw: "raw"
    case .mpls: "mpls"
    case .gre: "gre"
    case .vxlan: "vxlan"
    case .igmp: "igmp"
    case .dns: "dns"
    case .dhcp: "dhcp"
    case .dhcpv6: "dhcpv6"
    case .ntp: "ntp"
    case .http: "http"
    case .tls: "tls"
    }
  }
}

/// The header of one decoded layer, by kind.
public enum LayerHeader: Sendable, Hashable {
  case ethernet(EthernetHeader)
  case vlan(VLANTag)
  case sll(LinuxCookedHeader)
  case null(LoopbackHeader)
  case arp(ARPMessage)
  case ipv4(IPv4Header)
  case ipv6(IPv6Header)
  case tcp(TCPHeader)
  case udp(UDPHeader)
  case icmp(ICMPv4Message)
  case icmpv6(ICMPv6Message)
  /// A DNS message (over TCP, with its length).
  case dns(DNSHeader)
  /// Payload bytes after the last decoded header; the layer's `range` covers them.
  case raw

  /// The layer's kind.
  @inlinable public var kind: LayerKind {
    switch self {
    case .ethernet: .ethernet
    case .vlan: .vlan
    case .sll: .sll
    case .null: .null
    case .arp: .arp
    case .ipv4: .ipv4
    case .ipv6: .ipv6
    case .tcp: .tcp
    case .udp: .udp
    case .icmp: .icmp
    case .icmpv6: .icmpv6
    case .dns: .dns
    case .raw: .raw
    }
  }
}

// MARK: - What announces a protocol

/// The application protocol a UDP or TCP port names, on either side.
enum ProtocolRegistry {
  /// The application protocol that `srcPort` or `dstPort` names over `transport` (UDP or
  /// TCP), if any: the destination port is asked first.
  static func application(_ transport: IPProtocol, srcPort: UInt16, dstPort: UInt16)
    -> LayerKind?
  {
    if transport == .udp || transport == .tcp,
      DNSService.isPort(srcPort) || DNSService.isPort(dstPort)
    {
      return .dns
    }
    return nil
  }
}

extension Walk {
  /// Decodes what a capture's link type puts first.
  mutating func link(_ bytes: Span<UInt8>, _ linkType: LinkType) {
    let whole = Enclosure(
      end: bytes.count, declaredEnd: frame.wireLength, bound: .capture, quoted: false,
      outermost: true)
    switch linkType {
    case .ethernet: ethernet(bytes)
    case .raw, .rawBSD, .rawBSDOS:
      guard bytes.count > 0 else { return }
      if bytes[0] >> 4 == 6 { ipv6(bytes, at: 0, whole) } else { ipv4(bytes, at: 0, whole) }
    case .ipv4: ipv4(bytes, at: 0, whole)
    case .ipv6: ipv6(bytes, at: 0, whole)
    case .linuxSLL: cooked(bytes, version: 1)
    case .linuxSLL2: cooked(bytes, version: 2)
    case .null: loopback(bytes, networkOrder: false)
    case .loop: loopback(bytes, networkOrder: true)
    default: raw(bytes, 0..<bytes.count)
    }
  }

  /// Decodes what an EtherType (after any VLAN tags) announces at `offset`; returns false
  /// when rawtool decodes no protocol of that type.
  mutating func network(_ type: EtherType, _ bytes: Span<UInt8>, at offset: Int) -> Bool {
    let enclosure = Enclosure(
      end: bytes.count, declaredEnd: frame.wireLength, bound: .capture, quoted: false,
      outermost: true)
    switch type {
    case .ipv4: ipv4(bytes, at: offset, enclosure)
    case .ipv6: ipv6(bytes, at: offset, enclosure)
    case .arp, .rarp: arp(bytes, at: offset)
    default: return false
    }
    return true
  }

  /// Decodes what an IP datagram carries, by its protocol number.
  mutating func ipPayload(
    _ bytes: Span<UInt8>, _ proto: UInt8, at offset: Int, _ enclosure: Enclosure,
    pseudo: PseudoHeader, fragment: Bool
  ) {
    guard !frame.isFull else { return raw(bytes, offset..<enclosure.end) }
    switch IPProtocol(rawValue: proto) {
    case .tcp: tcp(bytes, at: offset, enclosure, pseudo: pseudo, fragment: fragment)
    case .udp: udp(bytes, at: offset, enclosure, pseudo: pseudo, fragment: fragment)
    case .icmp: icmp(bytes, at: offset, enclosure, fragment: fragment)
    case .icmpv6: icmpv6(bytes, at: offset, enclosure, pseudo: pseudo, fragment: fragment)
    case .ipv4: ipv4(bytes, at: offset, enclosure.inner)
    case .ipv6: ipv6(bytes, at: offset, enclosure.inner)
    default: raw(bytes, offset..<enclosure.end)
    }
  }

  /// Decodes what a UDP or TCP segment carries in `range`: the application protocol its
  /// ports name when the bytes parse as it, else `raw` (a guess that failed is not
  /// malformed: CONTRACT.md).
  mutating func applicationPayload(
    _ bytes: Span<UInt8>, _ range: Range<Int>, over transport: IPProtocol, srcPort: UInt16,
    dstPort: UInt16, _ enclosure: Enclosure
  ) {
    if !range.isEmpty, !frame.isFull, !enclosure.quoted,
      let kind = ProtocolRegistry.application(transport, srcPort: srcPort, dstPort: dstPort),
      application(kind, bytes, range, over: transport)
    {
      return
    }
    raw(bytes, range)
  }

  /// Decodes `range` as the application protocol `kind`; false when the bytes are not it.
  mutating func application(
    _ kind: LayerKind, _ bytes: Span<UInt8>, _ range: Range<Int>, over transport: IPProtocol
  ) -> Bool {
    switch kind {
    case .ethernet, .vlan, .sll, .null, .arp, .ipv4, .ipv6, .tcp, .udp, .icmp, .icmpv6, .raw,
      .mpls, .gre, .igmp:
      false
    case .vxlan: false
    case .dns: dns(bytes, range, over: transport)
    case .dhcp: false
    case .dhcpv6: false
    case .ntp: false
    case .http: false
    case .tls: false
    }
  }
}

extension Enclosure {
  /// The enclosure of a datagram tunnelled inside this one (IP in IP, GRE, ...): the same
  /// bounds, not the outermost datagram.
  var inner: Enclosure {
    Enclosure(end: end, declaredEnd: declaredEnd, bound: bound, quoted: quoted, outermost: false)
  }
}

// MARK: - Fields

extension LayerHeader {
  /// Writes the layer's fields through `fields` (the JSON or the verbose view) by its
  /// protocol's `describe`; false for a kind whose fields the formatters still write.
  func describe<V: FieldVisitor>(
    _ layer: DecodedLayer, _ frame: borrowing DecodedFrame, _ bytes: Span<UInt8>,
    _ fields: inout V, _ out: inout TextBuffer
  ) -> Bool {
    switch self {
    case .udp(let header): UDPProtocol.describe(header, layer, frame, bytes, &fields, &out)
    case .dns(let header): DNSProtocol.describe(header, layer, frame, bytes, &fields, &out)
    case .ethernet, .vlan, .sll, .null, .arp, .ipv4, .ipv6, .tcp, .icmp, .icmpv6, .raw:
      return false
    }
    return true
  }
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// Prints the application layer at `index` (after UDP or TCP) as tcpdump does; returns
  /// false when it is not an application layer (the transport then prints its own form,
  /// `UDP, length N`). `length` is the transport payload's length from the headers.
  mutating func application(
    _ layers: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>,
    _ index: Int, length: Int, over transport: IPProtocol, to out: inout TextBuffer
  ) -> Bool {
    switch layers[index].header {
    case .ethernet, .vlan, .sll, .null, .arp, .ipv4, .ipv6, .tcp, .udp, .icmp, .icmpv6:
      false
    case .raw: shortDNS(layers, index, length: length, over: transport, to: &out)
    case .dns: dns(layers, bytes, index, length: length, over: transport, to: &out)
    }
  }
}

// MARK: - Building

/// One layer of a `PacketStack`.
public enum StackLayer: Sendable, Hashable {
  case ethernet(Ethernet)
  case vlan(VLAN)
  case arp(ARP)
  case ipv4(IPv4)
  case ipv6(IPv6)
  case tcp(TCP)
  case udp(UDP)
  case icmp(ICMP)
  case icmpv6(ICMPv6)
  case dns(DNS)
  case payload(Payload)

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
    case .dns: .dns
    case .payload: .raw
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
    case .dns(let layer):
      writer.write(contentsOf: layer.encode(overTCP: isDNSOverTCP(at: index)))
    case .payload(let layer):
      writer.write(contentsOf: layer.bytes)
    }
    writer.write(contentsOf: payload)
    return writer.bytes
  }
}
extension StackLayer {
  /// The EtherType announcing this layer, when it has one.
  var etherType: UInt16? {
    switch self {
    case .ipv4: 0x0800
    case .ipv6: 0x86DD
    case .arp: 0x0806
    case .vlan(let tag): tag.tpid
    default: nil
    }
  }

  /// The IP protocol number announcing this layer, when it has one.
  var ipProtocol: UInt8? {
    switch self {
    case .tcp: 6
    case .udp: 17
    case .icmp: 1
    case .icmpv6: 58
    case .ipv4: 4
    case .ipv6: 41
    default: nil
    }
  }
}

extension StackLayer {
  /// The UDP ports a layer implies when the UDP layer above it leaves them out (scapy's
  /// `bind_layers`): nil keeps UDP's own defaults.
  var udpPorts: (src: UInt16, dst: UInt16)? {
    switch self {
    case .ethernet, .vlan, .arp, .ipv4, .ipv6, .tcp, .udp, .icmp, .icmpv6, .payload: nil
    case .dns: (53, 53)
    }
  }
}

extension LayerSchema {
  /// Every layer crafting expressions know, in the contract's order.
  static let all: [LayerSchema] = [
    ethernet, vlan, arp, ipv4, ipv6, tcp, UDPProtocol.schema, icmp, icmpv6, DNSProtocol.schema,
    payload,
  ]
}
