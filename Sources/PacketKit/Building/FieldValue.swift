/// A typed value for one field of a layer, converted from the syntax tree.
enum FieldValue: Sendable, Hashable {
  case integer(UInt64)
  case mac(MACAddress)
  case ipv4(IPv4Address)
  case ipv6(IPv6Address)
  case bool(Bool)
  case bytes([UInt8])
  case tcpOptions([TCPOptionSpec])
  case extensions([IPv6Extension])
  case ndOptions([NDOptionSpec])
  case structured(StructuredValue)

  var u64: UInt64 {
    switch self {
    case .integer(let value): value
    case .bool(let value): value ? 1 : 0
    default: 0
    }
  }
  var u32: UInt32 { UInt32(truncatingIfNeeded: u64) }
  var u16: UInt16 { UInt16(truncatingIfNeeded: u64) }
  var u8: UInt8 { UInt8(truncatingIfNeeded: u64) }
  var int: Int { Int(truncatingIfNeeded: u64) }
  var bool: Bool { u64 != 0 }
  var mac: MACAddress {
    if case .mac(let value) = self { return value }
    return .zero
  }
  var ipv4: IPv4Address {
    if case .ipv4(let value) = self { return value }
    return .any
  }
  var ipv6: IPv6Address {
    if case .ipv6(let value) = self { return value }
    return .unspecified
  }
  var bytes: [UInt8] {
    if case .bytes(let value) = self { return value }
    return []
  }
}

/// What kind of value a field takes; integers carry their largest value.
enum FieldType: Sendable, Hashable {
  case integer(max: UInt64)
  case tcpFlags
  case mac
  case ipv4
  case ipv6
  case bool
  case bytes
  case tcpOptions
  /// IPv4 options: `0x...` bytes or a list by name; the value is the bytes.
  case ipv4Options
  case extensions
  case ndOptions
  case structured(StructuredFieldType)
}

/// The values one field takes across the packets of an expression: single values and ranges,
/// concatenated in the order written, or one random value per packet (from the field's
/// whole range, or from a range or prefix).
struct FieldChoices: Sendable {
  indirect enum Segment: Sendable {
    case value(FieldValue)
    case integers(UInt64, UInt64)
    case macs(UInt64, UInt64)
    case ipv4s(UInt32, UInt32)
    case ipv6s(UInt128, UInt128)
    case random(FieldType)
    /// One value drawn from the segment (`integers`, `macs`, `ipv4s`, `ipv6s` or `value`).
    case randomIn(Segment)

    /// How many values, saturated at `Int.max`.
    var count: Int {
      switch self {
      case .value, .random, .randomIn: 1
      case .integers(let low, let high), .macs(let low, let high):
        high - low >= UInt64(Int.max) ? Int.max : Int(high - low) + 1
      case .ipv4s(let low, let high): Int(high - low) + 1
      case .ipv6s(let low, let high):
        high - low >= UInt128(Int.max) ? Int.max : Int(high - low) + 1
      }
    }
  }

  var segments: [Segment]

  /// How many values, saturated at `Int.max`.
  var count: Int {
    segments.reduce(0) { total, segment in
      let (sum, overflow) = total.addingReportingOverflow(segment.count)
      return overflow ? Int.max : sum
    }
  }

  /// Whether the field takes more than one value or a random one.
  var expands: Bool {
    if segments.count != 1 { return true }
    switch segments[0] {
    case .value: return false
    case .random, .randomIn: return true
    default: return segments[0].count > 1
    }
  }

  /// Whether a value is drawn at random for every packet.
  var isRandom: Bool {
    segments.contains { segment in
      switch segment {
      case .random, .randomIn: true
      default: false
      }
    }
  }

  /// The value at `index` (0 ..< count); random values are drawn from `generator`.
  func value(at index: Int, generator: inout SplitMix64) -> FieldValue {
    var remaining = index
    for segment in segments {
      let count = segment.count
      if remaining >= count {
        remaining -= count
        continue
      }
      switch segment {
      case .value(let value): return value
      case .integers(let low, _): return .integer(low + UInt64(remaining))
      case .macs(let low, _): return .mac(MACAddress(rawValue: low + UInt64(remaining)))
      case .ipv4s(let low, _): return .ipv4(IPv4Address(rawValue: low + UInt32(remaining)))
      case .ipv6s(let low, _):
        let value = low + UInt128(remaining)
        return .ipv6(
          IPv6Address(
            high: UInt64(truncatingIfNeeded: value >> 64), low: UInt64(truncatingIfNeeded: value)))
      case .random(let type): return Self.random(type, generator: &generator)
      case .randomIn(let range): return Self.random(in: range, generator: &generator)
      }
    }
    return .integer(0)
  }

  /// A value drawn uniformly from `segment` (a range of integers or addresses).
  static func random(in segment: Segment, generator: inout SplitMix64) -> FieldValue {
    switch segment {
    case .integers(let low, let high):
      return .integer(UInt64.random(in: low...high, using: &generator))
    case .macs(let low, let high):
      return .mac(MACAddress(rawValue: UInt64.random(in: low...high, using: &generator)))
    case .ipv4s(let low, let high):
      return .ipv4(IPv4Address(rawValue: UInt32.random(in: low...high, using: &generator)))
    case .ipv6s(let low, let high):
      let value = UInt128.random(in: low...high, using: &generator)
      return .ipv6(
        IPv6Address(
          high: UInt64(truncatingIfNeeded: value >> 64), low: UInt64(truncatingIfNeeded: value)))
    case .value(let value): return value
    case .random(let type): return random(type, generator: &generator)
    case .randomIn(let inner): return random(in: inner, generator: &generator)
    }
  }

  static func random(_ type: FieldType, generator: inout SplitMix64) -> FieldValue {
    switch type {
    case .integer(let max):
      return .integer(
        max == .max ? generator.next() : UInt64.random(in: 0...max, using: &generator))
    case .tcpFlags: return .integer(UInt64.random(in: 0...0x1FF, using: &generator))
    case .mac: return .mac(MACAddress(rawValue: generator.next()))
    case .ipv4: return .ipv4(IPv4Address(rawValue: UInt32(truncatingIfNeeded: generator.next())))
    case .ipv6: return .ipv6(IPv6Address(high: generator.next(), low: generator.next()))
    case .bool: return .bool(generator.next() & 1 == 1)
    default: return .integer(0)
    }
  }
}
