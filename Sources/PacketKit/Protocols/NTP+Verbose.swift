// NTP in tcpdump's -v text (print-ntp.c and ntp.c, 4.99): the leap indicator, then the time
// message's fields and timestamps, or a control message's header, on lines of their own.

extension OneLineFormatter {
  /// What `-v` adds after `, length N`: `\n\tLeap indicator: ...`, then the fields of a time
  /// message (modes 0 to 5) or of a control message (mode 6); ` [|ntp]` where the capture
  /// ends, ` (invalid)` for a message shorter than its fixed fields.
  func ntpVerbose(
    _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ message: NTPMessage, length: Int,
    to out: inout TextBuffer
  ) {
    let start = layer.range.lowerBound
    let limit = min(layer.range.upperBound, bytes.count)
    out.append("\n\tLeap indicator: ")
    let leap = message.flags & 0xC0
    switch leap {
    case 0x40: out.append("+1s")
    case 0x80: out.append("-1s")
    case 0xC0: out.append("clock unsynchronized")
    default: break
    }
    out.append(" (")
    out.append(decimal: leap)
    out.append(byte: 0x29)
    switch message.mode {
    case 0...5: ntpTime(bytes, start: start, limit: limit, length: length, to: &out)
    case 6: ntpControl(bytes, start: start, limit: limit, length: length, to: &out)
    default: break
    }
  }

  /// tcpdump's `ntp_time_print`.
  private func ntpTime(
    _ bytes: Span<UInt8>, start: Int, limit: Int, length: Int, to out: inout TextBuffer
  ) {
    func has(_ end: Int) -> Bool { start + end <= limit }
    guard length >= NTPMessage.headerLength else {
      return ntpInvalid(start: start, limit: limit, length: length, to: &out)
    }
    guard has(2) else { return out.append(" [|ntp]") }
    let stratum = bytes[start + 1]
    out.append(", Stratum ")
    out.append(decimal: stratum)
    switch stratum {
    case 0: out.append(" (unspecified)")
    case 1: out.append(" (primary reference)")
    case 2...15: out.append(" (secondary reference)")
    default: out.append(" (reserved)")
    }
    guard has(3) else { return out.append(" [|ntp]") }
    let poll = Int8(bitPattern: bytes[start + 2])
    out.append(", poll ")
    out.append(decimal: Int(poll))
    if poll > -32 && poll < 32 {
      if poll >= 0 {
        out.append(" (")
        out.append(decimal: UInt32(1) << UInt32(poll))
        out.append("s)")
      } else {
        out.append(" (1/")
        out.append(decimal: UInt32(1) << UInt32(-Int(poll)))
        out.append("s)")
      }
    }
    guard has(4) else { return out.append(" [|ntp]") }
    out.append(", precision ")
    out.append(decimal: Int(Int8(bitPattern: bytes[start + 3])))
    guard has(8) else { return out.append(" [|ntp]") }
    out.append("\n\tRoot Delay: ")
    Self.writeShortFixed(bytes, at: start + 4, to: &out)
    guard has(12) else { return out.append(" [|ntp]") }
    out.append(", Root dispersion: ")
    Self.writeShortFixed(bytes, at: start + 8, to: &out)
    guard has(16) else { return out.append(" [|ntp]") }
    out.append(", Reference-ID: ")
    switch stratum {
    case 0:
      out.append("(unspec)")
    case 1:
      for index in 0..<4 { Self.writeCharacter(bytes[start + 12 + index], to: &out) }
    case 62, 63:
      IPv4Address(bytes, at: start + 12).write(to: &out)
      return out.append(stratum == 62 ? " INFO_QUERY" : " INFO_REPLY")
    default:
      out.append("0x")
      out.append(hex: bytes.be32(at: start + 12), width: 8)
    }
    for index in 0..<4 {
      guard has(24 + 8 * index) else { return out.append(" [|ntp]") }
      switch index {
      case 0: out.append("\n\t  Reference Timestamp:  ")
      case 1: out.append("\n\t  Originator Timestamp: ")
      case 2: out.append("\n\t  Receive Timestamp:    ")
      default: out.append("\n\t  Transmit Timestamp:   ")
      }
      writeNTPTime(bytes, at: start + 16 + 8 * index, to: &out)
    }
    out.append("\n\t    Originator - Receive Timestamp:  ")
    writeNTPDelta(bytes, from: start + 24, to: start + 32, to: &out)
    out.append("\n\t    Originator - Transmit Timestamp: ")
    writeNTPDelta(bytes, from: start + 24, to: start + 40, to: &out)
    let extra = length - NTPMessage.headerLength
    guard extra > 0 else { return }
    if extra == 4 || extra == 20 || extra == 24 {
      guard has(52) else { return out.append(" [|ntp]") }
      out.append("\n\tKey id: ")
      out.append(decimal: bytes.be32(at: start + 48))
      guard extra > 4 else { return }
      guard has(48 + extra) else { return out.append(" [|ntp]") }
      out.append("\n\tAuthentication: ")
      var word = 52
      while word < 48 + extra {
        out.append(hex: bytes.be32(at: start + word), width: 8)
        word += 4
      }
    } else {
      out.append("\n\t(")
      out.append(decimal: extra)
      out.append(" more bytes after the header)")
    }
  }

