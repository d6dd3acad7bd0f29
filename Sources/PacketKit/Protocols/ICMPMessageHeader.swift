/// The 8-byte header ICMP (RFC 792) and ICMPv6 (RFC 4443) share: type, code, checksum and 4
/// type-specific bytes (`rest`; identifier and sequence number for echo messages).
///
/// `ICMPv4Message` and `ICMPv6Message` are the two; what differs between them (which types
/// are errors, which carry an identifier, neighbour discovery) stays on each.
public protocol ICMPMessageHeader: Sendable, Hashable {
  /// Message type.
  var type: UInt8 { get set }
  /// Message code.
  var code: UInt8 { get set }
  /// Checksum as stored.
  var checksum: UInt16 { get set }
  /// The 4 bytes after the checksum, as a big-endian integer.
  var rest: UInt32 { get set }

  /// A header of these values.
  init(type: UInt8, code: UInt8, checksum: UInt16, rest: UInt32)
}

extension ICMPMessageHeader {
  /// The header's length, in bytes.
  @inlinable public static var headerLength: Int { 8 }

  /// Reads the header at `offset`; the caller has checked that 8 bytes are there.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    self.init(
      type: bytes[offset], code: bytes[offset + 1], checksum: bytes.be16(at: offset + 2),
      rest: bytes.be32(at: offset + 4))
  }

  /// Identifier: the first half of `rest` (echo; ICMP's timestamp and information too).
  @inlinable public var id: UInt16 { UInt16(truncatingIfNeeded: rest >> 16) }
  /// Sequence number: the second half of `rest`.
  @inlinable public var seq: UInt16 { UInt16(truncatingIfNeeded: rest) }

  /// Appends the 8 header bytes.
  public func encode(into writer: inout ByteWriter) {
    writer.writeU8(type)
    writer.writeU8(code)
    writer.writeBE16(checksum)
    writer.writeBE32(rest)
  }
}
