// IPv4 (RFC 791 §3.1)
//
//  0       4       8              16    19                       32
// +-------+-------+---------------+-----+------------------------+
// |Version|  IHL  |      TOS      |        Total Length          |
// +-------+-------+---------------+-----+------------------------+
// |        Identification         |Flags|    Fragment Offset     |
// +---------------+---------------+-----+------------------------+
// |      TTL      |   Protocol    |       Header Checksum        |
// +---------------+---------------+------------------------------+
// |                       Source Address                         |
// |                    Destination Address                       |
// |                    Options (IHL > 5)                         |
// +--------------------------------------------------------------+
// Options are kept as bytes (a range into the frame), not interpreted.

/// Field offsets of the IPv4 header.
@usableFromInline enum IPv4Layout {
  @usableFromInline static let versionAndIHL = 0
  @usableFromInline static let tos = 1
  @usableFromInline static let totalLength = 2
  @usableFromInline static let id = 4
  @usableFromInline static let flagsAndOffset = 6
  @usableFromInline static let ttl = 8
  @usableFromInline static let `protocol` = 9
  @usableFromInline static let checksum = 10
  @usableFromInline static let src = 12
  @usableFromInline static let dst = 16
  @usableFromInline static let minimumLength = 20
}

/// An IPv4 header with every wire field.
public struct IPv4Header: Sendable, Hashable {
  /// The version field (4 for a well-formed header).
  public var version: UInt8
  /// The IHL field: header length in 4-byte words.
  public var ihl: UInt8
  /// Type of service / DSCP and ECN, the whole byte.
  public var tos: UInt8
  /// Total length of the datagram, in bytes.
  public var totalLength: UInt16
  /// Identification.
  public var id: UInt16
  /// The reserved ("evil") flag bit.
  public var reservedFlag: Bool
  /// Don't fragment.
  public var df: Bool
  /// More fragments.
  public var mf: Bool
  /// Fragment offset, in bytes (8-byte units on the wire).
  public var fragmentOffset: Int
  /// Time to live (hop count).
  public var ttl: UInt8
  /// The protocol of the payload.
  public var `protocol`: UInt8
  /// The header checksum as stored.
  public var checksum: UInt16
  /// Source address.
  public var src: IPv4Address
  /// Destination address.
  public var dst: IPv4Address
  /// The options' bytes, as offsets in the frame (empty when IHL is 5).
  public var optionsRange: Range<Int>

  /// The smallest header, in bytes.
  public static let minimumLength = IPv4Layout.minimumLength

  /// Header length, in bytes (IHL × 4).
  @inlinable public var headerLength: Int { Int(ihl) &* 4 }

  /// Whether this datagram is a fragment (MF set or a non-zero offset).
  @inlinable public var isFragment: Bool { mf || fragmentOffset != 0 }

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
  public init(
    version: UInt8 = 4, ihl: UInt8 = 5, tos: UInt8 = 0, totalLength: UInt16, id: UInt16 = 0,
    reservedFlag: Bool = false, df: Bool = false, mf: Bool = false, fragmentOffset: Int = 0,
    ttl: UInt8 = 64, protocol proto: UInt8, checksum: UInt16 = 0, src: IPv4Address, dst: IPv4Address
  ) {
    self.version = version
    self.ihl = ihl
    self.tos = tos
    self.totalLength = totalLength
    self.id = id
    self.reservedFlag = reservedFlag
    self.df = df
    self.mf = mf
    self.fragmentOffset = fragmentOffset
    self.ttl = ttl
    self.protocol = proto
    self.checksum = checksum
    self.src = src
    self.dst = dst
    optionsRange = 0..<0
  }

