/// Parquet's RLE / bit-packing hybrid encoding of small integers (definition levels and
/// dictionary indices), a group of 8 values at a time: a group of 8 equal values starts a
/// repeated-value run (as long as the value repeats), other groups go out bit-packed.
enum RLEHybridEncoder {
  /// Encodes `values`, each below `1 << bitWidth`, appending to `out`.
  static func encode(
    _ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout ByteBuffer
  ) {
    let count = values.count
    let valueBytes = (bitWidth &+ 7) >> 3
    var index = 0
    var packedStart = 0  // the pending bit-packed groups run from here to `index`
    while index &+ 8 <= count {
      let value = values[index]
      var differences: UInt32 = 0
      for offset in 1..<8 { differences |= values[index &+ offset] ^ value }
      guard differences == 0 else {
        index &+= 8
        continue
      }
      var end = index &+ 8
      while end < count && values[end] == value { end &+= 1 }
      pack(values, packedStart..<index, bitWidth: bitWidth, into: &out)
      out.appendVarint(UInt64(end &- index) << 1)
      out.appendLittleEndian(UInt64(value), byteCount: valueBytes)
      index = end
      packedStart = end
    }
    // Bit-packed groups are padded only at the end of the whole encoding.
    pack(values, packedStart..<count, bitWidth: bitWidth, into: &out)
  }

  /// Bit-packed groups of `values[range]`, the last padded with zeros to 8 values.
  @inline(__always) private static func pack(
    _ values: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, bitWidth: Int,
    into out: inout ByteBuffer
  ) {
    guard !range.isEmpty else { return }
    let groups = (range.count &+ 7) >> 3
    out.appendVarint(UInt64(groups) << 1 | 1)
    var position = range.lowerBound
    if bitWidth <= 8 {
      // A group of 8 values of up to 8 bits is one 64-bit word.
      let width = UInt64(bitWidth)
      while position &+ 8 <= range.upperBound {
        var word = UInt64(values[position])
        word |= UInt64(values[position &+ 1]) &<< width
        word |= UInt64(values[position &+ 2]) &<< (width &* 2)
        word |= UInt64(values[position &+ 3]) &<< (width &* 3)
        word |= UInt64(values[position &+ 4]) &<< (width &* 4)
        word |= UInt64(values[position &+ 5]) &<< (width &* 5)
        word |= UInt64(values[position &+ 6]) &<< (width &* 6)
        word |= UInt64(values[position &+ 7]) &<< (width &* 7)
        out.appendLittleEndian(word, byteCount: bitWidth)
        position &+= 8
      }
    }
    // Whole groups end on a byte, so the rest packs on from there.
    var packer = BitWriter()
    let padded = range.lowerBound &+ groups &* 8
    while position < range.upperBound {
      packer.write(UInt64(values[position]), width: bitWidth, into: &out)
      position &+= 1
    }
    while position < padded {
      packer.write(0, width: bitWidth, into: &out)
      position &+= 1
    }
    packer.flush(into: &out)
  }

  /// Encodes definition levels (each 0 or 1, bit width 1), appending to `out`: eight levels
  /// are compared, and packed into a byte, at a time.
  static func encodeLevels(_ levels: UnsafeBufferPointer<UInt8>, into out: inout ByteBuffer) {
    guard let base = levels.baseAddress else { return }
    let count = levels.count
    let ones: UInt64 = 0x0101_0101_0101_0101
    var index = 0
    var packedStart = 0
    while index &+ 8 <= count {
      let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      guard word == 0 || word == ones else {
        index &+= 8
        continue
      }
      var end = index &+ 8
      while end &+ 8 <= count && UnsafeRawPointer(base + end).loadUnaligned(as: UInt64.self) == word
      {
        end &+= 8
      }
      let level = UInt8(truncatingIfNeeded: word)
      while end < count && base[end] == level { end &+= 1 }
      packLevels(base, packedStart..<index, into: &out)
      out.appendVarint(UInt64(end &- index) << 1)
      out.append(level)
      index = end
      packedStart = end
    }
    packLevels(base, packedStart..<count, into: &out)
  }

  /// Bit-packed groups of levels, eight to a byte (the first level in the lowest bit).
  @inline(__always) private static func packLevels(
    _ base: UnsafePointer<UInt8>, _ range: Range<Int>, into out: inout ByteBuffer
  ) {
    guard !range.isEmpty else { return }
    let groups = (range.count &+ 7) >> 3
    out.appendVarint(UInt64(groups) << 1 | 1)
    out.reserve(groups)
    var position = range.lowerBound
    while position &+ 8 <= range.upperBound {
      // Each byte's bit 0 moves to bit 56 + its index: the product's top byte packs them.
      let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
      out.append(UInt8(truncatingIfNeeded: (word &* 0x0102_0408_1020_4080) >> 56))
      position &+= 8
    }
    if position < range.upperBound {
      var byte: UInt8 = 0
      var bit: UInt8 = 0
      while position < range.upperBound {
        byte |= base[position] << bit
        bit &+= 1
        position &+= 1
      }
      out.append(byte)
    }
  }

  /// The bits needed for values up to `maximum`.
  static func bitWidth(for maximum: UInt32) -> Int {
    maximum == 0 ? 0 : 32 - maximum.leadingZeroBitCount
  }
}
