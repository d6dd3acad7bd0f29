/// A 48-bit IEEE 802 MAC address.
///
/// Text form is lower-case, colon-separated: `aa:bb:cc:dd:ee:ff`.
public struct MACAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The address in the low 48 bits, first octet most significant.
  public var rawValue: UInt64

  /// Creates an address from its 48-bit value (higher bits are ignored).
  public init(rawValue: UInt64) { self.rawValue = rawValue & 0xFFFF_FFFF_FFFF }

  /// Creates an address from six octets.
  public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, _ e: UInt8, _ f: UInt8) {
    rawValue =
      UInt64(a) << 40 | UInt64(b) << 32 | UInt64(c) << 24 | UInt64(d) << 16
      | UInt64(e) << 8 | UInt64(f)
  }

  /// Reads an address from six bytes at `offset` (the caller checks the length).
  @inlinable @inline(__always)
  public init(_ bytes: Span<UInt8>, at offset: Int) {
    rawValue = UInt64(bytes.be16(at: offset)) << 32 | UInt64(bytes.be32(at: offset + 2))
  }

  /// Parses `aa:bb:cc:dd:ee:ff` (also `-` separators, upper-case hex).
  public init?(_ text: some StringProtocol) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    let groups =
      parts.count == 6 ? parts : text.split(separator: "-", omittingEmptySubsequences: false)
    guard groups.count == 6 else { return nil }
    var value: UInt64 = 0
    for group in groups {
      guard (1...2).contains(group.count), let octet = UInt8(group, radix: 16) else { return nil }
      value = value << 8 | UInt64(octet)
    }
    rawValue = value
  }

  /// ff:ff:ff:ff:ff:ff.
  public static let broadcast = MACAddress(rawValue: 0xFFFF_FFFF_FFFF)
  /// 00:00:00:00:00:00.
  public static let zero = MACAddress(rawValue: 0)

  /// The six octets, first on the wire first.
  public var octets: [UInt8] {
    (0..<6).map { UInt8(truncatingIfNeeded: rawValue >> UInt64(40 - 8 * $0)) }
  }

  /// Whether the group bit is set.
  public var isMulticast: Bool { rawValue & 0x0100_0000_0000 != 0 }

  /// Appends the six octets to `writer`.
  public func encode(into writer: inout ByteWriter) {
    writer.writeBE16(UInt16(truncatingIfNeeded: rawValue >> 32))
    writer.writeBE32(UInt32(truncatingIfNeeded: rawValue))
  }

  /// Appends the text form.
  @inlinable
  public func write(to out: inout TextBuffer) {
    var shift: UInt64 = 40
    while true {
      out.append(hexByte: UInt8(truncatingIfNeeded: rawValue >> shift))
      if shift == 0 { break }
      out.append(byte: UInt8(ascii: ":"))
      shift -= 8
    }
  }

  /// Lower-case, colon-separated text, `aa:bb:cc:dd:ee:ff`.
  public var description: String {
    var out = TextBuffer(capacity: 17)
    write(to: &out)
    return out.string
  }

  /// Orders addresses as 48-bit numbers.
  public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.rawValue < rhs.rawValue }
}
