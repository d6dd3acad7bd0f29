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
@usableFromInline enum EthernetLayout {
  @usableFromInline static let destination = 0
  @usableFromInline static let source = 6
  @usableFromInline static let typeOrLength = 12
  @usableFromInline static let length = 14
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

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
  public init(dst: MACAddress, src: MACAddress, typeOrLength: UInt16) {
    self.dst = dst
    self.src = src
    self.typeOrLength = typeOrLength
  }

  /// Reads the header at `offset`; the caller has checked that 14 bytes are there.
  @inlinable @inline(__always)
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    // Two 8-byte loads: the destination and two bytes of the source, then the source and
    // the type (one bounds check each, where reading field by field checks five times).
    let head = bytes.be64(at: offset + EthernetLayout.destination)
    let tail = bytes.be64(at: offset + EthernetLayout.source)
    dst = MACAddress(rawValue: head >> 16)
    src = MACAddress(rawValue: tail >> 16)
    typeOrLength = UInt16(truncatingIfNeeded: tail)
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

// MARK: - Decoding

extension Walk {
  /// Decodes an Ethernet frame: the header, then what its EtherType announces.
  /// Decodes an Ethernet frame at `start` (0, or a frame carried by a tunnel) that runs to
  /// the end of `bytes` (a tunnel passes its payload's end as the span's end).
  mutating func ethernet(_ bytes: Span<UInt8>, at start: Int = 0) {
    let length = EthernetHeader.length
    if appendsShortHeader(
      bytes, length, at: start, end: bytes.count, bound: .capture,
      { EthernetHeader(unchecked: $0, at: 0) }, as: LayerHeader.ethernet)
    {
      return
    }
    let header = EthernetHeader(unchecked: bytes, at: start)
    push(DecodedLayer(header: .ethernet(header), range: start..<(start + length)))
    etherType(bytes, EtherType(rawValue: header.typeOrLength), at: start + length)
  }

  /// Decodes what an EtherType announces at `start`: VLAN tags, then the protocol of the
  /// type they end with (`network`), else raw. An 802.3 length covers the LLC data; what
  /// follows it is padding.
  @inline(__always) mutating func etherType(_ bytes: Span<UInt8>, _ first: EtherType, at start: Int)
  {
    var type = first
    var offset = start
    while type.isVLANTag {
      guard !frame.isFull else { return raw(bytes, offset..<bytes.count) }
      guard let inner = vlanTag(bytes, tpid: type, at: offset) else { return }
      type = inner
      offset += VLANTag.length
    }
    guard !network(type, bytes, at: offset) else { return }
    if type.isLength {
      let end = min(bytes.count, offset + Int(type.rawValue))
      raw(bytes, offset..<end)
      if end < bytes.count { frame.paddingRange = end..<bytes.count }
    } else {
      raw(bytes, offset..<bytes.count)
    }
  }
}

// MARK: - Fields

/// Ethernet's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum EthernetProtocol {
  /// The views differ on purpose (kept as they were): the verbose view lists `dst` before
  /// `src` (the wire's order) and shows the type in hex with its name and the padding with
  /// its length; JSON has `src` first and plain numbers.
  static func describe<V: FieldVisitor>(
    _ header: EthernetHeader, _ layer: DecodedLayer, _ frame: borrowing DecodedFrame,
    _ bytes: Span<UInt8>, _ fields: inout V, _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    let hasDst = view.has(EthernetLayout.source)
    if V.view == .verbose && hasDst { fields.mac(.dst, header.dst, &out) }
    if view.has(EthernetLayout.typeOrLength) { fields.mac(.src, header.src, &out) }
    if V.view == .json && hasDst { fields.mac(.dst, header.dst, &out) }
    if view.has(EthernetLayout.length) {
      if header.isLength {
        fields.number(.length, header.typeOrLength, &out)
      } else if V.view == .json {
        fields.number(.type, header.typeOrLength, &out)
      } else {
        fields.text(.type, &out) { out in
          out.append("0x")
          out.append(hex: header.typeOrLength, width: 4)
          out.append(" (")
          out.append(EtherType(rawValue: header.typeOrLength).description)
          out.append(byte: UInt8(ascii: ")"))
        }
      }
    }
    // Padding after what the outermost datagram's length covers (only after a frame's
    // first header).
    if layer.range.lowerBound == 0, let padding = frame.paddingRange, !padding.isEmpty,
      padding.upperBound <= bytes.count
    {
      if V.view == .json {
        fields.hex(.padding, bytes.extracting(padding), &out)
      } else {
        fields.text(.padding, &out) { out in
          out.append(hexBytes: bytes.extracting(padding))
          out.append(" (")
          out.append(decimal: padding.count)
          out.append(" bytes)")
        }
      }
    }
  }

  /// Expressions: `eth(src=02:00:00:00:00:01, type=0x0800)`.
  static let schema = LayerSchema(
    name: "eth", aliases: ["ether"],
    fields: [
      spec(.dst, .mac) { (l: inout Ethernet, v) in l.dst = v.mac },
      spec(.src, .mac) { (l: inout Ethernet, v) in l.src = v.mac },
      spec(.type, [FieldName.length.string], .u16) { (l: inout Ethernet, v) in l.type = v.u16 },
    ], readOnly: [], make: { .ethernet(Ethernet()) })
}

extension JSONPacketConverter {
  /// `--from-json`: an `eth` object; its `padding` becomes the frame's trailer, a `length`
  /// (802.3) is the type field.
  mutating func ethernet(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys([FieldName.src, .dst, .type, .length, .padding].map(\.string))
    var eth = Ethernet()
    if let src = try layer.mac(FieldName.src.string) { eth.src = src }
    if let dst = try layer.mac(FieldName.dst.string) { eth.dst = dst }
    if let type = try layer.u16(FieldName.type.string) {
      eth.type = type
    } else if let length = try layer.integer(FieldName.length.string, max: 0x05FF) {
      eth.type = UInt16(length)
    }
    trailer = try layer.hex(FieldName.padding.string) ?? trailer
    layers.append(.ethernet(eth))
  }
}

// MARK: - Building

/// An Ethernet II header to build (contract layer `eth`).
///
/// Defaults follow scapy's `Ether()` where they are deterministic: broadcast destination,
/// zero source. `type` is computed from the next layer unless given (0x0800 IPv4, 0x86DD
/// IPv6, 0x0806 ARP, the next tag's TPID for a VLAN tag, 0x9000 when nothing known follows,
/// as scapy).
public struct Ethernet: PacketLayer {
  /// Source MAC address.
  public var src: MACAddress
  /// Destination MAC address.
  public var dst: MACAddress
  /// EtherType, or 802.3 length below 0x0600; nil: computed.
  public var type: UInt16?

  /// An Ethernet header to build: source 00:00:00:00:00:00, broadcast destination and the
  /// type computed from the next layer, unless given.
  public init(src: MACAddress = .zero, dst: MACAddress = .broadcast, type: UInt16? = nil) {
    self.src = src
    self.dst = dst
    self.type = type
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .ethernet(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .ethernet(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension Ethernet {
  /// The type written: given, or announcing `next` (0x9000 when nothing known follows).
  func resolvedType(next: StackLayer?) -> UInt16 { type ?? next?.etherType ?? 0x9000 }

  func encode(into writer: inout ByteWriter, next: StackLayer?) throws(BuildError) {
    EthernetHeader(dst: dst, src: src, typeOrLength: resolvedType(next: next))
      .encode(into: &writer)
  }
}
