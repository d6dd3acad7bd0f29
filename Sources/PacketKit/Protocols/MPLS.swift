// MPLS label stack entry (RFC 3032, RFC 5462), EtherType 0x8847 / 0x8848
//
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                Label                  | TC  |S|      TTL      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

/// One MPLS label stack entry.
public struct MPLSLabel: Sendable, Hashable {
  /// The 32-bit entry as on the wire.
  public var entry: UInt32

  /// The entry's length, in bytes.
  public static let length = 4

  /// A label from its 32-bit stack entry.
  public init(entry: UInt32) { self.entry = entry }

  /// A label from its fields.
  public init(label: UInt32, tc: UInt8, bottomOfStack: Bool, ttl: UInt8) {
    entry =
      (label & 0xF_FFFF) << 12 | UInt32(tc & 7) << 9 | (bottomOfStack ? 0x100 : 0) | UInt32(ttl)
  }

  /// Reads the entry at `offset`; the caller has checked that 4 bytes are there.
  init(unchecked bytes: Span<UInt8>, at offset: Int) { entry = bytes.be32(at: offset) }

  /// The 20-bit label.
  public var label: UInt32 { entry >> 12 }
  /// The traffic class (formerly EXP).
  public var tc: UInt8 { UInt8(entry >> 9 & 7) }
  /// Whether this is the last entry of the stack.
  public var bottomOfStack: Bool { entry & 0x100 != 0 }
  /// Time to live.
  public var ttl: UInt8 { UInt8(entry & 0xFF) }
}

// MARK: - Decoding

extension Walk {
  /// Decodes the label stack at `start`, an entry a layer, then after the bottom entry an
  /// IPv4 or IPv6 datagram by its version nibble (anything else stays raw).
  mutating func mpls(_ bytes: Span<UInt8>, at start: Int, _ enclosure: Enclosure) {
    var offset = start
    while true {
      guard !frame.isFull else { return }
      if appendsShortHeader(
        bytes, MPLSLabel.length, at: offset, end: enclosure.end, bound: enclosure.bound,
        { MPLSLabel(unchecked: $0, at: 0) }, as: LayerHeader.mpls)
      {
        return
      }
      let entry = MPLSLabel(unchecked: bytes, at: offset)
      push(
        DecodedLayer(
          header: .mpls(entry), range: offset..<(offset + MPLSLabel.length),
          isQuoted: enclosure.quoted))
      offset += MPLSLabel.length
      if entry.bottomOfStack { break }
    }
    guard offset < enclosure.end, !frame.isFull else { return }
    switch bytes[offset] >> 4 {
    case 4: ipv4(bytes, at: offset, enclosure)
    case 6: ipv6(bytes, at: offset, enclosure)
    default: raw(bytes, offset..<enclosure.end)
    }
  }
}

// MARK: - Fields

extension FieldName {
  static let label = FieldName("label")
  static let s = FieldName("s")
}

/// MPLS's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum MPLSProtocol {
  static func describe<V: FieldVisitor>(
    _ entry: MPLSLabel, _ layer: DecodedLayer, _ fields: inout V, _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    if view.has(3) { fields.number(.label, entry.label, &out) }
    if view.has(3) { fields.number(.tc, entry.tc, &out) }
    if view.has(3) { fields.bool(.s, entry.bottomOfStack, &out) }
    if view.has(4) { fields.number(.ttl, entry.ttl, &out) }
  }

  /// Expressions and `--from-json`: `mpls(label=100, ttl=64)`.
  static let schema = LayerSchema(
    name: "mpls", aliases: [],
    fields: [
      spec(.label, .integer(max: 0xF_FFFF)) { (l: inout MPLS, v) in l.label = v.u32 },
      spec(.tc, ["cos"], .integer(max: 7)) { (l: inout MPLS, v) in l.tc = v.u8 },
      spec(.s, .bool) { (l: inout MPLS, v) in l.bottomOfStack = v.bool },
      spec(.ttl, .u8) { (l: inout MPLS, v) in l.ttl = v.u8 },
    ],
    readOnly: [],
    make: { .mpls(MPLS()) })
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// `MPLS (label 100, tc 0, ttl 64) (label 5, tc 0, [S], ttl 64) IP ...` as tcpdump's
  /// print-mpls.c without `-v`, for the label stack that starts at `index`.
  mutating func mpls(
    _ layers: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>,
    _ index: Int, to out: inout TextBuffer
  ) {
    out.append("MPLS")
    var next = index
    var bottom: MPLSLabel? = nil
    while next < layers.count, case .mpls(let entry) = layers[next].header {
      switch layers[next].status {
      case .complete: break
      case .truncated: return out.append(" [|mpls]")
      case .malformed: return out.append(" (invalid)")
      }
      out.append(verbosity > 0 && next > index ? "\n\t(label " : " (label ")
      out.append(decimal: entry.label)
      if verbosity > 0 { Self.writeMPLSLabelName(entry.label, to: &out) }
      out.append(", tc ")
      out.append(decimal: entry.tc)
      if entry.bottomOfStack { out.append(", [S]") }
      out.append(", ttl ")
      out.append(decimal: entry.ttl)
      out.append(")")
      next += 1
      if entry.bottomOfStack {
        bottom = entry
        break
      }
    }
    guard bottom != nil else { return out.append(" (invalid)") }
    guard next < layers.count else { return }
    switch layers[next].kind {
    case .ipv4, .ipv6:
      out.append(verbosity > 0 ? "\n\t" : " ")
      network(layers, wire: wireLength, bytes, at: next, to: &out)
    default:
      return
    }
  }
}

// MARK: - Building

/// An MPLS label stack entry to build (contract layer `mpls`): tc 0 and ttl 0 by default, as
/// scapy's `MPLS()`; the label is 0 (IPv4 explicit null) before an IPv4 layer, 2 (IPv6
/// explicit null) before an IPv6 layer and 3 otherwise, as scapy binds them; `s` (bottom of
/// stack) is set unless another `mpls` follows (scapy's `bind_layers(MPLS, MPLS, s=0)`), or
/// as given.
public struct MPLS: PacketLayer {
  /// The 20-bit label; nil: from the next layer.
  public var label: UInt32?
  /// The traffic class.
  public var tc: UInt8
  /// Bottom of stack; nil: set unless another entry follows.
  public var bottomOfStack: Bool?
  /// Time to live.
  public var ttl: UInt8

  /// An MPLS label stack entry to build: the label from the next layer and bottom of stack set
  /// unless another entry follows, unless given; traffic class 0 and TTL 0 by default.
  public init(label: UInt32? = nil, tc: UInt8 = 0, bottomOfStack: Bool? = nil, ttl: UInt8 = 0) {
    self.label = label
    self.tc = tc
    self.bottomOfStack = bottomOfStack
    self.ttl = ttl
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .mpls(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .mpls(let layer) = stackLayer else { return nil }
    self = layer
  }

  func encode(into writer: inout ByteWriter, next: StackLayer?) {
    var last = true
    var implied: UInt32 = 3
    switch next {
    case .mpls?: last = false
    case .ipv4?: implied = 0
    case .ipv6?: implied = 2
    default: break
    }
    writer.writeBE32(
      MPLSLabel(label: label ?? implied, tc: tc, bottomOfStack: bottomOfStack ?? last, ttl: ttl)
        .entry)
  }
}
