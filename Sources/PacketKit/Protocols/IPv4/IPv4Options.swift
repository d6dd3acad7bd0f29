// IPv4 options by name (RFC 791 §3.1, RFC 2113): what `ipv4(options=[...])` and the JSON
// list form of `ipv4.options` build. Each option is written as scapy's `IPOption_*` class
// writes it with the same values, so `options=[rr]` is scapy's `IPOption_RR()` byte for byte:
//
//   eol 00 · nop 01 · rr 07 len ptr routers... · lsrr 83 ... · ssrr 89 ... ·
//   ts 44 len ptr oflw|flg [address] timestamp · ra 94 04 value(2) · unknown code len bytes
//
// Options are not decoded by name on the way in: `read --json` prints `ipv4.options` as hex,
// the header's option bytes as captured (what tshark's oracle compares), and `--from-json`
// reads that hex or the list form below.

/// One IPv4 option to build (`IPv4(options: IPv4Option.bytes([.nop, .recordRoute()]))`).
public enum IPv4Option: Sendable, Hashable {
  /// End of option list (0).
  case eol
  /// No operation (1).
  case nop
  /// Record route (7): `pointer` (4 is the first slot) and the router slots.
  case recordRoute(pointer: UInt8 = 4, routers: [IPv4Address] = [])
  /// Loose source and record route (131).
  case looseSourceRoute(pointer: UInt8 = 4, routers: [IPv4Address] = [])
  /// Strict source and record route (137).
  case strictSourceRoute(pointer: UInt8 = 4, routers: [IPv4Address] = [])
  /// Internet timestamp (68) with one entry, as scapy's `IPOption_Timestamp`: `flag` 0 has
  /// the timestamp only, other flags an address before it.
  case timestamp(
    pointer: UInt8 = 9, overflow: UInt8 = 0, flag: UInt8 = 1,
    address: IPv4Address = IPv4Address(0, 0, 0, 0), timestamp: UInt32 = 0)
  /// Router alert (148, RFC 2113) with its 16-bit value (0: examine the packet).
  case routerAlert(UInt16 = 0)
  /// Any option: the type byte `code` (copy flag, class and number), then a length byte
  /// (2 + the bytes), then `bytes`.
  case unknown(code: UInt8, bytes: [UInt8])

  /// The option's bytes on the wire.
  public var encoded: [UInt8] {
    switch self {
    case .eol: return [0]
    case .nop: return [1]
    case .recordRoute(let pointer, let routers): return Self.route(7, pointer, routers)
    case .looseSourceRoute(let pointer, let routers): return Self.route(131, pointer, routers)
    case .strictSourceRoute(let pointer, let routers): return Self.route(137, pointer, routers)
    case .timestamp(let pointer, let overflow, let flag, let address, let timestamp):
      var bytes: [UInt8] = [68, 0, pointer, (overflow & 0x0F) << 4 | (flag & 0x0F)]
      if flag != 0 { bytes += Self.octets(address) }
      bytes += [
        UInt8(timestamp >> 24), UInt8(truncatingIfNeeded: timestamp >> 16),
        UInt8(truncatingIfNeeded: timestamp >> 8), UInt8(truncatingIfNeeded: timestamp),
      ]
      bytes[1] = UInt8(bytes.count)
      return bytes
    case .routerAlert(let value):
      return [148, 4, UInt8(value >> 8), UInt8(truncatingIfNeeded: value)]
    case .unknown(let code, let bytes):
      return [code, UInt8(truncatingIfNeeded: bytes.count + 2)] + bytes
    }
  }

  /// The bytes of `options` one after the other (the IPv4 builder pads them to 4 bytes).
  public static func bytes(_ options: [IPv4Option]) -> [UInt8] {
    options.flatMap(\.encoded)
  }

  static func route(_ type: UInt8, _ pointer: UInt8, _ routers: [IPv4Address]) -> [UInt8] {
    [type, UInt8(truncatingIfNeeded: 3 + 4 * routers.count), pointer]
      + routers.flatMap(octets)
  }

