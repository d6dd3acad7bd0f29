// BSD loopback headers: a 4-byte address family before the IP packet.
// LINKTYPE_NULL (0): the family in the capturing host's byte order.
// LINKTYPE_LOOP (108): the family in network byte order.
// Families: 2 = IPv4; 24, 28, 30 = IPv6 (NetBSD/OpenBSD, FreeBSD, Darwin); 10 and 23 also
// seen for IPv6 (Linux, Windows).

/// A BSD loopback (NULL / LOOP) header.
public struct LoopbackHeader: Sendable, Hashable {
  /// The address family.
  public var family: UInt32
  /// Whether the family was (or is to be) written big-endian.
  public var bigEndian: Bool

  /// The header's length, in bytes.
  public static let length = 4

  public init(family: UInt32, bigEndian: Bool) {
    self.family = family
    self.bigEndian = bigEndian
  }

  /// Reads the family at `offset`. For NULL (`networkOrder` false) the byte order is
  /// guessed as libpcap does: a value with its high 16 bits set is byte-swapped.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int, networkOrder: Bool) {
    if networkOrder {
      family = bytes.be32(at: offset)
      bigEndian = true
    } else {
      let little = bytes.le32(at: offset)
      if little & 0xFFFF_0000 != 0 {
        family = bytes.be32(at: offset)
        bigEndian = true
      } else {
        family = little
        bigEndian = false
      }
    }
  }

  /// Whether the family announces IPv4.
  @inlinable public var isIPv4: Bool { family == 2 }
  /// Whether the family announces IPv6.
  @inlinable public var isIPv6: Bool {
    family == 24 || family == 28 || family == 30 || family == 10 || family == 23
  }

  /// Appends the 4 header bytes.
  public func encode(into writer: inout ByteWriter) {
    if bigEndian { writer.writeBE32(family) } else { writer.writeLE32(family) }
  }
}
