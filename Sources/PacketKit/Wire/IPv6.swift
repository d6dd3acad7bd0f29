// IPv6 (RFC 8200 §3)
//
//  0       4               12                                    32
// +-------+---------------+--------------------------------------+
// |Version| Traffic Class |             Flow Label               |
// +-------+---------------+-------+---------------+--------------+
// |         Payload Length        |  Next Header  |  Hop Limit   |
// +-------------------------------+---------------+--------------+
// |                 Source Address (128 bits)                    |
// |              Destination Address (128 bits)                  |
// +--------------------------------------------------------------+
// Extension headers follow; see IPv6Extensions.swift.

/// An IPv6 fixed header, plus what walking its extension headers found.
public struct IPv6Header: Sendable, Hashable {
  /// The version field (6 for a well-formed header).
  public var version: UInt8
  /// Traffic class (DSCP and ECN).
  public var trafficClass: UInt8
  /// Flow label (20 bits).
  public var flowLabel: UInt32
  /// Payload length (extension headers included), in bytes.
  public var payloadLength: UInt16
  /// The fixed header's next-header field.
  public var nextHeader: UInt8
  /// Hop limit.
  public var hopLimit: UInt8
  /// Source address.
  public var src: IPv6Address
  /// Destination address.
  public var dst: IPv6Address

  // Derived by the frame decoder's walk of the extension headers (not wire fields).
  /// The extension headers' bytes, as offsets in the frame.
  public var extensionsRange: Range<Int>
  /// The protocol after the last extension header walked.
  public var upperLayerProtocol: UInt8
  /// Whether a fragment header was found (the payload is then a fragment).
  public var isFragment: Bool

  /// The fixed header's length, in bytes.
  public static let length = 40

  public init(
    version: UInt8 = 6, trafficClass: UInt8 = 0, flowLabel: UInt32 = 0, payloadLength: UInt16,
    nextHeader: UInt8, hopLimit: UInt8 = 64, src: IPv6Address, dst: IPv6Address
  ) {
    self.version = version
    self.trafficClass = trafficClass
    self.flowLabel = flowLabel
    self.payloadLength = payloadLength
    self.nextHeader = nextHeader
    self.hopLimit = hopLimit
    self.src = src
    self.dst = dst
    extensionsRange = 0..<0
    upperLayerProtocol = nextHeader
    isFragment = false
  }

  /// Reads the fixed header at `offset`; the caller has checked that 40 bytes are there.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    let word = bytes.be32(at: offset)
    version = UInt8(word >> 28)
    trafficClass = UInt8(truncatingIfNeeded: word >> 20)
    flowLabel = word & 0xF_FFFF
    payloadLength = bytes.be16(at: offset + 4)
    nextHeader = bytes[offset + 6]
    hopLimit = bytes[offset + 7]
    src = IPv6Address(bytes, at: offset + 8)
    dst = IPv6Address(bytes, at: offset + 24)
    extensionsRange = (offset + 40)..<(offset + 40)
    upperLayerProtocol = nextHeader
    isFragment = false
  }

  /// Decodes the fixed header strictly from the start of `bytes` (extensions not walked).
  public init(decoding bytes: Span<UInt8>) throws(DecodeError) {
    guard bytes.count >= 40 else {
      throw .truncated(
        .init(layer: .ipv6, needed: 40, available: bytes.count, offset: 0, bound: .capture))
    }
    self.init(unchecked: bytes, at: 0)
    if version != 6 {
      throw .malformed(Malformation(field: "version", reason: "not 6", value: Int(version)))
    }
  }

  /// Appends the 40-byte fixed header (extension headers are written separately).
  public func encode(into writer: inout ByteWriter) {
    writer.writeBE32(UInt32(version) << 28 | UInt32(trafficClass) << 20 | (flowLabel & 0xF_FFFF))
    writer.writeBE16(payloadLength)
    writer.writeU8(nextHeader)
    writer.writeU8(hopLimit)
    src.encode(into: &writer)
    dst.encode(into: &writer)
  }
}
