// ICMPv6 (RFC 4443) and neighbour discovery (RFC 4861).
// The header is 8 bytes: type, code, checksum and 4 type-specific bytes (`rest`).
// Errors 1–4 quote the offending IPv6 packet. Neighbour discovery messages carry a target
// address (135, 136, 137) and options of 8-byte units after a type-specific body:
//   133 RS: options at +8;  134 RA: +16;  135 NS, 136 NA: target at +8, options at +24;
//   137 redirect: target at +8, destination at +24, options at +40.
//
// This folder is ICMPv6: the header, decoding, fields, schema and builder (this file), the
// neighbour-discovery options (NDOptions.swift), the one-line printer (ICMPv6+OneLine.swift)
// and the import of `read --json` objects (ICMPv6+JSON.swift).

/// An ICMPv6 message header.
public struct ICMPv6Message: ICMPMessageHeader {
  /// Message type.
  public var type: UInt8
  /// Message code.
  public var code: UInt8
  /// Checksum as stored (over pseudo-header and message).
  public var checksum: UInt16
  /// The 4 bytes after the checksum, as a big-endian integer.
  public var rest: UInt32

  /// A header of these values (zero where not given).
  public init(type: UInt8, code: UInt8 = 0, checksum: UInt16 = 0, rest: UInt32 = 0) {
    self.type = type
    self.code = code
    self.checksum = checksum
    self.rest = rest
  }

  /// Whether `rest` holds an identifier and sequence number (echo 128/129).
  @inlinable public var hasIdentifier: Bool { type == 128 || type == 129 }
  /// Whether the message quotes an IPv6 packet (1–4).
  @inlinable public var isError: Bool { type >= 1 && type <= 4 }

  /// Offset of the target address from the message start, for NS, NA and redirect.
  @inlinable public var targetOffset: Int? { (135...137).contains(type) ? 8 : nil }

  /// Offset of the neighbour-discovery options from the message start, for types 133–137.
  @inlinable public var ndOptionsOffset: Int? {
    switch type {
    case 133: 8
    case 134: 16
    case 135, 136: 24
    case 137: 40
    default: nil
    }
  }
}

// MARK: - Decoding

extension Walk {
  mutating func icmpv6(
    _ bytes: Span<UInt8>, at offset: Int, _ enclosure: Enclosure, pseudo: PseudoHeader,
    fragment: Bool
  ) {
    let length = ICMPv6Message.headerLength
    if appendsShortHeader(
      bytes, length, at: offset, end: enclosure.end, bound: enclosure.bound,
      { ICMPv6Message(unchecked: $0, at: 0) }, as: LayerHeader.icmpv6)
    {
      return
    }
    let message = ICMPv6Message(unchecked: bytes, at: offset)
    let checksumValid = transportChecksum(
      bytes, offset..<enclosure.declaredEnd, available: enclosure.end, pseudo: pseudo, proto: 58,
      fragment: fragment)
    appendMessage(
      bytes, .icmpv6(message), at: offset, checksumValid: checksumValid, quotes: message.isError,
      enclosure, fragment: fragment)
  }
}

// MARK: - Fields

extension FieldName {
  static let target = FieldName("target")
}

/// ICMPv6's fields, for `read --json`, `read -v`, expressions and `--from-json`.
///
/// The header's fields are ICMP's (`ICMPProtocol.describe`). The JSON view adds, for a
/// complete neighbour-discovery message, the `target` address and the `options` list read
/// from the message body (the `raw` layer that follows the header); the verbose view leaves
/// the body to that `raw` layer.
enum ICMPv6Protocol {
  static func describe<V: FieldVisitor>(
    _ message: ICMPv6Message, _ layer: DecodedLayer, _ frame: borrowing DecodedFrame,
    _ bytes: Span<UInt8>, _ fields: inout V, _ out: inout TextBuffer
  ) {
    ICMPProtocol.describe(
      type: message.type, code: message.code, checksum: message.checksum, rest: message.rest,
      identifier: message.hasIdentifier, layer, names: typeName, &fields, &out)
    guard V.view == .json, layer.status.isComplete else { return }
    let start = layer.range.lowerBound
    var end = layer.range.upperBound
    // The body is the `raw` layer right after the header, when there is one.
    for index in 0..<frame.count where frame.kind(at: index) == .raw {
      let body = frame[index].range
      if body.lowerBound == end {
        end = body.upperBound
        break
      }
    }
    end = min(end, bytes.count)
    if let target = message.targetOffset, start + target + 16 <= end {
      fields.ipv6(.target, IPv6Address(bytes, at: start + target), &out)
    }
    if let optionsOffset = message.ndOptionsOffset, start + optionsOffset <= end {
      NDOption.describe((start + optionsOffset)..<end, bytes, &fields, &out)
    }
  }

