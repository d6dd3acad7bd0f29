// Comparing a reply's fields, as `read --json --hex` prints them, with the values an
// expectation gives, and saying how they differ.

extension ReplyExpectation {
  /// Fields crafting takes that `read --json` never shows: they cannot be expected.
  static let unreadableFields: [String: Set<String>] = [
    "vlan": ["tpid"],
    "arp": ["hardware_length", "protocol_length"],
  ]

  /// The reply's value of field `name` in `object`, a `layer` layer: the JSON member, or
  /// what `read --json` leaves out because it follows from what it prints (an Ethernet
  /// `type` printed as `length`, ARP's usual hardware and protocol types, ICMP `rest` and
  /// `id`/`seq` from each other).
  static func value(of name: String, in object: JSONValue, layer: String) -> JSONValue? {
    if let value = object[name] { return value }
    switch (layer, name) {
    case ("eth", FieldName.type.string): return object[FieldName.length.string]
    case ("arp", "hardware_type"): return object["op"] == nil ? nil : .number("1")
    case ("arp", "protocol_type"): return object["op"] == nil ? nil : .number("2048")
    case ("icmp", FieldName.rest.string), ("icmpv6", FieldName.rest.string):
      guard let id = object[FieldName.id.string]?.unsignedInteger,
        let seq = object[FieldName.seq.string]?.unsignedInteger
      else { return nil }
      return .number("\(id << 16 | seq)")
    case ("icmp", FieldName.id.string), ("icmpv6", FieldName.id.string):
      return object[FieldName.rest.string]?.unsignedInteger.map { .number("\($0 >> 16)") }
    case ("icmp", FieldName.seq.string), ("icmpv6", FieldName.seq.string):
      return object[FieldName.rest.string]?.unsignedInteger.map { .number("\($0 & 0xFFFF)") }
    default: return nil
    }
  }

  /// The reply's JSON value as a typed field value, or nil when it is not of that type.
  static func fieldValue(_ actual: JSONValue, _ type: FieldType) -> FieldValue? {
    switch (type, actual) {
    case (.integer, .number), (.tcpFlags, .number):
      return actual.unsignedInteger.map { .integer($0) }
    case (.integer, .bool(let flag)), (.tcpFlags, .bool(let flag)): return .integer(flag ? 1 : 0)
    case (.bool, .bool(let flag)): return .bool(flag)
    case (.bool, .number): return actual.unsignedInteger.flatMap { $0 <= 1 ? .bool($0 == 1) : nil }
    case (.mac, .string(let text)): return MACAddress(text).map { .mac($0) }
    case (.ipv4, .string(let text)): return IPv4Address(text).map { .ipv4($0) }
    case (.ipv6, .string(let text)): return IPv6Address(text).map { .ipv6($0) }
    default: return nil
    }
  }

  /// Whether the reply's value is one the expectation allows.
  static func matches(_ actual: JSONValue, _ expected: ExpectedValue) -> Bool {
    switch expected {
    case .choices(let choices, let type):
      guard let value = fieldValue(actual, type) else { return false }
      return choices.segments.contains { contains($0, value) }
    case .bytes(let bytes):
      guard case .string(let text) = actual else { return false }
      return HexBytes.parse(text) == bytes
    case .tcpOptions(let options):
      return tcpOptions(actual) == options
    case .ndOptions(let options):
      return ndOptions(actual) == options.map(\.encoded)
    case .extensions(let headers):
      guard case .array(let items) = actual, items.count == headers.count else { return false }
      return zip(items, headers).allSatisfy { item, expected in
        extensionMatches(item, expected.header, given: expected.given)
      }
    }
  }

  /// Whether `value` is in `segment`.
  static func contains(_ segment: FieldChoices.Segment, _ value: FieldValue) -> Bool {
    switch (segment, value) {
    case (.value(.integer(let a)), .integer(let b)): a == b
    case (.value(.bool(let a)), .bool(let b)): a == b
    case (.value(let a), let b): a == b
    case (.integers(let low, let high), .integer(let b)): low <= b && b <= high
    case (.macs(let low, let high), .mac(let b)): low <= b.rawValue && b.rawValue <= high
    case (.ipv4s(let low, let high), .ipv4(let b)): low <= b.rawValue && b.rawValue <= high
    case (.ipv6s(let low, let high), .ipv6(let b)):
      low <= ValueConversion.wide(b) && ValueConversion.wide(b) <= high
    default: false
    }
  }

