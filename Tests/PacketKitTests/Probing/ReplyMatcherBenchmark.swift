import Foundation
import Testing

@testable import PacketKit

/// Looks up 1e5 captured frames' keys among 10 000 outstanding probes and prints ns/frame;
/// run in release with `RAWTOOL_BENCH=1 swift test -c release --filter ReplyMatcherBenchmark`.
/// With a malloc counter preloaded (see `JSONFormatterBenchmark`), it also checks that the
/// loop allocates nothing.
@Suite("ReplyMatcher benchmark", .serialized)
struct ReplyMatcherBenchmark {
  @Test(
    "key(ofReply:) and a table lookup per frame, without allocating",
    .enabled(if: ProcessInfo.processInfo.environment["RAWTOOL_BENCH"] != nil),
    arguments: [
      "eth() / ipv4(src=192.0.2.2, dst=192.0.2.1) / tcp(sport=80, dport=40000, flags=SA, ack=1)",
      "eth() / ipv4(src=198.51.100.1, dst=192.0.2.1) / icmp(type=11) / ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=40000, dport=33434)",
      "eth() / ipv6(src=2001:db8::ff, dst=2001:db8::1) / icmpv6(type=3) / ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop(), destination()]) / udp(sport=40000, dport=33434)",
    ])
  func benchmark(reply: String) throws {
    let packet = try Crafted(reply)
    var table: [ProbeKey: Int] = [:]
    for port in 0..<10_000 {
      let key = ProbeKey(
        kind: .udp, ipVersion: 4, local: ProbeKey.address(IPv4Address(192, 0, 2, 1)),
        remote: ProbeKey.address(IPv4Address(192, 0, 2, 2)), localPort: UInt16(35_000 + port),
        remotePort: 33434)
      table[key] = port
    }
    let rounds = 100_000
    let counter = JSONFormatterBenchmark.mallocCounter
    var mallocs: UInt64 = 0
    var cpu = 0
    var hits = 0
    packet.bytes.withUnsafeBufferPointer { buffer in
      let bytes = buffer.span
      let before = counter?() ?? 0
      let start = JSONFormatterBenchmark.threadCPUTime()
      for _ in 0..<rounds {
        guard let key = ReplyMatcher.key(ofReply: packet.frame, bytes: bytes) else { continue }
        if table[key] != nil || table[key.anyRemote] != nil { hits += 1 }
      }
      cpu = JSONFormatterBenchmark.threadCPUTime() - start
      mallocs = (counter?() ?? 0) - before
    }
    print(
      "ReplyMatcher key+lookup: \(cpu / rounds) ns/frame thread CPU, \(mallocs) mallocs, \(hits) hits"
    )
    if counter != nil { #expect(mallocs < 10) }
  }
}
