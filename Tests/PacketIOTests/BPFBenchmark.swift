import PacketKit
import Testing

@testable import PacketIO

#if canImport(Glibc)
  import Glibc
#endif

/// Not a test: prints nanoseconds per match. Run in release with
/// `RAWTOOL_BENCH=1 swift test -c release --filter BPFBenchmark`.
@Suite("BPFBenchmark", .enabled(if: getenv("RAWTOOL_BENCH") != nil))
struct BPFBenchmark {
  @Test("ns per BPFProgram.matches")
  func matchCost() throws {
    let frames = [BPFVectors.tcp4, BPFVectors.udp4, BPFVectors.tcp6, BPFVectors.vlanUDP]
    // One buffer and four ranges, so the loop does no reference counting.
    let storage = frames.flatMap { $0 }
    var ranges: [Range<Int>] = []
    var start = 0
    for frame in frames {
      ranges.append(start..<(start + frame.count))
      start += frame.count
    }
    for filter in ["tcp port 80", "host 192.0.2.1 and udp", "vlan and udp port 2000", ""] {
      let program = try BPFProgram(filter: filter, linkType: .ethernet)
      var set = BPFFilterSet(filter: filter)
      let rounds = getenv("RAWTOOL_BENCH_ROUNDS").flatMap { Int(String(cString: $0)) } ?? 2_000_000
      var hits = 0
      // Thread CPU time rather than wall time: the build machine is shared.
      let clock = ThreadCPUClock()
      let single = clock.measure {
        for round in 0..<rounds {
          let range = ranges[round & 3]
          let frame = storage.span.extracting(range)
          if program.matches(frame, wireLength: range.count) { hits &+= 1 }
        }
      }
      let viaSet = try clock.measure {
        for round in 0..<rounds {
          let range = ranges[round & 3]
          let frame = storage.span.extracting(range)
          if try set.matches(frame, wireLength: range.count, linkType: .ethernet) {
            hits &+= 1
          }
        }
      }
      func ns(_ d: Duration) -> Double {
        (Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9)
          / Double(rounds)
      }
      print(
        "BPF \"\(filter)\": \(program.instructionCount) insns, program \(ns(single)) ns/match,"
          + " set \(ns(viaSet)) ns/match (hits \(hits))")
    }
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
