// ICMPv6 (RFC 4443) and neighbour discovery (RFC 4861).
// The header is 8 bytes: type, code, checksum and 4 type-specific bytes (`rest`).
// Errors 1–4 quote the offending IPv6 packet. Neighbour discovery messages carry a target
// address (135, 136, 137) and options of 8-byte units after a type-specific body:
//   133 RS: options at +8;  134 RA: +16;  135 NS, 136 NA: target at +8, options at +24;
//   137 redirect: target at +8, destination at +24, options at +40.

/// An ICMPv6 message header.
public struct ICMPv6Message: Sendable, Hashable {
  /// Message type.
  public var type: UInt8
  /// Message code.
  public var code: UInt8
  /// Checksum as stored (over pseudo-header and message).
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

  /// Whether `rest` holds an identifier and sequence number (echo 128/129).
  @inlinable public var hasIdentifier: Bool { type == 128 || type == 129 }
  /// Whether the message quotes an IPv6 packet (1–4).
  @inlinable public var isError: Bool { type >= 1 && type <= 4 }
  /// Identifier (echo).
  @inlinable public var id: UInt16 { UInt16(truncatingIfNeeded: rest >> 16) }
  /// Sequence number (echo).
  @inlinable public var seq: UInt16 { UInt16(truncatingIfNeeded: rest) }

  /// Offset of the target address from the message start, for NS, NA and redirect.
  @inlinable public var targetOffset: Int? { (135...137).contains(type) ? 8 : nil }

  /// Offset of the neighbour-discovery options from the message start, for types 133–137.
  @inlinable public var ndOptionsOffset: Int? {
    switch type {
    case 133: 8
    case 134: 16
    case 135, 136: 24
    case 137: 40
    default: nil
    }
  }

  /// Appends the 8 header bytes.
  public func encode(into writer: inout ByteWriter) {
    writer.writeU8(type)
    writer.writeU8(code)
    writer.writeBE16(checksum)
    writer.writeBE32(rest)
  }
}

/// A neighbour-discovery option (RFC 4861 §4.6), as iterated from a message.
public struct NDOption: Sendable, Hashable {
  /// Option type (1 source link-layer address, 2 target link-layer address, 3 prefix, 5 MTU, …).
  public var type: UInt8
  /// Length in bytes (8-byte units on the wire).
  public var length: Int
  /// The bytes after type and length, as offsets in the frame.
  public var dataRange: Range<Int>

  /// Calls `body` for each option in `range`, stopping at a zero length, at an option that
  /// runs past the end, or when `body` returns false. Returns false when the options were
  /// malformed (zero length or overrun).
  @discardableResult
  public static func forEach(in bytes: Span<UInt8>, range: Range<Int>, _ body: (NDOption) -> Bool)
    -> Bool
  {
    var offset = range.lowerBound
    while offset + 2 <= range.upperBound {
      let length = Int(bytes[offset + 1]) * 8
      guard length > 0, offset + length <= range.upperBound else { return false }
      if !body(
        NDOption(type: bytes[offset], length: length, dataRange: (offset + 2)..<(offset + length)))
      {
        return true
      }
      offset += length
    }
    return offset == range.upperBound
  }
}
