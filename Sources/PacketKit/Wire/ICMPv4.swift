// ICMP (RFC 792): an 8-byte header — type, code, checksum and 4 type-specific bytes
// (`rest`; identifier and sequence for echo, timestamp and information messages).
// Errors (3 unreachable, 4 source quench, 5 redirect, 11 time exceeded, 12 parameter
// problem) quote the offending datagram after the header; the frame decoder decodes it.

/// An ICMP message header.
public struct ICMPv4Message: Sendable, Hashable {
  /// Message type.
  public var type: UInt8
  /// Message code.
  public var code: UInt8
  /// Checksum as stored (over the whole message).
  public var checksum: UInt16
  /// The 4 bytes after the checksum, as a big-endian integer.
  public var rest: UInt32

  /// The header's length, in bytes.
  public static let headerLength = 8

  public init(type: UInt8, code: UInt8 = 0, checksum: UInt16 = 0, rest: UInt32 = 0) {
    self.type = type
    self.code = code
    self.checksum = checksum
    self.rest = rest
  }

  /// Reads the header at `offset`; the caller has checked that 8 bytes are there.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    type = bytes[offset]
    code = bytes[offset + 1]
    checksum = bytes.be16(at: offset + 2)
    rest = bytes.be32(at: offset + 4)
  }

  /// Whether `rest` holds an identifier and sequence number (echo, timestamp, information).
  @inlinable public var hasIdentifier: Bool {
    switch type {
    case 0, 8, 13, 14, 15, 16: true
    default: false
    }
  }

  /// Whether the message quotes an IPv4 datagram (3, 4, 5, 11, 12).
  @inlinable public var isError: Bool {
    switch type {
    case 3, 4, 5, 11, 12: true
    default: false
    }
  }

  /// Identifier (echo, timestamp, information).
  @inlinable public var id: UInt16 { UInt16(truncatingIfNeeded: rest >> 16) }
  /// Sequence number (echo, timestamp, information).
  @inlinable public var seq: UInt16 { UInt16(truncatingIfNeeded: rest) }

  /// Appends the 8 header bytes.
  public func encode(into writer: inout ByteWriter) {
    writer.writeU8(type)
    writer.writeU8(code)
    writer.writeBE16(checksum)
    writer.writeBE32(rest)
  }
}
