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
    case hopByHop = 0
    case routing = 43
    case fragment = 44
    case destination = 60
    case ah = 51
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
  /// Routing header: segments left; nil: the body's, else 0.
  public var segmentsLeft: UInt8?
  /// Fragment header: offset, in bytes (a multiple of 8).
  public var fragmentOffset: Int
  /// Fragment header: more fragments.
  public var mf: Bool
  /// Fragment header: identification.
  public var id: UInt32

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
          layer: "fragment", field: "fragment_offset", value: "\(fragmentOffset)",
          reason: "is not a multiple of 8 in 0...65528")
      }
      guard length == nil else {
        throw .invalidValue(
          layer: "fragment", field: "length", value: "\(length ?? 0)",
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
        layer: kind.name, field: "length", value: "\(announced)",
        reason: "is not a multiple of \(unit) in \(minimum)...\(kind == .ah ? 1028 : 2048)")
    }
    writer.writeU8(UInt8(announced / unit - (kind == .ah ? 2 : 1)))
    writer.write(contentsOf: bytes)
  }
}
