import Foundation
import Testing

@testable import PacketIO

/// `CaptureStream`: ready when returned, every frame of a burst in order, closed when the
/// consumer stops.
@Suite("Live: CaptureStream on lo")
struct CaptureStreamTests {
  func configuration() -> LiveCapture.Configuration {
    var configuration = LiveCapture.Configuration()
    configuration.direction = .inbound
    return configuration
  }

  @Test(
    "the stream delivers every frame of a burst of 1000, in order, with no drop",
    .enabled(if: Loopback.isEnabled))
  func deliversBurst() async throws {
    try Loopback.requireRoot()
    let port = Loopback.randomPort()
    let tag = Loopback.randomTag()
    let count = 1000
    let stream = try CaptureStream(
      interfaceNamed: "lo", filter: "udp dst port \(port)", configuration: configuration())
    // Sent right after the stream was made, before anyone iterates.
    try Loopback.sendUDP(
      port: port, payloads: (0..<UInt32(count)).map { Loopback.payload(tag: tag, sequence: $0) })
    var sequences: [UInt32] = []
    var lastStamp: UInt64 = 0
    var ordered = true
    for try await frame in stream {
      guard let sequence = Loopback.sequence(in: frame.bytes.span, tag: tag) else { continue }
      sequences.append(sequence)
      if frame.timestampNanoseconds < lastStamp { ordered = false }
      lastStamp = frame.timestampNanoseconds
      if sequences.count == count { break }
    }
    #expect(sequences == Array(0..<UInt32(count)))
    #expect(ordered)
    let counters = stream.counters
    #expect(counters.dropped == 0)
    #expect(counters.captured >= count)
    stream.cancel()
  }

  @Test("the stream closes its socket when the consumer stops", .enabled(if: Loopback.isEnabled))
  func closesWhenCancelled() async throws {
    try Loopback.requireRoot()
    let port = Loopback.randomPort()
    let stream = try CaptureStream(interfaceNamed: "lo", filter: "udp dst port \(port)")
    #expect(!stream.isClosed)
    stream.cancel()
    for try await _ in stream {}
    let start = Loopback.now()
    while !stream.isClosed && Loopback.now() - start < 1_000_000_000 { usleep(1000) }
    #expect(stream.isClosed)
  }

  @Test("cancelling the iterating task ends the stream", .enabled(if: Loopback.isEnabled))
  func endsWithItsTask() async throws {
    try Loopback.requireRoot()
    let port = Loopback.randomPort()
    let stream = try CaptureStream(interfaceNamed: "lo", filter: "udp dst port \(port)")
    let task = Task {
      var count = 0
      for try await _ in stream { count += 1 }
      return count
    }
    try await Task.sleep(for: .milliseconds(50))
    task.cancel()
    #expect(try await task.value == 0)
    let start = Loopback.now()
    while !stream.isClosed && Loopback.now() - start < 1_000_000_000 { usleep(1000) }
    #expect(stream.isClosed)
  }
}
