/// A reusable ASCII output buffer for the formatters.
///
/// Formatters append bytes here instead of building `String`s, so printing a packet
/// allocates nothing once the buffer has grown to its working size. The storage is a raw
/// growable buffer written through directly (per-byte `Array.append` was measured to be the
/// largest cost of JSON output); the type is noncopyable, so two values never share it.
/// The CLI writes the bytes out in large chunks (`withUnsafeBytes`) and calls `clear()`.
public struct TextBuffer: ~Copyable, @unchecked Sendable {
  // SAFETY: `base` points to `capacity` bytes owned by this value alone (noncopyable), of
  // which the first `count` are initialized; every write reserves room first.
  @usableFromInline var base: UnsafeMutablePointer<UInt8>
  @usableFromInline var capacity: Int
  @usableFromInline var length: Int

  /// The number of bytes written.
  @inlinable public var count: Int { length }

  /// Creates an empty buffer with room for `capacity` bytes.
  public init(capacity: Int = 1 << 16) {
    self.capacity = max(capacity, 64)
    base = .allocate(capacity: self.capacity)
    length = 0
  }

  deinit { base.deallocate() }

  /// Makes room for `extra` more bytes.
  @inlinable @inline(__always)
  mutating func reserve(_ extra: Int) {
    if length &+ extra > capacity { grow(to: length &+ extra) }
  }

