/// Pairs captured frames with the probes they answer, as scapy's `answers()` does: TCP by
/// swapped addresses and ports (and the
/// acknowledgment of the probe's sequence number); UDP by swapped ports; ICMP and ICMPv6
/// echo by identifier and sequence number; ARP by the asked address; neighbour solicitation
/// by target; DNS by identifier and question; and any ICMP or ICMPv6 error whose quote holds the probe (addresses,
/// protocol, then ports or identifiers).
///
/// Matching is in two steps, so that a prober with many probes outstanding does one hash
/// lookup per captured frame:
/// 1. `key(ofProbe:bytes:)` when a probe is sent and `key(ofReply:bytes:)` for every frame
///    captured; a reply's key equals its probe's (or, for a probe sent to a multicast or
///    broadcast address, the reply key's `anyRemote` does). Neither allocates.
/// 2. `match(reply:replyBytes:probe:probeBytes:strictQuote:)` on a key hit, for what the key
///    does not hold: the reply's destination is the probe's source, a SYN is acknowledged
///    (ack = seq + 1, within scapy's tolerance of 2), an RST probe gets no direct answer,
///    request and reply types pair up, an ICMPv6 echo reply carries the request's data. It
///    also says how the frame answers (`ReplyKind`: direct, time exceeded, unreachable, ...).
///
/// Frames may start at Ethernet (with VLAN tags), Linux cooked or BSD loopback headers, or at
/// IP (`LinkType.raw`); a probe built as raw IP matches replies captured with Ethernet
/// headers. VLAN tags are not compared (the kernel often strips them on receive). IPv6
/// extension headers are skipped in the probe and in the quote; with a routing header, the
/// final destination (the first segment of a segment routing header) counts as the
/// destination, so a quote sent after some segments were visited still matches.
///
/// Not covered: UDP replies from another port than the one
/// probed (TFTP-style) do not match, as the contract's "swapped ports" says; IP-in-IP probes
/// match by the outer header and protocol (4 or 41) only; a probe to a subnet's broadcast
/// address (not 255.255.255.255) is not recognised as broadcast.
public enum ReplyMatcher {
  /// Where a datagram's key is read from: a probe (as sent), a probe quoted by an ICMP error
  /// (as sent), or a direct reply (as received: source and destination swapped).
  enum Role {
    case probe, quote, reply
  }

  /// The key the replies to `frame`, a probe about to be sent, will carry; nil when `frame`
  /// has no IPv4, IPv6 or ARP (with IPv4 addresses) layer (or is an ARP reply).
  ///
  /// - Parameters:
  ///   - frame: the probe as `FrameDecoder` decoded it from `bytes`.
  ///   - bytes: the probe's bytes, link-layer header first (if any).
  public static func key(ofProbe frame: DecodedFrame, bytes: Span<UInt8>) -> ProbeKey? {
    guard let network = networkIndex(of: frame) else { return nil }
    if frame.kind(at: network) == .arp { return arpKey(frame[network], bytes: bytes, role: .probe) }
    guard var key = datagramKey(frame, at: network, bytes: bytes, role: .probe) else {
      return nil
    }
    switch key.kind {
    case .arp, .neighborSolicitation, .routerSolicitation: break
    default: if isGroup(key.remote, version: key.ipVersion) { key.remote = .unspecified }
    }
    return key
  }

  /// The key of a probe given as bytes (decodes it; allocates, unlike the other entry points).
  public static func key(ofProbe bytes: [UInt8], linkType: LinkType) -> ProbeKey? {
    let frame = FrameDecoder(verifyChecksums: false).decode(bytes, linkType: linkType)
    return key(ofProbe: frame, bytes: bytes.span)
  }

  /// The key of the probe `frame` may answer, nil when it answers none: a frame that is not
  /// a reply (an echo request, an ARP request, a TCP SYN without ACK, ... so a probe seen
  /// going out is not taken for its own reply), or an ICMP error whose quote is too short
  /// to hold the probe's ports or identifiers.
  ///
  /// Look the key up among the outstanding probes, then `anyRemote` for probes sent to
  /// multicast or broadcast addresses. Allocates nothing.
  ///
  /// - Parameters:
  ///   - frame: the captured frame as `FrameDecoder` decoded it from `bytes`.
  ///   - bytes: the captured bytes.
  public static func key(ofReply frame: DecodedFrame, bytes: Span<UInt8>) -> ProbeKey? {
    guard let network = networkIndex(of: frame) else { return nil }
    let networkKind = frame.kind(at: network)
    if networkKind == .arp { return arpKey(frame[network], bytes: bytes, role: .reply) }
    if let quote = quoteIndex(of: frame, network: network) {
      return datagramKey(frame, at: quote, bytes: bytes, role: .quote)
    }
    if isError(frame, after: network) { return nil }
    return datagramKey(frame, at: network, bytes: bytes, role: .reply)
  }

