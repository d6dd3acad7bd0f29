/// One layer object with its name, and typed field access with errors.
struct JSONLayer {
  let name: String
  let label: String
  let object: JSONValue

  func fail(_ field: String?, _ message: String) -> JSONPacketError {
    JSONPacketError(layer: label, field: field, message: message)
  }

  func has(_ key: String) -> Bool { object[key] != nil }

  func integer(_ key: String, max: UInt64) throws(JSONPacketError) -> UInt64? {
    guard let value = object[key] else { return nil }
    switch value {
    case .number(let text):
      guard let number = UInt64(text) else {
        throw fail(key, "\(text) is not an integer in 0...\(max)")
      }
      guard number <= max else { throw fail(key, "\(number) is out of range 0...\(max)") }
      return number
    case .bool(let flag) where max >= 1: return flag ? 1 : 0
    default: throw fail(key, "expects an integer, not \(value.kindName)")
    }
  }

  func u8(_ key: String) throws(JSONPacketError) -> UInt8? {
    try integer(key, max: 0xFF).map { UInt8($0) }
  }
  func u16(_ key: String) throws(JSONPacketError) -> UInt16? {
    try integer(key, max: 0xFFFF).map { UInt16($0) }
  }
  func u32(_ key: String) throws(JSONPacketError) -> UInt32? {
    try integer(key, max: 0xFFFF_FFFF).map { UInt32($0) }
  }

  func bool(_ key: String) throws(JSONPacketError) -> Bool? {
    guard let value = object[key] else { return nil }
    switch value {
    case .bool(let flag): return flag
    case .number("0"): return false
    case .number("1"): return true
    default: throw fail(key, "expects true or false, not \(value.kindName)")
    }
  }

  func string(_ key: String) throws(JSONPacketError) -> String? {
    guard let value = object[key] else { return nil }
    guard case .string(let text) = value else {
      throw fail(key, "expects a string, not \(value.kindName)")
    }
    return text
  }

  func hex(_ key: String) throws(JSONPacketError) -> [UInt8]? {
    guard let text = try string(key) else { return nil }
    guard let bytes = HexBytes.parse(text) else { throw fail(key, "\"\(text)\" is not hex bytes") }
    return bytes
  }

  func mac(_ key: String) throws(JSONPacketError) -> MACAddress? {
    guard let text = try string(key) else { return nil }
    guard let mac = MACAddress(text) else { throw fail(key, "\"\(text)\" is not a MAC address") }
    return mac
  }

  func ipv4(_ key: String) throws(JSONPacketError) -> IPv4Address? {
    guard let text = try string(key) else { return nil }
    guard let address = IPv4Address(text) else {
      throw fail(key, "\"\(text)\" is not an IPv4 address")
    }
    return address
  }

  func ipv6(_ key: String) throws(JSONPacketError) -> IPv6Address? {
    guard let text = try string(key) else { return nil }
    guard let address = IPv6Address(text) else {
      throw fail(key, "\"\(text)\" is not an IPv6 address")
    }
    return address
  }

  func list(_ key: String) throws(JSONPacketError) -> [JSONValue]? {
    guard let value = object[key] else { return nil }
    guard case .array(let items) = value else {
      throw fail(key, "expects an array, not \(value.kindName)")
    }
    return items
  }

  /// Rejects keys outside `known` (a typo in a jq edit would otherwise be ignored).
  func checkKeys(_ known: [String]) throws(JSONPacketError) {
    guard case .object(let pairs) = object else { throw fail(nil, "expects an object") }
    for pair in pairs where !known.contains(pair.key) {
      throw fail(pair.key, "unknown field; fields of \(name): \(known.joined(separator: ", "))")
    }
  }
}
