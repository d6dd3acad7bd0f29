// Scans of wire bytes for the first byte of a kind, eight bytes at a time: a word's arithmetic
// tells whether any of its bytes is one, and only the word that holds one is read byte by byte
// (HTTP's request targets and header lines, which run to hundreds of bytes).

extension Span where Element == UInt8 {
  /// The offset of the first line feed (0x0A) at or after `start` and before `end`, or `end`
  /// when there is none; `start` and `end` must lie within the span.
  @inlinable
  package func firstLineFeed(from start: Int, to end: Int) -> Int {
    scan(from: start, to: end, wordHasStop: { ByteWord.hasByte($0, 0x0A) }, isStop: { $0 == 0x0A })
  }

  /// The offset of the first space, control byte or DEL (0x00-0x20, 0x7F) at or after `start`
  /// and before `end`, or `end` when there is none; `start` and `end` must lie within the span.
  @inlinable
  package func firstSpaceOrControl(from start: Int, to end: Int) -> Int {
    scan(
      from: start, to: end,
      wordHasStop: { ByteWord.hasByteBelow($0, 0x21) || ByteWord.hasByte($0, 0x7F) },
      isStop: { $0 <= 0x20 || $0 == 0x7F })
  }

  /// The first offset in `start..<end` whose byte `isStop`, or `end`; `wordHasStop` tells
  /// whether any of eight bytes (read as a little-endian word) is one, exactly.
  @inlinable @inline(__always)
  func scan(
    from start: Int, to end: Int, wordHasStop: (UInt64) -> Bool, isStop: (UInt8) -> Bool
  ) -> Int {
    precondition(start >= 0 && start <= end && end <= count, "Index out of bounds")
    return withUnsafeBufferPointer { buffer in
      // SAFETY: `start..<end` lies within `buffer` (checked above); a word is read only when
      // its eight bytes are below `end`, and then the buffer is not empty.
      var at = start
      while end &- at >= 8 {
        let word = UInt64(
          littleEndian: UnsafeRawPointer(buffer.baseAddress! + at).loadUnaligned(as: UInt64.self))
        if wordHasStop(word) { break }
        at &+= 8
      }
      while at < end, !isStop(buffer[at]) { at &+= 1 }
      return at
    }
  }
}

/// Tests on the eight bytes of a word at once (the classic bit tricks: a byte's borrow shows
/// in its top bit). Each is exact as a whole: true when, and only when, some byte qualifies.
@usableFromInline
enum ByteWord {
  /// 0x01 in every byte.
  @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
  /// 0x80 in every byte.
  @usableFromInline static let highBits: UInt64 = 0x8080_8080_8080_8080

  /// Whether a byte of `word` is below `limit` (at most 0x80).
  @inlinable @inline(__always)
  static func hasByteBelow(_ word: UInt64, _ limit: UInt8) -> Bool {
    (word &- ones &* UInt64(limit)) & ~word & highBits != 0
  }

  /// Whether a byte of `word` equals `byte`.
  @inlinable @inline(__always)
  static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
    hasByteBelow(word ^ ones &* UInt64(byte), 1)
  }
}
