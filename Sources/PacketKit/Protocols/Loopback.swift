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

  /// A header of address `family`, read in network order when `bigEndian` (LOOP).
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

extension FieldName {
  static let family = FieldName("family")
}

// MARK: - Decoding

extension Walk {
  /// Decodes a BSD loopback header (the family in network order for LOOP, guessed for
  /// NULL), then the IP datagram its family announces, else raw.
  mutating func loopback(_ bytes: Span<UInt8>, networkOrder: Bool) {
    let length = LoopbackHeader.length
    if appendsShortHeader(
      bytes, length, at: 0, end: bytes.count, bound: .capture,
      { LoopbackHeader(unchecked: $0, at: 0, networkOrder: networkOrder) }, as: LayerHeader.null)
    {
      return
    }
    let header = LoopbackHeader(unchecked: bytes, at: 0, networkOrder: networkOrder)
    push(DecodedLayer(header: .null(header), range: 0..<length))
    let enclosure = outermost(bytes)
    if header.isIPv4 {
      ipv4(bytes, at: length, enclosure)
    } else if header.isIPv6 {
      ipv6(bytes, at: length, enclosure)
    } else {
      raw(bytes, length..<bytes.count)
    }
  }
}

// MARK: - Fields

/// The loopback header's fields, for `read --json`, `read -v` and `--from-json`.
enum LoopbackProtocol {
  /// The views differ on purpose (kept as they were): the verbose view shows the family
  /// even when it was not captured, with the protocol it announces.
  static func describe<V: FieldVisitor>(
    _ header: LoopbackHeader, _ layer: DecodedLayer, _ fields: inout V, _ out: inout TextBuffer
  ) {
    guard V.view == .verbose || LayerExtent(layer).has(LoopbackHeader.length) else { return }
    let meaning: StaticString? = header.isIPv4 ? "IPv4" : header.isIPv6 ? "IPv6" : nil
    fields.number(.family, header.family, meaning: meaning, &out)
  }
}

extension JSONPacketConverter {
  /// `--from-json`: a `null` object, the packet's first bytes (in little-endian order, as
  /// a NULL capture of this host).
  mutating func loopback(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys([FieldName.family.string])
    guard let family = try layer.u32(FieldName.family.string) else {
      throw layer.fail(FieldName.family.string, "is missing")
    }
    var writer = ByteWriter(capacity: 4)
    LoopbackHeader(family: family, bigEndian: false).encode(into: &writer)
    prefix = writer.bytes
  }
}