  /// TCP options from their JSON list, as crafting spells them; nil when not a list of them.
  static func tcpOptions(_ actual: JSONValue) -> [TCPOptionSpec]? {
    guard case .array(let items) = actual else { return nil }
    var options: [TCPOptionSpec] = []
    for item in items {
      let layer = JSONLayer(name: "option", label: "option", object: item)
      guard let option = try? JSONPacketConverter().tcpOption(layer) else { return nil }
      options.append(option)
    }
    return options
  }

  /// Neighbour-discovery options from their JSON list, each as its bytes on the wire.
  static func ndOptions(_ actual: JSONValue) -> [[UInt8]]? {
    guard case .array(let items) = actual else { return nil }
    var options: [[UInt8]] = []
    for item in items {
      guard let type = item[FieldName.type.string]?.unsignedInteger,
        let length = item[FieldName.length.string]?.unsignedInteger
      else { return nil }
      var bytes = [UInt8(truncatingIfNeeded: type), UInt8(truncatingIfNeeded: length / 8)]
      if case .string(let text)? = item[FieldName.mac.string], let mac = MACAddress(text) {
        bytes += mac.octets
      } else if case .string(let text)? = item[FieldName.hex.string],
        let data = HexBytes.parse(text)
      {
        bytes += data
      } else {
        return nil
      }
      options.append(bytes)
    }
    return options
  }

  /// Whether an extension header's JSON object is of `expected`'s kind with the fields given.
  static func extensionMatches(
    _ item: JSONValue, _ expected: IPv6Extension, given: Set<String>
  ) -> Bool {
    guard item[FieldName.type.string]?.unsignedInteger == UInt64(expected.kind.rawValue) else {
      return false
    }
    func number(_ key: String) -> UInt64? { item[key]?.unsignedInteger }
    for name in given {
      let equal: Bool
      switch name {
      case FieldName.nextHeader.string: equal = number(name) == expected.nextHeader.map(UInt64.init)
      case FieldName.length.string: equal = number(name) == expected.length.map(UInt64.init)
      case FieldName.routingType.string:
        equal = number(name) == expected.routingType.map(UInt64.init)
      case FieldName.segmentsLeft.string:
        equal = number(name) == expected.segmentsLeft.map(UInt64.init)
      case FieldName.fragmentOffset.string: equal = number(name) == UInt64(expected.fragmentOffset)
      case FieldName.id.string: equal = number(name) == UInt64(expected.id)
      case FieldName.mf.string: equal = item[name] == .bool(expected.mf)
      case FieldName.hex.string:
        guard case .string(let text)? = item[name] else { return false }
        equal = HexBytes.parse(text) == expected.body
      default: equal = false
      }
      if !equal { return false }
    }
    return true
  }

  // MARK: Describing values

  /// TCP flags as `0x012 (SA)`: the 12-bit field in hex, then scapy's letters.
  static func describeFlags(_ bits: UInt64) -> String {
    let hex = String(bits, radix: 16)
    let letters = TCPFlags.letters.filter { bits & UInt64($0.1.rawValue) != 0 }.map(\.0)
    return
      "0x\(String(repeating: "0", count: max(0, 3 - hex.count)))\(hex) (\(letters.isEmpty ? "none" : String(letters)))"
  }

  /// A typed value as an expression would write it (flags as `0x012 (SA)`).
  static func describe(_ value: FieldValue, _ type: FieldType) -> String {
    switch (value, type) {
    case (.integer(let bits), .tcpFlags): describeFlags(bits)
    case (.integer(let number), _): "\(number)"
    case (.bool(let flag), _): "\(flag)"
    case (.mac(let mac), _): mac.description
    case (.ipv4(let address), _): address.description
    case (.ipv6(let address), _): address.description
    default: "\(value)"
    }
  }