  /// The address's four bytes, in network order.
  static func octets(_ address: IPv4Address) -> [UInt8] {
    let value = address.rawValue
    return [
      UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16),
      UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value),
    ]
  }

  /// The names expressions and the JSON list form take.
  static let names = "eol, nop, rr, lsrr, ssrr, ts, ra, unknown"
}

// MARK: - Expressions

extension ValueConversion {
  /// `options=0x...` (the bytes as they are) or a list of options by name:
  /// `[nop, rr, rr=[192.0.2.1], lsrr=[192.0.2.1, 192.0.2.9], ssrr(pointer=8, routers=[...]),
  /// ts, ts(flag=0, timestamp=5), ra, ra=1, unknown=(130, 0x0102), eol]`.
  func ipv4Options(_ value: ValueExpression) throws(ExpressionError) -> [UInt8] {
    switch value.kind {
    case .hex, .string: return try bytes(value)
    default: break
    }
    var options: [IPv4Option] = []
    for item in items(value) { options.append(try ipv4Option(item)) }
    return IPv4Option.bytes(options)
  }

  func ipv4Option(_ item: ValueExpression) throws(ExpressionError) -> IPv4Option {
    switch item.kind {
    case .word("eol"): return .eol
    case .word("nop"): return .nop
    case .word("rr"): return .recordRoute()
    case .word("lsrr"): return .looseSourceRoute()
    case .word("ssrr"): return .strictSourceRoute()
    case .word("ts"): return .timestamp()
    case .word("ra"): return .routerAlert()
    case .assignment("ra", let v): return .routerAlert(UInt16(try integer(v, max: 0xFFFF)))
    case .assignment(let name, let v) where ["rr", "lsrr", "ssrr"].contains(name):
      return Self.route(name, pointer: 4, routers: try addresses(v))
    case .call(let name, let fields) where ["rr", "lsrr", "ssrr"].contains(name):
      var pointer: UInt8 = 4
      var routers: [IPv4Address] = []
      for field in fields {
        let conversion = ValueConversion(layer: name, field: field.name)
        switch field.name {
        case "pointer": pointer = UInt8(try conversion.integer(field.value, max: 0xFF))
        case "routers": routers = try conversion.addresses(field.value)
        default: throw Self.unknownField(name, field, "pointer, routers")
        }
      }
      return Self.route(name, pointer: pointer, routers: routers)
    case .call("ts", let fields):
      var (pointer, overflow, flag): (UInt8, UInt8, UInt8) = (9, 0, 1)
      var address = IPv4Address(0, 0, 0, 0)
      var timestamp: UInt32 = 0
      for field in fields {
        let conversion = ValueConversion(layer: "ts", field: field.name)
        switch field.name {
        case "pointer": pointer = UInt8(try conversion.integer(field.value, max: 0xFF))
        case "overflow": overflow = UInt8(try conversion.integer(field.value, max: 0xF))
        case "flag": flag = UInt8(try conversion.integer(field.value, max: 0xF))
        case "address":
          guard case .ipv4(let given) = field.value.kind else {
            throw conversion.fail(field.value, "expects an IPv4 address")
          }
          address = given
        case "timestamp":
          timestamp = UInt32(try conversion.integer(field.value, max: 0xFFFF_FFFF))
        default:
          throw Self.unknownField("ts", field, "pointer, overflow, flag, address, timestamp")
        }
      }
      return .timestamp(
        pointer: pointer, overflow: overflow, flag: flag, address: address, timestamp: timestamp)
    case .assignment("unknown", let v):
      let pair = try tuple(v, count: 2, "unknown expects (code, 0x...)")
      return .unknown(code: UInt8(try integer(pair[0], max: 0xFF)), bytes: try bytes(pair[1]))
    case .word(let name), .assignment(let name, _), .call(let name, _):
      throw fail(item, "unknown IPv4 option \(name); options: \(IPv4Option.names)")
    default:
      throw fail(item, "expects an IPv4 option (\(IPv4Option.names)) or 0x... bytes")
    }
  }

