// IPv6 extension headers (RFC 8200 §4): hop-by-hop (0), routing (43), fragment (44),
// destination options (60), AH (51, RFC 4302) and mobility (135, RFC 6275).
// Each starts with next-header and a length byte; the length unit is 8 bytes beyond the
// first 8 (AH: 4 bytes beyond the first 8; fragment: always 8). ESP (50) is not walked:
// what follows it is encrypted.

/// One IPv6 extension header found while walking the chain.
public struct IPv6ExtensionHeader: Sendable, Hashable {
  /// The protocol number of this header (0, 43, 44, 60, 51, 135).
  public var type: UInt8
  /// The protocol of what follows this header.
  public var nextHeader: UInt8
  /// The header's bytes, as offsets in the frame (next-header and length bytes included).
  public var range: Range<Int>
  /// Fragment header: fragment offset in bytes.
  public var fragmentOffset: Int
  /// Fragment header: more fragments.
  public var mf: Bool
  /// Fragment header: identification.
  public var id: UInt32
  /// Routing header: routing type.
  public var routingType: UInt8
  /// Routing header: segments left.
  public var segmentsLeft: UInt8
  /// The second byte as on the wire: the length field (reserved in a fragment header).
  public var secondByte: UInt8

  /// The header's length, in bytes.
  @inlinable public var length: Int { range.count }

  /// The body after the next-header and length bytes, as offsets in the frame.
  @inlinable public var bodyRange: Range<Int> { (range.lowerBound + 2)..<range.upperBound }

  /// The length in bytes announced by a header of `type` whose length byte is `lengthField`.
  @inlinable
  public static func announcedLength(type: UInt8, lengthField: UInt8) -> Int {
    switch type {
    case 44: 8
    case 51: (Int(lengthField) + 2) * 4
    default: (Int(lengthField) + 1) * 8
    }
  }

  /// Reads the header of `type` at `offset`; the caller has checked that `length` bytes are there.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int, type: UInt8, length: Int) {
    self.type = type
    nextHeader = bytes[offset]
    secondByte = bytes[offset + 1]
    range = offset..<(offset + length)
    fragmentOffset = 0
    mf = false
    id = 0
    routingType = 0
    segmentsLeft = 0
    if type == 44 {
      let word = bytes.be16(at: offset + 2)
      fragmentOffset = Int(word & 0xFFF8)
      mf = word & 1 != 0
      id = bytes.be32(at: offset + 4)
    } else if type == 43 {
      routingType = bytes[offset + 2]
      segmentsLeft = bytes[offset + 3]
    }
  }

  /// Calls `body` with each extension header of the chain that starts at `range.lowerBound`
  /// with protocol `first`, stopping at the first non-extension protocol, at the end of
  /// `range`, or when `body` returns false. Headers that do not fit are not reported.
  public static func forEach(
    in bytes: Span<UInt8>, range: Range<Int>, first: UInt8, _ body: (IPv6ExtensionHeader) -> Bool
  ) {
    var offset = range.lowerBound
    var type = first
    while IPProtocol(rawValue: type).isIPv6Extension, offset + 2 <= range.upperBound {
      let length = announcedLength(type: type, lengthField: bytes[offset + 1])
      guard offset + length <= range.upperBound else { return }
      let header = IPv6ExtensionHeader(unchecked: bytes, at: offset, type: type, length: length)
      if !body(header) { return }
      offset += length
      type = header.nextHeader
    }
  }
}

extension IPv6ExtensionHeader {
  /// Appends the header: next header, the second byte, then the body. For a fragment
  /// header the offset, flag and identification come from the typed fields (the reserved
  /// bits from `body`); for a routing header, the routing type and segments left do.
  public func encode(into writer: inout ByteWriter, body: Span<UInt8>) {
    writer.writeU8(nextHeader)
    writer.writeU8(secondByte)
    if type == 44 && body.count >= 6 {
      let reservedBits = body.be16(at: 0) & 0x0006
      writer.writeBE16(UInt16(truncatingIfNeeded: fragmentOffset) & 0xFFF8 | reservedBits | (mf ? 1 : 0))
      writer.writeBE32(id)
    } else if type == 43 && body.count >= 2 {
      writer.writeU8(routingType)
      writer.writeU8(segmentsLeft)
      for index in 2..<body.count { writer.writeU8(body[index]) }
    } else {
      for index in 0..<body.count { writer.writeU8(body[index]) }
    }
  }
}
