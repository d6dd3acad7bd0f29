/// Turns syntax-tree values into typed field values, with the checks and messages of
/// crafting expressions ("expects a MAC address", "300 is out of range 0...255").
struct ValueConversion {
  /// The layer name as written, for errors.
  let layer: String
  /// The field name as written, for errors.
  let field: String

  func fail(_ value: ValueExpression, _ message: String) -> ExpressionError {
    ExpressionError(layer: layer, field: field, position: value.position, message: message)
  }

  /// The values `value` stands for in a field of `type`.
  func choices(_ value: ValueExpression, _ type: FieldType) throws(ExpressionError)
    -> FieldChoices
  {
    switch type {
    case .tcpOptions: return FieldChoices(segments: [.value(.tcpOptions(try tcpOptions(value)))])
    case .extensions: return FieldChoices(segments: [.value(.extensions(try extensions(value)))])
    case .ndOptions: return FieldChoices(segments: [.value(.ndOptions(try ndOptions(value)))])
    case .bytes: return FieldChoices(segments: [.value(.bytes(try bytes(value)))])
    case .ipv4Options: return FieldChoices(segments: [.value(.bytes(try ipv4Options(value)))])
    case .structured(let shape):
      return FieldChoices(segments: [.value(.structured(try shape.fromExpression(value, self)))])
    default: break
    }
    if case .word("random") = value.kind { return FieldChoices(segments: [.random(type)]) }
    if case .randomIn(let inner) = value.kind {
      switch type {
      case .integer, .tcpFlags, .mac, .ipv4, .ipv6:
        return FieldChoices(segments: [.randomIn(try segment(inner, type))])
      default:
        throw fail(value, "random(...) takes integers or addresses; this field does not")
      }
    }
    if case .list(let items) = value.kind {
      var segments: [FieldChoices.Segment] = []
      for item in items { segments += try choices(item, type).segments }
      guard !segments.isEmpty else { throw fail(value, "an empty list gives no packet") }
      return FieldChoices(segments: segments)
    }
    return FieldChoices(segments: [try segment(value, type)])
  }

  func segment(_ value: ValueExpression, _ type: FieldType) throws(ExpressionError)
    -> FieldChoices.Segment
  {
    switch (type, value.kind) {
    case (.integer, .range(let low, let high)), (.tcpFlags, .range(let low, let high)):
      let limit: UInt64 = if case .integer(let max) = type { max } else { 0xFFF }
      let lowValue = try integer(low, max: limit)
      let highValue = try integer(high, max: limit)
      guard lowValue <= highValue else {
        throw fail(value, "range \(lowValue)-\(highValue) is empty")
      }
      return .integers(lowValue, highValue)
    case (.integer(let max), _): return .value(.integer(try integer(value, max: max)))
    case (.tcpFlags, _): return .value(.integer(try flags(value)))
    case (.bool, .bool(let flag)): return .value(.bool(flag))
    case (.bool, .integer(let number)) where number <= 1: return .value(.bool(number == 1))
    case (.bool, _): throw fail(value, "expects true or false")
    case (.mac, .mac(let mac)): return .value(.mac(mac))
    case (.mac, .range(let low, let high)):
      guard case .mac(let a) = low.kind, case .mac(let b) = high.kind, a <= b else {
        throw fail(value, "expects a range of MAC addresses, lowest first")
      }
      return .macs(a.rawValue, b.rawValue)
    case (.mac, _): throw fail(value, "expects a MAC address")
    case (.ipv4, .ipv4(let address)): return .value(.ipv4(address))
    case (.ipv4, .range(let low, let high)):
      guard case .ipv4(let a) = low.kind, case .ipv4(let b) = high.kind, a <= b else {
        throw fail(value, "expects a range of IPv4 addresses, lowest first")
      }
      return .ipv4s(a.rawValue, b.rawValue)
    case (.ipv4, .prefix(let base, let length)):
      guard case .ipv4(let address) = base.kind else { throw fail(value, "expects an IPv4 prefix") }
      guard (0...32).contains(length) else {
        throw fail(value, "prefix length \(length) is out of range 0...32")
      }
      let mask: UInt32 = length == 0 ? 0 : ~0 << (32 - length)
      return .ipv4s(address.rawValue & mask, address.rawValue & mask | ~mask)
    case (.ipv4, _): throw fail(value, "expects an IPv4 address")
    case (.ipv6, .ipv6(let address)): return .value(.ipv6(address))
    case (.ipv6, .range(let low, let high)):
      guard case .ipv6(let a) = low.kind, case .ipv6(let b) = high.kind, a <= b else {
        throw fail(value, "expects a range of IPv6 addresses, lowest first")
      }
      return .ipv6s(Self.wide(a), Self.wide(b))
    case (.ipv6, .prefix(let base, let length)):
      guard case .ipv6(let address) = base.kind else { throw fail(value, "expects an IPv6 prefix") }
      guard (0...128).contains(length) else {
        throw fail(value, "prefix length \(length) is out of range 0...128")
      }
      let mask: UInt128 = length == 0 ? 0 : ~0 << (128 - length)
      return .ipv6s(Self.wide(address) & mask, Self.wide(address) & mask | ~mask)
    case (.ipv6, _): throw fail(value, "expects an IPv6 address")
    default: throw fail(value, "unexpected value")
    }
  }

  static func wide(_ address: IPv6Address) -> UInt128 {
    UInt128(address.high) << 64 | UInt128(address.low)
  }

