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

  /// A tag from its fields (tests and tools; the decoder reads it from the bytes).
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

extension FieldName {
  static let pcp = FieldName("pcp")
  static let dei = FieldName("dei")
  static let tpid = FieldName("tpid")
}

// MARK: - Decoding

extension Walk {
  /// Decodes the tag that `tpid` announced at `offset`: the EtherType it announces in turn,
  /// or nil when the tag is cut short (then appended as such, ending the frame's decoding).
  mutating func vlanTag(_ bytes: Span<UInt8>, tpid: EtherType, at offset: Int) -> EtherType? {
    if appendsShortHeader(
      bytes, VLANTag.length, at: offset, end: bytes.count, bound: .capture,
      { VLANTag(unchecked: $0, at: 0, tpid: tpid.rawValue) }, as: LayerHeader.vlan)
    {
      return nil
    }
    let tag = VLANTag(unchecked: bytes, at: offset, tpid: tpid.rawValue)
    push(DecodedLayer(header: .vlan(tag), range: offset..<(offset + VLANTag.length)))
    return EtherType(rawValue: tag.type)
  }
}

// MARK: - Fields

/// The VLAN tag's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum VLANProtocol {
  /// The views differ on purpose (kept as they were): the verbose view shows `type` in hex
  /// and adds `tpid` (the previous header's type field, which JSON leaves to that header).
  static func describe<V: FieldVisitor>(
    _ tag: VLANTag, _ layer: DecodedLayer, _ fields: inout V, _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    if view.has(2) {
      fields.number(.id, tag.id, &out)
      fields.number(.pcp, tag.pcp, &out)
      fields.number(.dei, UInt8(tag.dei ? 1 : 0), &out)
    }
    if view.has(4) { fields.number(.type, tag.type, .hex(width: 4), &out) }
    if V.view == .verbose { fields.number(.tpid, tag.tpid, .hex(width: 4), &out) }
  }

  /// Expressions: `vlan(id=10, pcp=3)`.
  static let schema = LayerSchema(
    name: "vlan", aliases: ["dot1q"],
    fields: [
      spec(.pcp, .integer(max: 7)) { (l: inout VLAN, v) in l.pcp = v.u8 },
      spec(.dei, .bool) { (l: inout VLAN, v) in l.dei = v.bool },
      spec(.id, .integer(max: 4095)) { (l: inout VLAN, v) in l.id = v.u16 },
      spec(.type, .u16) { (l: inout VLAN, v) in l.type = v.u16 },
      spec(.tpid, .u16) { (l: inout VLAN, v) in l.tpid = v.u16 },
    ], readOnly: [], make: { .vlan(VLAN()) })
}

extension JSONPacketConverter {
  /// `--from-json`: a `vlan` object; without `tpid`, the previous header's type when it is
  /// 802.1ad's or the pre-standard QinQ's, else 802.1Q's.
  mutating func vlan(_ layer: JSONLayer, previous: JSONLayer?) throws(JSONPacketError) {
    try layer.checkKeys([FieldName.id, .pcp, .dei, .type, .tpid].map(\.string))
    var tag = VLAN()
    if let id = try layer.integer(FieldName.id.string, max: 4095) { tag.id = UInt16(id) }
    if let pcp = try layer.integer(FieldName.pcp.string, max: 7) { tag.pcp = UInt8(pcp) }
    if let dei = try layer.bool(FieldName.dei.string) { tag.dei = dei }
    tag.type = try layer.u16(FieldName.type.string)
    if let tpid = try layer.u16(FieldName.tpid.string) {
      tag.tpid = tpid
    } else if let announced = try previous?.u16(FieldName.type.string),
      [EtherType.qinq, .qinqLegacy].contains(EtherType(rawValue: announced))
    {
      tag.tpid = announced
    }
    layers.append(.vlan(tag))
  }
}

// MARK: - Building

/// An 802.1Q / 802.1ad tag to build (contract layer `vlan`).
///
/// `tpid` is written in the previous header's type field (0x8100 802.1Q, 0x88a8 802.1ad,
/// 0x9100); `type` is computed from the next layer unless given (0 when nothing known follows,
/// as scapy's `Dot1Q`). Defaults as scapy: id 1, pcp 0, dei false.
public struct VLAN: PacketLayer {
  /// VLAN identifier (12 bits).
  public var id: UInt16
  /// Priority code point (3 bits).
  public var pcp: UInt8
  /// Drop eligible indicator.
  public var dei: Bool
  /// The tag protocol identifier announcing this tag.
  public var tpid: UInt16
  /// The EtherType of what follows; nil: computed.
  public var type: UInt16?

  /// An 802.1Q tag to build: VLAN 1, priority 0, TPID 0x8100 and the type computed from
  /// the next layer unless given.
  public init(
    id: UInt16 = 1, pcp: UInt8 = 0, dei: Bool = false, tpid: UInt16 = 0x8100, type: UInt16? = nil
  ) {
    self.id = id
    self.pcp = pcp
    self.dei = dei
    self.tpid = tpid
    self.type = type
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .vlan(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .vlan(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension VLAN {
  func encode(into writer: inout ByteWriter, next: StackLayer?) throws(BuildError) {
    guard id <= 0x0FFF else {
      throw .invalidValue(
        layer: "vlan", field: FieldName.id.string, value: "\(id)", reason: "exceeds 4095")
    }
    guard pcp <= 7 else {
      throw .invalidValue(
        layer: "vlan", field: FieldName.pcp.string, value: "\(pcp)", reason: "exceeds 7")
    }
    VLANTag(tpid: tpid, pcp: pcp, dei: dei, id: id, type: type ?? next?.etherType ?? 0)
      .encode(into: &writer)
  }
}
