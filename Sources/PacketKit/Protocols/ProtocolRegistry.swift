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
  /// Ethernet II or 802.3 (`eth`).
  case ethernet
  /// 802.1Q or 802.1ad tag (`vlan`).
  case vlan
  /// Linux cooked capture, SLL or SLL2 (`sll`).
  case sll
  /// BSD loopback, NULL or LOOP (`null`).
  case null
  /// ARP or RARP (`arp`).
  case arp
  /// IPv4 (`ipv4`).
  case ipv4
  /// IPv6 (`ipv6`).
  case ipv6
  /// TCP (`tcp`).
  case tcp
  /// UDP (`udp`).
  case udp
  /// ICMP (`icmp`).
  case icmp
  /// ICMPv6 (`icmpv6`).
  case icmpv6
  /// Payload bytes no protocol claims (`raw`).
  case raw
  /// MPLS label stack entry (`mpls`).
  case mpls
  /// GRE (`gre`).
  case gre
  /// VXLAN (`vxlan`).
  case vxlan
  /// IGMP (`igmp`).
  case igmp
  /// DNS, mDNS, LLMNR (`dns`).
  case dns
  /// DHCP (`dhcp`).
  case dhcp
  /// DHCPv6 (`dhcpv6`).
  case dhcpv6
  /// NTP (`ntp`).
  case ntp
  /// HTTP/1.x (`http`).
  case http
  /// TLS record (`tls`).
  case tls

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

extension LayerKind {
  /// Whether the layer leads to a datagram further in: link layers and tunnels (the
  /// conversation of a frame is the datagram they carry).
  var carriesDatagram: Bool {
    switch self {
    case .ethernet, .vlan, .sll, .null, .mpls, .gre, .vxlan: true
    case .arp, .ipv4, .ipv6, .tcp, .udp, .icmp, .icmpv6, .raw, .igmp, .dns, .dhcp, .dhcpv6, .ntp,
      .http, .tls:
      false
    }
  }

  /// Whether the kind is an application protocol carried by UDP or TCP: `stats` counts
  /// these in its application table.
  public var isApplication: Bool {
    switch self {
    case .dns, .dhcp, .dhcpv6, .ntp, .http, .tls: true
    case .ethernet, .vlan, .sll, .null, .arp, .ipv4, .ipv6, .tcp, .udp, .icmp, .icmpv6, .raw,
      .mpls, .gre, .vxlan, .igmp:
      false
    }
  }

  /// Whether consecutive layers of this kind are several messages of one segment (TLS
  /// records, DNS messages over TCP) rather than nested layers: the protocol hierarchy
  /// counts them once.
  var repeatsAsMessages: Bool { self == .tls || self == .dns }
}

/// The header of one decoded layer, by kind.
public enum LayerHeader: Sendable, Hashable {
  /// An Ethernet II or 802.3 header.
  case ethernet(EthernetHeader)
  /// An 802.1Q/802.1ad tag.
  case vlan(VLANTag)
  /// A Linux cooked header (SLL or SLL2).
  case sll(LinuxCookedHeader)
  /// A BSD loopback header (NULL or LOOP).
  case null(LoopbackHeader)
  /// An ARP or RARP message.
  case arp(ARPMessage)
  /// An IPv4 header, options included.
  case ipv4(IPv4Header)
  /// An IPv6 header, extension headers included.
  case ipv6(IPv6Header)
  /// A TCP header, options included.
  case tcp(TCPHeader)
  /// A UDP header.
  case udp(UDPHeader)
  /// An ICMP message header.
  case icmp(ICMPv4Message)
  /// An ICMPv6 message header.
  case icmpv6(ICMPv6Message)
  /// An HTTP/1.x message's start.
  case http(HTTPMessage)
  /// A TLS record.
  case tls(TLSRecord)
  /// A DHCP message.
  case dhcp(DHCPMessage)
  /// A DHCPv6 message.
  case dhcpv6(DHCPv6Message)
  /// An NTP message.
  case ntp(NTPMessage)
  /// A DNS message (over TCP, with its length).
  case dns(DNSHeader)
  /// Payload bytes after the last decoded header; the layer's `range` covers them.
  case raw
  /// An MPLS label stack entry.
  case mpls(MPLSLabel)
  /// A GRE header.
  case gre(GREHeader)
  /// A VXLAN header.
  case vxlan(VXLANHeader)
  /// An IGMP message.
  case igmp(IGMPMessage)

