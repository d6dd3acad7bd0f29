/// How far behind their deadlines packets left: a fixed histogram (100 ns steps up to
/// 100 µs, 10 µs steps up to 10 ms, 10 ms steps up to 10 s, then one overflow bucket),
/// allocated once, so recording a lag allocates nothing.
public struct LagHistogram: Sendable {
  private var counts: [UInt64]
  /// Lags recorded.
  public private(set) var count: UInt64 = 0
  /// The largest lag recorded, in nanoseconds.
  public private(set) var maximum: UInt64 = 0

  private static let fine = 1000  // 100 ns steps below 100 µs
  private static let medium = 990  // 10 µs steps below 10 ms
  private static let coarse = 999  // 10 ms steps below 10 s

  /// An empty histogram.
  public init() {
    counts = [UInt64](repeating: 0, count: Self.fine + Self.medium + Self.coarse + 1)
  }

  /// Records one lag, in nanoseconds.
  public mutating func record(_ lag: UInt64) {
    counts[Self.bucket(lag)] &+= 1
    count &+= 1
    if lag > maximum { maximum = lag }
  }

  /// The lag below which `fraction` (0...1) of the recorded lags lie, in nanoseconds (the
  /// middle of its bucket; the maximum for the last bucket); 0 when none was recorded.
  public func percentile(_ fraction: Double) -> UInt64 {
    guard count > 0 else { return 0 }
    let rank = max(1, UInt64((Double(count) * fraction).rounded(.up)))
    var seen: UInt64 = 0
    for (bucket, number) in counts.enumerated() {
      seen += number
      if seen >= rank { return min(maximum, Self.middle(of: bucket)) }
    }
    return maximum
  }

  static func bucket(_ lag: UInt64) -> Int {
    if lag < 100_000 { return Int(lag / 100) }
    if lag < 10_000_000 { return fine + Int((lag - 100_000) / 10_000) }
    if lag < 10_000_000_000 { return fine + medium + Int((lag - 10_000_000) / 10_000_000) }
    return fine + medium + coarse
  }

  static func middle(of bucket: Int) -> UInt64 {
    if bucket < fine { return UInt64(bucket) * 100 + 50 }
    if bucket < fine + medium { return 100_000 + UInt64(bucket - fine) * 10_000 + 5_000 }
    if bucket < fine + medium + coarse {
      return 10_000_000 + UInt64(bucket - fine - medium) * 10_000_000 + 5_000_000
    }
    return .max
  }
}
