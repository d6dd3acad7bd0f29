// IPv6 (RFC 8200 §3)
//
//  0       4               12                                    32
// +-------+---------------+--------------------------------------+
// |Version| Traffic Class |             Flow Label               |
// +-------+---------------+-------+---------------+--------------+
// |         Payload Length        |  Next Header  |  Hop Limit   |
// +-------------------------------+---------------+--------------+
// |                 Source Address (128 bits)                    |
// |              Destination Address (128 bits)                  |
// +--------------------------------------------------------------+
// Extension headers follow; see IPv6Extensions.swift.
//
// This folder is IPv6: the fixed header, decoding (with the walk of the extension headers),
// fields, schema and builder (this file), the extension headers (IPv6Extensions.swift), the
// one-line printer (IPv6+OneLine.swift) and the import of `read --json` objects
// (IPv6+JSON.swift).

/// An IPv6 fixed header, plus what walking its extension headers found.
public struct IPv6Header: Sendable, Hashable {
  /// The version field (6 for a well-formed header).
  public var version: UInt8
  /// Traffic class (DSCP and ECN).
  public var trafficClass: UInt8
  /// Flow label (20 bits).
  public var flowLabel: UInt32
  /// Payload length (extension headers included), in bytes.
  public var payloadLength: UInt16
  /// The fixed header's next-header field.
  public var nextHeader: UInt8
  /// Hop limit.
  public var hopLimit: UInt8
  /// Source address.
  public var src: IPv6Address
  /// Destination address.
  public var dst: IPv6Address

  // Derived by the frame decoder's walk of the extension headers (not wire fields).
  /// The extension headers' bytes, as offsets in the frame.
  public var extensionsRange: Range<Int>
  /// The protocol after the last extension header walked.
  public var upperLayerProtocol: UInt8
  /// Whether a fragment header was found (the payload is then a fragment).
  public var isFragment: Bool

  /// The fixed header's length, in bytes.
  public static let length = 40

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
  public init(
    version: UInt8 = 6, trafficClass: UInt8 = 0, flowLabel: UInt32 = 0, payloadLength: UInt16,
    nextHeader: UInt8, hopLimit: UInt8 = 64, src: IPv6Address, dst: IPv6Address
  ) {
    self.version = version
    self.trafficClass = trafficClass
    self.flowLabel = flowLabel
    self.payloadLength = payloadLength
    self.nextHeader = nextHeader
    self.hopLimit = hopLimit
    self.src = src
    self.dst = dst
    extensionsRange = 0..<0
    upperLayerProtocol = nextHeader
    isFragment = false
  }

  /// Reads the fixed header at `offset`; the caller has checked that 40 bytes are there.
  @inlinable @inline(__always)
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    let word = bytes.be32(at: offset)
    version = UInt8(word >> 28)
    trafficClass = UInt8(truncatingIfNeeded: word >> 20)
    flowLabel = word & 0xF_FFFF
    payloadLength = bytes.be16(at: offset + 4)
    nextHeader = bytes[offset + 6]
    hopLimit = bytes[offset + 7]
    src = IPv6Address(bytes, at: offset + 8)
    dst = IPv6Address(bytes, at: offset + 24)
    extensionsRange = (offset + 40)..<(offset + 40)
    upperLayerProtocol = nextHeader
    isFragment = false
  }

  /// Decodes the fixed header strictly from the start of `bytes` (extensions not walked).
  public init(decoding bytes: Span<UInt8>) throws(DecodeError) {
    guard bytes.count >= 40 else {
      throw .truncated(
        .init(layer: .ipv6, needed: 40, available: bytes.count, offset: 0, bound: .capture))
    }
    self.init(unchecked: bytes, at: 0)
    if let problem = Self.versionProblem(version) { throw .malformed(problem) }
  }

  /// What is wrong with a version nibble, if anything: the check strict and lax decoding share.
  static func versionProblem(_ version: UInt8) -> Malformation? {
    version == 6
      ? nil : Malformation(field: FieldName.version.text, reason: "not 6", value: Int(version))
  }

  /// Appends the 40-byte fixed header (extension headers are written separately).
  public func encode(into writer: inout ByteWriter) {
    writer.writeBE32(UInt32(version) << 28 | UInt32(trafficClass) << 20 | (flowLabel & 0xF_FFFF))
    writer.writeBE16(payloadLength)
    writer.writeU8(nextHeader)
    writer.writeU8(hopLimit)
    src.encode(into: &writer)
    dst.encode(into: &writer)
  }
}

