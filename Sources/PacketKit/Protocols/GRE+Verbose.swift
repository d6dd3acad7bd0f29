// GRE in tcpdump's -v text (print-gre.c): the flags by name.

extension OneLineFormatter {
  /// `, Flags [checksum present, key present]` (`[none]` when no flag is set).
  static func writeGREFlags(_ flags: UInt16, to out: inout TextBuffer) {
    out.append(", Flags [")
    var first = true
    for bit in 0..<6 {
      let mask: UInt16 = bit < 5 ? 0x8000 >> UInt16(bit) : 0x0080
      guard flags & mask != 0 else { continue }
      if !first { out.append(", ") }
      first = false
      switch bit {
      case 0: out.append("checksum present")
      case 1: out.append("routing present")
      case 2: out.append("key present")
      case 3: out.append("sequence# present")
      case 4: out.append("source routing present")
      default: out.append("ack present")
      }
    }
    if first { out.append("none") }
    out.append(byte: 0x5D)
  }
}
