import Foundation
import PacketKit
import Testing

/// `rawtool sniff` on a veth pair between two namespaces, compared with tcpdump capturing
/// at the same time on the same interface.
@Suite("Live: sniff", .serialized)
struct LiveSniffTests {
  /// Traffic from other programs, A → B: ping (IPv4 and IPv6), a TCP connection to
  /// python3's http.server, and a UDP exchange (B answers with ICMP port unreachable).
  func makeTraffic(_ net: LiveNetwork) throws {
    let server = try net.start(
      net.b, ["python3", "-m", "http.server", "8080", "--bind", "192.0.2.2"])
    defer { _ = server.stop(SIGTERM) }
    try net.run(net.a, ["ping", "-c", "3", "-i", "0.05", "-W", "2", "192.0.2.2"], timeout: 5)
    try net.run(
      net.a, ["ping", "-6", "-c", "3", "-i", "0.05", "-W", "2", "2001:db8::2"], timeout: 5)
    let client = """
      import socket, time
      for attempt in range(50):
          try:
              s = socket.create_connection(("192.0.2.2", 8080), timeout=2)
              break
          except OSError:
              time.sleep(0.05)
      s.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
      while s.recv(65536): pass
      s.close()
      u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      for i in range(5): u.sendto(b"datagram %d" % i, ("192.0.2.2", 9999))
      print("done")
      """
    let result = try net.run(net.a, ["timeout", "10", "python3", "-c", client], timeout: 12)
    #expect(result.status == 0, "client: \(result.stderr)")
    #expect(
      result.stdout.contains("done"), "client: \(result.stdout) \(result.stderr) \(server.stderr)")
    usleep(300_000)
  }

  /// Frames read back through tcpdump with `filter` (tcpdump -r IN -w OUT FILTER).
  func filtered(_ net: LiveNetwork, _ path: String, _ filter: String) throws -> [[UInt8]] {
    let out = LiveNetwork.temporaryPath(".pcap")
    defer { try? FileManager.default.removeItem(atPath: out) }
    let result = try LiveNetwork.run(
      "/usr/bin/tcpdump", ["-r", path, "-w", out, filter], timeout: 10)
    #expect(result.status == 0, "tcpdump -r: \(result.stderr)")
    return try LiveNetwork.frames(of: out)
  }

  @Test(
    "both backends hold every packet tcpdump captured, and filters select what tcpdump selects",
    .enabled(if: LiveNetwork.isAvailable))
  func backendsMatchTcpdump() throws {
    let net = try LiveNetwork(tag: "sniff")
    defer { net.tearDown() }
    var paths: [String: String] = [:]
    var sniffers: [(String, LiveNetwork.Background)] = []
    // (name, backend, filter)
    let runs: [(String, String, String?)] = [
      ("libpcap", "libpcap", nil), ("af-packet", "af-packet", nil),
      ("libpcap-tcp", "libpcap", "tcp port 8080"), ("af-packet-icmp", "af-packet", "icmp or icmp6"),
      ("af-packet-udp", "af-packet", "udp and dst port 9999"), ("libpcap-ip6", "libpcap", "ip6"),
    ]
    defer { for path in paths.values { try? FileManager.default.removeItem(atPath: path) } }
    for (name, backend, filter) in runs {
      let path = LiveNetwork.temporaryPath(".pcap")
      paths[name] = path
      var arguments = [Rawtool.executable, "sniff", "vB", "--backend", backend, "-w", path]
      if let filter { arguments.append(filter) }
      let sniffer = try net.start(net.b, arguments)
      #expect(sniffer.waitForStderr("listening on"), "\(name): \(sniffer.stderr)")
      sniffers.append((name, sniffer))
    }
    let reference = LiveNetwork.temporaryPath(".pcap")
    defer { try? FileManager.default.removeItem(atPath: reference) }
    let tcpdump = try net.start(
      net.b, ["tcpdump", "-i", "vB", "-n", "--immediate-mode", "-w", reference])
    #expect(tcpdump.waitForStderr("listening on"))
    try makeTraffic(net)
    // tcpdump stops first: everything it saw was also in front of the rawtool captures.
    let tcpdumpResult = tcpdump.stop()
    #expect(tcpdumpResult.status == 0, "tcpdump: \(tcpdumpResult.stderr)")
    for (name, sniffer) in sniffers {
      let result = sniffer.stop()
      #expect(result.status == 0, "\(name): \(result.stderr)")
    }
    let expected = try LiveNetwork.frames(of: reference)
    let listing = try LiveNetwork.run("/usr/bin/tcpdump", ["-n", "-r", reference], timeout: 10)
    #expect(
      expected.count >= 20, "tcpdump captured only \(expected.count) packets: \(listing.stdout)")
    for (name, _, filter) in runs {
      let got = try LiveNetwork.frames(of: paths[name]!)
      guard let filter else {
        let lost = missing(expected, from: got)
        #expect(lost.isEmpty, "\(name) misses \(lost.count) of \(expected.count) packets")
        continue
      }
      // Every packet tcpdump's filter selects is there …
      let selected = try filtered(net, reference, filter)
      #expect(!selected.isEmpty, "\(filter) selects nothing")
      let lost = missing(selected, from: got)
      #expect(lost.isEmpty, "\(name) misses \(lost.count) of \(selected.count) packets")
      // … and nothing tcpdump's filter rejects.
      let passing = try filtered(net, paths[name]!, filter)
      #expect(
        passing.count == got.count,
        "\(name): \(got.count - passing.count) packets not matching \(filter)")
    }
  }

  @Test(
    "SIGINT at a random moment leaves a valid file with every packet counted",
    .enabled(if: LiveNetwork.isAvailable), arguments: ["libpcap", "af-packet"])
  func interruptLeavesValidFile(backend: String) throws {
    let net = try LiveNetwork(tag: "int-\(backend.prefix(2))")
    defer { net.tearDown() }
    let path = LiveNetwork.temporaryPath(".pcapng")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let sniffer = try net.start(
      net.b, [Rawtool.executable, "sniff", "vB", "--backend", backend, "-w", path, "udp"])
    #expect(sniffer.waitForStderr("listening on"))
    let sender = try net.start(
      net.a,
      [
        Rawtool.executable, "send", "-i", "vA", "--rate", "5kpps", "-c", "10000", "--duration", "5",
        "eth(dst=ff:ff:ff:ff:ff:ff)/ipv4(src=192.0.2.1, dst=192.0.2.2, id=1)/udp(sport=7, dport=9)/raw(\"load\")",
      ])
    usleep(UInt32.random(in: 200_000...900_000))
    let result = sniffer.stop(SIGINT)
    _ = sender.stop(SIGINT)
    #expect(result.status == 0, "\(result.stderr)")
    let captured = result.stderr.split(separator: "\n").first { $0.hasSuffix("captured") }
      .flatMap { Int($0.split(separator: " ")[0]) }
    let frames = try LiveNetwork.frames(of: path)
    #expect(captured != nil, "no statistics in \(result.stderr)")
    #expect(frames.count == captured, "file holds \(frames.count), stderr says \(result.stderr)")
    #expect(frames.count > 0)
    let check = try LiveNetwork.run("/usr/bin/tcpdump", ["-r", path, "-c", "1000000"], timeout: 10)
    #expect(check.status == 0, "tcpdump cannot read the file: \(check.stderr)")
  }

  @Test(
    "fanout threads capture every packet, merged in timestamp order",
    .enabled(if: LiveNetwork.isAvailable))
  func fanoutMergesInOrder() throws {
    let net = try LiveNetwork(tag: "fanout")
    defer { net.tearDown() }
    let path = LiveNetwork.temporaryPath(".pcap")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let sniffer = try net.start(
      net.b,
      [
        Rawtool.executable, "sniff", "vB", "--backend", "af-packet", "--fanout", "3", "-w", path,
        "udp",
      ])
    #expect(sniffer.waitForStderr("listening on"))
    let send = try net.run(
      net.a,
      [
        Rawtool.executable, "send", "-i", "vA", "--rate", "20kpps", "-c", "20",
        "eth(dst=ff:ff:ff:ff:ff:ff)/ipv4(src=192.0.2.1, dst=192.0.2.2, id=1)/udp(sport=1000-1049, dport=9)",
      ], timeout: 20)
    #expect(send.status == 0, "\(send.stderr)")
    usleep(400_000)
    let result = sniffer.stop()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("1000 packets captured"), "\(result.stderr)")
    var reader = try CaptureFileReader(path: path)
    var times: [Timestamp] = []
    try reader.forEachRecord { record, _ in
      times.append(record.timestamp)
      return true
    }
    #expect(times.count == 1000)
    #expect(times == times.sorted(), "records out of timestamp order")
  }
}