// MARK: - Decoding

extension Walk {
  mutating func ipv6(_ bytes: Span<UInt8>, at offset: Int, _ outer: Enclosure) {
    guard !frame.isFull else { return }
    let fixed = IPv6Header.length
    if var header = shortHeader(
      bytes, fixed, at: offset, end: outer.end, { IPv6Header(unchecked: $0, at: 0) })
    {
      header.extensionsRange = (offset + fixed)..<(offset + fixed)
      shortIPHeader(bytes, .ipv6(header), version: header.version, at: offset, needed: fixed, outer)
      return
    }
    var header = IPv6Header(unchecked: bytes, at: offset)
    if let problem = IPv6Header.versionProblem(header.version) {
      append(bytes, .ipv6(header), offset..<(offset + fixed), .malformed(problem))
      return
    }
    let declaredEnd = offset + fixed + Int(header.payloadLength)
    if !outer.quoted && declaredEnd > outer.declaredEnd {
      append(
        bytes, .ipv6(header), offset..<(offset + fixed),
        .malformed(
          Malformation(
            field: FieldName.payloadLength.text, reason: "beyond the enclosing frame",
            value: Int(header.payloadLength))))
      return
    }
    let end = min(outer.end, declaredEnd)
    let bound: Truncation.Bound =
      outer.quoted ? outer.bound : (end < outer.end ? .ipv6PayloadLength : outer.bound)
    // Walk the extension headers.
    var cursor = offset + fixed
    var next = header.nextHeader
    var status = LayerStatus.complete
    var fragmentOffset = 0
    var moreFragments = false
    var finalDestination = header.dst
    while IPProtocol(rawValue: next).isIPv6Extension {
      if cursor + 2 > end {
        status = problem(
          bytes, at: cursor, needed: 2, end: end, declaredEnd: declaredEnd, quoted: outer.quoted,
          bound: bound)
        break
      }
      let length = IPv6ExtensionHeader.announcedLength(type: next, lengthField: bytes[cursor + 1])
      if cursor + length > end {
        status = problem(
          bytes, at: cursor, needed: length, end: end, declaredEnd: declaredEnd,
          quoted: outer.quoted, bound: bound)
        break
      }
      let extensionHeader = IPv6ExtensionHeader(
        unchecked: bytes, at: cursor, type: next, length: length)
      if next == 44 {
        header.isFragment = true
        fragmentOffset = extensionHeader.fragmentOffset
        moreFragments = extensionHeader.mf
      } else if next == 43 && extensionHeader.segmentsLeft > 0 {
        finalDestination = routingDestination(bytes, extensionHeader) ?? finalDestination
      }
      next = extensionHeader.nextHeader
      cursor += length
      if fragmentOffset != 0 { break }
    }
    header.extensionsRange = (offset + fixed)..<cursor
    header.upperLayerProtocol = next
    if !status.isComplete {
      append(bytes, .ipv6(header), offset..<cursor, status)
      return
    }
    push(
      DecodedLayer(header: .ipv6(header), range: offset..<cursor, isQuoted: outer.quoted))
    if outer.outermost && declaredEnd < bytes.count && frame.paddingRange == nil {
      frame.paddingRange = declaredEnd..<bytes.count
    }
    let inner = Enclosure(
      end: end, declaredEnd: declaredEnd, bound: bound, quoted: outer.quoted, outermost: false)
    if fragmentOffset != 0 || next == 59 {
      raw(bytes, cursor..<end)
      return
    }
    // An atomic fragment (offset 0, no more fragments) is a whole datagram: its checksum counts.
    ipPayload(
      bytes, next, at: cursor, inner, pseudo: .v6(header.src, finalDestination),
      fragment: moreFragments)
  }

  /// The final destination a routing header with segments left names, which the upper
  /// layer's pseudo-header uses (RFC 8200 §8.1): the last address of a type 0 header, the
  /// first segment (the last to visit) of a segment routing header, the home address of a
  /// type 2 header.
  func routingDestination(_ bytes: Span<UInt8>, _ routing: IPv6ExtensionHeader) -> IPv6Address? {
    let start = routing.range.lowerBound
    switch routing.routingType {
    case 0 where routing.length >= 24: return IPv6Address(bytes, at: routing.range.upperBound - 16)
    case 2 where routing.length >= 24, 4 where routing.length >= 24:
      return IPv6Address(bytes, at: start + 8)
    default: return nil
    }
  }

