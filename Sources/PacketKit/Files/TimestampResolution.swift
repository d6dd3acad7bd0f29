/// A pcapng `if_tsresol` value and the conversion of timestamps in its units.
///
/// Bit 7 clear: units of 10^-n seconds; bit 7 set: units of 2^-n seconds, n = low 7 bits
/// (draft-ietf-opsawg-pcapng §4.2). The default, without the option, is 6 (microseconds).
struct TimestampResolution: Sendable, Hashable {
  /// The raw option byte.
  var code: UInt8

  static let microseconds = TimestampResolution(code: 6)
  static let nanoseconds = TimestampResolution(code: 9)

  /// Whether units are finer than a microsecond.
  var isFinerThanMicroseconds: Bool {
    code & 0x80 == 0 ? code > 6 : (code & 0x7F) > 19
  }

  private static let powersOfTen: [UInt64] = (0...19).map { exponent in
    var value: UInt64 = 1
    for _ in 0..<exponent { value &*= 10 }
    return value
  }

  /// Converts `units` of this resolution since the epoch, plus `offsetSeconds`
  /// (`if_tsoffset`), to an exact timestamp (truncated below one nanosecond).
  @inline(__always)
  func timestamp(units: UInt64, offsetSeconds: Int64) -> Timestamp {
    let seconds: UInt64
    let nanoseconds: UInt64
    switch code {
    case 6:
      seconds = units / 1_000_000
      nanoseconds = (units % 1_000_000) &* 1_000
    case 9:
      seconds = units / 1_000_000_000
      nanoseconds = units % 1_000_000_000
    default:
      (seconds, nanoseconds) = slowSplit(units)
    }
    return Timestamp(
      seconds: Int64(truncatingIfNeeded: seconds) &+ offsetSeconds,
      checkedNanoseconds: UInt32(truncatingIfNeeded: nanoseconds))
  }

  private func slowSplit(_ units: UInt64) -> (UInt64, UInt64) {
    let exponent = Int(code & 0x7F)
    if code & 0x80 == 0 {
      if exponent <= 9 {
        let perSecond = Self.powersOfTen[exponent]
        return (units / perSecond, (units % perSecond) &* Self.powersOfTen[9 - exponent])
      }
      if exponent <= 19 {
        let perSecond = Self.powersOfTen[exponent]
        return (units / perSecond, (units % perSecond) / Self.powersOfTen[exponent - 9])
      }
      // 10^20 and beyond: fewer than 10^20 units is always under one second.
      let divisor = exponent - 9 <= 19 ? Self.powersOfTen[exponent - 9] : 0
      return (0, divisor == 0 ? 0 : units / divisor)
    }
    // Binary fractions: seconds = units >> n, nanoseconds = fraction * 10^9 >> n.
    if exponent == 0 { return (units, 0) }
    let seconds = exponent < 64 ? units >> exponent : 0
    let fraction = exponent < 64 ? units & ((1 << exponent) - 1) : units
    let product = fraction.multipliedFullWidth(by: 1_000_000_000)
    let nanoseconds: UInt64
    if exponent < 64 {
      nanoseconds = product.high << (64 - exponent) | product.low >> exponent
    } else if exponent < 128 {
      nanoseconds = product.high >> (exponent - 64)
    } else {
      nanoseconds = 0
    }
    return (seconds, nanoseconds)
  }
}