  /// An integer no larger than `max`.
  func integer(_ value: ValueExpression, max: UInt64) throws(ExpressionError) -> UInt64 {
    let number: UInt64
    switch value.kind {
    case .integer(let decimal): number = decimal
    case .hex(let digits):
      let significant = digits.drop { $0 == "0" }
      guard significant.count <= 16,
        let parsed = UInt64(significant.isEmpty ? "0" : String(significant), radix: 16)
      else { throw fail(value, "0x\(digits) is out of range 0...\(max)") }
      number = parsed
    default: throw fail(value, "expects an integer")
    }
    guard number <= max else { throw fail(value, "\(number) is out of range 0...\(max)") }
    return number
  }

  /// TCP flags: letters `F S R P A U E C N` (bits 0 to 8) or an integer up to 0xFFF.
  func flags(_ value: ValueExpression) throws(ExpressionError) -> UInt64 {
    guard case .word(let letters) = value.kind else { return try integer(value, max: 0xFFF) }
    var bits: UInt64 = 0
    for letter in letters {
      guard let bit = TCPFlags.letters.first(where: { $0.0 == letter }) else {
        throw fail(value, "unknown TCP flag \(letter); flags are F S R P A U E C N")
      }
      bits |= UInt64(bit.1.rawValue)
    }
    return bits
  }

  /// Bytes: `0x...` or a quoted string.
  func bytes(_ value: ValueExpression) throws(ExpressionError) -> [UInt8] {
    switch value.kind {
    case .string(let bytes): return bytes
    case .hex(let digits):
      guard let bytes = HexBytes.parse(digits) else {
        throw fail(value, "0x\(digits) is not whole bytes (an even number of hex digits)")
      }
      return bytes
    default: throw fail(value, "expects bytes (0x... or a quoted string)")
    }
  }

  func items(_ value: ValueExpression) -> [ValueExpression] {
    if case .list(let items) = value.kind { return items }
    return [value]
  }

  /// `[mss=1460, nop, window_scale=7, sack_permitted, timestamp=(100,0), sack=[(1,2)],
  /// unknown=(254,0x0102), eol]`.
  func tcpOptions(_ value: ValueExpression) throws(ExpressionError) -> [TCPOptionSpec] {
    let names = "eol, nop, mss, window_scale, sack_permitted, sack, timestamp, unknown"
    var options: [TCPOptionSpec] = []
    for item in items(value) {
      switch item.kind {
      case .word("eol"): options.append(.eol)
      case .word("nop"): options.append(.nop)
      case .word("sack_permitted"): options.append(.sackPermitted)
      case .assignment("mss", let v): options.append(.mss(UInt16(try integer(v, max: 0xFFFF))))
      case .assignment("window_scale", let v):
        options.append(.windowScale(UInt8(try integer(v, max: 0xFF))))
      case .assignment("timestamp", let v):
        let pair = try tuple(v, count: 2, "timestamp expects (value, echo)")
        options.append(
          .timestamp(
            value: UInt32(try integer(pair[0], max: 0xFFFF_FFFF)),
            echo: UInt32(try integer(pair[1], max: 0xFFFF_FFFF))))
      case .assignment("sack", let v):
        var blocks: [SACKBlock] = []
        let list: [ValueExpression] = if case .tuple = v.kind { [v] } else { items(v) }
        for block in list {
          let pair = try tuple(block, count: 2, "sack expects [(left, right), ...]")
          blocks.append(
            SACKBlock(
              left: UInt32(try integer(pair[0], max: 0xFFFF_FFFF)),
              right: UInt32(try integer(pair[1], max: 0xFFFF_FFFF))))
        }
        options.append(.sack(blocks))
      case .assignment("unknown", let v):
        let pair = try tuple(v, count: 2, "unknown expects (code, 0x...)")
        options.append(
          .unknown(code: UInt8(try integer(pair[0], max: 0xFF)), bytes: try bytes(pair[1])))
      case .word(let name), .assignment(let name, _):
        throw fail(item, "unknown TCP option \(name); options: \(names)")
      default:
        throw fail(item, "expects a TCP option (\(names))")
      }
    }
    return options
  }

  func tuple(_ value: ValueExpression, count: Int, _ message: String) throws(ExpressionError)
    -> [ValueExpression]
  {
    guard case .tuple(let items) = value.kind, items.count == count else {
      throw fail(value, message)
    }
    return items
  }

  /// `[source_mac=MAC, target_mac=MAC, mtu=1500, (type, MAC), (type, 0x...)]`.
  func ndOptions(_ value: ValueExpression) throws(ExpressionError) -> [NDOptionSpec] {
    let forms = "source_mac=MAC, target_mac=MAC, mtu=N, (type, MAC) or (type, 0x...)"
    var options: [NDOptionSpec] = []
    for item in items(value) {
      switch item.kind {
      case .assignment("source_mac", let v):
        guard case .mac(let mac) = v.kind else { throw fail(v, "expects a MAC address") }
        options.append(.sourceLinkLayerAddress(mac))
      case .assignment("target_mac", let v):
        guard case .mac(let mac) = v.kind else { throw fail(v, "expects a MAC address") }
        options.append(.targetLinkLayerAddress(mac))
      case .assignment("mtu", let v):
        options.append(.mtu(UInt32(try integer(v, max: 0xFFFF_FFFF))))
      case .tuple(let pair) where pair.count == 2:
        let type = UInt8(try integer(pair[0], max: 0xFF))
        if case .mac(let mac) = pair[1].kind {
          options.append(.raw(type: type, bytes: mac.octets))
        } else {
          options.append(.raw(type: type, bytes: try bytes(pair[1])))
        }
      default: throw fail(item, "expects a neighbour-discovery option: \(forms)")
      }
    }
    return options
  }
}
