/// An absolute UNIX time, exact to the nanosecond.
///
/// `seconds` counts from 1970-01-01T00:00:00Z; `nanoseconds` is always below 1 000 000 000.
/// Ordered by time. ``description`` is the contract's `frame.time` text:
/// seconds, a dot and nine digits (`1700000000.000001000`).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Whole seconds since the UNIX epoch.
  public var seconds: Int64
  /// Nanoseconds within the second, 0 ..< 1 000 000 000.
  public var nanoseconds: UInt32

  /// Creates a timestamp; `nanoseconds` must be below 1 000 000 000.
  public init(seconds: Int64, nanoseconds: UInt32 = 0) {
    precondition(nanoseconds < 1_000_000_000, "nanoseconds out of range")
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  /// Creates a timestamp whose `nanoseconds` the caller has already checked.
  @inline(__always)
  init(seconds: Int64, checkedNanoseconds nanoseconds: UInt32) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  /// Parses seconds since the epoch, with a fraction of one to nine digits or none:
  /// `1700000000`, `1700000000.5`, `1700000000.000001000` (the contract's `frame.time`).
  /// Returns nil for negative seconds or any other text.
  public init?(parsing text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let seconds = Int64(parts[0]), seconds >= 0 else { return nil }
    guard parts.count == 2 else {
      self.init(seconds: seconds)
      return
    }
    let fraction = parts[1]
    guard !fraction.isEmpty, fraction.count <= 9, fraction.allSatisfy(\.isASCII),
      var nanoseconds = UInt32(fraction)
    else { return nil }
    for _ in fraction.count..<9 { nanoseconds *= 10 }
    self.init(seconds: seconds, nanoseconds: nanoseconds)
  }

  /// `self - earlier`, in nanoseconds (saturating).
  public func nanoseconds(since earlier: Timestamp) -> Int64 {
    let seconds = seconds.subtractingReportingOverflow(earlier.seconds)
    let (scaled, overflow) = seconds.partialValue.multipliedReportingOverflow(by: 1_000_000_000)
    if seconds.overflow || overflow { return seconds.partialValue < 0 ? .min : .max }
    return scaled &+ Int64(nanoseconds) &- Int64(earlier.nanoseconds)
  }

  /// Nanoseconds since the Unix epoch (saturating).
  public var nanosecondsSinceEpoch: Int64 { nanoseconds(since: Timestamp(seconds: 0)) }

  /// Orders timestamps in time.
  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
    (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
  }

  /// Seconds and nine digits of nanoseconds, `1700000000.000001000`.
  public var description: String {
    let fraction = String(nanoseconds)
    return "\(seconds)." + String(repeating: "0", count: 9 - fraction.count) + fraction
  }
}
