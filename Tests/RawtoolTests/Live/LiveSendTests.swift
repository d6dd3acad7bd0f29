import Foundation
import PacketKit
import Testing

/// `rawtool send` on a veth pair between two namespaces: what tcpdump captures on the
/// other side is byte for byte what PacketCrafter builds (from the IP header for raw IP sends).
@Suite("Live: send", .serialized)
struct LiveSendTests {
  @Test("live tests can run (fails under RAWTOOL_REQUIRE_LIVE=1 when they cannot)")
  func liveTestsCanRun() {
    if let reason = LiveNetwork.unavailableReason {
      let required = ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_LIVE"] == "1"
      #expect(!required, "live tests skipped: \(reason)")
    }
  }

  @Test(
    "every packet sent arrives byte-identical to the crafted one",
    .enabled(if: LiveNetwork.isAvailable))
  func sentPacketsArriveUnchanged() throws {
    let net = try LiveNetwork(tag: "send")
    defer { net.tearDown() }
    let macB = try net.mac(net.b, "vB")
    let eth = "eth(src=02:00:00:00:00:01, dst=\(macB))"
    let v4 = "ipv4(src=192.0.2.1, dst=192.0.2.2, id=4660, ttl=64)"
    let v6 = "ipv6(src=2001:db8::1, dst=2001:db8::2, hop_limit=64)"
    let tcp =
      "tcp(sport=40000, dport=80, flags=S, seq=1000, window=8192, options=[mss=1460, nop, window_scale=7])"
    // (expression, sent on the link layer?)
    let cases: [(String, Bool)] = [
      ("\(eth) / \(v4) / \(tcp)", true),
      ("\(eth) / \(v4) / udp(sport=5353, dport=5000) / raw(\"l2 udp4\")", true),
      ("\(eth) / \(v4) / icmp(type=8, id=7, seq=1) / raw(\"ping\")", true),
      ("\(eth) / \(v6) / udp(sport=5353, dport=5001) / raw(\"l2 udp6\")", true),
      ("\(eth) / \(v6) / icmpv6(type=128, id=7, seq=2)", true),
      ("\(eth) / \(v6) / \(tcp)", true),
      (
        "eth(src=02:00:00:00:00:01, dst=ff:ff:ff:ff:ff:ff) / arp(op=1, sender_mac=02:00:00:00:00:01, sender_ip=192.0.2.1, target_ip=192.0.2.99)",
        true
      ),
      ("\(eth) / vlan(id=100, pcp=3) / \(v4) / udp(sport=1, dport=5002) / raw(\"tagged\")", true),
      ("\(v4) / udp(sport=5353, dport=5003) / raw(\"l3 udp4\")", false),
      ("\(v4) / \(tcp.replacingOccurrences(of: "40000", with: "40001"))", false),
      ("\(v4) / icmp(type=8, id=8, seq=3) / raw(\"l3 ping\")", false),
      ("\(v6) / udp(sport=5353, dport=5004) / raw(\"l3 udp6\")", false),
      ("\(v6) / icmpv6(type=128, id=8, seq=4)", false),
      ("\(v6) / \(tcp.replacingOccurrences(of: "40000", with: "40001"))", false),
      // Expansion: three packets from one expression, each sent twice (-c 2 below).
      ("\(v4) / udp(sport=5353, dport=[6001, 6002, 6003]) / raw(\"many\")", false),
    ]
    let path = LiveNetwork.temporaryPath(".pcap")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let tcpdump = try net.start(
      net.b, ["tcpdump", "-i", "vB", "-n", "-U", "--immediate-mode", "-w", path])
    #expect(tcpdump.waitForStderr("listening on"))
    // Warm the neighbour caches so raw IP sends are not held for resolution.
    try net.run(net.a, ["ping", "-c", "1", "-W", "2", "192.0.2.2"], timeout: 5)
    try net.run(net.a, ["ping", "-6", "-c", "1", "-W", "2", "2001:db8::2"], timeout: 5)
    for (index, (expression, _)) in cases.enumerated() {
      let repeats = index == cases.count - 1 ? "2" : "1"
      let result = try net.run(
        net.a, [Rawtool.executable, "send", "-i", "vA", "-c", repeats, expression], timeout: 10)
      #expect(result.status == 0, "send \(expression): \(result.stderr)")
      #expect(result.stderr.contains("0 failed"), "\(result.stderr)")
    }
    usleep(300_000)
    _ = tcpdump.stop()
    let captured = try LiveNetwork.frames(of: path)
    for (index, (expression, linkLayer)) in cases.enumerated() {
      let crafted = try PacketCrafter.packets(from: ExpressionParser.parse(expression))
      let repeats = index == cases.count - 1 ? 2 : 1
      for packet in crafted {
        let matches = captured.filter { frame in
          linkLayer ? frame == packet : frame.count >= 14 && Array(frame[14...]) == packet
        }
        #expect(matches.count == repeats, "\(expression): \(matches.count) of \(repeats) arrived")
      }
    }
  }

