// Every multi-byte read from wire bytes goes through this file (STYLE.md §2).
// Reads are bounds-checked (multi-byte reads once for the whole integer, then one unaligned
// load); callers check lengths first so that a short buffer is reported as truncation
// rather than trapping.

extension Span where Element == UInt8 {
  /// The byte at `offset`.
  @inlinable @inline(__always)
  package func u8(at offset: Int) -> UInt8 { self[offset] }

  /// The big-endian 16-bit integer at `offset`.
  @inlinable @inline(__always)
  package func be16(at offset: Int) -> UInt16 {
    UInt16(bigEndian: loadUnaligned(at: offset, as: UInt16.self))
  }

  /// The integer whose bytes start at `offset`, in the machine's byte order: one bounds
  /// check and one load (a per-byte read checks every byte).
  @inlinable @inline(__always)
  package func loadUnaligned<T: FixedWidthInteger & BitwiseCopyable>(at offset: Int, as _: T.Type)
    -> T
  {
    precondition(offset >= 0 && offset <= count &- MemoryLayout<T>.size, "Index out of bounds")
    return withUnsafeBufferPointer { buffer in
      // SAFETY: the check above puts the integer's bytes inside `buffer`, which is then not
      // empty.
      UnsafeRawPointer(buffer.baseAddress!).loadUnaligned(fromByteOffset: offset, as: T.self)
    }
  }

  /// The five big-endian 32-bit words of the 20 bytes at `offset` (an IPv4 or TCP fixed
  /// header), after one bounds check for all of them.
  @inlinable @inline(__always)
  package func be32Words(fiveAt offset: Int) -> (UInt32, UInt32, UInt32, UInt32, UInt32) {
    precondition(offset >= 0 && offset <= count &- 20, "Index out of bounds")
    return withUnsafeBufferPointer { buffer in
      // SAFETY: the check above puts the 20 bytes inside `buffer`, which is then not empty.
      let base = UnsafeRawPointer(buffer.baseAddress!) + offset
      return (
        UInt32(bigEndian: base.loadUnaligned(as: UInt32.self)),
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt32.self)),
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt32.self)),
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 12, as: UInt32.self)),
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
      )
    }
  }

  /// The big-endian 32-bit integer at `offset`.
  @inlinable @inline(__always)
  package func be32(at offset: Int) -> UInt32 {
    UInt32(bigEndian: loadUnaligned(at: offset, as: UInt32.self))
  }

  /// The big-endian 64-bit integer at `offset`.
  @inlinable @inline(__always)
  package func be64(at offset: Int) -> UInt64 {
    UInt64(bigEndian: loadUnaligned(at: offset, as: UInt64.self))
  }

  /// The little-endian 16-bit integer at `offset`.
  @inlinable @inline(__always)
  package func le16(at offset: Int) -> UInt16 {
    UInt16(littleEndian: loadUnaligned(at: offset, as: UInt16.self))
  }

  /// The little-endian 32-bit integer at `offset`.
  @inlinable @inline(__always)
  package func le32(at offset: Int) -> UInt32 {
    UInt32(littleEndian: loadUnaligned(at: offset, as: UInt32.self))
  }

  /// The 32-bit integer at `offset` in the given byte order.
  @inlinable @inline(__always)
  package func u32(at offset: Int, bigEndian: Bool) -> UInt32 {
    bigEndian ? be32(at: offset) : le32(at: offset)
  }

  /// The 16-bit integer at `offset` in the given byte order.
  @inlinable @inline(__always)
  package func u16(at offset: Int, bigEndian: Bool) -> UInt16 {
    bigEndian ? be16(at: offset) : le16(at: offset)
  }
}

extension Span where Element == UInt8 {
  /// The one's-complement sum of the big-endian 16-bit words of `range` (an odd last byte
  /// is the high byte of a final word), not folded: the Internet checksum's inner loop.
  @inlinable
  package func onesComplementSum(_ range: Range<Int>) -> UInt64 {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "range out of bounds")
    return withUnsafeBufferPointer { buffer in
      // SAFETY: `range` was checked against `count` above, so every load below reads
      // inside `buffer`; loads are unaligned, 8 bytes at a time while 8 remain.
      let base = UnsafeRawPointer(buffer.baseAddress!) + range.lowerBound
      let length = range.count
      var sum: UInt64 = 0
      var carry: UInt64 = 0
      var offset = 0
      while offset &+ 8 <= length {
        // Native (little-endian) words: the byte-swapped sum is swapped back at the end.
        let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        let (partial, overflow) = sum.addingReportingOverflow(word)
        sum = partial
        carry &+= overflow ? 1 : 0
        offset &+= 8
      }
      // Fold the 64-bit little-endian sum to 16 bits, then swap to big-endian words.
      var folded = (sum & 0xFFFF_FFFF) &+ (sum >> 32) &+ carry
      folded = (folded & 0xFFFF) &+ ((folded >> 16) & 0xFFFF) &+ (folded >> 32)
      folded = (folded & 0xFFFF) &+ (folded >> 16)
      folded = (folded & 0xFFFF) &+ (folded >> 16)
      var total = UInt64(UInt16(truncatingIfNeeded: folded).byteSwapped)
      while offset &+ 2 <= length {
        total &+=
          UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &<< 8
          | UInt64(base.load(fromByteOffset: offset &+ 1, as: UInt8.self))
        offset &+= 2
      }
      if offset < length {
        total &+= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &<< 8
      }
      return total
    }
  }
}