  /// The layer's kind.
  @inlinable @inline(__always) public var kind: LayerKind {
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
    case .http: .http
    case .tls: .tls
    case .dhcp: .dhcp
    case .dhcpv6: .dhcpv6
    case .ntp: .ntp
    case .dns: .dns
    case .raw: .raw
    case .mpls: .mpls
    case .gre: .gre
    case .vxlan: .vxlan
    case .igmp: .igmp
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
    if transport == .udp && (dstPort == 4789 || srcPort == 4789) { return .vxlan }
    if transport == .tcp, let kind = webPort(dstPort) ?? webPort(srcPort) { return kind }
    if transport == .udp, let kind = udpPort(dstPort) ?? udpPort(srcPort) { return kind }
    return nil
  }

  /// HTTP's and TLS's TCP ports.
  @inline(__always) static func webPort(_ port: UInt16) -> LayerKind? {
    switch port {
    case 80, 8000, 8080: .http
    case 443: .tls
    default: nil
    }
  }

  /// The application protocol a TCP payload on ports no protocol claims starts like, by its
  /// first bytes: a TLS record header or the start of an HTTP/1.x message (the protocol's
  /// decoder then checks the rest). A few byte compares.
  @inline(__always) static func sniffTCP(_ bytes: Span<UInt8>, at offset: Int) -> LayerKind? {
    guard offset + TLSRecord.headerLength <= bytes.count else { return nil }
    if TLSRecord.isHeader(bytes, at: offset) { return .tls }
    if HTTPStartLine.mayStart(bytes, at: offset) { return .http }
    return nil
  }

  /// The application protocol a UDP port names.
  static func udpPort(_ port: UInt16) -> LayerKind? {
    switch port {
    case 67, 68: .dhcp
    case 546, 547: .dhcpv6
    case 123: .ntp
    default: nil
    }
  }
}

extension Walk {
  /// Decodes what a capture's link type puts first.
  @inline(__always) mutating func link(_ bytes: Span<UInt8>, _ linkType: LinkType) {
    let whole = outermost(bytes)
    switch linkType {
    case .ethernet: ethernet(bytes)
    case .raw, .rawBSD, .rawBSDOS, .ipv4, .ipv6:
      // Every raw-IP link type is read as tcpdump reads it, by the version nibble: an IPv6
      // packet in a LINKTYPE_IPV4 file is IPv6. A nibble that is neither 4 nor 6 is read as
      // the link type's own version (IPv4 for LINKTYPE_RAW), which reports it malformed.
      guard bytes.count > 0 || linkType == .ipv4 || linkType == .ipv6 else { return }
      let version = bytes.count > 0 ? bytes[0] >> 4 : 0
      if version == 6 || (version != 4 && linkType == .ipv6) {
        ipv6(bytes, at: 0, whole)
      } else {
        ipv4(bytes, at: 0, whole)
      }
    case .linuxSLL: cooked(bytes, version: 1)
    case .linuxSLL2: cooked(bytes, version: 2)
    case .null: loopback(bytes, networkOrder: false)
    case .loop: loopback(bytes, networkOrder: true)
    default: raw(bytes, 0..<bytes.count)
    }
  }

  /// Decodes what an EtherType (after any VLAN tags) announces at `offset`; returns false
  /// when rawtool decodes no protocol of that type.
  @inline(__always) mutating func network(_ type: EtherType, _ bytes: Span<UInt8>, at offset: Int)
    -> Bool
  {
    let enclosure = outermost(bytes)
    switch type {
    case .ipv4: ipv4(bytes, at: offset, enclosure)
    case .ipv6: ipv6(bytes, at: offset, enclosure)
    case .arp, .rarp: arp(bytes, at: offset)
    case EtherType(rawValue: 0x8847), EtherType(rawValue: 0x8848):
      mpls(bytes, at: offset, enclosure)
    default: return false
    }
    return true
  }

