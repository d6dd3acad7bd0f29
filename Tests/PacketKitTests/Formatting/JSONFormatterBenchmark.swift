import Foundation
import Testing

@testable import PacketKit

/// Formats 100 000 frames and prints ns/frame; run in release with
/// `RAWTOOL_BENCH=1 swift test -c release --filter JSONFormatterBenchmark`.
///
/// When a malloc counter is preloaded (a shared object exporting
/// `uint64_t rawtool_malloc_count(void)`, via `LD_PRELOAD`), it also checks that the loop
/// allocates nothing.
@Suite("JSONFormatter benchmark")
struct JSONFormatterBenchmark {
  typealias Counter = @convention(c) () -> UInt64

  static var mallocCounter: Counter? {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "rawtool_malloc_count")
    else { return nil }
    return unsafeBitCast(symbol, to: Counter.self)
  }

  /// This thread's CPU time in nanoseconds (unaffected by other processes on a busy host).
  static func threadCPUTime() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
  }

  @Test(
    "format 1e5 frames without allocating",
    .enabled(if: ProcessInfo.processInfo.environment["RAWTOOL_BENCH"] != nil),
    arguments: [
      ("ethernet-ipv4-tcp.pcap", 1), ("ethernet-ipv6.pcap", 10), ("ethernet-ipv4-icmp.pcap", 5),
      ("dns-udp.pcap", 4), ("dns-tcp.pcap", 3),
    ])
  func benchmark(file: String, number: Int) throws {
    let packet = try PcapFixture.load(file)[number - 1]
    let frame = FrameDecoder().decode(packet.bytes, linkType: packet.record.linkType)
    let formatter = JSONFormatter()
    var out = TextBuffer(capacity: 1 << 20)
    let rounds = 100_000
    // Warm up: the first write initialises lazy statics (the hex digit table).
    formatter.write(frame, bytes: packet.bytes.span, record: packet.record, to: &out)
    let counter = Self.mallocCounter
    var mallocs: UInt64 = 0
    var cpu = 0
    let elapsed = ContinuousClock().measure {
      packet.bytes.withUnsafeBufferPointer { buffer in
        let bytes = buffer.span
        let before = counter?() ?? 0
        let cpuStart = Self.threadCPUTime()
        for _ in 0..<rounds {
          if out.count > (1 << 20) - 4096 { out.clear() }
          formatter.write(frame, bytes: bytes, record: packet.record, to: &out)
        }
        cpu = Self.threadCPUTime() - cpuStart
        mallocs = (counter?() ?? 0) - before
      }
    }
    let wall =
      elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    print(
      "JSONFormatter \(file) #\(number): \(Int(wall) / rounds) ns/frame wall, \(cpu / rounds) ns/frame thread CPU, "
        + "\(mallocs) mallocs in \(rounds) frames")
    // The counter is process-wide: a test-runner thread may allocate once or twice meanwhile;
    // one allocation per frame would show as 100 000.
    if counter != nil { #expect(mallocs < 10) }
  }
}
