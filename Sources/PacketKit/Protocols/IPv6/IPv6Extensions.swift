// IPv6 extension headers (RFC 8200 §4): hop-by-hop (0), routing (43), fragment (44),
// destination options (60), AH (51, RFC 4302) and mobility (135, RFC 6275).
// Each starts with next-header and a length byte; the length unit is 8 bytes beyond the
// first 8 (AH: 4 bytes beyond the first 8; fragment: always 8). ESP (50) is not walked:
// what follows it is encrypted.

/// One IPv6 extension header found while walking the chain.
public struct IPv6ExtensionHeader: Sendable, Hashable {
  /// The protocol number of this header (0, 43, 44, 60, 51, 135).
  public var type: UInt8
  /// The protocol of what follows this header.
  public var nextHeader: UInt8
  /// The header's bytes, as offsets in the frame (next-header and length bytes included).
  public var range: Range<Int>
  /// Fragment header: fragment offset in bytes.
  public var fragmentOffset: Int
  /// Fragment header: more fragments.
  public var mf: Bool
  /// Fragment header: identification.
  public var id: UInt32
  /// Routing header: routing type.
  public var routingType: UInt8
  /// Routing header: segments left.
  public var segmentsLeft: UInt8
  /// The second byte as on the wire: the length field (reserved in a fragment header).
  public var secondByte: UInt8

  /// The header's length, in bytes.
  @inlinable public var length: Int { range.count }

  /// The body after the next-header and length bytes, as offsets in the frame.
  @inlinable public var bodyRange: Range<Int> { (range.lowerBound + 2)..<range.upperBound }

  /// The length in bytes announced by a header of `type` whose length byte is `lengthField`.
  @inlinable
  public static func announcedLength(type: UInt8, lengthField: UInt8) -> Int {
    switch type {
    case 44: 8
    case 51: (Int(lengthField) + 2) * 4
    default: (Int(lengthField) + 1) * 8
    }
  }

  /// Reads the header of `type` at `offset`; the caller has checked that `length` bytes are there.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int, type: UInt8, length: Int) {
    self.type = type
    nextHeader = bytes[offset]
    secondByte = bytes[offset + 1]
    range = offset..<(offset + length)
    fragmentOffset = 0
    mf = false
    id = 0
    routingType = 0
    segmentsLeft = 0
    if type == 44 {
      let word = bytes.be16(at: offset + 2)
      fragmentOffset = Int(word & 0xFFF8)
      mf = word & 1 != 0
      id = bytes.be32(at: offset + 4)
    } else if type == 43 {
      routingType = bytes[offset + 2]
      segmentsLeft = bytes[offset + 3]
    }
  }

  /// Calls `body` with each extension header of the chain that starts at `range.lowerBound`
  /// with protocol `first`, stopping at the first non-extension protocol, at the end of
  /// `range`, or when `body` returns false. Headers that do not fit are not reported.
  public static func forEach(
    in bytes: Span<UInt8>, range: Range<Int>, first: UInt8, _ body: (IPv6ExtensionHeader) -> Bool
  ) {
    var offset = range.lowerBound
    var type = first
    while IPProtocol(rawValue: type).isIPv6Extension, offset + 2 <= range.upperBound {
      let length = announcedLength(type: type, lengthField: bytes[offset + 1])
      guard offset + length <= range.upperBound else { return }
      let header = IPv6ExtensionHeader(unchecked: bytes, at: offset, type: type, length: length)
      if !body(header) { return }
      offset += length
      type = header.nextHeader
    }
  }
}

extension IPv6ExtensionHeader {
  /// Appends the header: next header, the second byte, then the body. For a fragment
  /// header the offset, flag and identification come from the typed fields (the reserved
  /// bits from `body`); for a routing header, the routing type and segments left do.
  public func encode(into writer: inout ByteWriter, body: Span<UInt8>) {
    writer.writeU8(nextHeader)
    writer.writeU8(secondByte)
    if type == 44 && body.count >= 6 {
      let reservedBits = body.be16(at: 0) & 0x0006
      writer.writeBE16(
        UInt16(truncatingIfNeeded: fragmentOffset) & 0xFFF8 | reservedBits | (mf ? 1 : 0))
      writer.writeBE32(id)
    } else if type == 43 && body.count >= 2 {
      writer.writeU8(routingType)
      writer.writeU8(segmentsLeft)
      for index in 2..<body.count { writer.writeU8(body[index]) }
    } else {
      for index in 0..<body.count { writer.writeU8(body[index]) }
    }
  }
}