  /// tcpdump's `ntp_control_print`.
  private func ntpControl(
    _ bytes: Span<UInt8>, start: Int, limit: Int, length: Int, to out: inout TextBuffer
  ) {
    func has(_ end: Int) -> Bool { start + end <= limit }
    let headerLength = 12
    guard length >= headerLength else {
      return ntpInvalid(start: start, limit: limit, length: length, to: &out)
    }
    guard has(2) else { return out.append(" [|ntp]") }
    let control = bytes[start + 1]
    out.append(control & 0x80 != 0 ? ", Response" : ", Request")
    out.append(control & 0x40 != 0 ? ", Error" : ", OK")
    out.append(control & 0x20 != 0 ? ", More" : ", Last")
    out.append(", OpCode=")
    out.append(decimal: control & 0x1F)
    out.append(byte: 0x0A)
    guard has(4) else { return out.append(" [|ntp]") }
    out.append("\tSequence=")
    out.append(decimal: bytes.be16(at: start + 2))
    guard has(6) else { return out.append(" [|ntp]") }
    let status = bytes.be16(at: start + 4)
    out.append(", Status=")
    if status == 0 {
      out.append(byte: 0x30)
    } else {
      out.append("0x")
      out.append(hex: status)
    }
    guard has(8) else { return out.append(" [|ntp]") }
    out.append(", Assoc.=")
    out.append(decimal: bytes.be16(at: start + 6))
    guard has(10) else { return out.append(" [|ntp]") }
    out.append(", Offset=")
    out.append(decimal: bytes.be16(at: start + 8))
    guard has(12) else { return out.append(" [|ntp]") }
    let count = Int(bytes.be16(at: start + 10))
    out.append(", Count=")
    out.append(decimal: count)
    guard headerLength + count <= length else {
      return ntpInvalid(start: start, limit: limit, length: length, to: &out)
    }
    guard count > 0 else { return }
    guard has(headerLength + count) else { return out.append(" [|ntp]") }
    out.append("\n\tTO-BE-DONE: data not interpreted")
  }

  /// tcpdump's `nd_print_invalid` followed by a check that the message was captured whole.
  private func ntpInvalid(start: Int, limit: Int, length: Int, to out: inout TextBuffer) {
    out.append(" (invalid)")
    if start + length > limit { out.append(" [|ntp]") }
  }

  /// tcpdump's `p_sfix`: a 16.16 fixed-point value as `%d.%06d` (the fraction in millionths,
  /// cut).
  static func writeShortFixed(_ bytes: Span<UInt8>, at offset: Int, to out: inout TextBuffer) {
    out.append(decimal: bytes.be16(at: offset))
    out.append(byte: 0x2E)
    let fraction = Double(bytes.be16(at: offset + 2)) / 65536.0
    out.append(decimal: UInt32(fraction * 1_000_000.0), width: 6)
  }

  /// An NTP fraction (a 32-bit binary fraction of a second) in billionths, cut, as tcpdump
  /// computes it (in double precision).
  static func ntpNanoseconds(_ fraction: UInt32) -> UInt32 {
    UInt32(Double(fraction) / 4_294_967_296.0 * 1_000_000_000.0)
  }

  /// tcpdump's `p_ntp_time`: `3913056000.500000000 (2024-01-01T00:00:00Z)`, the date left out
  /// for a zero seconds field.
  func writeNTPTime(_ bytes: Span<UInt8>, at offset: Int, to out: inout TextBuffer) {
    let seconds = bytes.be32(at: offset)
    out.append(decimal: seconds)
    out.append(byte: 0x2E)
    out.append(decimal: Self.ntpNanoseconds(bytes.be32(at: offset + 4)), width: 9)
    guard seconds != 0 else { return }
    let unix = Int64(seconds) - 2_208_988_800
    out.append(" (")
    writeDate(days: floorDivide(unix, 86_400), to: &out)
    let second = secondOfDay(unix)
    out.append(byte: 0x54)
    out.append(decimal: UInt(second / 3600), width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: UInt(second % 3600 / 60), width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: UInt(second % 60), width: 2)
    out.append("Z)")
  }

  /// tcpdump's `p_ntp_delta`: the time at `later` minus the time at `earlier`, signed
  /// (`+0.082076609`); the later time itself when the earlier one is zero.
  func writeNTPDelta(
    _ bytes: Span<UInt8>, from earlier: Int, to later: Int, to out: inout TextBuffer
  ) {
    let oldSeconds = bytes.be32(at: earlier)
    let oldFraction = bytes.be32(at: earlier + 4)
    guard oldSeconds != 0 || oldFraction != 0 else {
      return writeNTPTime(bytes, at: later, to: &out)
    }
    let newSeconds = bytes.be32(at: later)
    let newFraction = bytes.be32(at: later + 4)
    var negative: Bool
    var seconds: UInt32
    var fraction: UInt32
    if newSeconds > oldSeconds {
      negative = false
      seconds = newSeconds - oldSeconds
      fraction = newFraction &- oldFraction
      if oldFraction > newFraction { seconds -= 1 }
    } else if newSeconds < oldSeconds {
      negative = true
      seconds = oldSeconds - newSeconds
      fraction = oldFraction &- newFraction
      if newFraction > oldFraction { seconds -= 1 }
    } else {
      seconds = 0
      negative = newFraction <= oldFraction
      fraction = negative ? oldFraction - newFraction : newFraction - oldFraction
    }
    out.append(byte: negative ? 0x2D : 0x2B)
    out.append(decimal: seconds)
    out.append(byte: 0x2E)
    out.append(decimal: Self.ntpNanoseconds(fraction), width: 9)
  }
}
