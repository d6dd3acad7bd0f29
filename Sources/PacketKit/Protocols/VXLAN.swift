// VXLAN (RFC 7348), over UDP port 4789
//
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |R|R|R|R|I|R|R|R|                   Reserved                    |
// |                VXLAN Network Identifier (VNI) |   Reserved    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// followed by the inner Ethernet frame.

/// A VXLAN header.
public struct VXLANHeader: Sendable, Hashable {
  /// The flags byte (0x08: the VNI is valid).
  public var flags: UInt8
  /// The 24-bit VXLAN network identifier.
  public var vni: UInt32

  /// The header's length, in bytes.
  public static let length = 8

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
  public init(flags: UInt8 = 0x08, vni: UInt32) {
    self.flags = flags
    self.vni = vni
  }

  /// Reads the header at `offset`; the caller has checked that 8 bytes are there.
  init(unchecked bytes: Span<UInt8>, at offset: Int) {
    flags = bytes[offset]
    vni = bytes.be32(at: offset + 4) >> 8
  }

  /// Appends the 8 header bytes (reserved bytes zero).
  func encode(into writer: inout ByteWriter) {
    writer.writeU8(flags)
    writer.writeU8(0)
    writer.writeBE16(0)
    writer.writeBE32(vni << 8)
  }
}

// MARK: - Decoding

extension Walk {
  /// Decodes `range` (a UDP payload) as VXLAN and the Ethernet frame it carries; false when
  /// it is shorter than the VXLAN header (it then stays raw).
  mutating func vxlan(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool {
    guard range.count >= VXLANHeader.length else { return false }
    let start = range.lowerBound
    push(
      DecodedLayer(
        header: .vxlan(VXLANHeader(unchecked: bytes, at: start)),
        range: start..<(start + VXLANHeader.length)))
    let inner = start + VXLANHeader.length
    if inner < range.upperBound && !frame.isFull {
      ethernet(bytes.extracting(0..<range.upperBound), at: inner)
    }
    return true
  }
}

// MARK: - Fields

extension FieldName {
  static let vni = FieldName("vni")
}

/// VXLAN's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum VXLANProtocol {
  static func describe<V: FieldVisitor>(
    _ header: VXLANHeader, _ fields: inout V, _ out: inout TextBuffer
  ) {
    fields.number(.flags, header.flags, .hex(width: 2), &out)
    fields.number(.vni, header.vni, &out)
  }

  /// Expressions and `--from-json`: `vxlan(vni=42)`.
  static let schema = LayerSchema(
    name: "vxlan", aliases: [],
    fields: [
      spec(.flags, .u8) { (l: inout VXLAN, v) in l.flags = v.u8 },
      spec(.vni, .integer(max: 0xFF_FFFF)) { (l: inout VXLAN, v) in l.vni = v.u32 },
    ],
    readOnly: [],
    make: { .vxlan(VXLAN()) })
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// `VXLAN, flags [I] (0x08), vni 42` and, on the next line, the inner frame, as tcpdump's
  /// print-vxlan.c prints them.
  mutating func vxlan(
    _ layers: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>,
    _ index: Int, _ header: VXLANHeader, to out: inout TextBuffer
  ) {
    out.append("VXLAN, flags [")
    out.append(header.flags & 0x08 != 0 ? "I" : "invalid")
    out.append("] (0x")
    out.append(hex: header.flags, width: 2)
    out.append("), vni ")
    out.append(decimal: header.vni)
    out.append(byte: 0x0A)
    guard index + 1 < layers.count else { return out.append(" [|ether]") }
    network(layers, wire: wireLength, bytes, at: index + 1, to: &out)
  }
}

// MARK: - Building

/// A VXLAN header to build (contract layer `vxlan`): flags 0x08 (the I bit) and VNI 0 by
/// default, as scapy's `VXLAN()`. A UDP layer above it gets ports 4789 unless given.
public struct VXLAN: PacketLayer {
  /// The flags byte.
  public var flags: UInt8
  /// The 24-bit network identifier.
  public var vni: UInt32

  /// A VXLAN header to build: flags 0x08 (VNI valid) and VNI 0 by default.
  public init(flags: UInt8 = 0x08, vni: UInt32 = 0) {
    self.flags = flags
    self.vni = vni
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .vxlan(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .vxlan(let layer) = stackLayer else { return nil }
    self = layer
  }

  func encode(into writer: inout ByteWriter) {
    VXLANHeader(flags: flags, vni: vni & 0xFF_FFFF).encode(into: &writer)
  }
}