// MARK: - Fields

extension FieldName {
  static let routingType = FieldName("routing_type")
  static let segmentsLeft = FieldName("segments_left")
  /// The verbose view's label of one extension header's line.
  static let `extension` = FieldName("extension")
}

extension IPv6ExtensionHeader {
  /// Writes the extension headers `header`'s walk found: the JSON `extensions` list (always
  /// there, `[]` when empty), or a verbose `extension` line each.
  static func describe<V: FieldVisitor>(
    _ header: IPv6Header, _ view: LayerExtent, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let range = header.extensionsRange
    let walked = view.has(40) && !range.isEmpty && range.upperBound <= bytes.count
    if V.view == .json {
      fields.list(.extensions, &out) { fields, out in
        guard walked else { return }
        forEach(in: bytes, range: range, first: header.nextHeader) { ext in
          fields.object(&out) { fields, out in ext.describe(bytes, &fields, &out) }
          return true
        }
      }
    } else if walked {
      forEach(in: bytes, range: range, first: header.nextHeader) { ext in
        fields.text(.extension, &out) { out in ext.writeVerbose(bytes, &out) }
        return true
      }
    }
  }

  /// The members of the header's JSON object.
  func describe<V: FieldVisitor>(_ bytes: Span<UInt8>, _ fields: inout V, _ out: inout TextBuffer) {
    fields.number(.type, type, &out)
    fields.number(.length, UInt(length), &out)
    fields.number(.nextHeader, nextHeader, &out)
    if type == 44 {
      fields.number(.fragmentOffset, UInt(fragmentOffset), &out)
      fields.bool(.mf, mf, &out)
      fields.number(.id, id, &out)
    } else if type == 43 {
      fields.number(.routingType, routingType, &out)
      fields.number(.segmentsLeft, segmentsLeft, &out)
      if let addresses = addressRange {
        fields.list(.addresses, &out) { fields, out in
          for offset in stride(from: addresses.lowerBound, to: addresses.upperBound, by: 16) {
            fields.ipv6(.element, IPv6Address(bytes, at: offset), &out)
          }
        }
      }
    }
    fields.hex(.hex, bytes.extracting(bodyRange), &out)
  }

  /// A routing header's addresses, as offsets in the frame: what follows the header's first
  /// 8 bytes for type 0 (RFC 2460, deprecated) and type 2 (RFC 6275); nil for other types
  /// and for a body that does not hold whole addresses.
  var addressRange: Range<Int>? {
    guard type == 43, length >= 8 else { return nil }
    let start = range.lowerBound + 8
    guard routingType == 0 || routingType == 2, (length - 8) % 16 == 0 else { return nil }
    return start..<range.upperBound
  }

  /// `44 (ipv6-frag), length 8, fragment_offset 0, mf true, id 7, hex ...`.
  func writeVerbose(_ bytes: Span<UInt8>, _ out: inout TextBuffer) {
    out.append(decimal: type)
    if let name = IPProtocol(rawValue: type).name {
      out.append(" (")
      out.append(name)
      out.append(byte: UInt8(ascii: ")"))
    }
    out.append(", length ")
    out.append(decimal: length)
    if type == 44 {
      out.append(", fragment_offset ")
      out.append(decimal: fragmentOffset)
      out.append(mf ? ", mf true, id " : ", mf false, id ")
      out.append(decimal: id)
    } else if type == 43 {
      out.append(", routing_type ")
      out.append(decimal: routingType)
      out.append(", segments_left ")
      out.append(decimal: segmentsLeft)
    }
    out.append(", hex ")
    out.append(hexBytes: bytes.extracting(bodyRange))
  }
}

