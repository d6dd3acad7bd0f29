// Builder layers made from decoded headers: the one vocabulary between reading and building.
// Each initialiser copies the header's wire fields and leaves the builder's computed fields
// (types, protocols, lengths, checksums) nil, so they are computed for the stack they end up
// in. `PacketStack(_:bytes:)` converts a whole frame and pins the values it must keep.

extension Ethernet {
  /// The builder layer for a decoded Ethernet header: addresses copied, `type` left to be
  /// computed from the next layer.
  public init(_ header: EthernetHeader) {
    self.init(src: header.src, dst: header.dst)
  }
}

extension VLAN {
  /// The builder layer for a decoded VLAN tag: id, priority, DEI and TPID copied, `type`
  /// left to be computed from the next layer.
  public init(_ tag: VLANTag) {
    self.init(id: tag.id, pcp: tag.pcp, dei: tag.dei, tpid: tag.tpid)
  }
}

extension ARP {
  /// The builder layer for a decoded Ethernet/IPv4 ARP message (`message.isEthernetIPv4`);
  /// nil for other hardware or protocol types, whose addresses this layer cannot hold.
  public init?(_ message: ARPMessage) {
    guard message.isEthernetIPv4 else { return nil }
    self.init(
      op: message.op, senderMAC: message.senderMAC, senderIP: message.senderIP,
      targetMAC: message.targetMAC, targetIP: message.targetIP,
      hardwareType: message.hardwareType, protocolType: message.protocolType)
  }
}

extension IPv4 {
  /// The builder layer for a decoded IPv4 header with its `options` bytes (the header's
  /// bytes after the first 20). Header length, total length, protocol and checksum are left
  /// to be computed; every other field is copied (the reserved flag is not kept).
  public init(_ header: IPv4Header, options: [UInt8] = []) {
    self.init(
      tos: header.tos, id: header.id, df: header.df, mf: header.mf,
      fragmentOffset: header.fragmentOffset, ttl: header.ttl, src: header.src, dst: header.dst,
      options: options)
  }
}

extension IPv6 {
  /// The builder layer for a decoded IPv6 header, without its extension headers. Payload
  /// length and next header are left to be computed; traffic class, flow label, hop limit
  /// and addresses are copied.
  public init(_ header: IPv6Header) {
    self.init(
      trafficClass: header.trafficClass, flowLabel: header.flowLabel, hopLimit: header.hopLimit,
      src: header.src, dst: header.dst)
  }
}

extension TCP {
  /// The builder layer for a decoded TCP header with its `options`. Header length and
  /// checksum are left to be computed; ports, numbers, flags, window and urgent pointer are
  /// copied.
  public init(_ header: TCPHeader, options: [TCPOptionSpec] = []) {
    self.init(
      srcPort: header.srcPort, dstPort: header.dstPort, seq: header.seq, ack: header.ack,
      flags: header.flagSet, window: header.window, urgent: header.urgent, options: options)
  }

  /// The options in `range` of `bytes` (a decoded header's `optionsRange`) as builder
  /// options that write the same bytes: decoded options as such, and after an `eol` or an
  /// option that cannot be decoded, the remaining bytes as they are (zeros as `eol`s).
  public static func options(in bytes: Span<UInt8>, range: Range<Int>) -> [TCPOptionSpec] {
    let range = range.clamped(to: 0..<bytes.count)
    var specs: [TCPOptionSpec] = []
    var offset = range.lowerBound
    TCPOption.forEach(in: bytes, range: range) { option in
      let spec: TCPOptionSpec
      switch option {
      case .eol: spec = .eol
      case .nop: spec = .nop
      case .mss(let value): spec = .mss(value)
      case .windowScale(let shift): spec = .windowScale(shift)
      case .sackPermitted: spec = .sackPermitted
      case .sack(let blocks):
        spec = .sack(
          stride(from: blocks.lowerBound, to: blocks.upperBound, by: 8).map {
            SACKBlock(left: bytes.be32(at: $0), right: bytes.be32(at: $0 + 4))
          })
      case .timestamp(let value, let echo): spec = .timestamp(value: value, echo: echo)
      case .unknown(let code, let data):
        spec = .unknown(code: code, bytes: data.map { bytes[$0] })
      case .malformed: return false
      }
      specs.append(spec)
      offset += spec.encoded.count
      return true
    }
    let rest = (offset..<range.upperBound).map { bytes[$0] }
    if rest.allSatisfy({ $0 == 0 }) {
      specs += repeatElement(.eol, count: rest.count)
    } else {
      specs.append(.verbatim(rest))
    }
    return specs
  }
}

extension UDP {
  /// The builder layer for a decoded UDP header: ports copied, length and checksum left to
  /// be computed.
  public init(_ header: UDPHeader) {
    self.init(srcPort: header.srcPort, dstPort: header.dstPort)
  }
}

extension ICMP {
  /// The builder layer for a decoded ICMP message header: type, code and the 4 bytes after
  /// the checksum copied, the checksum left to be computed.
  public init(_ message: ICMPv4Message) {
    self.init(type: message.type, code: message.code, rest: message.rest)
  }
}

extension ICMPv6 {
  /// The builder layer for a decoded ICMPv6 message header: type, code and the 4 bytes after
  /// the checksum copied, the checksum left to be computed. For neighbour discovery
  /// (135...137) pass the message's `target`; its options go in a `Payload` after it.
  public init(_ message: ICMPv6Message, target: IPv6Address? = nil) {
    self.init(type: message.type, code: message.code, rest: message.rest, target: target)
  }
}
