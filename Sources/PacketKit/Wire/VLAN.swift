// IEEE 802.1Q / 802.1ad tag: the 4 bytes after a TPID of 0x8100, 0x88a8 or 0x9100.
// The TPID itself is the previous header's type field; the tag layer covers TCI + type.
//
//  0       3   4               16              32
// +-------+---+----------------+---------------+
// |  PCP  |DEI|      VID       |  EtherType    |
// +-------+---+----------------+---------------+

/// An 802.1Q / QinQ tag.
public struct VLANTag: Sendable, Hashable {
  /// The tag protocol identifier that announced this tag (0x8100, 0x88a8 or 0x9100).
  public var tpid: UInt16
  /// Priority code point (3 bits).
  public var pcp: UInt8
  /// Drop eligible indicator.
  public var dei: Bool
  /// VLAN identifier (12 bits).
  public var id: UInt16
  /// The EtherType (or 802.3 length) of what follows the tag.
  public var type: UInt16

  /// The tag's length after the TPID, in bytes.
  public static let length = 4

  public init(tpid: UInt16 = 0x8100, pcp: UInt8 = 0, dei: Bool = false, id: UInt16, type: UInt16) {
    self.tpid = tpid
    self.pcp = pcp
    self.dei = dei
    self.id = id
    self.type = type
  }

  /// Reads the tag (TCI and type) at `offset`; the caller has checked that 4 bytes are there.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int, tpid: UInt16) {
    let tci = bytes.be16(at: offset)
    self.tpid = tpid
    pcp = UInt8(tci >> 13)
    dei = tci & 0x1000 != 0
    id = tci & 0x0FFF
    type = bytes.be16(at: offset + 2)
  }

  /// The tag control information (PCP, DEI and VID) as on the wire.
  @inlinable public var tci: UInt16 {
    UInt16(pcp & 7) << 13 | (dei ? 0x1000 : 0) | (id & 0x0FFF)
  }

  /// Appends the 4 tag bytes (TCI and type; the TPID belongs to the previous header).
  public func encode(into writer: inout ByteWriter) {
    writer.writeBE16(tci)
    writer.writeBE16(type)
  }
}
