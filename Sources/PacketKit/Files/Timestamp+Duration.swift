// Timestamp arithmetic with the standard library's `Duration`: `record.timestamp + .seconds(1)`,
// `later - earlier`. Durations finer than a nanosecond are truncated toward zero.

extension Timestamp {
  /// The time `duration` after `timestamp` (before it for a negative duration).
  public static func + (timestamp: Timestamp, duration: Duration) -> Timestamp {
    let (seconds, attoseconds) = duration.components
    var total = timestamp.seconds + seconds
    var nanoseconds = Int64(timestamp.nanoseconds) + attoseconds / 1_000_000_000
    if nanoseconds < 0 {
      nanoseconds += 1_000_000_000
      total -= 1
    } else if nanoseconds >= 1_000_000_000 {
      nanoseconds -= 1_000_000_000
      total += 1
    }
    return Timestamp(seconds: total, checkedNanoseconds: UInt32(nanoseconds))
  }

  /// The time `duration` before `timestamp`.
  public static func - (timestamp: Timestamp, duration: Duration) -> Timestamp {
    timestamp + (.zero - duration)
  }

  /// Moves `timestamp` by `duration`.
  public static func += (timestamp: inout Timestamp, duration: Duration) {
    timestamp = timestamp + duration
  }

  /// Moves `timestamp` back by `duration`.
  public static func -= (timestamp: inout Timestamp, duration: Duration) {
    timestamp = timestamp - duration
  }

  /// The time from `earlier` to `later`, exact to the nanosecond (negative when `later`
  /// is earlier).
  public static func - (later: Timestamp, earlier: Timestamp) -> Duration {
    Duration(
      secondsComponent: later.seconds - earlier.seconds,
      attosecondsComponent: (Int64(later.nanoseconds) - Int64(earlier.nanoseconds))
        * 1_000_000_000)
  }
}
