/// The layers of a decoded frame by type: the outermost layer of each kind as its header.
///
/// `frame.tcp`, `frame.ipv4`, ... read through this view (``DecodedFrame`` looks its
/// members up here): they give the outermost layer of that kind that is not part of a
/// datagram quoted by an ICMP or ICMPv6 error. `frame.quoted.tcp` gives the outermost layer
/// of that kind inside the quote instead. A layer cut short by the capture is still given,
/// with the fields its bytes did not hold set to zero: ``layer(_:)`` tells its status.
///
/// ```swift
/// let frame = FrameDecoder().decode(bytes, linkType: .ethernet)
/// if let tcp = frame.tcp, tcp.flagSet.contains(.syn) { print(tcp.dstPort) }
/// let quotedPort = frame.quoted.udp?.dstPort  // inside an ICMP error
/// ```
public struct TypedLayers: Sendable {
  /// The frame viewed.
  public let frame: DecodedFrame
  /// Whether this view selects layers inside an ICMP error's quote (true) or outside it.
  public let quoted: Bool

  /// A view of `frame`'s layers, inside an ICMP error's quote when `quoted` is true.
  public init(_ frame: DecodedFrame, quoted: Bool) {
    self.frame = frame
    self.quoted = quoted
  }

  /// The outermost layer of `kind` on this view's side of the quote, with its status,
  /// range and checksum verdict.
  public func layer(_ kind: LayerKind) -> DecodedLayer? {
    index(of: kind).map { frame[$0] }
  }

  /// The index of the outermost layer of `kind` on this view's side of the quote.
  ///
  /// A layer is inside the quote when it is marked quoted or follows an ICMP or ICMPv6
  /// error message (whose payload is the quote).
  public func index(of kind: LayerKind) -> Int? {
    var insideQuote = false
    for index in 0..<frame.count {
      let layer = frame[index]
      insideQuote = insideQuote || layer.isQuoted
      if insideQuote && !quoted { return nil }
      if insideQuote == quoted && layer.kind == kind { return index }
      if Self.startsQuote(layer.header) { insideQuote = true }
    }
    return nil
  }

  /// Whether what follows `header` is a quoted datagram (an ICMP or ICMPv6 error).
  static func startsQuote(_ header: LayerHeader) -> Bool {
    switch header {
    case .icmp(let message): message.isError
    case .icmpv6(let message): message.isError
    default: false
    }
  }

  /// The header of the outermost layer of `kind`, when it is there.
  func header(_ kind: LayerKind) -> LayerHeader? { layer(kind)?.header }

  /// The Ethernet header.
  public var ethernet: EthernetHeader? {
    if case .ethernet(let header)? = header(.ethernet) { header } else { nil }
  }
  /// The outermost VLAN tag.
  public var vlan: VLANTag? { if case .vlan(let tag)? = header(.vlan) { tag } else { nil } }
  /// The Linux cooked (SLL or SLL2) header.
  public var sll: LinuxCookedHeader? {
    if case .sll(let header)? = header(.sll) { header } else { nil }
  }
  /// The ARP message.
  public var arp: ARPMessage? { if case .arp(let message)? = header(.arp) { message } else { nil } }
  /// The outermost IPv4 header.
  public var ipv4: IPv4Header? {
    if case .ipv4(let header)? = header(.ipv4) { header } else { nil }
  }
  /// The outermost IPv6 header.
  public var ipv6: IPv6Header? {
    if case .ipv6(let header)? = header(.ipv6) { header } else { nil }
  }
  /// The TCP header.
  public var tcp: TCPHeader? { if case .tcp(let header)? = header(.tcp) { header } else { nil } }
  /// The UDP header.
  public var udp: UDPHeader? { if case .udp(let header)? = header(.udp) { header } else { nil } }
  /// The ICMP message header.
  public var icmp: ICMPv4Message? {
    if case .icmp(let message)? = header(.icmp) { message } else { nil }
  }
  /// The ICMPv6 message header.
  public var icmpv6: ICMPv6Message? {
    if case .icmpv6(let message)? = header(.icmpv6) { message } else { nil }
  }
  /// The outermost MPLS label.
  public var mpls: MPLSLabel? { if case .mpls(let label)? = header(.mpls) { label } else { nil } }
  /// The GRE header.
  public var gre: GREHeader? { if case .gre(let header)? = header(.gre) { header } else { nil } }
  /// The VXLAN header.
  public var vxlan: VXLANHeader? {
    if case .vxlan(let header)? = header(.vxlan) { header } else { nil }
  }
  /// The IGMP message.
  public var igmp: IGMPMessage? {
    if case .igmp(let message)? = header(.igmp) { message } else { nil }
  }
  /// The first DNS message.
  public var dns: DNSHeader? { if case .dns(let header)? = header(.dns) { header } else { nil } }
  /// The DHCP message.
  public var dhcp: DHCPMessage? {
    if case .dhcp(let message)? = header(.dhcp) { message } else { nil }
  }
  /// The DHCPv6 message.
  public var dhcpv6: DHCPv6Message? {
    if case .dhcpv6(let message)? = header(.dhcpv6) { message } else { nil }
  }
  /// The NTP message.
  public var ntp: NTPMessage? { if case .ntp(let message)? = header(.ntp) { message } else { nil } }
  /// The HTTP message's start line and headers.
  public var http: HTTPMessage? {
    if case .http(let message)? = header(.http) { message } else { nil }
  }
  /// The first TLS record.
  public var tls: TLSRecord? { if case .tls(let record)? = header(.tls) { record } else { nil } }
}

extension DecodedFrame {
  /// The layers outside any ICMP error's quote, by type: `frame.tcp` reads `outer.tcp`.
  public var outer: TypedLayers { TypedLayers(self, quoted: false) }

  /// The layers of the datagram an ICMP or ICMPv6 error quotes, by type:
  /// `frame.quoted.udp` is the UDP header the error carries.
  public var quoted: TypedLayers { TypedLayers(self, quoted: true) }

  /// A typed header of the frame outside any ICMP error's quote: `frame.tcp`, `frame.ipv4`,
  /// `frame.icmp`, ... (the members of ``TypedLayers``).
  public subscript<Header>(dynamicMember member: KeyPath<TypedLayers, Header>) -> Header {
    outer[keyPath: member]
  }
}
