/// Parquet's RLE / bit-packing hybrid encoding of small integers (definition levels and
/// dictionary indices): a run of 8 or more equal values becomes one repeated-value run, the
/// rest goes out in bit-packed groups of 8.
enum RLEHybridEncoder {
  /// Encodes `values`, each below `1 << bitWidth`, appending to `out`.
  static func encode(
    _ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]
  ) {
    var index = 0
    var packedStart = -1  // the first value of the pending bit-packed groups
    func flushPacked(upTo end: Int) {
      guard packedStart >= 0 else { return }
      let groups = (end - packedStart + 7) / 8
      appendVarint(UInt64(groups) << 1 | 1, &out)
      var accumulator: UInt64 = 0
      var bits = 0
      for position in packedStart..<(packedStart + groups * 8) {
        let value = position < end ? UInt64(values[position]) : 0
        accumulator |= value << bits
        bits += bitWidth
        while bits >= 8 {
          out.append(UInt8(truncatingIfNeeded: accumulator))
          accumulator >>= 8
          bits -= 8
        }
      }
      if bits > 0 { out.append(UInt8(truncatingIfNeeded: accumulator)) }
      packedStart = -1
    }
    while index < values.count {
      var runEnd = index + 1
      while runEnd < values.count && values[runEnd] == values[index] { runEnd += 1 }
      let run = runEnd - index
      // A repeated run pays when it is long, and must start on a group boundary of the
      // pending bit-packed values (groups hold exactly 8 values, except the last).
      let pending = packedStart >= 0 ? index - packedStart : 0
      if run >= 8 && pending % 8 == 0 {
        flushPacked(upTo: index)
        appendVarint(UInt64(run) << 1, &out)
        var value = values[index]
        for _ in 0..<((bitWidth + 7) / 8) {
          out.append(UInt8(truncatingIfNeeded: value))
          value >>= 8
        }
        index = runEnd
      } else if run >= 8 {
        // Fill the current group with values of this run, then go on with the rest of it.
        if packedStart < 0 { packedStart = index }
        index += 8 - pending % 8
      } else {
        if packedStart < 0 { packedStart = index }
        index = runEnd
      }
    }
    // Bit-packed groups are padded only at the end of the whole encoding.
    flushPacked(upTo: values.count)
  }

  /// The bits needed for values up to `maximum`.
  static func bitWidth(for maximum: UInt32) -> Int {
    maximum == 0 ? 0 : 32 - maximum.leadingZeroBitCount
  }

  static func appendVarint(_ value: UInt64, _ out: inout [UInt8]) {
    var rest = value
    while rest >= 0x80 {
      out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    out.append(UInt8(rest))
  }
}