  /// The values an expectation allows: `0x012 (SA)`, `one of 0x012 (SA), 0x014 (RA)`, `0-3`.
  static func describe(_ expected: ExpectedValue) -> String {
    switch expected {
    case .choices(let choices, let type):
      let parts = choices.segments.map { segment -> String in
        var generator = SplitMix64(seed: 0)
        switch segment {
        case .value(let value): return describe(value, type)
        case .integers, .macs, .ipv4s, .ipv6s:
          let low = FieldChoices(segments: [segment]).value(at: 0, generator: &generator)
          let high = FieldChoices(segments: [segment])
            .value(at: segment.count - 1, generator: &generator)
          return segment.count == Int.max
            ? "\(describe(low, type)) and up" : "\(describe(low, type))-\(describe(high, type))"
        case .random, .randomIn: return "random"
        }
      }
      return parts.count == 1 ? parts[0] : "one of \(parts.joined(separator: ", "))"
    case .bytes(let bytes): return hexText(bytes)
    case .tcpOptions(let options): return describe(options)
    case .ndOptions(let options):
      return "[\(options.map { hexText($0.encoded) }.joined(separator: ", "))]"
    case .extensions(let headers):
      let items = headers.map { header, given -> String in
        let fields = given.sorted().map { name -> String in
          let value: String
          switch name {
          case FieldName.nextHeader.string: value = header.nextHeader.map { "\($0)" } ?? "?"
          case FieldName.length.string: value = header.length.map { "\($0)" } ?? "?"
          case FieldName.routingType.string: value = header.routingType.map { "\($0)" } ?? "?"
          case FieldName.segmentsLeft.string: value = header.segmentsLeft.map { "\($0)" } ?? "?"
          case FieldName.fragmentOffset.string: value = "\(header.fragmentOffset)"
          case FieldName.id.string: value = "\(header.id)"
          case FieldName.mf.string: value = "\(header.mf)"
          default: value = header.body.map(hexText) ?? "?"
          }
          return "\(name)=\(value)"
        }
        return fields.isEmpty
          ? header.kind.name : "\(header.kind.name)(\(fields.joined(separator: ", ")))"
      }
      return "[\(items.joined(separator: ", "))]"
    }
  }

  /// The reply's value, written like the expected one.
  static func describe(_ actual: JSONValue, like expected: ExpectedValue) -> String {
    switch expected {
    case .choices(_, let type):
      if let value = fieldValue(actual, type) { return describe(value, type) }
    case .bytes:
      if case .string(let text) = actual { return "0x\(text)" }
    case .tcpOptions:
      if let options = tcpOptions(actual) { return describe(options) }
    case .ndOptions:
      if let options = ndOptions(actual) {
        return "[\(options.map(hexText).joined(separator: ", "))]"
      }
    case .extensions(let headers):
      if case .array(let items) = actual {
        let names = items.enumerated().map { index, item -> String in
          let type = item[FieldName.type.string]?.unsignedInteger ?? 0
          let name =
            IPv6Extension.Kind(rawValue: UInt8(truncatingIfNeeded: type))?.name ?? "\(type)"
          // The fields the expectation gives for the header at the same place.
          let given = index < headers.count ? headers[index].given.sorted() : []
          let fields = given.compactMap { key -> String? in
            switch item[key] {
            case .number(let text)?: "\(key)=\(text)"
            case .bool(let flag)?: "\(key)=\(flag)"
            case .string(let text)?: "\(key)=0x\(text)"
            default: nil
            }
          }
          return fields.isEmpty ? name : "\(name)(\(fields.joined(separator: ", ")))"
        }
        return "[\(names.joined(separator: ", "))]"
      }
    }
    return actual.kindName
  }

  /// `[mss=1460, nop, window_scale=7]`, as an expression writes TCP options.
  static func describe(_ options: [TCPOptionSpec]) -> String {
    let items = options.map { option -> String in
      switch option {
      case .eol: "eol"
      case .nop: "nop"
      case .mss(let value): "mss=\(value)"
      case .windowScale(let value): "window_scale=\(value)"
      case .sackPermitted: "sack_permitted"
      case .sack(let blocks):
        "sack=[\(blocks.map { "(\($0.left),\($0.right))" }.joined(separator: ","))]"
      case .timestamp(let value, let echo): "timestamp=(\(value),\(echo))"
      case .unknown(let code, let bytes): "unknown=(\(code),\(hexText(bytes)))"
      case .verbatim(let bytes): hexText(bytes)
      }
    }
    return "[\(items.joined(separator: ", "))]"
  }

  /// `0x0102`.
  static func hexText(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return "0x" + String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
  }
}
