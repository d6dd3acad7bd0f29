import Glibc

/// Paces a send loop on absolute deadlines: the n-th wait returns at `start + n × interval`
/// on CLOCK_MONOTONIC, so time spent sending does not add up as drift (µs accuracy,
/// limited by the scheduler's wake-up latency).
///
/// The corresponding C call is `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline)`.
public struct Pacer: Sendable {
  /// The interval between sends, in nanoseconds; 0 sends as fast as possible.
  public let interval: UInt64
  private var next: UInt64

  /// A pacer whose first deadline is now.
  public init(intervalNanoseconds: UInt64) {
    interval = intervalNanoseconds
    next = system_monotonicNanoseconds()
  }

  /// Sleeps until the next deadline, then moves it one interval on.
  public mutating func wait() {
    guard interval > 0 else { return }
    if system_monotonicNanoseconds() < next { system_sleepUntil(monotonicNanoseconds: next) }
    next &+= interval
  }

  /// The current CLOCK_MONOTONIC time, in nanoseconds.
  public static func now() -> UInt64 { system_monotonicNanoseconds() }

  /// The packets per second of a rate: `10kpps`, `1.5mpps`, `500pps` or a plain number;
  /// nil when the text is not one or the rate is not positive.
  public static func rate(_ text: String) -> Double? {
    var number = text.lowercased()
    if number.hasSuffix("pps") { number.removeLast(3) }
    var scale = 1.0
    if number.hasSuffix("k") {
      scale = 1e3
      number.removeLast()
    } else if number.hasSuffix("m") {
      scale = 1e6
      number.removeLast()
    }
    guard let value = Double(number), value > 0, value.isFinite else { return nil }
    return value * scale
  }

  /// The interval for a rate (`rate(_:)`'s forms); nil when the text is not one.
  public static func interval(rate text: String) -> UInt64? {
    rate(text).map { UInt64(max(1, (1e9 / $0).rounded())) }
  }

  /// The nanoseconds of a duration: `100ns`, `250us` (or `µs`), `10ms`, `1.5s`, `2m` (or
  /// `2min`), `1h`, or plain seconds (`600`, `0.5`); nil when the text is not one.
  ///
  /// The one duration syntax of every command: `send --duration/--interval`, `probe
  /// --interval/--timeout`, `trace --interval/--timeout`, `replay --duration/--stats-interval
  /// /--spin`.
  public static func interval(duration text: String) -> UInt64? {
    var number = text.lowercased()
    var scale = 1e9
    let units: [(String, Double)] = [
      ("ns", 1.0), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("min", 60e9), ("s", 1e9), ("m", 60e9),
      ("h", 3600e9),
    ]
    for (suffix, value) in units {
      if number.hasSuffix(suffix) {
        number.removeLast(suffix.count)
        scale = value
        break
      }
    }
    guard let value = Double(number), value >= 0, value.isFinite, value * scale < 1.8e19 else {
      return nil
    }
    return UInt64((value * scale).rounded())
  }
}