// MARK: - Expressions

extension ValueConversion {
  /// `[hop_by_hop(hex=0x...), fragment(fragment_offset=0, mf=true, id=7), routing(...), ...]`.
  func extensions(_ value: ValueExpression) throws(ExpressionError) -> [IPv6Extension] {
    let kinds = IPv6Extension.Kind.allCases.map(\.name).joined(separator: ", ")
    var headers: [IPv6Extension] = []
    for item in items(value) {
      let name: String
      let fields: [FieldExpression]
      switch item.kind {
      case .word(let word): (name, fields) = (word, [])
      case .call(let call, let callFields): (name, fields) = (call, callFields)
      default: throw fail(item, "expects an extension header (\(kinds))")
      }
      guard let kind = IPv6Extension.Kind.allCases.first(where: { $0.name == name }) else {
        throw fail(item, "unknown extension header \(name); headers: \(kinds)")
      }
      var header = IPv6Extension(kind: kind)
      var allowed: [FieldName] = [.nextHeader, .length, .hex]
      switch kind {
      case .fragment: allowed = [.nextHeader, .fragmentOffset, .mf, .id]
      case .routing: allowed += [.routingType, .segmentsLeft, .addresses]
      default: break
      }
      for field in fields {
        let conversion = ValueConversion(layer: name, field: field.name)
        let v = field.value
        switch allowed.first(where: { $0.string == field.name })?.text.description ?? "" {
        case FieldName.nextHeader.string:
          header.nextHeader = UInt8(try conversion.integer(v, max: 0xFF))
        case FieldName.length.string: header.length = Int(try conversion.integer(v, max: 2048))
        case FieldName.hex.string: header.body = try conversion.bytes(v)
        case FieldName.routingType.string:
          header.routingType = UInt8(try conversion.integer(v, max: 0xFF))
        case FieldName.segmentsLeft.string:
          header.segmentsLeft = UInt8(try conversion.integer(v, max: 0xFF))
        case FieldName.fragmentOffset.string:
          header.fragmentOffset = Int(try conversion.integer(v, max: 0x1FFF * 8))
        case FieldName.mf.string:
          guard case .value(.bool(let flag)) = try conversion.segment(v, .bool) else { break }
          header.mf = flag
        case FieldName.id.string: header.id = UInt32(try conversion.integer(v, max: 0xFFFF_FFFF))
        case FieldName.addresses.string:
          var addresses: [IPv6Address] = []
          for item in conversion.items(v) {
            guard case .ipv6(let address) = item.kind else {
              throw conversion.fail(item, "expects a list of IPv6 addresses")
            }
            addresses.append(address)
          }
          header.addresses = addresses
        default:
          throw ExpressionError(
            layer: name, field: field.name, position: field.position,
            message:
              "unknown field \(field.name); fields of \(name): \(allowed.map(\.string).joined(separator: ", "))"
          )
        }
      }
      if header.addresses != nil && header.body != nil, let field = fields.first {
        throw ExpressionError(
          layer: name, field: FieldName.addresses.string, position: field.position,
          message: "give addresses or hex, not both")
      }
      headers.append(header)
    }
    return headers
  }
}

// MARK: - Building

/// An IPv6 extension header to build (contract `extensions` list).
///
/// Create one with `.hopByHop(...)`, `.routing(...)`, `.fragment(...)`, `.destination(...)`,
/// `.ah(...)` or `.mobility(...)`. `body` is the bytes after the next-header and length bytes
/// (the contract's `hex`); it is padded to the header's unit (8 bytes, AH 4 bytes): options
/// headers with a Pad1/PadN option as scapy does, the others with zeros. `nextHeader` and
/// `length` are computed unless given.
public struct IPv6Extension: Sendable, Hashable {
  /// The kinds of extension header, by protocol number.
  public enum Kind: UInt8, Sendable, Hashable, CaseIterable {
    /// Hop-by-hop options (0).
    case hopByHop = 0
    /// Routing (43).
    case routing = 43
    /// Fragment (44).
    case fragment = 44
    /// Destination options (60).
    case destination = 60
    /// Authentication header (51).
    case ah = 51
    /// Mobility (135).
    case mobility = 135