  /// What a message type is, for the verbose view.
  static func typeName(_ type: UInt8) -> StaticString? {
    switch type {
    case 1: "destination unreachable"
    case 2: "packet too big"
    case 3: "time exceeded"
    case 4: "parameter problem"
    case 128: "echo request"
    case 129: "echo reply"
    case 130: "multicast listener query"
    case 131: "multicast listener report"
    case 133: "router solicitation"
    case 134: "router advertisement"
    case 135: "neighbor solicitation"
    case 136: "neighbor advertisement"
    case 137: "redirect"
    case 143: "multicast listener report v2"
    default: nil
    }
  }

  /// Expressions and `--from-json`: `icmpv6(type=135, target=2001:db8::1, options=[...])`.
  static let schema = LayerSchema(
    name: "icmpv6", aliases: [],
    fields: [
      spec(.type, .u8) { (l: inout ICMPv6, v) in l.type = v.u8 },
      spec(.code, .u8) { (l: inout ICMPv6, v) in l.code = v.u8 },
      spec(.checksum, .u16) { (l: inout ICMPv6, v) in l.checksum = v.u16 },
      spec(.rest, .u32) { (l: inout ICMPv6, v) in l.rest = v.u32 },
      spec(.id, .u16) { (l: inout ICMPv6, v) in l.id = v.u16 },
      spec(.seq, .u16) { (l: inout ICMPv6, v) in l.seq = v.u16 },
      spec(.target, .ipv6) { (l: inout ICMPv6, v) in l.target = v.ipv6 },
      spec(.options, .ndOptions) { (l: inout ICMPv6, v) in
        if case .ndOptions(let list) = v { l.ndOptions = list }
      },
    ],
    readOnly: [(.checksumValid, .bool)],
    make: { .icmpv6(ICMPv6()) })
}

// MARK: - Building

/// An ICMPv6 message to build (contract layer `icmpv6`).
///
/// Defaults as scapy: echo request (type 128), code 0, id 0, seq 0. For neighbour
/// solicitation, advertisement and redirect (135...137) the target address follows the
/// header (`::` unless given), then `ndOptions`. `rest` defaults to 0, except for a neighbour
/// advertisement where it is 0xA0000000 (router and override flags, scapy's `ICMPv6ND_NA()`).
/// The checksum covers the IPv6 pseudo-header and the message unless given, or is 0 when the
/// layer is not directly under an IPv6 layer (as scapy).
public struct ICMPv6: PacketLayer {
  /// Message type.
  public var type: UInt8
  /// Message code.
  public var code: UInt8
  /// Checksum; nil: computed.
  public var checksum: UInt16?
  /// The 4 bytes after the checksum; nil: the type's default.
  public var rest: UInt32?
  /// Target address (135, 136, 137); nil: `::` for those types, absent otherwise.
  public var target: IPv6Address?
  /// Neighbour-discovery options, written after the target.
  public var ndOptions: [NDOptionSpec]

  /// An ICMPv6 message to build: an echo request (type 128, code 0) by default, checksum computed.
  public init(
    type: UInt8 = 128, code: UInt8 = 0, checksum: UInt16? = nil, rest: UInt32? = nil,
    target: IPv6Address? = nil, ndOptions: [NDOptionSpec] = []
  ) {
    self.type = type
    self.code = code
    self.checksum = checksum
    self.rest = rest
    self.target = target
    self.ndOptions = ndOptions
  }

  /// An echo message (128 request, 129 reply) with identifier and sequence number.
  public init(type: UInt8 = 128, code: UInt8 = 0, checksum: UInt16? = nil, id: UInt16, seq: UInt16)
  {
    self.init(type: type, code: code, checksum: checksum, rest: UInt32(id) << 16 | UInt32(seq))
  }

  /// `rest` as built.
  public var resolvedRest: UInt32 { rest ?? (type == 136 ? 0xA000_0000 : 0) }

  /// Identifier: the high half of `rest`.
  public var id: UInt16 {
    get { UInt16(truncatingIfNeeded: resolvedRest >> 16) }
    set { rest = resolvedRest & 0xFFFF | UInt32(newValue) << 16 }
  }

  /// Sequence number: the low half of `rest`.
  public var seq: UInt16 {
    get { UInt16(truncatingIfNeeded: resolvedRest) }
    set { rest = resolvedRest & 0xFFFF_0000 | UInt32(newValue) }
  }

  /// Whether the message is neighbour discovery (133...137).
  public var isNeighbourDiscovery: Bool { (133...137).contains(type) }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .icmpv6(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .icmpv6(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension ICMPv6 {
  func encode(payload: [UInt8], pseudoHeader: ChecksumContext?) -> [UInt8] {
    var writer = ByteWriter(capacity: 64 + payload.count)
    ICMPv6Message(type: type, code: code, checksum: checksum ?? 0, rest: resolvedRest)
      .encode(into: &writer)
    if let target {
      target.encode(into: &writer)
    } else if (135...137).contains(type) {
      IPv6Address.unspecified.encode(into: &writer)
    }
    for option in ndOptions { writer.write(contentsOf: option.encoded) }
    writer.write(contentsOf: payload)
    if checksum == nil, let pseudoHeader {
      writer.setBE16(pseudoHeader.checksum(protocol: 58, segment: writer.bytes), at: 2)
    }
    return writer.bytes
  }
}
