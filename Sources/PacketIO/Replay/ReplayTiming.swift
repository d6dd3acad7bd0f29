/// When `Replayer` sends each packet: every packet has an absolute deadline, counted in
/// nanoseconds from the start of the run, so time spent sending never adds up as drift.
public enum ReplayTiming: Sendable, Hashable {
  /// The recorded gaps between timestamps, divided by the multiplier (2 replays twice as
  /// fast). Each file (and each loop) starts one mean gap after the previous one ended.
  case recorded(multiplier: Double)
  /// A fixed packet rate: packet n leaves at n / rate seconds.
  case packetsPerSecond(Double)
  /// A fixed bit rate over the bytes sent: a packet leaves once the packets before it have
  /// taken their share of the rate.
  case megabitsPerSecond(Double)
  /// As fast as the interface takes them, in batches (no schedule).
  case topSpeed
}

/// The deadlines of a replay, in nanoseconds from its start, computed in 64-bit integer
/// arithmetic (128-bit intermediates) from the packet's index, the bytes before it or its
/// recorded timestamp: no error accumulates however long the run.
struct ReplaySchedule {
  let timing: ReplayTiming
  /// Packets scheduled so far.
  private var index: UInt64 = 0
  /// Bits of the packets scheduled so far.
  private var bits: UInt64 = 0
  /// packetsPerSecond: the rate in thousandths of a packet per second.
  private let milliPacketsPerSecond: UInt64
  /// megabitsPerSecond: the rate in bits per second.
  private let bitsPerSecond: UInt64
  // recorded: the schedule time of the current source's first record, its recorded
  // timestamp, and the last deadline handed out.
  private var sourceStart: UInt64 = 0
  private var sourceFirst: Int64? = nil
  private var sourceCount: UInt64 = 0
  private var last: UInt64 = 0

  init(timing: ReplayTiming) {
    self.timing = timing
    switch timing {
    case .packetsPerSecond(let rate):
      milliPacketsPerSecond = UInt64(max(1, (rate * 1000).rounded()))
      bitsPerSecond = 1
    case .megabitsPerSecond(let rate):
      milliPacketsPerSecond = 1
      bitsPerSecond = UInt64(max(1, (rate * 1e6).rounded()))
    default:
      milliPacketsPerSecond = 1
      bitsPerSecond = 1
    }
  }

  /// The deadline of the next packet, recorded at `timestamp` (nanoseconds since the
  /// epoch) with `length` bytes.
  mutating func next(timestamp: Int64, length: Int) -> UInt64 {
    defer {
      index &+= 1
      bits &+= UInt64(length) &* 8
    }
    switch timing {
    case .topSpeed:
      return 0
    case .packetsPerSecond:
      return Self.scale(index, by: 1_000_000_000_000, over: milliPacketsPerSecond)
    case .megabitsPerSecond:
      return Self.scale(bits, by: 1_000_000_000, over: bitsPerSecond)
    case .recorded(let multiplier):
      guard let first = sourceFirst else {
        sourceFirst = timestamp
        sourceCount = 1
        last = sourceStart
        return sourceStart
      }
      sourceCount += 1
      let elapsed = UInt64(max(0, timestamp &- first))
      let scaled =
        multiplier == 1
        ? elapsed : UInt64(min(Double(UInt64.max / 2), Double(elapsed) / multiplier))
      // A timestamp going back in time sends at once, never before the previous packet.
      last = max(last, sourceStart &+ scaled)
      return last
    }
  }

  /// The current source (file, or one loop over it) ended: the next starts one mean gap
  /// after its last packet.
  mutating func endSource() {
    guard case .recorded = timing, sourceFirst != nil else { return }
    let gap = sourceCount > 1 ? (last - sourceStart) / (sourceCount - 1) : 0
    sourceStart = last &+ gap
    sourceFirst = nil
    sourceCount = 0
  }

  /// `value × numerator / denominator` with a 128-bit intermediate product.
  static func scale(_ value: UInt64, by numerator: UInt64, over denominator: UInt64) -> UInt64 {
    let product = value.multipliedFullWidth(by: numerator)
    guard product.high < denominator else { return .max }
    return denominator.dividingFullWidth(product).quotient
  }
}