  // MARK: Finding the layers

  /// The index of the outermost network layer (IPv4, IPv6 or ARP) after the link layers.
  static func networkIndex(of frame: DecodedFrame) -> Int? {
    for index in 0..<frame.count {
      switch frame.kind(at: index) {
      case .ethernet, .vlan, .sll, .null: continue
      case .ipv4, .ipv6, .arp: return index
      default: return nil
      }
    }
    return nil
  }

  /// Whether the layer after `network` is an ICMP or ICMPv6 error message.
  static func isError(_ frame: DecodedFrame, after network: Int) -> Bool {
    let index = network + 1
    guard index < frame.count else { return false }
    switch frame[index].header {
    case .icmp(let message): return message.isError && frame[index].range.count >= 1
    case .icmpv6(let message): return message.isError && frame[index].range.count >= 1
    default: return false
    }
  }

  /// The index of the datagram quoted by the ICMP (over IPv4) or ICMPv6 (over IPv6) error
  /// that follows `network`, if there is one.
  static func quoteIndex(of frame: DecodedFrame, network: Int) -> Int? {
    let message = network + 1
    let quote = network + 2
    guard quote < frame.count, isError(frame, after: network), frame[quote].isQuoted else {
      return nil
    }
    switch (frame.kind(at: network), frame.kind(at: message), frame.kind(at: quote)) {
    case (.ipv4, .icmp, .ipv4), (.ipv6, .icmpv6, .ipv6): return quote
    default: return nil
    }
  }

  /// The index of the layer after the IP layer at `network` when it is the upper-layer
  /// protocol the IP header announces.
  static func upperIndex(of frame: DecodedFrame, network: Int, protocol proto: UInt8) -> Int? {
    let index = network + 1
    guard index < frame.count else { return nil }
    switch (proto, frame.kind(at: index)) {
    case (6, .tcp), (17, .udp), (1, .icmp), (58, .icmpv6): return index
    default: return nil
    }
  }

  // MARK: Keys

  /// The key of an ARP message with IPv4 protocol addresses (any hardware): a request (or
  /// RARP request) as a probe, a reply (or RARP reply) as a reply.
  static func arpKey(_ layer: DecodedLayer, bytes: Span<UInt8>, role: Role) -> ProbeKey? {
    guard case .arp(let message) = layer.header, message.protocolType == 0x0800,
      message.protocolLength == 4, layer.range.count >= message.length,
      layer.range.lowerBound + message.length <= bytes.count
    else { return nil }
    let hardware = Int(message.hardwareLength)
    let senderIP = layer.range.lowerBound + 8 + hardware
    let targetIP = senderIP + 4 + hardware
    switch (role, message.op) {
    case (.reply, 2), (.reply, 4):
      return ProbeKey(
        kind: .arp, ipVersion: 0, local: .unspecified,
        remote: ProbeKey.address(IPv4Address(bytes, at: senderIP)), localPort: message.op - 1)
    case (.probe, 1), (.probe, 3), (.quote, 1), (.quote, 3):
      return ProbeKey(
        kind: .arp, ipVersion: 0, local: .unspecified,
        remote: ProbeKey.address(IPv4Address(bytes, at: targetIP)), localPort: message.op)
    default:
      return nil
    }
  }

  /// The addresses and upper-layer protocol of the IP datagram at `index`.
  static func addresses(_ layer: DecodedLayer, bytes: Span<UInt8>)
    -> (version: UInt8, src: IPv6Address, dst: IPv6Address, proto: UInt8)?
  {
    switch layer.header {
    case .ipv4(let header):
      guard layer.range.count >= IPv4Header.minimumLength else { return nil }
      return (4, ProbeKey.address(header.src), ProbeKey.address(header.dst), header.protocol)
    case .ipv6(let header):
      guard layer.range.count >= IPv6Header.length else { return nil }
      return (6, header.src, finalDestination(header, bytes: bytes), header.upperLayerProtocol)
    default:
      return nil
    }
  }