  @Test("the source MAC defaults to the interface's", .enabled(if: LiveNetwork.isAvailable))
  func sourceMACDefaultsToInterface() throws {
    let net = try LiveNetwork(tag: "mac")
    defer { net.tearDown() }
    let macA = try net.mac(net.a, "vA")
    let result = try net.run(
      net.a,
      [
        Rawtool.executable, "send", "-i", "vA", "--dry-run",
        "eth(dst=ff:ff:ff:ff:ff:ff)/arp(op=1, target_ip=192.0.2.2)",
      ],
      timeout: 10)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains(macA), "\(result.stdout)")
  }

  @Test("flood, rate and interval honour -c", .enabled(if: LiveNetwork.isAvailable))
  func modesHonourCount() throws {
    let net = try LiveNetwork(tag: "modes")
    defer { net.tearDown() }
    let expression =
      "eth(dst=ff:ff:ff:ff:ff:ff)/ipv4(src=192.0.2.1, dst=192.0.2.2, id=1)/udp(dport=9)"
    for mode in [["--flood"], ["--rate", "5kpps"], ["--interval", "1ms"]] {
      let result = try net.run(
        net.a, [Rawtool.executable, "send", "-i", "vA", "-c", "300"] + mode + [expression],
        timeout: 20)
      #expect(result.status == 0)
      #expect(
        result.stderr.hasPrefix("300 packets sent, 12600 bytes, 0 failed, rate "),
        "\(mode): \(result.stderr)")
    }
  }

  @Test(
    "send errors: unknown interface, interface down, frame above the MTU",
    .enabled(if: LiveNetwork.isAvailable))
  func sendErrors() throws {
    let net = try LiveNetwork(tag: "errs")
    defer { net.tearDown() }
    let unknown = try net.run(
      net.a, [Rawtool.executable, "send", "-i", "nope0", "ipv4(dst=192.0.2.2)/icmp()"])
    #expect(unknown.status == 1)
    #expect(unknown.stderr == "rawtool: nope0: no such interface\n")
    let big = try net.run(
      net.a,
      [
        Rawtool.executable, "send", "-i", "vA",
        "eth()/ipv4(dst=192.0.2.2)/raw(\"\(String(repeating: "x", count: 1600))\")",
      ])
    #expect(big.status == 1)
    #expect(big.stderr == "rawtool: send: frame of 1634 bytes exceeds the MTU 1500 of vA\n")
    try net.run(net.a, ["ip", "link", "set", "vA", "down"])
    let down = try net.run(
      net.a, [Rawtool.executable, "send", "-i", "vA", "ipv4(dst=192.0.2.2)/icmp()"])
    #expect(down.status == 1)
    #expect(down.stderr == "rawtool: vA: interface is down\n")
    let badFilter = try net.run(net.a, [Rawtool.executable, "sniff", "lo", "-c", "1", "tcp port"])
    #expect(badFilter.status == 2)
    #expect(
      badFilter.stderr.hasPrefix("rawtool: bad filter expression \"tcp port\""),
      "\(badFilter.stderr)")
  }
}
