/// An IPv6 address (RFC 4291) with RFC 5952 text.
///
/// Text: lower-case hex, leading zeros dropped, the longest run of two or more zero
/// groups (the first such run on a tie) shown as `::`, and IPv4-mapped addresses as
/// `::ffff:192.0.2.1`.
public struct IPv6Address: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The first 64 bits, first octet most significant.
  public var high: UInt64
  /// The last 64 bits.
  public var low: UInt64

  /// The address from its two 64-bit halves, the first bytes in `high`'s high bits.
  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// Reads an address from sixteen bytes at `offset` (the caller checks the length).
  @inlinable
  public init(_ bytes: Span<UInt8>, at offset: Int) {
    high = bytes.be64(at: offset)
    low = bytes.be64(at: offset + 8)
  }

  /// The unspecified address `::`.
  public static let unspecified = IPv6Address(high: 0, low: 0)

  /// The eight 16-bit groups.
  @inlinable
  public func group(_ index: Int) -> UInt16 {
    let half = index < 4 ? high : low
    // A masking shift: the amount is 0, 16, 32 or 48.
    return UInt16(truncatingIfNeeded: half &>> UInt64(truncatingIfNeeded: 48 &- 16 &* (index & 3)))
  }

  /// The sixteen octets, first on the wire first.
  public var octets: [UInt8] {
    (0..<16).map { i in
      let half = i < 8 ? high : low
      return UInt8(truncatingIfNeeded: half >> UInt64(56 - 8 * (i & 7)))
    }
  }

  /// Whether this is an IPv4-mapped address (`::ffff:0:0/96`).
  public var isIPv4Mapped: Bool { high == 0 && low >> 32 == 0xFFFF }

  /// Parses RFC 4291 text (with `::`, and a trailing dotted quad).
  public init?(_ text: some StringProtocol) {
    let string = String(text)
    guard !string.isEmpty, string.utf8.count <= 45 else { return nil }
    var groups: [UInt16] = []
    var tail: [UInt16] = []
    var sawDoubleColon = false
    let halves = string.components(separatedByDoubleColon: ())
    guard halves.count <= 2 else { return nil }
    func parse(_ part: Substring, allowIPv4: Bool) -> [UInt16]? {
      if part.isEmpty { return [] }
      let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
      var result: [UInt16] = []
      for (index, piece) in pieces.enumerated() {
        if allowIPv4 && index == pieces.count - 1 && piece.contains(".") {
          guard let v4 = IPv4Address(piece) else { return nil }
          result.append(UInt16(v4.rawValue >> 16))
          result.append(UInt16(v4.rawValue & 0xFFFF))
        } else {
          guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else {
            return nil
          }
          result.append(value)
        }
      }
      return result
    }
    if halves.count == 2 {
      sawDoubleColon = true
      guard let head = parse(halves[0], allowIPv4: false),
        let rest = parse(halves[1], allowIPv4: true)
      else { return nil }
      groups = head
      tail = rest
      guard groups.count + tail.count <= 7 else { return nil }
    } else {
      guard let all = parse(halves[0], allowIPv4: true) else { return nil }
      groups = all
    }
    if sawDoubleColon {
      groups += Array(repeating: 0, count: 8 - groups.count - tail.count) + tail
    }
    guard groups.count == 8 else { return nil }
    var high: UInt64 = 0
    var low: UInt64 = 0
    for index in 0..<4 { high = high << 16 | UInt64(groups[index]) }
    for index in 4..<8 { low = low << 16 | UInt64(groups[index]) }
    self.high = high
    self.low = low
  }

  /// Appends the sixteen octets to `writer`.
  public func encode(into writer: inout ByteWriter) {
    writer.writeBE64(high)
    writer.writeBE64(low)
  }

  /// Appends the RFC 5952 text.
  public func write(to out: inout TextBuffer) {
    if isIPv4Mapped {
      out.append("::ffff:")
      IPv4Address(rawValue: UInt32(truncatingIfNeeded: low)).write(to: &out)
      return
    }
    // Longest run of zero groups of length >= 2; the first one on a tie.
    var bestStart = -1
    var bestLength = 1
    var runStart = -1
    for index in 0..<8 {
      if group(index) == 0 {
        if runStart < 0 { runStart = index }
        if index &- runStart &+ 1 > bestLength {
          bestLength = index &- runStart &+ 1
          bestStart = runStart
        }
      } else {
        runStart = -1
      }
    }
    // At most 39 bytes: one reservation for the whole address.
    out.reserve(39)
    var index = 0
    while index < 8 {
      if index == bestStart {
        out.append(byte: UInt8(ascii: ":"))
        out.append(byte: UInt8(ascii: ":"))
        index &+= bestLength
        continue
      }
      if index > 0 && index != bestStart &+ bestLength {
        out.append(byte: UInt8(ascii: ":"))
      }
      out.appendReservedHexGroup(group(index))
      index &+= 1
    }
  }

  /// RFC 5952 text: lower case, the longest run of zero groups as `::`.
  public var description: String {
    var out = TextBuffer(capacity: 39)
    write(to: &out)
    return out.string
  }

  /// Orders addresses as 128-bit numbers.
  public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool {
    (lhs.high, lhs.low) < (rhs.high, rhs.low)
  }
}

extension String {
  /// Splits at the first `::` (at most two parts; more than one `::` gives three).
  fileprivate func components(separatedByDoubleColon _: ()) -> [Substring] {
    var parts: [Substring] = []
    var start = startIndex
    var index = startIndex
    while index < endIndex {
      let next = self.index(after: index)
      if self[index] == ":" && next < endIndex && self[next] == ":" {
        parts.append(self[start..<index])
        index = self.index(after: next)
        start = index
      } else {
        index = next
      }
    }
    parts.append(self[start..<endIndex])
    return parts
  }
}
