/// Parquet's DELTA_BINARY_PACKED encoding of 64-bit integers: the first value, then blocks of
/// 128 differences between neighbours, each block as its smallest difference and four
/// miniblocks of 32 bit-packed excesses over it. Timestamps and packet numbers, which grow by
/// small steps, shrink to a few bits a value before compression.
enum DeltaBinaryPackedEncoder {
  static let blockValues = 128
  static let miniblocks = 4
  static let miniblockValues = 32

  /// Encodes `values`, appending to `out`.
  static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout ByteBuffer) {
    out.appendVarint(UInt64(blockValues))
    out.appendVarint(UInt64(miniblocks))
    out.appendVarint(UInt64(values.count))
    out.appendZigzag(values.first ?? 0)
    guard values.count > 1 else { return }
    // The differences are taken with wrapping arithmetic, as readers undo them.
    var position = 1  // the value whose difference from the one before comes next
    while position < values.count {
      let blockEnd = min(position &+ blockValues, values.count)
      var minimum = Int64.max
      var index = position
      while index < blockEnd {
        let delta = values[index] &- values[index &- 1]
        if delta < minimum { minimum = delta }
        index &+= 1
      }
      out.appendZigzag(minimum)
      // Each miniblock's width: the bits of its largest excess over the block's minimum.
      var widthOf = InlineArray<4, Int>(repeating: 0)
      for miniblock in 0..<miniblocks {
        let start = position &+ miniblock &* miniblockValues
        let end = min(start &+ miniblockValues, blockEnd)
        var bits: UInt64 = 0
        var index = start
        while index < end {
          bits |= UInt64(bitPattern: values[index] &- values[index &- 1] &- minimum)
          index &+= 1
        }
        widthOf[miniblock] = 64 &- bits.leadingZeroBitCount
      }
      // Unused miniblocks of the last block still have a width byte (zero).
      for miniblock in 0..<miniblocks { out.append(UInt8(widthOf[miniblock])) }
      for miniblock in 0..<miniblocks {
        let start = position &+ miniblock &* miniblockValues
        guard start < blockEnd else { break }
        let width = widthOf[miniblock]
        guard width > 0 else { continue }
        // A miniblock is always 32 values long; the last one is padded with zeros.
        var packer = BitWriter()
        var index = start
        let end = min(start &+ miniblockValues, blockEnd)
        while index < end {
          let value = UInt64(bitPattern: values[index] &- values[index &- 1] &- minimum)
          packer.write(value, width: width, into: &out)
          index &+= 1
        }
        while index < start &+ miniblockValues {
          packer.write(0, width: width, into: &out)
          index &+= 1
        }
        packer.flush(into: &out)
      }
      position = blockEnd
    }
  }
}