  /// Decodes what an IP datagram carries, by its protocol number.
  @inline(__always) mutating func ipPayload(
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
    case .gre: gre(bytes, at: offset, enclosure, fragment: fragment)
    case .igmp: igmp(bytes, at: offset, enclosure, fragment: fragment)
    default: raw(bytes, offset..<enclosure.end)
    }
  }

  /// Decodes what a UDP or TCP segment carries in `range`: the application protocol its
  /// ports name when the bytes parse as it, else `raw` (a guess that failed is not
  /// malformed).
  mutating func applicationPayload(
    _ bytes: Span<UInt8>, _ range: Range<Int>, over transport: IPProtocol, srcPort: UInt16,
    dstPort: UInt16, _ enclosure: Enclosure
  ) {
    if !range.isEmpty, !frame.isFull, !enclosure.quoted {
      if let kind = ProtocolRegistry.application(transport, srcPort: srcPort, dstPort: dstPort) {
        if application(kind, bytes, range, over: transport, srcPort: srcPort, dstPort: dstPort) {
          return
        }
      } else if transport == .tcp,
        let kind = ProtocolRegistry.sniffTCP(bytes, at: range.lowerBound),
        application(kind, bytes, range, over: transport, srcPort: srcPort, dstPort: dstPort)
      {
        return
      }
    }
    raw(bytes, range)
  }

  /// Decodes `range` as the application protocol `kind`; false when the bytes are not it.
  mutating func application(
    _ kind: LayerKind, _ bytes: Span<UInt8>, _ range: Range<Int>, over transport: IPProtocol,
    srcPort: UInt16, dstPort: UInt16
  ) -> Bool {
    switch kind {
    case .ethernet, .vlan, .sll, .null, .arp, .ipv4, .ipv6, .tcp, .udp, .icmp, .icmpv6, .raw,
      .mpls, .gre, .igmp:
      false
    case .vxlan: vxlan(bytes, range)
    case .dns: dns(bytes, range, over: transport, srcPort: srcPort, dstPort: dstPort)
    case .dhcp: dhcp(bytes, range)
    case .dhcpv6: dhcpv6(bytes, range)
    case .ntp: ntp(bytes, range)
    case .http: transport == .tcp && http(bytes, range)
    case .tls: transport == .tcp && tls(bytes, range)
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

// MARK: - Re-encoding

extension LayerHeader {
  /// Writes a complete layer again for `DecodedFrame.encode(from:)`: from its decoded fields
  /// (returns true), or, for a layer that keeps only a summary of its fields (application
  /// layers, tunnels, raw), as a copy of its bytes (returns false).
  func encode(_ layer: DecodedLayer, from bytes: Span<UInt8>, into writer: inout ByteWriter)
    -> Bool
  {
    func copy() -> Bool {
      for index in layer.range where index < bytes.count { writer.writeU8(bytes[index]) }
      return false
    }
    switch self {
    case .ethernet(let header): header.encode(into: &writer)
    case .vlan(let tag): tag.encode(into: &writer)
    case .sll(let header): header.encode(into: &writer)
    case .null(let header): header.encode(into: &writer)
    case .arp(let message):
      message.encode(into: &writer, addresses: bytes.extracting(message.addressesRange))
    case .ipv4(let header):
      header.encode(into: &writer, options: bytes.extracting(header.optionsRange))
    case .ipv6(let header):
      header.encode(into: &writer)
      IPv6ExtensionHeader.forEach(
        in: bytes, range: header.extensionsRange, first: header.nextHeader
      ) { ext in
        ext.encode(into: &writer, body: bytes.extracting(ext.bodyRange))
        return true
      }
    case .tcp(let header):
      header.encode(into: &writer, options: bytes.extracting(header.optionsRange))
    case .udp(let header): header.encode(into: &writer)
    case .icmp(let message): message.encode(into: &writer)
    case .icmpv6(let message): message.encode(into: &writer)
    case .mpls(let entry): writer.writeBE32(entry.entry)
    case .raw, .gre, .vxlan, .igmp, .dns, .dhcp, .dhcpv6, .ntp, .http, .tls: return copy()
    }
    return true
  }
}

// MARK: - Fields

extension LayerHeader {
  /// Writes the layer's fields through `fields` (the JSON or the verbose view) by its
  /// protocol's `describe`.
  func describe<V: FieldVisitor>(
    _ layer: DecodedLayer, _ frame: borrowing DecodedFrame, _ bytes: Span<UInt8>,
    _ fields: inout V, _ out: inout TextBuffer
  ) {
    switch self {
    case .ethernet(let header):
      EthernetProtocol.describe(header, layer, frame, bytes, &fields, &out)
    case .vlan(let tag): VLANProtocol.describe(tag, layer, &fields, &out)
    case .sll(let header): LinuxCookedProtocol.describe(header, layer, &fields, &out)
    case .null(let header): LoopbackProtocol.describe(header, layer, &fields, &out)
    case .arp(let message): ARPProtocol.describe(message, layer, bytes, &fields, &out)
    case .ipv4(let header): IPv4Protocol.describe(header, layer, bytes, &fields, &out)
    case .udp(let header): UDPProtocol.describe(header, layer, frame, bytes, &fields, &out)
    case .raw: RawProtocol.describe(layer, bytes, &fields, &out)
    case .http(let message): HTTPProtocol.describe(message, layer, bytes, &fields, &out)
    case .tls(let record): TLSProtocol.describe(record, layer, bytes, &fields, &out)
    case .icmp(let message): ICMPProtocol.describe(message, layer, &fields, &out)
    case .tcp(let header): TCPProtocol.describe(header, layer, bytes, &fields, &out)
    case .icmpv6(let message):
      ICMPv6Protocol.describe(message, layer, frame, bytes, &fields, &out)
    case .ipv6(let header): IPv6Protocol.describe(header, layer, bytes, &fields, &out)
    case .mpls(let entry): MPLSProtocol.describe(entry, layer, &fields, &out)
    case .gre(let header): GREProtocol.describe(header, layer, bytes, &fields, &out)
    case .vxlan(let header): VXLANProtocol.describe(header, &fields, &out)
    case .igmp(let message): IGMPProtocol.describe(message, layer, bytes, &fields, &out)
    case .dhcp(let message): DHCPProtocol.describe(message, layer, bytes, &fields, &out)
    case .dhcpv6(let message): DHCPv6Protocol.describe(message, layer, bytes, &fields, &out)
    case .ntp(let message): NTPProtocol.describe(message, layer, bytes, &fields, &out)
    case .dns(let header): DNSProtocol.describe(header, layer, frame, bytes, &fields, &out)
    }
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
    let layer = layers[index]
    switch layer.header {
    case .ethernet, .vlan, .sll, .null, .arp, .ipv4, .ipv6, .tcp, .udp, .icmp, .icmpv6, .mpls,
      .gre, .igmp:
      return false
    case .raw:
      return shortDNS(layers, index, length: length, over: transport, to: &out)
        || rawPayloadText(layers, bytes, index, length: length, over: transport, to: &out)
    case .dns: return dns(layers, bytes, index, length: length, over: transport, to: &out)
    case .dhcp(let message): dhcp(message, layer, bytes, length: length, to: &out)
    case .dhcpv6(let message): dhcpv6(message, layer, bytes, length: length, to: &out)
    case .ntp(let message): ntp(message, layer, bytes, length: length, to: &out)
    case .http: http(bytes, from: layers[index].range.lowerBound, length: length, to: &out)
    case .tls: tls(layers, bytes, index, to: &out)
    case .vxlan(let header):
      vxlan(layers, wire: wireLength, bytes, index, header, to: &out)
    }
    return true
  }

  /// Prints a layer that the network and link printers do not know, carried by an IP
  /// protocol (GRE, IGMP), an EtherType (MPLS) or a tunnel (an inner Ethernet frame), as
  /// tcpdump does; returns false when it is none of these (the caller then prints its
  /// generic form, `ip-proto-N LEN`). `length` is what the enclosing header gives the layer.
  mutating func carried(
    _ layers: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>,
    _ index: Int, length: Int, to out: inout TextBuffer
  ) -> Bool {
    let layer = layers[index]
    switch layer.header {
    case .gre(let header):
      gre(layers, wire: wireLength, bytes, index, header, length: length, to: &out)
    case .igmp(let message):
      if quick {
        out.append("igmp")  // tcpdump -q
      } else {
        igmp(layer, bytes, message, length: length, to: &out)
        if verbosity > 0 { igmpChecksum(layer, bytes, message, length: length, to: &out) }
      }
    case .mpls: mpls(layers, wire: wireLength, bytes, index, to: &out)
    case .ethernet(let header) where index > 0:
      guard layer.status.isComplete else {
        out.append(" [|ether]")
        return true
      }
      ethernetLayer(layers, wire: wireLength, bytes, header, at: index, to: &out)
    case .ethernet, .vlan, .sll, .null, .arp, .ipv4, .ipv6, .tcp, .udp, .icmp, .icmpv6, .raw,
      .vxlan, .http, .tls, .dhcp, .dhcpv6, .ntp, .dns:
      return false
    }
    return true
  }
}