  /// The status of an extension header that does not fit: malformed when the payload
  /// length is too small for it, truncated when the capture is.
  func problem(
    _ bytes: Span<UInt8>, at offset: Int, needed: Int, end: Int, declaredEnd: Int, quoted: Bool,
    bound: Truncation.Bound
  ) -> LayerStatus {
    if !quoted && offset + needed > declaredEnd {
      return .malformed(
        Malformation(
          field: FieldName.extensions.text, reason: "beyond the payload length",
          value: offset + needed - declaredEnd))
    }
    return .truncated(
      Truncation(
        layer: .ipv6, needed: needed, available: max(0, end - offset), offset: offset, bound: bound)
    )
  }
}

// MARK: - Fields

extension FieldName {
  static let trafficClass = FieldName("traffic_class")
  static let flowLabel = FieldName("flow_label")
  static let hopLimit = FieldName("hop_limit")
}

/// IPv6's fields, for `read --json`, `read -v`, expressions and `--from-json`.
///
/// The views differ on purpose: the verbose view starts with `version`, shows the traffic
/// class and flow label in hex and the next header's name, and gives each extension header a
/// line of its own (`extension 44 (ipv6-frag), length 8, ...`); the JSON view always has the
/// `extensions` list (`[]` when there are none), objects with `next_header`.
enum IPv6Protocol {
  static func describe<V: FieldVisitor>(
    _ header: IPv6Header, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    if V.view == .verbose { fields.number(.version, header.version, &out) }
    if view.has(2) { fields.number(.trafficClass, header.trafficClass, .hex(width: 2), &out) }
    if view.has(4) { fields.number(.flowLabel, header.flowLabel, .hex(width: 5), &out) }
    if view.has(6) { fields.number(.payloadLength, header.payloadLength, &out) }
    if view.has(7) {
      let name = V.view == .verbose ? IPProtocol(rawValue: header.nextHeader).name : nil
      fields.number(.nextHeader, header.nextHeader, meaning: name, &out)
    }
    if view.has(8) { fields.number(.hopLimit, header.hopLimit, &out) }
    if view.has(24) { fields.ipv6(.src, header.src, &out) }
    if view.has(40) { fields.ipv6(.dst, header.dst, &out) }
    IPv6ExtensionHeader.describe(header, view, bytes, &fields, &out)
  }

  /// Expressions and `--from-json`: `ipv6(dst=2001:db8::1, extensions=[fragment(id=7)])`.
  static let schema = LayerSchema(
    name: "ipv6", aliases: [],
    fields: [
      spec(.trafficClass, .u8) { (l: inout IPv6, v) in l.trafficClass = v.u8 },
      spec(.flowLabel, .integer(max: 0xF_FFFF)) { (l: inout IPv6, v) in l.flowLabel = v.u32 },
      spec(.payloadLength, .u16) { (l: inout IPv6, v) in l.payloadLength = v.u16 },
      spec(.nextHeader, .u8) { (l: inout IPv6, v) in l.nextHeader = v.u8 },
      spec(.hopLimit, .u8) { (l: inout IPv6, v) in l.hopLimit = v.u8 },
      spec(.src, .ipv6) { (l: inout IPv6, v) in l.src = v.ipv6 },
      spec(.dst, .ipv6) { (l: inout IPv6, v) in l.dst = v.ipv6 },
      spec(.extensions, .extensions) { (l: inout IPv6, v) in
        if case .extensions(let list) = v { l.extensions = list }
      },
    ],
    readOnly: [],
    make: { .ipv6(IPv6()) })
}

// MARK: - Building

