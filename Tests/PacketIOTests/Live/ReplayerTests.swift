import Foundation
import PacketKit
import Testing

@testable import PacketIO

/// `Replayer` driven from memory on a veth pair: what B captures is what A replayed,
/// rewritten when asked, at the asked rate.
@Suite("Live: Replayer on a veth pair", .serialized)
struct ReplayerTests {
  /// UDP frames from A to B, port 9, a sequence number in the payload.
  static func frames(count: Int, gapNanoseconds: Int64) throws -> [ReplayFrame] {
    try (0..<count).map { index in
      let expression =
        "eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02)/ipv4(src=192.0.2.1, dst=192.0.2.2)/udp(sport=4000, dport=9)/raw(\"replay \(index)\")"
      let bytes = try PacketCrafter.packets(from: ExpressionParser.parse(expression))[0]
      return ReplayFrame(bytes: bytes, timestampNanoseconds: Int64(index) * gapNanoseconds)
    }
  }

  @Test(
    "frames from memory arrive in order, paced, and rewritten", .enabled(if: LiveGate.isAvailable))
  func replayFromMemory() throws {
    try VethPair.with(prefix: LiveGate.prefix) { pair in
      let path = NSTemporaryDirectory() + "rtio-replayer-\(UUID().uuidString).pcap"
      defer { try? FileManager.default.removeItem(atPath: path) }
      let tcpdump = try pair.b.start([
        "tcpdump", "-i", pair.interfaceB, "-n", "-U", "--immediate-mode", "-w", path, "udp", "dst",
        "port", "9",
      ])
      #expect(tcpdump.waitForOutput(containing: "listening on"))
      let frames = try Self.frames(count: 200, gapNanoseconds: 1)
      let rewriter = PacketRewriter(
        addressMappings: [try AddressMapping(parsing: "192.0.2.1=203.0.113.7")])
      var replayer = try pair.a.run {
        try Replayer(
          interface: try NetworkInterface.named(pair.interfaceA),
          options: ReplayOptions(timing: .packetsPerSecond(2_000), rewriter: rewriter))
      }
      let report = replayer.replay(frames: frames)
      #expect(report.packets == 200 && report.skipped == 0 && report.failed == 0)
      // 200 packets at 2 kpps: the last one is due at 99.5 ms.
      #expect(report.elapsedNanoseconds >= 99_500_000 && report.elapsedNanoseconds < 150_000_000)
      #expect(report.lag.count == 200)
      usleep(300_000)
      _ = tcpdump.stop()
      var received: [[UInt8]] = []
      var reader = try CaptureFileReader(path: path)
      try reader.forEachRecord { _, bytes in
        received.append(bytes.withUnsafeBufferPointer { Array($0) })
        return true
      }
      let expected = frames.map { frame in
        var bytes = frame.bytes
        rewriter.rewrite(&bytes, linkType: .ethernet)
        return bytes
      }
      #expect(received.count == expected.count)
      let differing = zip(received, expected).enumerated().first { $0.element.0 != $0.element.1 }
      #expect(
        differing == nil,
        "frame \(differing?.offset ?? -1): \(differing?.element.0 ?? []) != \(differing?.element.1 ?? [])"
      )
      #expect(received.first.map { Array($0[26..<30]) } == [203, 0, 113, 7])
    }
  }

  @Test(
    "records over the MTU or truncated are skipped and counted", .enabled(if: LiveGate.isAvailable))
  func skipsWhatCannotBeSent() throws {
    try VethPair.with(prefix: LiveGate.prefix) { pair in
      var good = try Self.frames(count: 3, gapNanoseconds: 0)
      var big = good[0]
      big.bytes += [UInt8](repeating: 0, count: 1600)
      let truncated = ReplayFrame(bytes: good[1].bytes, wireLength: good[1].bytes.count + 10)
      let notEthernet = ReplayFrame(bytes: [0x45, 0, 0, 20], linkType: .raw)
      good.insert(contentsOf: [big, truncated, notEthernet], at: 1)
      var replayer = try pair.a.run {
        try Replayer(
          interface: try NetworkInterface.named(pair.interfaceA),
          options: ReplayOptions(timing: .topSpeed, loops: 2))
      }
      let report = replayer.replay(frames: good)
      #expect(report.packets == 6)
      #expect(report.skippedTooLong == 2 && report.skippedTruncated == 2)
      #expect(report.skippedUnsendable == 2)
      #expect(report.summary.contains("6 skipped (2 over the MTU, 2 truncated, 2 not Ethernet)"))
      // Looping forever over input that is all skipped ends after one loop.
      var forever = try pair.a.run {
        try Replayer(
          interface: try NetworkInterface.named(pair.interfaceA),
          options: ReplayOptions(timing: .topSpeed, loops: 0))
      }
      let skipped = forever.replay(frames: [big, truncated, notEthernet])
      #expect(skipped.packets == 0 && skipped.skipped == 3)
    }
  }
}
