// Conversion to and from Foundation's `Date`, kept in this file so that nothing on a
// per-packet path touches Foundation.
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Timestamp {
  /// The timestamp of `date`, to the nanosecond `Date`'s `Double` holds (about a
  /// microsecond today): whole seconds, then the fraction rounded to nanoseconds.
  public init(_ date: Date) {
    let interval = date.timeIntervalSince1970
    let whole = interval.rounded(.down)
    let fraction = ((interval - whole) * 1_000_000_000).rounded()
    self.init(seconds: Int64(whole), nanoseconds: UInt32(min(fraction, 999_999_999)))
  }

  /// The timestamp as a `Date` (a `Double` of seconds: exact to about a microsecond today).
  public var date: Date {
    Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000)
  }
}
