import Foundation
import Testing

@testable import PacketIO

/// `LiveCapture.waitForFrame`: on time with nil when nothing matches, the frame when one
/// comes; frames after a match stay for the next wait.
@Suite("Live: LiveCapture on lo")
struct LiveCaptureTests {
  /// A capture of UDP to `port` received on `lo` (each datagram once: the inbound copy).
  func open(port: UInt16) throws -> LiveCapture {
    var configuration = LiveCapture.Configuration()
    configuration.direction = .inbound
    let capture = try LiveCapture(
      interfaceNamed: "lo", filter: "udp dst port \(port)", configuration: configuration)
    #expect(capture.interface.name == "lo")
    return capture
  }

  @Test(
    "waitForFrame returns nil on time when nothing comes", .enabled(if: Loopback.isEnabled),
    arguments: [0, 20, 150, 400])
  func timesOutOnTime(milliseconds: Int) throws {
    try Loopback.requireRoot()
    var capture = try open(port: Loopback.randomPort())
    let start = Loopback.now()
    let frame = try capture.waitForFrame(timeout: .milliseconds(milliseconds)) { _, _ in true }
    let elapsed = Double(Loopback.now() - start) / 1e6
    #expect(frame == nil)
    #expect(
      elapsed >= Double(milliseconds) && elapsed <= Double(milliseconds) + 50, "took \(elapsed) ms")
  }

  @Test(
    "waitForFrame returns nil on time when only non-matching frames come",
    .enabled(if: Loopback.isEnabled))
  func nothingMatches() throws {
    try Loopback.requireRoot()
    let port = Loopback.randomPort()
    let tag = Loopback.randomTag()
    var capture = try open(port: port)
    try Loopback.sendUDP(
      port: port, payloads: (0..<5).map { Loopback.payload(tag: tag, sequence: $0) })
    let start = Loopback.now()
    var seen = 0
    let frame = try capture.waitForFrame(timeout: .milliseconds(200)) { _, bytes in
      if Loopback.sequence(in: bytes, tag: tag) != nil { seen += 1 }
      return false
    }
    let elapsed = Double(Loopback.now() - start) / 1e6
    #expect(frame == nil)
    #expect(seen == 5)
    #expect(elapsed >= 200 && elapsed <= 250, "took \(elapsed) ms")
  }

  @Test(
    "waitForFrame returns the matching frame, and later frames stay for the next wait",
    .enabled(if: Loopback.isEnabled))
  func returnsTheMatch() throws {
    try Loopback.requireRoot()
    let port = Loopback.randomPort()
    let tag = Loopback.randomTag()
    var capture = try open(port: port)
    let before = Date().timeIntervalSince1970
    // Sent right after opening: the filter is attached already.
    try Loopback.sendUDP(
      port: port, payloads: (0..<10).map { Loopback.payload(tag: tag, sequence: $0) })
    let start = Loopback.now()
    let third = try capture.waitForFrame(timeout: .seconds(2)) { _, bytes in
      Loopback.sequence(in: bytes, tag: tag) == 3
    }
    let elapsed = Double(Loopback.now() - start) / 1e6
    let frame = try #require(third)
    #expect(elapsed < 100, "took \(elapsed) ms")
    #expect(frame.linkType == .ethernet)
    #expect(frame.direction == .inbound)
    #expect(frame.bytes.count == 14 + 20 + 8 + 12)
    #expect(frame.record.capturedLength == frame.bytes.count)
    // The receive timestamp is CLOCK_REALTIME, taken within this test.
    let stamp = Double(frame.timestampNanoseconds) / 1e9
    #expect(stamp >= before - 0.001 && stamp <= Date().timeIntervalSince1970 + 0.001)
    // Frames 4...9 were not passed over.
    var rest: [UInt32] = []
    while let next = try capture.waitForFrame(
      timeout: .milliseconds(100), matching: { _, _ in true })
    {
      if let sequence = Loopback.sequence(in: next.bytes.span, tag: tag) { rest.append(sequence) }
    }
    #expect(rest == Array(4..<10))
    let counters = try capture.counters()
    #expect(counters.captured == 10)
    #expect(counters.dropped == 0)
  }

  @Test("a bad filter or interface is reported before any socket is opened (no root needed)")
  func badInput() {
    #expect {
      _ = try LiveCapture(interfaceNamed: "lo", filter: "udp port")
    } throws: { error in
      guard case .filter = error as? LiveCaptureError else { return false }
      return true
    }
    #expect {
      _ = try LiveCapture(interfaceNamed: "no-such-if0", filter: "")
    } throws: { error in
      guard case .system = error as? LiveCaptureError else { return false }
      return true
    }
  }
}