  /// Reads the fixed header at `offset`; the caller has checked that 20 bytes are there.
  /// `optionsRange` covers the option bytes that are within `bytes`.
  @inlinable @inline(__always)
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    // The five 32-bit words after one bounds check, rather than a checked read per field.
    let (versionToLength, idAndFlags, ttlToChecksum, source, destination) = bytes.be32Words(
      fiveAt: offset + IPv4Layout.versionAndIHL)
    let first = UInt8(truncatingIfNeeded: versionToLength >> 24)
    version = first >> 4
    ihl = first & 0x0F
    tos = UInt8(truncatingIfNeeded: versionToLength >> 16)
    totalLength = UInt16(truncatingIfNeeded: versionToLength)
    id = UInt16(truncatingIfNeeded: idAndFlags >> 16)
    let flags = UInt16(truncatingIfNeeded: idAndFlags)
    reservedFlag = flags & 0x8000 != 0
    df = flags & 0x4000 != 0
    mf = flags & 0x2000 != 0
    fragmentOffset = Int(flags & 0x1FFF) &* 8
    ttl = UInt8(truncatingIfNeeded: ttlToChecksum >> 24)
    self.protocol = UInt8(truncatingIfNeeded: ttlToChecksum >> 16)
    checksum = UInt16(truncatingIfNeeded: ttlToChecksum)
    src = IPv4Address(rawValue: source)
    dst = IPv4Address(rawValue: destination)
    let optionsStart = offset + IPv4Layout.minimumLength
    let optionsEnd = max(optionsStart, min(offset + Int(first & 0x0F) * 4, bytes.count))
    optionsRange = optionsStart..<optionsEnd
  }

  /// Decodes a header strictly from the start of `bytes`.
  public init(decoding bytes: Span<UInt8>) throws(DecodeError) {
    guard bytes.count >= 20 else {
      throw .truncated(
        .init(layer: .ipv4, needed: 20, available: bytes.count, offset: 0, bound: .capture))
    }
    self.init(unchecked: bytes, at: 0)
    if let problem = malformation { throw .malformed(problem) }
    guard bytes.count >= headerLength else {
      throw .truncated(
        .init(
          layer: .ipv4, needed: headerLength, available: bytes.count, offset: 0, bound: .capture))
    }
  }

  /// Whether the fixed fields agree with one another (`malformation` is nil): the check
  /// decoding makes first, in a few instructions.
  @inline(__always)
  var isConsistent: Bool {
    version == 4 && ihl >= 5 && (totalLength == 0 || Int(totalLength) >= headerLength)
  }

  /// What is self-contradictory in the fixed fields, if anything.
  public var malformation: Malformation? {
    if version != 4 {
      return Malformation(field: FieldName.version.text, reason: "not 4", value: Int(version))
    }
    if ihl < 5 {
      return Malformation(
        field: FieldName.headerLength.text, reason: "less than 20 bytes", value: headerLength)
    }
    if Int(totalLength) < headerLength && totalLength != 0 {
      return Malformation(
        field: FieldName.totalLength.text, reason: "less than the header length",
        value: Int(totalLength))
    }
    return nil
  }

  /// The flags and fragment offset word as on the wire.
  @inlinable public var flagsAndOffset: UInt16 {
    (reservedFlag ? 0x8000 : 0) | (df ? 0x4000 : 0) | (mf ? 0x2000 : 0) | UInt16(
      truncatingIfNeeded: fragmentOffset / 8) & 0x1FFF
  }

  /// Appends the header: the fixed 20 bytes, then `options`.
  public func encode(into writer: inout ByteWriter, options: Span<UInt8>) {
    writer.writeU8(version << 4 | (ihl & 0x0F))
    writer.writeU8(tos)
    writer.writeBE16(totalLength)
    writer.writeBE16(id)
    writer.writeBE16(flagsAndOffset)
    writer.writeU8(ttl)
    writer.writeU8(self.protocol)
    writer.writeBE16(checksum)
    src.encode(into: &writer)
    dst.encode(into: &writer)
    for index in 0..<options.count { writer.writeU8(options[index]) }
  }
}
