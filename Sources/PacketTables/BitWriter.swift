/// Packs values of a few bits each, least significant bit first, as Parquet's bit-packed runs
/// and miniblocks lay them out: eight bytes go out at a time.
struct BitWriter {
  private var accumulator: UInt64 = 0
  private var bits = 0

  /// Appends the low `width` bits of `value` (`value` must be below `1 << width`; `width` at
  /// most 64).
  @inline(__always) mutating func write(_ value: UInt64, width: Int, into out: inout ByteBuffer) {
    accumulator |= value &<< UInt64(bits)
    let total = bits &+ width
    if total >= 64 {
      out.appendLittleEndian(accumulator, byteCount: 8)
      accumulator = bits == 0 ? 0 : value &>> UInt64(64 &- bits)
      bits = total &- 64
    } else {
      bits = total
    }
  }

  /// Appends the bits still held, the last byte padded with zeros.
  @inline(__always) mutating func flush(into out: inout ByteBuffer) {
    let byteCount = (bits &+ 7) >> 3
    if byteCount > 0 { out.appendLittleEndian(accumulator, byteCount: byteCount) }
    accumulator = 0
    bits = 0
  }
}
