import PacketKit
import Synchronization
import Testing

@testable import PacketIO

/// `FrameRelay`, the queue between a capture thread and the printing thread: every frame
/// arrives once, in order, intact, also when the relay is small enough to wrap around and
/// make the capture wait; a sink that finishes stops the capture.
@Suite("Capture relay")
struct CaptureRelayTests {
  /// Takes frames, checks each against what the producer pushed, and finishes at `limit`.
  final class CheckingSink: FrameSink {
    var received = 0
    var mismatches = 0
    let limit: Int
    init(limit: Int = .max) { self.limit = limit }
    var isFinished: Bool { received >= limit }
    func take(_ record: CaptureRecord, _ bytes: Span<UInt8>) {
      received += 1
      if record.number != received || bytes.count != CaptureRelayTests.length(of: received) {
        mismatches += 1
        return
      }
      for index in bytes.indices where bytes[index] != UInt8(truncatingIfNeeded: received &+ index) {
        mismatches += 1
        return
      }
    }
  }

  /// Frame `number`'s length: 0 to 299 bytes.
  static func length(of number: Int) -> Int { number * 37 % 300 }

  static func record(_ number: Int) -> CaptureRecord {
    CaptureRecord(
      number: number, timestamp: Timestamp(seconds: Int64(number)),
      capturedLength: length(of: number), wireLength: length(of: number), linkType: .ethernet,
      interfaceName: "test0")
  }

  static func push(_ number: Int, into relay: FrameRelay) -> Bool {
    let bytes = (0..<length(of: number)).map { UInt8(truncatingIfNeeded: number &+ $0) }
    return relay.push(record(number), bytes.span)
  }

  @Test("a small relay wraps around and delivers every captured frame once, in order")
  func wrapsAround() {
    let relay = FrameRelay(byteCapacity: 1000, frameCapacity: 8)
    let sink = CheckingSink()
    let frames = 20_000
    let delivered = relay.run(into: sink) { relay in
      for number in 1...frames { _ = Self.push(number, into: relay) }
    }
    #expect(delivered == frames)
    #expect(sink.received == frames)
    #expect(sink.mismatches == 0)
    #expect(relay.waits > 0, "the capture never had to wait: the relay did not fill")
    #expect(relay.queued == 0)
  }

  @Test("a sink that finishes stops the capture, which sees push fail")
  func finishedSinkStopsCapture() {
    let relay = FrameRelay(byteCapacity: 4096, frameCapacity: 16)
    let sink = CheckingSink(limit: 100)
    let refused = Atomic<Int>(0)
    relay.run(into: sink) { relay in
      // Bounded: the consumer stops after 100 frames; the loop ends at the first refusal.
      for number in 1...1_000_000 where !Self.push(number, into: relay) {
        refused.store(number, ordering: .relaxed)
        return
      }
    }
    #expect(sink.received == 100)
    #expect(sink.mismatches == 0)
    #expect(relay.isStopRequested)
    #expect(refused.load(ordering: .relaxed) > 100)
  }

  @Test("a capture that ends hands over what it queued before the relay closes")
  func closedRelayDrains() {
    let relay = FrameRelay()
    for number in 1...500 { #expect(Self.push(number, into: relay)) }
    relay.close()
    let sink = CheckingSink()
    #expect(relay.deliver(into: sink) == 500)
    #expect(sink.mismatches == 0)
  }
}
