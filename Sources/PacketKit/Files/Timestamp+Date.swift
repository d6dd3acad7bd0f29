// Conversion to and from Foundation's `Date`, kept in this file so that nothing on a
// per-packet path touches Foundation.
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Timestamp {
  /// Seconds from the UNIX epoch to `Date`'s reference date, 2001-01-01T00:00:00Z.
  static let secondsFromEpochToReferenceDate: Int64 = 978_307_200

  /// The timestamp of `date`, rounded to the microsecond: a `Date` is a `Double` of seconds
  /// since 2001, which holds about a tenth of a microsecond today, so microseconds are what
  /// survives a round trip (`Timestamp(t.date) == t` for a microsecond `t`).
  public init(_ date: Date) {
    let interval = date.timeIntervalSinceReferenceDate
    let whole = interval.rounded(.down)
    let microseconds = ((interval - whole) * 1_000_000).rounded()
    self.init(seconds: Int64(whole) + Self.secondsFromEpochToReferenceDate)
    self += .microseconds(Int64(microseconds))
  }

  /// The timestamp as a `Date` (exact to about a tenth of a microsecond today).
  public var date: Date {
    Date(
      timeIntervalSinceReferenceDate: Double(seconds - Self.secondsFromEpochToReferenceDate)
        + Double(nanoseconds) / 1_000_000_000)
  }
}
