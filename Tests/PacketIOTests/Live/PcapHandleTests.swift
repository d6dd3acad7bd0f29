import Foundation
import Testing

@testable import PacketIO

/// `PcapHandle.dispatch` waits with its own poll: it returns after its timeout in immediate
/// mode, and a breaker wakes it from another thread.
@Suite("Live: PcapHandle on lo")
struct PcapHandleTests {
  /// A handle on `lo` that selects only UDP to `port`.
  func open(port: UInt16, immediate: Bool, timeout: Int = 100) throws -> PcapHandle {
    var configuration = PcapHandle.Configuration()
    configuration.immediate = immediate
    configuration.promiscuous = false
    configuration.timeoutMilliseconds = timeout
    let handle = try PcapHandle(interface: "lo", configuration: configuration)
    try handle.setFilter("udp dst port \(port)")
    return handle
  }

  @Test(
    "dispatch returns 0 after its timeout when nothing comes",
    .enabled(if: Loopback.isEnabled),
    arguments: [(true, 100), (true, 300), (false, 100), (false, 250)])
  func dispatchTimesOut(immediate: Bool, timeout: Int) throws {
    try Loopback.requireRoot()
    var handle = try open(port: Loopback.randomPort(), immediate: immediate)
    for _ in 0..<3 {
      let start = Loopback.now()
      let handled = try handle.dispatch(limit: 0, timeoutMilliseconds: timeout) { _, _ in }
      let elapsed = Int((Loopback.now() - start) / 1_000_000)
      #expect(handled == 0)
      #expect(elapsed >= timeout - 1 && elapsed <= timeout + 50, "took \(elapsed) ms")
    }
    // The configuration's timeout is the default.
    var defaulted = try open(port: Loopback.randomPort(), immediate: immediate, timeout: timeout)
    let start = Loopback.now()
    #expect(try defaulted.dispatch(limit: 0) { _, _ in } == 0)
    let elapsed = Int((Loopback.now() - start) / 1_000_000)
    #expect(elapsed >= timeout - 1 && elapsed <= timeout + 50, "took \(elapsed) ms")
  }

  @Test("dispatch returns the packet that comes while it waits", .enabled(if: Loopback.isEnabled))
  func dispatchDelivers() throws {
    try Loopback.requireRoot()
    let port = Loopback.randomPort()
    let tag = Loopback.randomTag()
    var handle = try open(port: port, immediate: true)
    Loopback.after(milliseconds: 50) {
      try? Loopback.sendUDP(port: port, payloads: [Loopback.payload(tag: tag, sequence: 7)])
    }
    let start = Loopback.now()
    var sequences: [UInt32] = []
    var handled = 0
    while handled == 0 && Loopback.now() - start < 3_000_000_000 {
      handled = try handle.dispatch(limit: 0, timeoutMilliseconds: 3000) { _, bytes in
        if let sequence = Loopback.sequence(in: bytes, tag: tag) { sequences.append(sequence) }
      }
    }
    let elapsed = Int((Loopback.now() - start) / 1_000_000)
    #expect(sequences.contains(7))
    #expect(elapsed < 1000, "took \(elapsed) ms")
  }

  @Test(
    "breakLoop wakes a waiting dispatch from another thread", .enabled(if: Loopback.isEnabled))
  func breakWakesDispatch() throws {
    try Loopback.requireRoot()
    var handle = try open(port: Loopback.randomPort(), immediate: true)
    let breaker = handle.breaker
    Loopback.after(milliseconds: 100) { breaker.breakLoop() }
    let start = Loopback.now()
    let handled = try handle.dispatch(limit: 0, timeoutMilliseconds: 10_000) { _, _ in }
    let elapsed = Int((Loopback.now() - start) / 1_000_000)
    #expect(handled == 0)
    #expect(elapsed >= 90 && elapsed < 1000, "took \(elapsed) ms")
    // The break was consumed: the next dispatch waits its full timeout again.
    let again = Loopback.now()
    _ = try handle.dispatch(limit: 0, timeoutMilliseconds: 100) { _, _ in }
    #expect(Loopback.now() - again >= 99_000_000)
  }

  @Test(
    "a break asked before dispatch makes the next dispatch return at once",
    .enabled(if: Loopback.isEnabled))
  func pendingBreak() throws {
    try Loopback.requireRoot()
    var handle = try open(port: Loopback.randomPort(), immediate: true)
    handle.breaker.breakLoop()
    let start = Loopback.now()
    #expect(try handle.dispatch(limit: 0, timeoutMilliseconds: 5000) { _, _ in } == 0)
    #expect(Loopback.now() - start < 50_000_000)
  }

  @Test("a breaker that outlives its handle does nothing", .enabled(if: Loopback.isEnabled))
  func breakerOutlivesHandle() throws {
    try Loopback.requireRoot()
    var breaker: PcapHandle.Breaker
    do {
      let first = try open(port: Loopback.randomPort(), immediate: true)
      breaker = first.breaker
    }
    // The first handle is closed; a new one may reuse its descriptors.
    var second = try open(port: Loopback.randomPort(), immediate: true)
    breaker.breakLoop()
    breaker.breakLoop()
    let start = Loopback.now()
    #expect(try second.dispatch(limit: 0, timeoutMilliseconds: 200) { _, _ in } == 0)
    let elapsed = Int((Loopback.now() - start) / 1_000_000)
    #expect(elapsed >= 199, "the stale breaker woke the new handle after \(elapsed) ms")
    breaker = second.breaker
    breaker.breakLoop()
    #expect(try second.dispatch(limit: 0, timeoutMilliseconds: 5000) { _, _ in } == 0)
    #expect(Loopback.now() - start < 1_000_000_000)
  }
}
