import Foundation
import PacketIO
import PacketKit
import Testing

/// PacketKit and PacketIO used the way an outside test suite uses them: only public API, no
/// `@testable`, packets built in Swift, namespaces made with `VethPair` and `RoutedTopology`.
/// Root only (they create network namespaces): skipped otherwise, failed under
/// RAWTOOL_REQUIRE_LIVE=1 (CI).
@Suite("A test author's send-and-expect tests", .serialized)
struct SendAndExpectTests {
  static let isRoot = geteuid() == 0
  static let required = ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_LIVE"] == "1"

  @Test("these tests can run (fails under RAWTOOL_REQUIRE_LIVE=1 when not root)")
  func canRun() {
    #expect(Self.isRoot || !Self.required, "RAWTOOL_REQUIRE_LIVE=1 but not root")
  }

  @Test("waiting for a frame that never comes returns nil on time", .enabled(if: isRoot))
  func waitReturnsOnTime() throws {
    try VethPair.with(prefix: "rt-client") { pair in
      try pair.a.run {
        var capture = try LiveCapture(interfaceNamed: pair.interfaceA, filter: "udp port 9999")
        for milliseconds in [50, 200, 400] {
          let start = ContinuousClock.now
          let frame = try capture.waitForFrame(timeout: .milliseconds(milliseconds)) { _, _ in
            true
          }
          let elapsed = ContinuousClock.now - start
          #expect(frame == nil)
          #expect(elapsed >= .milliseconds(milliseconds))
          #expect(elapsed < .milliseconds(milliseconds + 60), "returned after \(elapsed)")
        }
      }
    }
  }

  @Test("send and receive through a router, IPv4 and IPv6", .enabled(if: isRoot))
  func sendAndReceive() throws {
    try RoutedTopology.with(prefix: "rt-client") { network in
      try network.client.run {
        // Echo: the server's kernel answers.
        let echo4 = try Prober.sendAndReceive(
          IPv4(dst: RoutedTopology.serverIPv4) / ICMP(id: 0x4242, seq: 1))
        let reply4 = try #require(echo4.reply)
        let frame4 = FrameDecoder().decode(reply4.bytes, linkType: reply4.linkType)
        guard case .icmp(let icmp)? = frame4.first(.icmp)?.header else {
          Issue.record("no ICMP in the reply")
          return
        }
        #expect(icmp.type == 0 && icmp.id == 0x4242 && icmp.seq == 1)
        #expect((echo4.rttNanoseconds ?? 0) > 0)

        let echo6 = try Prober.sendAndReceive(
          Ethernet() / IPv6(dst: RoutedTopology.serverIPv6) / ICMPv6(id: 0x4343, seq: 2),
          timeout: .seconds(2))
        let reply6 = try #require(echo6.reply)
        let frame6 = FrameDecoder().decode(reply6.bytes, linkType: reply6.linkType)
        guard case .ipv6(let ip6)? = frame6.first(.ipv6)?.header else {
          Issue.record("no IPv6 in the reply")
          return
        }
        #expect(ip6.src == RoutedTopology.serverIPv6 && ip6.dst == RoutedTopology.clientIPv6)

        // A closed UDP port: the ICMPv6 error quoting the probe is its answer.
        let closed = try Prober.sendAndReceive(
          IPv6(dst: RoutedTopology.serverIPv6) / UDP(srcPort: 4000, dstPort: 9) / Payload("x"))
        let error = try #require(closed.reply)
        let expectation = try ReplyExpectation(parsing: "icmpv6(type=1, code=4)/ipv6/udp(dport=9)")
        let decoded = FrameDecoder().decode(error.bytes, linkType: error.linkType)
        #expect(
          error.bytes.withUnsafeBufferPointer { expectation.isMet(by: decoded, bytes: $0.span) })

        // Nobody answers UDP to a port of the router's that nothing listens on? It does
        // (port unreachable); a time-limited probe to the server with TTL 1 gets the
        // router's time exceeded instead.
        let expired = try Prober.sendAndReceive(
          IPv4(ttl: 1, dst: RoutedTopology.serverIPv4) / UDP(srcPort: 4001, dstPort: 33434))
        let exceeded = try #require(expired.reply)
        let frame = FrameDecoder().decode(exceeded.bytes, linkType: exceeded.linkType)
        guard case .ipv4(let from)? = frame.first(.ipv4)?.header,
          case .icmp(let message)? = frame.first(.icmp)?.header
        else {
          Issue.record("no ICMP error")
          return
        }
        #expect(from.src == RoutedTopology.routerClientIPv4 && message.type == 11)
      }
    }
  }

  /// The README's example, verbatim.
  @Test("README: closed ports answer with an RST and a port unreachable", .enabled(if: isRoot))
  func closedPortsAnswer() throws {
    try RoutedTopology.with(prefix: "mytest") { net in
      try net.client.run {  // this closure runs on a thread inside the client's namespace
        let syn = try Prober.sendAndReceive(
          IPv4(dst: RoutedTopology.serverIPv4) / TCP(dstPort: 81, flags: .syn))
        let reply = try #require(syn.reply)
        let frame = FrameDecoder().decode(reply.bytes, linkType: reply.linkType)
        let rst = try ReplyExpectation(parsing: "tcp(flags=RA)")
        #expect(reply.bytes.withUnsafeBufferPointer { rst.isMet(by: frame, bytes: $0.span) })
        #expect(syn.rttNanoseconds! < 1_000_000)

        let udp = try Prober.sendAndReceive(
          IPv6(dst: RoutedTopology.serverIPv6) / UDP(srcPort: 4000, dstPort: 9) / Payload("x"))
        let error = try #require(udp.reply)
        let unreachable = try ReplyExpectation(parsing: "icmpv6(type=1, code=4)/ipv6/udp(dport=9)")
        let decoded = FrameDecoder().decode(error.bytes, linkType: error.linkType)
        #expect(
          error.bytes.withUnsafeBufferPointer { unreachable.isMet(by: decoded, bytes: $0.span) })
      }
    }
  }

  @Test("the async sequence of frames delivers every frame, in order", .enabled(if: isRoot))
  func asyncSequence() async throws {
    try await VethPair.with(prefix: "rt-client") { pair in
      // Ready when returned: the filter is attached before anything is sent.
      let stream = try pair.b.run {
        try CaptureStream(interfaceNamed: pair.interfaceB, filter: "udp dst port 5555")
      }
      let count = 500
      try pair.a.run {
        let socket = try RawIPSocket(version: 4, interface: try NetworkInterface.named("vA"))
        for index in 0..<count {
          // The kernel replaces an IPv4 id of 0 with its own: ids start at 1.
          let packet = try
            (IPv4(id: UInt16(index + 1), src: VethPair.ipv4A, dst: VethPair.ipv4B)
            / UDP(srcPort: 4000, dstPort: 5555) / Payload("frame \(index)")).build()
          try socket.send(packet)
        }
      }
      let watchdog = Task {
        try await Task.sleep(for: .seconds(10))
        stream.cancel()
      }
      var ids: [UInt16] = []
      for try await frame in stream {
        let decoded = FrameDecoder().decode(frame.bytes, linkType: frame.linkType)
        if case .ipv4(let ip)? = decoded.first(.ipv4)?.header { ids.append(ip.id) }
        if ids.count == count { break }
      }
      watchdog.cancel()
      #expect(ids == (1...count).map { UInt16($0) })
      #expect(stream.counters.dropped == 0)
    }
  }
}
