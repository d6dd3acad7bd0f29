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

  /// A layer from its parts: complete, with no checksum verdict, no payload and not quoted unless
  /// given.
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
  @inlinable @inline(__always) public var kind: LayerKind { header.kind }

  /// An empty placeholder used to fill unused slots.
  public static let empty = DecodedLayer(header: .raw, range: 0..<0)
}
