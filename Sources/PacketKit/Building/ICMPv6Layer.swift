/// An ICMPv6 message to build (contract layer `icmpv6`).
///
/// Defaults as scapy: echo request (type 128), code 0, id 0, seq 0. For neighbour
/// solicitation, advertisement and redirect (135...137) the target address follows the
/// header (`::` unless given), then `ndOptions`. `rest` defaults to 0, except for a neighbour
/// advertisement where it is 0xA0000000 (router and override flags, scapy's `ICMPv6ND_NA()`).
/// The checksum covers the IPv6 pseudo-header and the message unless given, or is 0 when the
/// layer is not directly under an IPv6 layer (as scapy).
public struct ICMPv6: PacketLayer {
  /// Message type.
  public var type: UInt8
  /// Message code.
  public var code: UInt8
  /// Checksum; nil: computed.
  public var checksum: UInt16?
  /// The 4 bytes after the checksum; nil: the type's default.
  public var rest: UInt32?
  /// Target address (135, 136, 137); nil: `::` for those types, absent otherwise.
  public var target: IPv6Address?
  /// Neighbour-discovery options, written after the target.
  public var ndOptions: [NDOptionSpec]

  public init(
    type: UInt8 = 128, code: UInt8 = 0, checksum: UInt16? = nil, rest: UInt32? = nil,
    target: IPv6Address? = nil, ndOptions: [NDOptionSpec] = []
  ) {
    self.type = type
    self.code = code
    self.checksum = checksum
    self.rest = rest
    self.target = target
    self.ndOptions = ndOptions
  }

  /// An echo message (128 request, 129 reply) with identifier and sequence number.
  public init(type: UInt8 = 128, code: UInt8 = 0, checksum: UInt16? = nil, id: UInt16, seq: UInt16)
  {
    self.init(type: type, code: code, checksum: checksum, rest: UInt32(id) << 16 | UInt32(seq))
  }

  /// `rest` as built.
  public var resolvedRest: UInt32 { rest ?? (type == 136 ? 0xA000_0000 : 0) }

  /// Identifier: the high half of `rest`.
  public var id: UInt16 {
    get { UInt16(truncatingIfNeeded: resolvedRest >> 16) }
    set { rest = resolvedRest & 0xFFFF | UInt32(newValue) << 16 }
  }

  /// Sequence number: the low half of `rest`.
  public var seq: UInt16 {
    get { UInt16(truncatingIfNeeded: resolvedRest) }
    set { rest = resolvedRest & 0xFFFF_0000 | UInt32(newValue) }
  }

  /// Whether the message is neighbour discovery (133...137).
  public var isNeighbourDiscovery: Bool { (133...137).contains(type) }

  public var stackLayer: StackLayer { .icmpv6(self) }

  public init?(_ stackLayer: StackLayer) {
    guard case .icmpv6(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension ICMPv6 {
  func encode(payload: [UInt8], pseudoHeader: ChecksumContext?) -> [UInt8] {
    var writer = ByteWriter(capacity: 64 + payload.count)
    ICMPv6Message(type: type, code: code, checksum: checksum ?? 0, rest: resolvedRest)
      .encode(into: &writer)
    if let target {
      target.encode(into: &writer)
    } else if (135...137).contains(type) {
      IPv6Address.unspecified.encode(into: &writer)
    }
    for option in ndOptions { writer.write(contentsOf: option.encoded) }
    writer.write(contentsOf: payload)
    if checksum == nil, let pseudoHeader {
      writer.setBE16(pseudoHeader.checksum(protocol: 58, segment: writer.bytes), at: 2)
    }
    return writer.bytes
  }
}
