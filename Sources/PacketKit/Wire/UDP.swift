// UDP (RFC 768)
//
//  0               16              32
// +---------------+---------------+
// |  Source Port  |   Dest Port   |
// |    Length     |   Checksum    |
// +---------------+---------------+

/// A UDP header.
public struct UDPHeader: Sendable, Hashable {
  /// Source port.
  public var srcPort: UInt16
  /// Destination port.
  public var dstPort: UInt16
  /// Length of header and data, in bytes.
  public var length: UInt16
  /// Checksum as stored (0 = none over IPv4).
  public var checksum: UInt16

  /// The header's length, in bytes.
  public static let headerLength = 8

  public init(srcPort: UInt16, dstPort: UInt16, length: UInt16, checksum: UInt16 = 0) {
    self.srcPort = srcPort
    self.dstPort = dstPort
    self.length = length
    self.checksum = checksum
  }

  /// Reads the header at `offset`; the caller has checked that 8 bytes are there.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    srcPort = bytes.be16(at: offset)
    dstPort = bytes.be16(at: offset + 2)
    length = bytes.be16(at: offset + 4)
    checksum = bytes.be16(at: offset + 6)
  }

  /// Decodes a header strictly from the start of `bytes`.
  public init(decoding bytes: Span<UInt8>) throws(DecodeError) {
    guard bytes.count >= 8 else {
      throw .truncated(
        .init(layer: .udp, needed: 8, available: bytes.count, offset: 0, bound: .capture))
    }
    self.init(unchecked: bytes, at: 0)
    if length < 8 {
      throw .malformed(Malformation(field: "length", reason: "less than 8", value: Int(length)))
    }
  }

  /// Appends the 8 header bytes.
  public func encode(into writer: inout ByteWriter) {
    writer.writeBE16(srcPort)
    writer.writeBE16(dstPort)
    writer.writeBE16(length)
    writer.writeBE16(checksum)
  }
}