    /// The contract name (`hop_by_hop`, `routing`, ...).
    public var name: String {
      switch self {
      case .hopByHop: "hop_by_hop"
      case .routing: "routing"
      case .fragment: "fragment"
      case .destination: "destination"
      case .ah: "ah"
      case .mobility: "mobility"
      }
    }
  }

  /// Which header.
  public var kind: Kind
  /// Protocol of what follows; nil: computed.
  public var nextHeader: UInt8?
  /// The header's length in bytes, written in the header's units; nil: computed.
  public var length: Int?
  /// The body after next header and length; nil: the kind's default (PadN for options headers,
  /// zeros otherwise). For a fragment header only its first byte is used (reserved) when given.
  public var body: [UInt8]?
  /// Routing header: routing type; nil: the body's, else 0.
  public var routingType: UInt8?
  /// Routing header: segments left; nil: the body's, else the number of `addresses`, else 0.
  public var segmentsLeft: UInt8?
  /// Routing header: the addresses after the 4 reserved bytes (types 0 and 2, as scapy's
  /// `IPv6ExtHdrRouting(addresses=...)`); nil: `body` says what follows. Given, they make
  /// the body: routing type, segments left, 4 zero bytes, the addresses.
  public var addresses: [IPv6Address]?
  /// Fragment header: offset, in bytes (a multiple of 8).
  public var fragmentOffset: Int
  /// Fragment header: more fragments.
  public var mf: Bool
  /// Fragment header: identification.
  public var id: UInt32

  /// An extension header to build; the fields that do not apply to `kind` are ignored.
  public init(
    kind: Kind, nextHeader: UInt8? = nil, length: Int? = nil, body: [UInt8]? = nil,
    routingType: UInt8? = nil, segmentsLeft: UInt8? = nil, fragmentOffset: Int = 0,
    mf: Bool = false, id: UInt32 = 0
  ) {
    self.kind = kind
    self.nextHeader = nextHeader
    self.length = length
    self.body = body
    self.routingType = routingType
    self.segmentsLeft = segmentsLeft
    addresses = nil
    self.fragmentOffset = fragmentOffset
    self.mf = mf
    self.id = id
  }

  /// A hop-by-hop options header (0) whose options are `body`.
  public static func hopByHop(_ body: [UInt8]? = nil, nextHeader: UInt8? = nil) -> IPv6Extension {
    IPv6Extension(kind: .hopByHop, nextHeader: nextHeader, body: body)
  }

  /// A destination options header (60) whose options are `body`.
  public static func destination(_ body: [UInt8]? = nil, nextHeader: UInt8? = nil)
    -> IPv6Extension
  {
    IPv6Extension(kind: .destination, nextHeader: nextHeader, body: body)
  }

  /// A routing header (43): `body` after the routing type and segments left bytes is
  /// `data` (4 reserved bytes, then addresses for type 0).
  public static func routing(
    routingType: UInt8 = 0, segmentsLeft: UInt8 = 0, data: [UInt8] = [0, 0, 0, 0],
    nextHeader: UInt8? = nil
  ) -> IPv6Extension {
    IPv6Extension(
      kind: .routing, nextHeader: nextHeader, body: [routingType, segmentsLeft] + data,
      routingType: routingType, segmentsLeft: segmentsLeft)
  }

  /// A routing header (43) of `routingType` (0 as scapy's `IPv6ExtHdrRouting`) naming
  /// `addresses`; segments left is their number unless given.
  public static func routing(
    addresses: [IPv6Address], routingType: UInt8 = 0, segmentsLeft: UInt8? = nil,
    nextHeader: UInt8? = nil
  ) -> IPv6Extension {
    var header = IPv6Extension(
      kind: .routing, nextHeader: nextHeader, routingType: routingType,
      segmentsLeft: segmentsLeft)
    header.addresses = addresses
    return header
  }

