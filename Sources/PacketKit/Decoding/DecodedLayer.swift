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
    case .raw: .raw
    }
  }
}

/// One layer of a decoded frame: its header, where it lies and how complete it is.
public struct DecodedLayer: Sendable, Hashable {
  /// The decoded header fields. For a truncated layer, fields whose bytes were not captured are zero.
  public var header: LayerHeader
  /// The layer's header bytes (options and extension headers included) as offsets in the
  /// frame, clipped to what was captured. For `raw`, the payload bytes.
  public var range: Range<Int>
  /// Complete, truncated or malformed.
  public var status: LayerStatus
  /// Whether the stored checksum verifies; nil when it cannot be computed (short capture,
  /// fragment, zero UDP checksum over IPv4) or the layer has none.
  public var checksumValid: Bool?
  /// TCP and UDP: payload length from the headers, capped at the frame's wire length.
  public var payloadLength: Int
  /// Whether this layer lies inside a datagram quoted by an ICMP error.
  public var isQuoted: Bool

  public init(
    header: LayerHeader, range: Range<Int>, status: LayerStatus = .complete,
    checksumValid: Bool? = nil,
    payloadLength: Int = 0, isQuoted: Bool = false
  ) {
    self.header = header
    self.range = range
    self.status = status
    self.checksumValid = checksumValid
    self.payloadLength = payloadLength
    self.isQuoted = isQuoted
  }

  /// The layer's kind.
  @inlinable public var kind: LayerKind { header.kind }

  /// An empty placeholder used to fill unused slots.
  public static let empty = DecodedLayer(header: .raw, range: 0..<0)
}