  @usableFromInline @inline(never)
  mutating func grow(to needed: Int) {
    var newCapacity = capacity * 2
    while newCapacity < needed { newCapacity *= 2 }
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.update(from: base, count: length)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// Forgets the text, keeping the storage.
  @inlinable public mutating func clear() { length = 0 }

  /// Keeps only the first `count` bytes of the text (a post-pass rewrites the rest), keeping
  /// the storage. `count` must be between 0 and ``count``.
  @inlinable public mutating func truncate(to count: Int) {
    precondition(count >= 0 && count <= length, "truncate(to:) past the end of the text")
    length = count
  }

  /// The text's bytes (a copy, for tests and small outputs).
  public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: length)) }

  /// Calls `body` with the text's bytes, valid only inside the call.
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeRawBufferPointer(start: base, count: length))
  }

  /// The text as a `String` (for tests and small outputs).
  public var string: String {
    String(decoding: UnsafeBufferPointer(start: base, count: length), as: UTF8.self)
  }

  /// Appends one ASCII byte.
  @inlinable @inline(__always)
  public mutating func append(byte: UInt8) {
    reserve(1)
    base[length] = byte
    length &+= 1
  }

  /// Appends raw bytes.
  @inlinable
  public mutating func append(contentsOf data: UnsafeBufferPointer<UInt8>) {
    guard let source = data.baseAddress, data.count > 0 else { return }
    reserve(data.count)
    (base + length).update(from: source, count: data.count)
    length &+= data.count
  }

  /// Appends the `count` bytes of `bytes` from `offset` when every one is printable ASCII
  /// (0x20 to 0x7E), else appends nothing; whether it appended. The range must be inside
  /// `bytes`.
  @inline(__always)
  mutating func appendIfPrintable(_ bytes: Span<UInt8>, from offset: Int, count: Int) -> Bool {
    reserve(count)
    let target = base + length
    var index = 0
    while index < count {
      let byte = bytes[offset &+ index]
      guard byte &- 0x20 < 0x5F else { return false }
      target[index] = byte
      index &+= 1
    }
    length &+= count
    return true
  }

  /// Appends a static string's UTF-8 bytes.
  @inlinable @inline(__always)
  public mutating func append(_ text: StaticString) {
    text.withUTF8Buffer { append(contentsOf: $0) }
  }

  /// Appends a string's UTF-8 bytes.
  ///
  /// Disfavored so that a literal (whose default type is `String`) takes the
  /// `StaticString` overload: no string value is made, copied or released per append.
  @inlinable @_disfavoredOverload
  public mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { append(contentsOf: $0) }
  }

  /// Appends an unsigned integer in decimal.
  @inlinable
  public mutating func append<T: UnsignedInteger & FixedWidthInteger>(decimal value: T) {
    appendDecimal(UInt64(value))
  }

  /// Appends a signed integer in decimal.
  @inlinable
  public mutating func append(decimal value: Int) {
    if value < 0 {
      append(byte: UInt8(ascii: "-"))
      appendDecimal(UInt64(value.magnitude))
    } else {
      appendDecimal(UInt64(value))
    }
  }

  /// The number of decimal digits of `value` (comparisons, no division).
  @inlinable @inline(__always)
  static func decimalDigits(_ value: UInt64) -> Int {
    if value < 10_000 {
      return value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : 4
    }
    if value < 100_000_000 {
      return value < 100_000 ? 5 : value < 1_000_000 ? 6 : value < 10_000_000 ? 7 : 8
    }
    var digits = 9
    var limit: UInt64 = 1_000_000_000
    while digits < 20 && value >= limit {
      digits &+= 1
      limit = limit &* 10
    }
    return digits
  }

  /// "00" to "99": two digits at a time halve the divisions.
  @usableFromInline static let digitPairs: StaticString =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

  @inlinable
  mutating func appendDecimal(_ value: UInt64) {
    if value < 10 {
      append(byte: 0x30 &+ UInt8(truncatingIfNeeded: value))
      return
    }
    if value < 10_000 {
      // Lengths, windows and most small numbers: one reservation, two pairs at most.
      reserve(4)
      let pairs = Self.digitPairs.utf8Start
      let target = base + length
      if value < 100 {
        let pair = Int(truncatingIfNeeded: value) &* 2
        target[0] = pairs[pair]
        target[1] = pairs[pair &+ 1]
        length &+= 2
        return
      }
      let high = Int(truncatingIfNeeded: value / 100)
      let low = Int(truncatingIfNeeded: value) &- high &* 100
      if high < 10 {
        target[0] = 0x30 &+ UInt8(truncatingIfNeeded: high)
        target[1] = pairs[low &* 2]
        target[2] = pairs[low &* 2 &+ 1]
        length &+= 3
      } else {
        target[0] = pairs[high &* 2]
        target[1] = pairs[high &* 2 &+ 1]
        target[2] = pairs[low &* 2]
        target[3] = pairs[low &* 2 &+ 1]
        length &+= 4
      }
      return
    }
    let digits = Self.decimalDigits(value)
    reserve(digits)
    let pairs = Self.digitPairs.utf8Start
    var rest = value
    var index = length &+ digits
    while rest >= 100 {
      let pair = Int(truncatingIfNeeded: rest % 100) &* 2
      rest /= 100
      index &-= 2
      base[index] = pairs[pair]
      base[index &+ 1] = pairs[pair &+ 1]
    }
    if rest >= 10 {
      let pair = Int(truncatingIfNeeded: rest) &* 2
      base[index &- 2] = pairs[pair]
      base[index &- 1] = pairs[pair &+ 1]
    } else {
      base[index &- 1] = 0x30 &+ UInt8(truncatingIfNeeded: rest)
    }
    length &+= digits
  }

  /// Appends an IPv4 address held as a 32-bit integer (first octet most significant) as
  /// dotted-quad text (`192.0.2.1`), with one reservation for the whole address.
  @inlinable
  public mutating func append(dottedQuad value: UInt32) {
    reserve(16)
    var cursor = base + length
    cursor = Self.writeOctet(UInt8(truncatingIfNeeded: value &>> 24), at: cursor)
    cursor.pointee = UInt8(ascii: ".")
    cursor = Self.writeOctet(UInt8(truncatingIfNeeded: value &>> 16), at: cursor + 1)
    cursor.pointee = UInt8(ascii: ".")
    cursor = Self.writeOctet(UInt8(truncatingIfNeeded: value &>> 8), at: cursor + 1)
    cursor.pointee = UInt8(ascii: ".")
    cursor = Self.writeOctet(UInt8(truncatingIfNeeded: value), at: cursor + 1)
    length = cursor - base
  }

  /// "000|001|…|255|": each octet's three digits in a 4-byte cell, and 3 bytes of padding so
  /// that a 4-byte load from any cell's last digits stays inside.
  @usableFromInline static let octetCells: StaticString = """
    000|001|002|003|004|005|006|007|008|009|010|011|012|013|014|015|016|017|018|019|020|021|022|023|\
    024|025|026|027|028|029|030|031|032|033|034|035|036|037|038|039|040|041|042|043|044|045|046|047|\
    048|049|050|051|052|053|054|055|056|057|058|059|060|061|062|063|064|065|066|067|068|069|070|071|\
    072|073|074|075|076|077|078|079|080|081|082|083|084|085|086|087|088|089|090|091|092|093|094|095|\
    096|097|098|099|100|101|102|103|104|105|106|107|108|109|110|111|112|113|114|115|116|117|118|119|\
    120|121|122|123|124|125|126|127|128|129|130|131|132|133|134|135|136|137|138|139|140|141|142|143|\
    144|145|146|147|148|149|150|151|152|153|154|155|156|157|158|159|160|161|162|163|164|165|166|167|\
    168|169|170|171|172|173|174|175|176|177|178|179|180|181|182|183|184|185|186|187|188|189|190|191|\
    192|193|194|195|196|197|198|199|200|201|202|203|204|205|206|207|208|209|210|211|212|213|214|215|\
    216|217|218|219|220|221|222|223|224|225|226|227|228|229|230|231|232|233|234|235|236|237|238|239|\
    240|241|242|243|244|245|246|247|248|249|250|251|252|253|254|255|###
    """

  /// Writes `value` in decimal at `cursor` with one 4-byte store (4 bytes must be reserved
  /// there; the bytes after the digits are left for later writes); returns the byte after
  /// the digits.
  @inlinable @inline(__always)
  static func writeOctet(_ value: UInt8, at cursor: UnsafeMutablePointer<UInt8>)
    -> UnsafeMutablePointer<UInt8>
  {
    let digits = value >= 100 ? 3 : value >= 10 ? 2 : 1
    let cell = UnsafeRawPointer(octetCells.utf8Start) + (Int(value) &* 4 &+ 3 &- digits)
    UnsafeMutableRawPointer(cursor).storeBytes(
      of: cell.loadUnaligned(as: UInt32.self), as: UInt32.self)
    return cursor + digits
  }

  /// Appends a 16-bit group in lower-case hex without leading zeros; the caller has
  /// reserved 4 bytes.
  @inline(__always)
  mutating func appendReservedHexGroup(_ value: UInt16) {
    let digits = value >= 0x1000 ? 4 : value >= 0x100 ? 3 : value >= 0x10 ? 2 : 1
    let table = Self.hexDigits.utf8Start
    let target = base + length
    var shift = UInt16(truncatingIfNeeded: digits &* 4)
    for index in 0..<digits {
      shift &-= 4
      target[index] = table[Int(truncatingIfNeeded: (value &>> shift) & 0xF)]
    }
    length &+= digits
  }

  /// The lower-case hex digits.
  static let hexDigits: StaticString = "0123456789abcdef"

  /// The 8 bytes written at `offset` (before `count`), as one word, to append again later
  /// with `append(word:)`.
  @inline(__always)
  func word(at offset: Int) -> UInt64 {
    UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
  }

  /// Appends the 8 bytes of a word taken with `word(at:)`.
  @inline(__always)
  mutating func append(word: UInt64) {
    reserve(8)
    UnsafeMutableRawPointer(base + length).storeBytes(of: word, as: UInt64.self)
    length &+= 8
  }

  /// Appends `,"name":` (the comma only when `comma`), for JSON keys that need no escaping.
  @inlinable @inline(__always)
  public mutating func append(jsonKey name: StaticString, comma: Bool) {
    let size = name.utf8CodeUnitCount
    reserve(size &+ 4)
    var cursor = base + length
    if comma {
      cursor.pointee = UInt8(ascii: ",")
      cursor += 1
    }
    cursor.pointee = UInt8(ascii: "\"")
    cursor += 1
    // Keys are short: a byte loop beats a call to memmove.
    let source = name.utf8Start
    for index in 0..<size { cursor[index] = source[index] }
    cursor += size
    cursor[0] = UInt8(ascii: "\"")
    cursor[1] = UInt8(ascii: ":")
    length = cursor + 2 - base
  }

  /// Appends `value`, which is below 10^`count`, as exactly `count` decimal digits
  /// (zero-padded), two digits at a time and without counting them first.
  @inlinable @inline(__always)
  mutating func appendDigits(_ value: UInt64, count: Int) {
    reserve(count)
    let pairs = Self.digitPairs.utf8Start
    var rest = value
    var index = length &+ count
    while index &- length >= 2 {
      let pair = Int(truncatingIfNeeded: rest % 100) &* 2
      rest /= 100
      index &-= 2
      base[index] = pairs[pair]
      base[index &+ 1] = pairs[pair &+ 1]
    }
    if index > length { base[length] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10) }
    length &+= count
  }

  /// Appends an unsigned integer in decimal, left-padded with zeros to `width` digits.
  @inlinable
  public mutating func append<T: UnsignedInteger & FixedWidthInteger>(decimal value: T, width: Int)
  {
    let wide = UInt64(value)
    let digits = Self.decimalDigits(wide)
    if digits < width {
      for _ in digits..<width { append(byte: 0x30) }
    }
    appendDecimal(wide)
  }

  /// The lower-case hex digit for a nibble.
  @inlinable @inline(__always)
  static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble }

  /// Appends a byte as two lower-case hex digits.
  @inlinable @inline(__always)
  public mutating func append(hexByte value: UInt8) {
    reserve(2)
    base[length] = Self.hexDigit(value >> 4)
    base[length &+ 1] = Self.hexDigit(value & 0xF)
    length &+= 2
  }

  /// Appends an integer in lower-case hex without leading zeros (`0` for zero).
  @inlinable
  public mutating func append<T: UnsignedInteger & FixedWidthInteger>(hex value: T) {
    let wide = UInt64(value)
    var shift = 60
    while shift > 0 && (wide >> UInt64(shift)) & 0xF == 0 { shift -= 4 }
    while shift >= 0 {
      append(byte: Self.hexDigit(UInt8(truncatingIfNeeded: (wide >> UInt64(shift)) & 0xF)))
      shift -= 4
    }
  }

  /// Appends an integer in lower-case hex, zero-padded to `width` digits.
  @inlinable
  public mutating func append<T: UnsignedInteger & FixedWidthInteger>(hex value: T, width: Int) {
    let wide = UInt64(value)
    var shift = (width - 1) * 4
    while shift >= 0 {
      append(byte: Self.hexDigit(UInt8(truncatingIfNeeded: (wide >> UInt64(shift)) & 0xF)))
      shift -= 4
    }
  }

  /// Appends bytes as contiguous lower-case hex.
  @inlinable
  public mutating func append(hexBytes data: Span<UInt8>) {
    reserve(data.count * 2)
    for index in 0..<data.count {
      let value = data[index]
      base[length] = Self.hexDigit(value >> 4)
      base[length &+ 1] = Self.hexDigit(value & 0xF)
      length &+= 2
    }
  }
}