  /// A fragment header (44).
  public static func fragment(
    fragmentOffset: Int = 0, mf: Bool = false, id: UInt32 = 0, nextHeader: UInt8? = nil
  ) -> IPv6Extension {
    IPv6Extension(
      kind: .fragment, nextHeader: nextHeader, fragmentOffset: fragmentOffset, mf: mf, id: id)
  }

  /// An authentication header (51, RFC 4302) whose body (reserved, SPI, sequence, ICV) is `body`.
  public static func ah(_ body: [UInt8]? = nil, nextHeader: UInt8? = nil) -> IPv6Extension {
    IPv6Extension(kind: .ah, nextHeader: nextHeader, body: body)
  }

  /// A mobility header (135, RFC 6275) whose body (MH type, reserved, checksum, data) is `body`.
  public static func mobility(_ body: [UInt8]? = nil, nextHeader: UInt8? = nil) -> IPv6Extension {
    IPv6Extension(kind: .mobility, nextHeader: nextHeader, body: body)
  }
}

extension IPv6Extension {
  /// The body as written (before padding): given or default, with the routing type and
  /// segments left put in.
  var resolvedBody: [UInt8] {
    switch kind {
    case .hopByHop, .destination:
      return body ?? [1, 4, 0, 0, 0, 0]
    case .routing:
      if let addresses, body == nil {
        let left = segmentsLeft ?? UInt8(truncatingIfNeeded: addresses.count)
        return [routingType ?? 0, left, 0, 0, 0, 0] + addresses.flatMap(\.octets)
      }
      var bytes = body ?? [0, 0, 0, 0, 0, 0]
      while bytes.count < 2 { bytes.append(0) }
      if let routingType { bytes[0] = routingType }
      if let segmentsLeft { bytes[1] = segmentsLeft }
      return bytes
    case .fragment:
      return [0, 0, 0, 0, 0, 0]
    case .ah:
      return body ?? Array(repeating: 0, count: 10)
    case .mobility:
      return body ?? Array(repeating: 0, count: 6)
    }
  }

  /// The body padded to the header's unit: options headers with Pad1/PadN, others with zeros.
  var paddedBody: [UInt8] {
    var bytes = resolvedBody
    let unit = kind == .ah ? 4 : 8
    let missing = (unit - (bytes.count + 2) % unit) % unit
    if (kind == .hopByHop || kind == .destination) && missing >= 2 {
      bytes.append(contentsOf: [1, UInt8(missing - 2)] + repeatElement(0, count: missing - 2))
    } else {
      bytes.append(contentsOf: repeatElement(0, count: missing))
    }
    return bytes
  }

  func encode(into writer: inout ByteWriter, next: UInt8) throws(BuildError) {
    writer.writeU8(nextHeader ?? next)
    if kind == .fragment {
      guard fragmentOffset >= 0, fragmentOffset % 8 == 0, fragmentOffset <= 0x1FFF * 8 else {
        throw .invalidValue(
          layer: "fragment", field: FieldName.fragmentOffset.string, value: "\(fragmentOffset)",
          reason: "is not a multiple of 8 in 0...65528")
      }
      guard length == nil else {
        throw .invalidValue(
          layer: "fragment", field: FieldName.length.string, value: "\(length ?? 0)",
          reason: "cannot be set: a fragment header is always 8 bytes")
      }
      writer.writeU8(body?.first ?? 0)
      writer.writeBE16(UInt16(fragmentOffset) | (mf ? 1 : 0))
      writer.writeBE32(id)
      return
    }
    let bytes = paddedBody
    let unit = kind == .ah ? 4 : 8
    let minimum = 8
    let announced = length ?? bytes.count + 2
    guard announced >= minimum, announced % unit == 0,
      announced / unit - (kind == .ah ? 2 : 1) <= 255
    else {
      throw .invalidValue(
        layer: kind.name, field: FieldName.length.string, value: "\(announced)",
        reason: "is not a multiple of \(unit) in \(minimum)...\(kind == .ah ? 1028 : 2048)")
    }
    writer.writeU8(UInt8(announced / unit - (kind == .ah ? 2 : 1)))
    writer.write(contentsOf: bytes)
  }
}
