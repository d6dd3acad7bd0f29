/// One `--map-ip A=B` rule: addresses inside the prefix `A` become the same host inside
/// the prefix `B` (IPv4 or IPv6; both sides of one family and of one prefix length). A rule
/// without a length maps one address (`/32`, `/128`).
///
/// ```swift
/// let rule = try AddressMapping(parsing: "192.0.2.0/24=198.51.100.0/24")
/// rule.map(IPv4Address(192, 0, 2, 7))  // 198.51.100.7
/// ```
public struct AddressMapping: Sendable, Hashable, CustomStringConvertible {
  /// The two prefixes of a rule, of one family.
  public enum Prefixes: Sendable, Hashable {
    /// IPv4: network bits of both sides, and the mask of the prefix length.
    case v4(from: UInt32, to: UInt32, mask: UInt32)
    /// IPv6: network bits of both sides (high and low 64 bits), and the mask.
    case v6(from: IPv6Address, to: IPv6Address, mask: IPv6Address)
  }

  /// The rule's prefixes.
  public let prefixes: Prefixes
  /// The prefix length both sides share.
  public let prefixLength: Int
  /// The rule as given (`192.0.2.0/24=198.51.100.0/24`).
  public let description: String

  /// Parses `A=B`, each side an IPv4 or IPv6 address with an optional `/length`.
  ///
  /// - Throws: ``RewriteRuleError`` naming what is wrong (no `=`, a bad address, families or
  ///   lengths that differ, a length out of range).
  public init(parsing text: String) throws(RewriteRuleError) {
    let sides = text.split(separator: "=", omittingEmptySubsequences: false)
    guard sides.count == 2 else {
      throw RewriteRuleError(
        rule: text, message: "expected FROM=TO, e.g. 192.0.2.0/24=198.51.100.0/24")
    }
    let (fromText, fromLength) = try Self.splitPrefix(sides[0], rule: text)
    let (toText, toLength) = try Self.splitPrefix(sides[1], rule: text)
    if let a = IPv4Address(fromText), let b = IPv4Address(toText) {
      let length = try Self.length(fromLength, toLength, maximum: 32, rule: text)
      let mask: UInt32 = length == 0 ? 0 : UInt32.max << (32 - length)
      prefixes = .v4(from: a.rawValue & mask, to: b.rawValue & mask, mask: mask)
      prefixLength = length
    } else if let a = IPv6Address(fromText), let b = IPv6Address(toText) {
      let length = try Self.length(fromLength, toLength, maximum: 128, rule: text)
      let mask = Self.mask6(length)
      prefixes = .v6(
        from: IPv6Address(high: a.high & mask.high, low: a.low & mask.low),
        to: IPv6Address(high: b.high & mask.high, low: b.low & mask.low), mask: mask)
      prefixLength = length
    } else if IPv4Address(fromText) != nil || IPv6Address(fromText) != nil,
      IPv4Address(toText) != nil || IPv6Address(toText) != nil
    {
      throw RewriteRuleError(rule: text, message: "both sides must be IPv4, or both IPv6")
    } else {
      let bad = IPv4Address(fromText) == nil && IPv6Address(fromText) == nil ? fromText : toText
      throw RewriteRuleError(rule: text, message: "'\(bad)' is not an IPv4 or IPv6 address")
    }
    description = text
  }

  /// The mapped address, or nil when `address` is outside the rule's source prefix.
  @inlinable
  public func map(_ address: UInt32) -> UInt32? {
    guard case .v4(let from, let to, let mask) = prefixes, address & mask == from else {
      return nil
    }
    return to | (address & ~mask)
  }

  /// The mapped address, or nil when `address` is outside the rule's source prefix.
  @inlinable
  public func map(_ address: IPv6Address) -> IPv6Address? {
    guard case .v6(let from, let to, let mask) = prefixes,
      address.high & mask.high == from.high, address.low & mask.low == from.low
    else { return nil }
    return IPv6Address(
      high: to.high | (address.high & ~mask.high), low: to.low | (address.low & ~mask.low))
  }

  private static func splitPrefix(_ side: Substring, rule: String) throws(RewriteRuleError)
    -> (Substring, Int?)
  {
    let parts = side.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2 else {
      throw RewriteRuleError(rule: rule, message: "'\(side)' has more than one '/'")
    }
    guard parts.count == 2 else { return (side, nil) }
    guard let length = Int(parts[1]), length >= 0 else {
      throw RewriteRuleError(rule: rule, message: "'\(parts[1])' is not a prefix length")
    }
    return (parts[0], length)
  }

  private static func length(_ a: Int?, _ b: Int?, maximum: Int, rule: String)
    throws(RewriteRuleError) -> Int
  {
    if let a, let b, a != b {
      throw RewriteRuleError(rule: rule, message: "prefix lengths differ (/\(a) and /\(b))")
    }
    let length = a ?? b ?? maximum
    guard length <= maximum else {
      throw RewriteRuleError(rule: rule, message: "prefix length /\(length) is above /\(maximum)")
    }
    return length
  }

  private static func mask6(_ length: Int) -> IPv6Address {
    let high: UInt64 = length == 0 ? 0 : length >= 64 ? .max : UInt64.max << (64 - length)
    let low: UInt64 = length <= 64 ? 0 : length == 128 ? .max : UInt64.max << (128 - length)
    return IPv6Address(high: high, low: low)
  }
}

/// One `--map-mac A=B` rule: the Ethernet address `A` becomes `B` (source, destination,
/// and the hardware addresses of ARP).
public struct MACMapping: Sendable, Hashable, CustomStringConvertible {
  /// The address replaced.
  public let from: MACAddress
  /// The address put in its place.
  public let to: MACAddress

  /// Parses `aa:bb:cc:dd:ee:ff=02:00:00:00:00:01`.
  ///
  /// - Throws: ``RewriteRuleError`` when there is no `=` or a side is not a MAC address.
  public init(parsing text: String) throws(RewriteRuleError) {
    let sides = text.split(separator: "=", omittingEmptySubsequences: false)
    guard sides.count == 2 else {
      throw RewriteRuleError(
        rule: text, message: "expected FROM=TO, e.g. 02:00:00:00:00:01=02:00:00:00:00:02")
    }
    guard let from = MACAddress(sides[0]) else {
      throw RewriteRuleError(rule: text, message: "'\(sides[0])' is not a MAC address")
    }
    guard let to = MACAddress(sides[1]) else {
      throw RewriteRuleError(rule: text, message: "'\(sides[1])' is not a MAC address")
    }
    self.from = from
    self.to = to
  }

  /// Creates a rule from two addresses.
  public init(from: MACAddress, to: MACAddress) {
    self.from = from
    self.to = to
  }

  /// The mapping as `--map-mac` takes it, `FROM=TO`.
  public var description: String { "\(from)=\(to)" }
}

/// A `--map-ip` or `--map-mac` rule that cannot be parsed; ``description`` is one line.
public struct RewriteRuleError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The rule as given.
  public var rule: String
  /// What is wrong with it.
  public var message: String

  /// An error about the mapping `rule`, as given.
  public init(rule: String, message: String) {
    self.rule = rule
    self.message = message
  }

  /// The rule and what is wrong with it, for stderr.
  public var description: String { "bad mapping '\(rule)': \(message)" }
}
