import PacketKit

/// What a replay did: what it sent and skipped, how long it took, how late packets left
/// and why it stopped early, if it did.
public struct ReplayReport: Sendable {
  /// Packets sent.
  public var packets: Int = 0
  /// Bytes sent (link-layer frames, as handed to the interface).
  public var bytes: Int = 0
  /// Records longer than the interface MTU (their network-layer part), skipped.
  public var skippedTooLong: Int = 0
  /// Records captured shorter than their wire length, skipped.
  public var skippedTruncated: Int = 0
  /// Records of a link type other than Ethernet, or shorter than an Ethernet header, skipped.
  public var skippedUnsendable: Int = 0
  /// Packets the kernel refused (other than a full queue, which is waited out).
  public var failed: Int = 0
  /// The last refusal.
  public var lastSendError: SystemError? = nil
  /// The file error that ended the run after every good record before it was sent:
  /// the file's path and the error.
  public var fileError: (path: String, error: CaptureFileError)? = nil
  /// Nanoseconds from the first deadline to the end of the run.
  public var elapsedNanoseconds: UInt64 = 0
  /// How late packets left their deadlines (paced timings only; empty at top speed).
  public var lag = LagHistogram()
  /// Whether paced sending ran under SCHED_FIFO at some point (``ReplayOptions/realTimePriority``
  /// given and allowed).
  public var realTime = false
  /// Whether the run ended on the stop request or the duration rather than at the end of
  /// its input.
  public var stoppedEarly = false

  /// Every record skipped, whatever the reason.
  public var skipped: Int { skippedTooLong + skippedTruncated + skippedUnsendable }

  /// Packets per second achieved.
  public var packetsPerSecond: Double {
    elapsedNanoseconds > 0 ? Double(packets) * 1e9 / Double(elapsedNanoseconds) : 0
  }

  /// Megabits per second achieved (frame bytes).
  public var megabitsPerSecond: Double {
    elapsedNanoseconds > 0 ? Double(bytes) * 8e3 / Double(elapsedNanoseconds) : 0
  }

  /// The one-line summary `rawtool replay` prints on stderr, e.g. `1000 packets, 64000
  /// bytes, 0 skipped, 0.100 s, 10000 pps, 5.12 Mbps, lag p50 2.1 µs p99 8.4 µs`.
  public var summary: String {
    var parts = ["\(packets) packets", "\(bytes) bytes", "\(skipped) skipped"]
    if skipped > 0 {
      var reasons: [String] = []
      if skippedTooLong > 0 { reasons.append("\(skippedTooLong) over the MTU") }
      if skippedTruncated > 0 { reasons.append("\(skippedTruncated) truncated") }
      if skippedUnsendable > 0 { reasons.append("\(skippedUnsendable) not Ethernet") }
      parts[2] += " (" + reasons.joined(separator: ", ") + ")"
    }
    if failed > 0 { parts.append("\(failed) failed") }
    parts.append(Self.fixed(Double(elapsedNanoseconds) / 1e9, digits: 3) + " s")
    parts.append(Self.fixed(packetsPerSecond, digits: 0) + " pps")
    parts.append(Self.fixed(megabitsPerSecond, digits: 2) + " Mbps")
    if lag.count > 0 {
      parts.append(
        "lag p50 " + Self.microseconds(lag.percentile(0.5)) + " p99 "
          + Self.microseconds(lag.percentile(0.99)))
    }
    return parts.joined(separator: ", ")
  }

  static func microseconds(_ nanoseconds: UInt64) -> String {
    fixed(Double(nanoseconds) / 1e3, digits: 1) + " µs"
  }

  /// `value` with `digits` decimals, without Foundation.
  static func fixed(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    guard digits > 0 else { return String(scaled) }
    let whole = scaled / Int64(scale)
    let fraction = String(abs(scaled) % Int64(scale))
    let sign = scaled < 0 && whole == 0 ? "-" : ""
    return sign + String(whole) + "." + String(repeating: "0", count: digits - fraction.count)
      + fraction
  }
}
