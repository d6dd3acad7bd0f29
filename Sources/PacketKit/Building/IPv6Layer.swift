/// An IPv6 header, with its extension headers, to build (contract layer `ipv6`).
///
/// Defaults as scapy's `IPv6()`: hop limit 64, source and destination `::1`; when the next
/// layer is a neighbour-discovery message (ICMPv6 133...137) the hop limit is 255 and the
/// destination `ff02::1`, as scapy's ND layers set them. `payloadLength` and `nextHeader`
/// are computed unless given; each extension's next header is the following extension's type
/// or the upper layer's protocol (6, 17, 58, 1, 4, 41, else 59).
public struct IPv6: PacketLayer {
  /// Traffic class (DSCP and ECN).
  public var trafficClass: UInt8
  /// Flow label (20 bits).
  public var flowLabel: UInt32
  /// Payload length (extension headers included), in bytes; nil: computed.
  public var payloadLength: UInt16?
  /// The fixed header's next header; nil: computed.
  public var nextHeader: UInt8?
  /// Hop limit; nil: 64, or 255 before a neighbour-discovery message.
  public var hopLimit: UInt8?
  /// Source address.
  public var src: IPv6Address
  /// Destination address; nil: `::1`, or `ff02::1` before a neighbour-discovery message.
  public var dst: IPv6Address?
  /// Extension headers, in wire order.
  public var extensions: [IPv6Extension]

  /// `::1`.
  public static let loopback = IPv6Address(high: 0, low: 1)

  public init(
    trafficClass: UInt8 = 0, flowLabel: UInt32 = 0, payloadLength: UInt16? = nil,
    nextHeader: UInt8? = nil, hopLimit: UInt8? = nil, src: IPv6Address = IPv6.loopback,
    dst: IPv6Address? = nil, extensions: [IPv6Extension] = []
  ) {
    self.trafficClass = trafficClass
    self.flowLabel = flowLabel
    self.payloadLength = payloadLength
    self.nextHeader = nextHeader
    self.hopLimit = hopLimit
    self.src = src
    self.dst = dst
    self.extensions = extensions
  }

  public var stackLayer: StackLayer { .ipv6(self) }

  public init?(_ stackLayer: StackLayer) {
    guard case .ipv6(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension IPv6 {
  /// Whether `next` is a neighbour-discovery message (scapy then sets hop limit 255 and
  /// destination ff02::1).
  static func isNeighbourDiscovery(_ next: StackLayer?) -> Bool {
    if case .icmpv6(let message) = next { return message.isNeighbourDiscovery }
    return false
  }

  /// `ff02::1`.
  static let allNodes = IPv6Address(high: 0xFF02_0000_0000_0000, low: 1)

  /// The destination written: given, or the default for what follows.
  func resolvedDestination(next: StackLayer?) -> IPv6Address {
    dst ?? (Self.isNeighbourDiscovery(next) ? Self.allNodes : Self.loopback)
  }

  /// The final destination named by the innermost routing header with segments left, if any.
  var routingDestination: IPv6Address? {
    for header in extensions.reversed() where header.kind == .routing {
      let body = header.resolvedBody
      guard body.count >= 2, body[1] != 0, body.count >= 22 else { continue }
      let offset = body[0] == 4 ? 6 : 6 + (body.count - 6) / 16 * 16 - 16
      return IPv6Address(body.span, at: offset)
    }
    return nil
  }

  func encode(into writer: inout ByteWriter, next: StackLayer?, payloadLength: Int)
    throws(BuildError)
  {
    guard flowLabel <= 0xF_FFFF else {
      throw .invalidValue(
        layer: "ipv6", field: "flow_label", value: "\(flowLabel)", reason: "exceeds 20 bits")
    }
    let upper = next?.ipProtocol ?? 59
    var chain = ByteWriter(capacity: 64)
    for (index, header) in extensions.enumerated() {
      let following =
        index + 1 < extensions.count ? extensions[index + 1].kind.rawValue : upper
      try header.encode(into: &chain, next: following)
    }
    let total = chain.count + payloadLength
    guard self.payloadLength != nil || total <= 0xFFFF else {
      throw .invalidValue(
        layer: "ipv6", field: "payload_length", value: "\(total)", reason: "exceeds 65535")
    }
    IPv6Header(
      trafficClass: trafficClass, flowLabel: flowLabel,
      payloadLength: self.payloadLength ?? UInt16(total),
      nextHeader: nextHeader ?? extensions.first?.kind.rawValue ?? upper,
      hopLimit: hopLimit ?? (Self.isNeighbourDiscovery(next) ? 255 : 64), src: src,
      dst: resolvedDestination(next: next)
    ).encode(into: &writer)
    writer.write(contentsOf: chain.bytes)
  }

}