/// An IPv6 header, with its extension headers, to build (contract layer `ipv6`).
///
/// Defaults as scapy's `IPv6()`: hop limit 64, source and destination `::1`; when the next
/// layer is a neighbour-discovery message (ICMPv6 133...137) the hop limit is 255 and the
/// destination `ff02::1`, as scapy's ND layers set them. `payloadLength` and `nextHeader`
/// are computed unless given; each extension's next header is the following extension's type
/// or the upper layer's protocol (6, 17, 58, 1, 4, 41, else 59).
public struct IPv6: PacketLayer {
  /// Traffic class (DSCP and ECN).
  public var trafficClass: UInt8
  /// Flow label (20 bits).
  public var flowLabel: UInt32
  /// Payload length (extension headers included), in bytes; nil: computed.
  public var payloadLength: UInt16?
  /// The fixed header's next header; nil: computed.
  public var nextHeader: UInt8?
  /// Hop limit; nil: 64, or 255 before a neighbour-discovery message.
  public var hopLimit: UInt8?
  /// Source address.
  public var src: IPv6Address
  /// Destination address; nil: `::1`, or `ff02::1` before a neighbour-discovery message.
  public var dst: IPv6Address?
  /// Extension headers, in wire order.
  public var extensions: [IPv6Extension]

  /// `::1`.
  public static let loopback = IPv6Address(high: 0, low: 1)

  /// An IPv6 header to build; payload length, next header, hop limit (64) and destination
  /// (`::1`) are computed unless given (see each property), the source is `::1` by default.
  public init(
    trafficClass: UInt8 = 0, flowLabel: UInt32 = 0, payloadLength: UInt16? = nil,
    nextHeader: UInt8? = nil, hopLimit: UInt8? = nil, src: IPv6Address = IPv6.loopback,
    dst: IPv6Address? = nil, extensions: [IPv6Extension] = []
  ) {
    self.trafficClass = trafficClass
    self.flowLabel = flowLabel
    self.payloadLength = payloadLength
    self.nextHeader = nextHeader
    self.hopLimit = hopLimit
    self.src = src
    self.dst = dst
    self.extensions = extensions
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .ipv6(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .ipv6(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension IPv6 {
  /// Whether `next` is a neighbour-discovery message (scapy then sets hop limit 255 and
  /// destination ff02::1).
  static func isNeighbourDiscovery(_ next: StackLayer?) -> Bool {
    if case .icmpv6(let message) = next { return message.isNeighbourDiscovery }
    return false
  }

  /// `ff02::1`.
  static let allNodes = IPv6Address(high: 0xFF02_0000_0000_0000, low: 1)

  /// The destination written: given, or the default for what follows.
  func resolvedDestination(next: StackLayer?) -> IPv6Address {
    dst ?? (Self.isNeighbourDiscovery(next) ? Self.allNodes : Self.loopback)
  }

  /// The final destination named by the innermost routing header with segments left, if any.
  var routingDestination: IPv6Address? {
    for header in extensions.reversed() where header.kind == .routing {
      let body = header.resolvedBody
      guard body.count >= 2, body[1] != 0, body.count >= 22 else { continue }
      let offset = body[0] == 4 ? 6 : 6 + (body.count - 6) / 16 * 16 - 16
      return IPv6Address(body.span, at: offset)
    }
    return nil
  }

  func encode(into writer: inout ByteWriter, next: StackLayer?, payloadLength: Int)
    throws(BuildError)
  {
    guard flowLabel <= 0xF_FFFF else {
      throw .invalidValue(
        layer: "ipv6", field: FieldName.flowLabel.string, value: "\(flowLabel)",
        reason: "exceeds 20 bits")
    }
    let upper = next?.ipProtocol ?? 59
    var chain = ByteWriter(capacity: 64)
    for (index, header) in extensions.enumerated() {
      let following =
        index + 1 < extensions.count ? extensions[index + 1].kind.rawValue : upper
      try header.encode(into: &chain, next: following)
    }
    let total = chain.count + payloadLength
    guard self.payloadLength != nil || total <= 0xFFFF else {
      throw .invalidValue(
        layer: "ipv6", field: FieldName.payloadLength.string, value: "\(total)",
        reason: "exceeds 65535")
    }
    IPv6Header(
      trafficClass: trafficClass, flowLabel: flowLabel,
      payloadLength: self.payloadLength ?? UInt16(total),
      nextHeader: nextHeader ?? extensions.first?.kind.rawValue ?? upper,
      hopLimit: hopLimit ?? (Self.isNeighbourDiscovery(next) ? 255 : 64), src: src,
      dst: resolvedDestination(next: next)
    ).encode(into: &writer)
    writer.write(contentsOf: chain.bytes)
  }

}
