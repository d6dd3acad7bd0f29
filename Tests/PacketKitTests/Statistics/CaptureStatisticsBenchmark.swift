import Testing

@testable import PacketKit

#if canImport(Glibc)
  import Glibc
#endif

/// Not a test: prints nanoseconds per `CaptureStatistics.add`. Run in release with
/// `RAWTOOL_BENCH=1 swift test -c release --filter CaptureStatisticsBenchmark`
/// (`RAWTOOL_BENCH_ROUNDS` sets the number of frames; default 4 000 000).
@Suite("CaptureStatisticsBenchmark", .enabled(if: getenv("RAWTOOL_BENCH") != nil))
struct CaptureStatisticsBenchmark {
  @Test("ns per CaptureStatistics.add")
  func addCost() {
    let decoder = FrameDecoder()
    let frames = [
      StatisticsVectors.tcpSyn, StatisticsVectors.tcpSynAck, StatisticsVectors.udp,
      StatisticsVectors.tcp6,
    ].map { decoder.decode($0, linkType: .ethernet) }
    let rounds = getenv("RAWTOOL_BENCH_ROUNDS").flatMap { Int(String(cString: $0)) } ?? 4_000_000
    var statistics = CaptureStatistics()
    // Thread CPU time rather than wall time: the build machine is shared.
    let clock = ThreadCPUClock()
    let elapsed = clock.measure {
      for round in 0..<rounds {
        let frame = frames[round & 3]
        statistics.add(
          frame, timestampSeconds: Int64(round >> 10), nanoseconds: UInt32(round & 1023),
          capturedLength: frame.capturedLength, wireLength: frame.wireLength)
      }
    }
    let ns =
      (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
      / Double(rounds)
    print(
      "CaptureStatistics.add: \(ns) ns/frame over \(statistics.packets) frames; DecodedFrame \(MemoryLayout<DecodedFrame>.size) B, DecodedLayer \(MemoryLayout<DecodedLayer>.size) B"
    )
  }
}

/// Measures the calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`).
private struct ThreadCPUClock {
  func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }

  func measure(_ body: () throws -> Void) rethrows -> Duration {
    let start = now()
    try body()
    return .nanoseconds(now() - start)
  }
}
