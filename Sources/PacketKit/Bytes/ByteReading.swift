// Every multi-byte read from wire bytes goes through this file (STYLE.md §2).
// Reads are bounds-checked by Span's subscript; callers check lengths first so that a
// short buffer is reported as truncation rather than trapping.

extension Span where Element == UInt8 {
  /// The byte at `offset`.
  @inlinable @inline(__always)
  package func u8(at offset: Int) -> UInt8 { self[offset] }

  /// The big-endian 16-bit integer at `offset`.
  @inlinable @inline(__always)
  package func be16(at offset: Int) -> UInt16 {
    UInt16(self[offset]) &<< 8 | UInt16(self[offset &+ 1])
  }

  /// The big-endian 32-bit integer at `offset`.
  @inlinable @inline(__always)
  package func be32(at offset: Int) -> UInt32 {
    UInt32(self[offset]) &<< 24 | UInt32(self[offset &+ 1]) &<< 16
      | UInt32(self[offset &+ 2]) &<< 8 | UInt32(self[offset &+ 3])
  }

  /// The big-endian 64-bit integer at `offset`.
  @inlinable @inline(__always)
  package func be64(at offset: Int) -> UInt64 {
    UInt64(be32(at: offset)) &<< 32 | UInt64(be32(at: offset &+ 4))
  }

  /// The little-endian 16-bit integer at `offset`.
  @inlinable @inline(__always)
  package func le16(at offset: Int) -> UInt16 {
    UInt16(self[offset]) | UInt16(self[offset &+ 1]) &<< 8
  }

  /// The little-endian 32-bit integer at `offset`.
  @inlinable @inline(__always)
  package func le32(at offset: Int) -> UInt32 {
    UInt32(self[offset]) | UInt32(self[offset &+ 1]) &<< 8
      | UInt32(self[offset &+ 2]) &<< 16 | UInt32(self[offset &+ 3]) &<< 24
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