  /// One IPv4 address or a list of them.
  func addresses(_ value: ValueExpression) throws(ExpressionError) -> [IPv4Address] {
    var list: [IPv4Address] = []
    for item in items(value) {
      guard case .ipv4(let address) = item.kind else {
        throw fail(item, "expects IPv4 addresses")
      }
      list.append(address)
    }
    return list
  }

  static func route(_ name: String, pointer: UInt8, routers: [IPv4Address]) -> IPv4Option {
    switch name {
    case "lsrr": .looseSourceRoute(pointer: pointer, routers: routers)
    case "ssrr": .strictSourceRoute(pointer: pointer, routers: routers)
    default: .recordRoute(pointer: pointer, routers: routers)
    }
  }

  static func unknownField(_ option: String, _ field: FieldExpression, _ known: String)
    -> ExpressionError
  {
    ExpressionError(
      layer: option, field: field.name, position: field.position,
      message: "unknown field \(field.name); fields of \(option): \(known)")
  }
}

// MARK: - JSON

extension JSONLayer {
  /// `ipv4.options` in `--from-json`: hex (what `read --json` prints), or the list form,
  /// one object per option: `{"kind":"nop"}`, `{"kind":"rr","pointer":4,"routers":["192.0.2.1"]}`
  /// (also `lsrr`, `ssrr`), `{"kind":"ts","pointer":9,"overflow":0,"flag":1,
  /// "address":"0.0.0.0","timestamp":0}`, `{"kind":"ra","value":0}`,
  /// `{"kind":"unknown","code":130,"hex":"0102"}`, `{"kind":"eol"}`.
  func ipv4Options(_ key: String) throws(JSONPacketError) -> [UInt8] {
    guard case .array(let items)? = object[key] else { return try hex(key) ?? [] }
    var options: [IPv4Option] = []
    for (position, item) in items.enumerated() {
      let option = JSONLayer(name: "option", label: "\(label).\(key)[\(position)]", object: item)
      options.append(try option.ipv4Option())
    }
    return IPv4Option.bytes(options)
  }

  /// One object of the list form.
  func ipv4Option() throws(JSONPacketError) -> IPv4Option {
    guard let kind = try string(FieldName.kind.string) else {
      throw fail(FieldName.kind.string, "is missing")
    }
    switch kind {
    case "eol", "nop", "ra":
      try checkKeys(["kind", "value"])
      if kind == "ra" { return .routerAlert(try u16("value") ?? 0) }
      return kind == "eol" ? .eol : .nop
    case "rr", "lsrr", "ssrr":
      try checkKeys(["kind", "pointer", "routers"])
      var routers: [IPv4Address] = []
      for item in try list("routers") ?? [] {
        guard case .string(let text) = item, let address = IPv4Address(text) else {
          throw fail("routers", "expects a list of IPv4 addresses")
        }
        routers.append(address)
      }
      return ValueConversion.route(kind, pointer: try u8("pointer") ?? 4, routers: routers)
    case "ts":
      try checkKeys(["kind", "pointer", "overflow", "flag", "address", "timestamp"])
      return .timestamp(
        pointer: try u8("pointer") ?? 9, overflow: try u8("overflow") ?? 0,
        flag: try u8("flag") ?? 1, address: try ipv4("address") ?? IPv4Address(0, 0, 0, 0),
        timestamp: try u32("timestamp") ?? 0)
    case "unknown":
      try checkKeys(["kind", "code", "hex"])
      guard let code = try u8(FieldName.code.string) else {
        throw fail(FieldName.code.string, "is missing")
      }
      return .unknown(code: code, bytes: try hex(FieldName.hex.string) ?? [])
    default:
      throw fail(
        FieldName.kind.string, "unknown IPv4 option \(kind); kinds: \(IPv4Option.names)")
    }
  }
}
