/// A growable run of bytes written through a raw pointer: pages, column chunks and
/// dictionaries are built here without an array's per-append bookkeeping. Noncopyable, so
/// two values never share the storage.
struct ByteBuffer: ~Copyable {
  // SAFETY: `base` points to `capacity` bytes owned by this value alone, of which the first
  // `count` are initialized; every write reserves room first.
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int
  private(set) var count = 0

  /// An empty buffer with room for `capacity` bytes.
  init(capacity: Int = 4096) {
    self.capacity = max(capacity, 64)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// The bytes written, valid until the next write.
  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  /// Makes room for `extra` more bytes.
  @inline(__always) mutating func reserve(_ extra: Int) {
    if count &+ extra > capacity { grow(to: count &+ extra) }
  }

  @inline(never) private mutating func grow(to needed: Int) {
    var newCapacity = capacity * 2
    while newCapacity < needed { newCapacity *= 2 }
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.update(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// Forgets the bytes; storage beyond `keeping` bytes is given back (a row group's
  /// chunks can be large, the next one may be small).
  mutating func removeAll(keeping: Int = 1 << 20) {
    count = 0
    if capacity > keeping {
      base.deallocate()
      capacity = max(keeping, 64)
      base = .allocate(capacity: capacity)
    }
  }

  /// Appends one byte.
  @inline(__always) mutating func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count &+= 1
  }

  /// Appends `bytes`.
  @inline(__always) mutating func append(_ bytes: UnsafeRawBufferPointer) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    reserve(bytes.count)
    UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
    count &+= bytes.count
  }

  /// Appends a 32-bit integer, little-endian.
  @inline(__always) mutating func appendLE32(_ value: UInt32) {
    reserve(4)
    UnsafeMutableRawPointer(base + count).storeBytes(
      of: value.littleEndian, toByteOffset: 0, as: UInt32.self)
    count &+= 4
  }

  /// Appends an unsigned LEB128 varint (Thrift's and the encodings' headers).
  @inline(__always) mutating func appendVarint(_ value: UInt64) {
    reserve(10)
    var rest = value
    while rest >= 0x80 {
      base[count] = UInt8(truncatingIfNeeded: rest) | 0x80
      count &+= 1
      rest >>= 7
    }
    base[count] = UInt8(truncatingIfNeeded: rest)
    count &+= 1
  }

  /// Appends a signed integer as a zigzag varint.
  @inline(__always) mutating func appendZigzag(_ value: Int64) {
    appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
  }

  /// Appends the low `byteCount` bytes of `value`, little-endian (`byteCount` at most 8).
  @inline(__always) mutating func appendLittleEndian(_ value: UInt64, byteCount: Int) {
    reserve(8)
    UnsafeMutableRawPointer(base + count).storeBytes(
      of: value.littleEndian, toByteOffset: 0, as: UInt64.self)
    count &+= byteCount
  }

  /// Lets `body` write up to `maximum` bytes at the end, then keeps the count it returns.
  @inline(__always) mutating func appendDirectly(
    maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int
  ) {
    reserve(maximum)
    count &+= body(base + count)
  }
}

extension ByteBuffer {
  /// Overwrites the four bytes at `offset` (already written) with `value`, little-endian.
  mutating func setLE32(_ value: UInt32, at offset: Int) {
    precondition(offset >= 0 && offset + 4 <= count, "setLE32 past the bytes written")
    UnsafeMutableRawPointer(base + offset).storeBytes(
      of: value.littleEndian, toByteOffset: 0, as: UInt32.self)
  }
}
