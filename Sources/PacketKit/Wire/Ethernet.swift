// Ethernet II / IEEE 802.3 (IEEE 802.3 §3.2)
//
//  0                   6                  12        14
// +-------------------+-------------------+---------+
// | destination MAC   | source MAC        | type or |
// |                   |                   | length  |
// +-------------------+-------------------+---------+
// A type/length value below 0x0600 is an 802.3 length; the LLC bytes that follow are not
// decoded (they are `raw`). No FCS is expected in captures.

/// Field offsets of the Ethernet header.
enum EthernetLayout {
  static let destination = 0
  static let source = 6
  static let typeOrLength = 12
  static let length = 14
}

/// An Ethernet II or 802.3 header.
public struct EthernetHeader: Sendable, Hashable {
  /// Destination MAC address.
  public var dst: MACAddress
  /// Source MAC address.
  public var src: MACAddress
  /// The EtherType (≥ 0x0600) or, for 802.3 frames, the length of the LLC data.
  public var typeOrLength: UInt16

  /// The header's length on the wire, in bytes.
  public static let length = EthernetLayout.length

  public init(dst: MACAddress, src: MACAddress, typeOrLength: UInt16) {
    self.dst = dst
    self.src = src
    self.typeOrLength = typeOrLength
  }

  /// Reads the header at `offset`; the caller has checked that 14 bytes are there.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    dst = MACAddress(bytes, at: offset)
    src = MACAddress(bytes, at: offset + 6)
    typeOrLength = bytes.be16(at: offset + 12)
  }

  /// Decodes a header strictly from the start of `bytes`.
  public init(decoding bytes: Span<UInt8>) throws(DecodeError) {
    guard bytes.count >= Self.length else {
      throw .truncated(
        .init(
          layer: .ethernet, needed: Self.length, available: bytes.count, offset: 0, bound: .capture)
      )
    }
    self.init(unchecked: bytes, at: 0)
  }

  /// Whether `typeOrLength` is an 802.3 length.
  @inlinable public var isLength: Bool { typeOrLength < 0x0600 }

  /// The EtherType, or nil for an 802.3 frame.
  @inlinable public var etherType: EtherType? { isLength ? nil : EtherType(rawValue: typeOrLength) }

  /// Appends the 14 header bytes.
  public func encode(into writer: inout ByteWriter) {
    dst.encode(into: &writer)
    src.encode(into: &writer)
    writer.writeBE16(typeOrLength)
  }
}
