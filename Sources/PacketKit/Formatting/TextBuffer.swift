/// A reusable ASCII output buffer for the formatters.
///
/// Formatters append bytes here instead of building `String`s, so printing a packet
/// allocates nothing once the buffer has grown to its working size. The CLI writes
/// `bytes` to the output stream in large chunks and calls `clear()`.
public struct TextBuffer: Sendable {
  /// The text written so far, as UTF-8 bytes.
  public var bytes: [UInt8]

  /// Creates an empty buffer with room for `capacity` bytes.
  public init(capacity: Int = 1 << 16) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  /// The number of bytes written.
  @inlinable public var count: Int { bytes.count }

  /// Forgets the text, keeping the storage.
  @inlinable public mutating func clear() { bytes.removeAll(keepingCapacity: true) }

  /// The text as a `String` (for tests and small outputs).
  public var string: String { String(decoding: bytes, as: UTF8.self) }

  /// Appends one ASCII byte.
  @inlinable public mutating func append(byte: UInt8) { bytes.append(byte) }

  /// Appends a string's UTF-8 bytes. Static strings take a fast path.
  @inlinable public mutating func append(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// Appends a string's UTF-8 bytes.
  @inlinable public mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  /// Appends an unsigned integer in decimal.
  @inlinable public mutating func append<T: UnsignedInteger & FixedWidthInteger>(decimal value: T) {
    appendDecimal(UInt64(value))
  }

  /// Appends a signed integer in decimal.
  @inlinable public mutating func append(decimal value: Int) {
    if value < 0 {
      bytes.append(UInt8(ascii: "-"))
      appendDecimal(value.magnitude.asUInt64)
    } else {
      appendDecimal(UInt64(value))
    }
  }

  @inlinable mutating func appendDecimal(_ value: UInt64) {
    if value < 10 {
      bytes.append(0x30 &+ UInt8(value))
      return
    }
    var digits:
      (
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var rest = value
    withUnsafeMutableBytes(of: &digits) { raw in
      while rest > 0 {
        raw[count] = 0x30 &+ UInt8(rest % 10)
        rest /= 10
        count &+= 1
      }
      var index = count
      while index > 0 {
        index &-= 1
        bytes.append(raw[index])
      }
    }
  }

  /// Appends an unsigned integer in decimal, left-padded with zeros to `width` digits.
  @inlinable public mutating func append<T: UnsignedInteger & FixedWidthInteger>(
    decimal value: T, width: Int
  ) {
    var digits = 1
    var limit: UInt64 = 10
    let wide = UInt64(value)
    while digits < 20 && wide >= limit {
      digits &+= 1
      limit = limit &* 10
    }
    if digits < width {
      for _ in digits..<width { bytes.append(0x30) }
    }
    appendDecimal(wide)
  }

  @usableFromInline static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends a byte as two lower-case hex digits.
  @inlinable public mutating func append(hexByte value: UInt8) {
    bytes.append(Self.hexDigits[Int(value >> 4)])
    bytes.append(Self.hexDigits[Int(value & 0xF)])
  }

  /// Appends an integer in lower-case hex without leading zeros (`0` for zero).
  @inlinable public mutating func append<T: UnsignedInteger & FixedWidthInteger>(hex value: T) {
    let wide = UInt64(value)
    var shift = 60
    while shift > 0 && (wide >> UInt64(shift)) & 0xF == 0 { shift -= 4 }
    while shift >= 0 {
      bytes.append(Self.hexDigits[Int((wide >> UInt64(shift)) & 0xF)])
      shift -= 4
    }
  }

  /// Appends an integer in lower-case hex, zero-padded to `width` digits.
  @inlinable public mutating func append<T: UnsignedInteger & FixedWidthInteger>(
    hex value: T, width: Int
  ) {
    let wide = UInt64(value)
    var shift = (width - 1) * 4
    while shift >= 0 {
      bytes.append(Self.hexDigits[Int((wide >> UInt64(shift)) & 0xF)])
      shift -= 4
    }
  }

  /// Appends bytes as contiguous lower-case hex.
  @inlinable public mutating func append(hexBytes data: Span<UInt8>) {
    for index in 0..<data.count { append(hexByte: data[index]) }
  }
}

extension UInt {
  @usableFromInline var asUInt64: UInt64 { UInt64(self) }
}
