/// The Internet checksum (RFC 1071) as an accumulator.
///
/// Pseudo-header, header and payload are added one after the other without being
/// concatenated; an odd-length piece carries its last byte over to the next piece, so
/// pieces may be split anywhere. "Valid" means the sum over bytes that include the stored
/// checksum folds to `0xFFFF`.
public struct InternetChecksum: Sendable, Hashable {
  @usableFromInline var sum: UInt64 = 0
  @usableFromInline var pendingHighByte: UInt8? = nil

  /// An empty sum: add bytes, then read the checksum.
  public init() {}

  /// Adds bytes to the sum.
  @inlinable
  public mutating func add(_ bytes: Span<UInt8>) {
    var index = 0
    let count = bytes.count
    if let high = pendingHighByte, count > 0 {
      sum &+= UInt64(high) << 8 | UInt64(bytes[0])
      pendingHighByte = nil
      index = 1
    }
    var local: UInt64 = 0
    if count &- index >= 2 {
      let even = index &+ ((count &- index) & ~1)
      local = bytes.onesComplementSum(index..<even)
      index = even
    }
    sum &+= local
    if index < count { pendingHighByte = bytes[index] }
  }

  /// Adds bytes held in an array.
  public mutating func add(_ bytes: [UInt8]) { add(bytes.span) }

  /// Adds a 16-bit word (which must start on an even offset of the checksummed data).
  @inlinable
  public mutating func add(word: UInt16) { sum &+= UInt64(word) }

  /// Adds a 32-bit value as two 16-bit words.
  @inlinable
  public mutating func add(word32: UInt32) {
    sum &+= UInt64(word32 >> 16) &+ UInt64(word32 & 0xFFFF)
  }

  /// Adds a 64-bit value as four 16-bit words.
  @inlinable
  public mutating func add(word64: UInt64) {
    add(word32: UInt32(truncatingIfNeeded: word64 >> 32))
    add(word32: UInt32(truncatingIfNeeded: word64))
  }

  /// Adds the IPv4 pseudo-header (RFC 793 §3.1, RFC 768).
  public mutating func addPseudoHeader(
    src: IPv4Address, dst: IPv4Address, protocol proto: UInt8, length: Int
  ) {
    add(word32: src.rawValue)
    add(word32: dst.rawValue)
    add(word: UInt16(proto))
    add(word32: UInt32(truncatingIfNeeded: length))
  }

  /// Adds the IPv6 pseudo-header (RFC 8200 §8.1).
  public mutating func addPseudoHeader(
    src: IPv6Address, dst: IPv6Address, nextHeader: UInt8, length: Int
  ) {
    add(word64: src.high)
    add(word64: src.low)
    add(word64: dst.high)
    add(word64: dst.low)
    add(word32: UInt32(truncatingIfNeeded: length))
    add(word: UInt16(nextHeader))
  }

  /// The one's-complement sum folded to 16 bits (not complemented).
  @inlinable
  public var folded: UInt16 {
    var total = sum
    if let high = pendingHighByte { total &+= UInt64(high) << 8 }
    while total > 0xFFFF { total = (total & 0xFFFF) &+ (total >> 16) }
    return UInt16(total)
  }

  /// The value to store in a checksum field: the complement of the folded sum.
  @inlinable
  public var checksum: UInt16 { ~folded }

  /// Whether the bytes added (stored checksum included) verify.
  @inlinable
  public var isValid: Bool { folded == 0xFFFF }
}
