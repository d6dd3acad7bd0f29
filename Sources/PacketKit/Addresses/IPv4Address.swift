/// An IPv4 address (RFC 791), dotted-quad text.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The address as a 32-bit integer, first octet most significant.
  public var rawValue: UInt32

  /// The address as a 32-bit number, the first octet in the high byte.
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// Creates an address from four octets.
  public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
    rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
  }

  /// Reads an address from four bytes at `offset` (the caller checks the length).
  @inlinable @inline(__always)
  public init(_ bytes: Span<UInt8>, at offset: Int) { rawValue = bytes.be32(at: offset) }

  /// Parses dotted-quad text: four decimal octets, no leading `+`, at most three digits each.
  public init?(_ text: some StringProtocol) {
    var value: UInt32 = 0
    var octets = 0
    var current: UInt32 = 0
    var digits = 0
    for byte in text.utf8 {
      if byte == UInt8(ascii: ".") {
        guard digits > 0, octets < 3 else { return nil }
        value = value << 8 | current
        octets += 1
        current = 0
        digits = 0
      } else if byte >= 0x30 && byte <= 0x39 {
        current = current * 10 + UInt32(byte - 0x30)
        digits += 1
        guard digits <= 3, current <= 255 else { return nil }
      } else {
        return nil
      }
    }
    guard digits > 0, octets == 3 else { return nil }
    rawValue = value << 8 | current
  }

  /// 0.0.0.0.
  public static let any = IPv4Address(rawValue: 0)

  /// Appends the four octets to `writer`.
  public func encode(into writer: inout ByteWriter) { writer.writeBE32(rawValue) }

  /// Appends the dotted-quad text.
  @inlinable
  public func write(to out: inout TextBuffer) {
    out.append(dottedQuad: rawValue)
  }

  /// Dotted-quad text, `192.0.2.1`.
  public var description: String {
    var out = TextBuffer(capacity: 15)
    write(to: &out)
    return out.string
  }

  /// Orders addresses as numbers.
  public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.rawValue < rhs.rawValue }
}
