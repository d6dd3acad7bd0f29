/// Numbers as the live commands print them in their summaries.
enum NumberText {
  /// At most one decimal, none when it is zero: `12`, `12.5`.
  static func oneDecimal(_ value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)
  }

  /// Nanoseconds as milliseconds with three decimals, rounded to the microsecond: `0.123`.
  static func milliseconds(_ nanoseconds: UInt64) -> String {
    let microseconds = (nanoseconds + 500) / 1000
    let fraction = String(microseconds % 1000)
    return "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
  }
}
