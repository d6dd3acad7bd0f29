/// An append-only byte buffer for encoding headers and files.
///
/// `write*` appends and advances; `set*` overwrites bytes already written (used to
/// patch lengths and checksums after the bytes they cover exist).
public struct ByteWriter: Sendable {
  /// The bytes written so far.
  public var bytes: [UInt8]

  /// Creates an empty writer with room for `capacity` bytes.
  public init(capacity: Int = 0) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  /// The number of bytes written.
  public var count: Int { bytes.count }

  /// Forgets the bytes written, keeping the storage.
  public mutating func clear() { bytes.removeAll(keepingCapacity: true) }

  /// Appends one byte.
  public mutating func writeU8(_ value: UInt8) { bytes.append(value) }

  /// Appends a 16-bit value, most significant byte first (network order).
  public mutating func writeBE16(_ value: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    bytes.append(UInt8(truncatingIfNeeded: value))
  }

  /// Appends a 32-bit value, most significant byte first (network order).
  public mutating func writeBE32(_ value: UInt32) {
    writeBE16(UInt16(truncatingIfNeeded: value >> 16))
    writeBE16(UInt16(truncatingIfNeeded: value))
  }

  /// Appends a 64-bit value, most significant byte first (network order).
  public mutating func writeBE64(_ value: UInt64) {
    writeBE32(UInt32(truncatingIfNeeded: value >> 32))
    writeBE32(UInt32(truncatingIfNeeded: value))
  }

  /// Appends a 16-bit value, least significant byte first.
  public mutating func writeLE16(_ value: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: value))
    bytes.append(UInt8(truncatingIfNeeded: value >> 8))
  }

  /// Appends a 32-bit value, least significant byte first.
  public mutating func writeLE32(_ value: UInt32) {
    writeLE16(UInt16(truncatingIfNeeded: value))
    writeLE16(UInt16(truncatingIfNeeded: value >> 16))
  }

  /// Appends a 64-bit value, least significant byte first.
  public mutating func writeLE64(_ value: UInt64) {
    writeLE32(UInt32(truncatingIfNeeded: value))
    writeLE32(UInt32(truncatingIfNeeded: value >> 32))
  }

  /// Appends a sequence of bytes.
  public mutating func write<S: Sequence>(contentsOf data: S) where S.Element == UInt8 {
    bytes.append(contentsOf: data)
  }

  /// Appends `count` zero bytes.
  public mutating func writeZeros(_ count: Int) {
    bytes.append(contentsOf: repeatElement(0, count: count))
  }

  /// Overwrites the big-endian 16-bit integer at `offset`.
  public mutating func setBE16(_ value: UInt16, at offset: Int) {
    bytes[offset] = UInt8(truncatingIfNeeded: value >> 8)
    bytes[offset + 1] = UInt8(truncatingIfNeeded: value)
  }

  /// Overwrites the big-endian 32-bit integer at `offset`.
  public mutating func setBE32(_ value: UInt32, at offset: Int) {
    setBE16(UInt16(truncatingIfNeeded: value >> 16), at: offset)
    setBE16(UInt16(truncatingIfNeeded: value), at: offset + 2)
  }
}