  /// The key of the IP datagram at `index` in the role given.
  static func datagramKey(_ frame: DecodedFrame, at index: Int, bytes: Span<UInt8>, role: Role)
    -> ProbeKey?
  {
    guard let (version, src, dst, proto) = addresses(frame[index], bytes: bytes) else { return nil }
    let sent = role != .reply
    var key = ProbeKey(
      kind: .ipProtocol, ipVersion: version, ipProtocol: proto, local: sent ? src : dst,
      remote: sent ? dst : src)
    guard let upper = upperIndex(of: frame, network: index, protocol: proto) else {
      return key
    }
    let layer = frame[upper]
    let captured = layer.range.count
    switch layer.header {
    case .tcp(let header):
      guard captured >= 4 else { return nil }
      if role == .reply {
        guard captured >= 14 else { return nil }
        let flags = TCPFlags(rawValue: header.flags)
        // A SYN without ACK opens a connection; it answers nothing (scapy).
        if flags.contains(.syn) && !flags.contains(.ack) { return nil }
      }
      key.kind = .tcp
      key.ipProtocol = 0
      (key.localPort, key.remotePort) =
        sent ? (header.srcPort, header.dstPort) : (header.dstPort, header.srcPort)
    case .udp(let header):
      guard captured >= 4 else { return nil }
      key.kind = .udp
      key.ipProtocol = 0
      (key.localPort, key.remotePort) =
        sent ? (header.srcPort, header.dstPort) : (header.dstPort, header.srcPort)
    case .icmp(let message):
      guard captured >= 2 else { return nil }
      key.ipProtocol = 0
      if sent {
        if isICMPRequest(message.type) && captured >= 8 {
          key.kind = .icmpQuery
          (key.localPort, key.remotePort) = (message.id, message.seq)
        } else {
          key.kind = .icmpMessage
          key.localPort = UInt16(message.type) << 8 | UInt16(message.code)
        }
      } else {
        guard isICMPReply(message.type), captured >= 8 else { return nil }
        key.kind = .icmpQuery
        (key.localPort, key.remotePort) = (message.id, message.seq)
      }
    case .icmpv6(let message):
      guard captured >= 2 else { return nil }
      key.ipProtocol = 0
      switch (sent, message.type) {
      case (true, 128), (false, 129):
        guard captured >= 8 else { return nil }
        key.kind = .icmpv6Echo
        (key.localPort, key.remotePort) = (message.id, message.seq)
      case (true, 135), (false, 136):
        let target = layer.range.lowerBound + 8
        guard target + 16 <= bytes.count else { return nil }
        key = ProbeKey(
          kind: .neighborSolicitation, ipVersion: 6, local: .unspecified,
          remote: IPv6Address(bytes, at: target))
      case (true, 133), (false, 134):
        key = ProbeKey(
          kind: .routerSolicitation, ipVersion: 6, local: .unspecified, remote: .unspecified)
      case (true, _):
        key.kind = .icmpv6Message
        key.localPort = UInt16(message.type) << 8 | UInt16(message.code)
      case (false, _):
        return nil
      }
    default:
      return key
    }
    return key
  }

  /// ICMP requests answered by a reply with the same identifier and sequence number: echo,
  /// timestamp, information, address mask (RFC 792, RFC 950).
  static func isICMPRequest(_ type: UInt8) -> Bool {
    switch type {
    case 8, 13, 15, 17: true
    default: false
    }
  }

  /// The reply type of an ICMP request type (`isICMPRequest`), else nil.
  static func icmpReplyType(to type: UInt8) -> UInt8? {
    switch type {
    case 8: 0
    case 13, 15, 17: type + 1
    default: nil
    }
  }

  /// Whether `type` is the reply to one of the ICMP requests.
  static func isICMPReply(_ type: UInt8) -> Bool {
    switch type {
    case 0, 14, 16, 18: true
    default: false
    }
  }

  /// The destination that stays the same all along the way: the header's, or with a routing
  /// header that has segments left, the final one (RFC 8200 §4.4, RFC 8754 §2).
  static func finalDestination(_ header: IPv6Header, bytes: Span<UInt8>) -> IPv6Address {
    var destination = header.dst
    let range = header.extensionsRange
    guard !range.isEmpty, range.upperBound <= bytes.count else { return destination }
    IPv6ExtensionHeader.forEach(in: bytes, range: range, first: header.nextHeader) { ext in
      guard ext.type == 43 && ext.segmentsLeft > 0 && ext.length >= 24 else { return true }
      switch ext.routingType {
      case 0: destination = IPv6Address(bytes, at: ext.range.upperBound - 16)
      case 2, 4: destination = IPv6Address(bytes, at: ext.range.lowerBound + 8)
      default: break
      }
      return false
    }
    return destination
  }

  /// Whether `address` (IPv4-mapped when `version` is 4) is multicast or the IPv4 limited
  /// broadcast address.
  static func isGroup(_ address: IPv6Address, version: UInt8) -> Bool {
    if version == 4 {
      let ipv4 = UInt32(truncatingIfNeeded: address.low)
      return ipv4 >> 28 == 0xE || ipv4 == 0xFFFF_FFFF
    }
    return address.high >> 56 == 0xFF
  }
}
