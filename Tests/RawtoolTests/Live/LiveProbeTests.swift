import Foundation
import PacketIO
import PacketKit
import Testing

/// `send`, `probe` and `trace` talking to real kernels: a client, a forwarding router and a
/// server in three network namespaces (`RoutedTopology`, documentation addresses only).
/// The server listens on TCP port 80 (IPv4 and IPv6) and on UDP port 7777 without ever
/// answering; every other port is closed. ICMP rate limits are lifted in the router and the
/// server so that every probe of a trace is answered.
@Suite("Live: send, probe and trace through a router", .serialized)
struct LiveProbeTests {
  static let server4 = "198.51.100.2"
  static let server6 = "2001:db8:2::2"

  /// The topology with its listeners; `tearDown()` in a `defer`.
  final class Network {
    let topology: RoutedTopology
    private var processes: [LiveNetwork.Background] = []

    init() throws {
      topology = try RoutedTopology(prefix: "rt-probe")
      do {
        for namespace in [topology.router, topology.server] {
          try namespace.setSysctl("net.ipv4.icmp_ratelimit", to: "0")
          try namespace.setSysctl("net.ipv6.icmp.ratelimit", to: "0")
        }
        let listener = try start(
          topology.server,
          [
            "python3", "-c",
            """
            import socket, time
            t = socket.socket(socket.AF_INET6); t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            t.bind(("::", 80)); t.listen(1024)
            u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            u.bind(("::", 7777))
            print("ready", flush=True); time.sleep(120)
            """,
          ])
        let deadline = Date().addingTimeInterval(10)
        while !listener.stdout.contains("ready") && Date() < deadline { usleep(20_000) }
      } catch {
        tearDown()
        throw error
      }
    }

    /// Runs `arguments` in `namespace`, in the background.
    func start(_ namespace: NetworkNamespace, _ arguments: [String]) throws
      -> LiveNetwork.Background
    {
      let process = try LiveNetwork.Background(
        ["/usr/sbin/ip", "netns", "exec", namespace.name] + arguments)
      processes.append(process)
      return process
    }

    /// Runs rawtool with `arguments` in the client's namespace and waits.
    func rawtool(_ arguments: [String], timeout: Double = 30) throws -> LiveNetwork.RunResult {
      try LiveNetwork.run(
        "/usr/sbin/ip", ["netns", "exec", topology.client.name, Rawtool.executable] + arguments,
        timeout: timeout)
    }

    /// Starts tcpdump on the client's interface, writing `path`.
    func capture(_ path: String) throws -> LiveNetwork.Background {
      let tcpdump = try start(
        topology.client,
        ["tcpdump", "-i", topology.clientInterface, "-n", "-U", "--immediate-mode", "-w", path])
      #expect(tcpdump.waitForStderr("listening on"))
      return tcpdump
    }

    func mac(_ namespace: NetworkNamespace, _ interface: String) throws -> String {
      try namespace.execute(["cat", "/sys/class/net/\(interface)/address"]).standardOutput
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func tearDown() {
      for process in processes where process.isRunning { _ = process.stop(SIGKILL, timeout: 5) }
      processes = []
      topology.tearDown()
    }
  }

  /// The decoded frames of a capture file.
  static func frames(_ path: String) throws -> [DecodedFrame] {
    try LiveNetwork.frames(of: path).map { FrameDecoder().decode($0, linkType: .ethernet) }
  }

  @Test(
    "send without source fields: right source IP, source MAC and next-hop MAC; replies come",
    .enabled(if: LiveNetwork.isAvailable))
  func sendFillsFromTheSystem() throws {
    let net = try Network()
    defer { net.tearDown() }
    let clientMAC = try net.mac(net.topology.client, net.topology.clientInterface)
    let routerMAC = try net.mac(net.topology.router, net.topology.routerClientInterface)
    let path = LiveNetwork.temporaryPath(".pcap")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let tcpdump = try net.capture(path)
    for expression in [
      "eth/ipv4(dst=\(Self.server4))/icmp(id=71, seq=1)",
      "eth/ipv6(dst=\(Self.server6))/icmpv6(id=72, seq=1)",
      "ipv4(dst=\(Self.server4))/icmp(id=73, seq=1)",
      "ipv6(dst=\(Self.server6))/icmpv6(id=74, seq=1)",
      "eth/ipv4(dst=\(Self.server4))/tcp(sport=40001, dport=80, flags=S)",
      "ipv6(dst=\(Self.server6))/tcp(sport=40002, dport=80, flags=S)",
    ] {
      let result = try net.rawtool(["send", expression])
      #expect(result.status == 0, "\(expression): \(result.stderr)")
    }
    usleep(300_000)
    _ = tcpdump.stop()
    let frames = try Self.frames(path)
    var echoReplies: Set<UInt16> = []
    var synAcks: Set<UInt16> = []
    for frame in frames {
      guard case .ethernet(let eth)? = frame.first(.ethernet)?.header else { continue }
      switch frame.first(.ipv4)?.header ?? frame.first(.ipv6)?.header {
      case .ipv4(let ip)? where ip.dst == IPv4Address(Self.server4)!:
        #expect(ip.src == RoutedTopology.clientIPv4, "source IPv4 from the route")
        #expect("\(eth.src)" == clientMAC, "source MAC from the interface")
        #expect("\(eth.dst)" == routerMAC, "next hop: the gateway's MAC")
      case .ipv6(let ip)? where ip.dst == IPv6Address(Self.server6)!:
        #expect(ip.src == RoutedTopology.clientIPv6, "source IPv6 from the route")
        #expect("\(eth.src)" == clientMAC)
        #expect("\(eth.dst)" == routerMAC)
      default:
        break
      }
      if case .icmp(let icmp)? = frame.first(.icmp)?.header, icmp.type == 0 {
        echoReplies.insert(icmp.id)
      }
      if case .icmpv6(let icmp)? = frame.first(.icmpv6)?.header, icmp.type == 129 {
        echoReplies.insert(UInt16(icmp.rest >> 16))
      }
      if case .tcp(let tcp)? = frame.first(.tcp)?.header, tcp.flags & 0x12 == 0x12 {
        synAcks.insert(tcp.dstPort)
      }
    }
    #expect(echoReplies == [71, 72, 73, 74])
    #expect(synAcks == [40001, 40002])
  }

  @Test(
    "sport=random gives every packet its own port, and runs differ without --seed",
    .enabled(if: LiveNetwork.isAvailable))
  func randomPerPacket() throws {
    let net = try Network()
    defer { net.tearDown() }
    let path = LiveNetwork.temporaryPath(".pcap")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let tcpdump = try net.capture(path)
    for _ in 0..<2 {
      let result = try net.rawtool(
        ["send", "-c", "5", "ipv4(dst=\(Self.server4))/udp(sport=random, dport=7777)/raw(\"r\")"])
      #expect(result.status == 0, "\(result.stderr)")
    }
    usleep(300_000)
    _ = tcpdump.stop()
    let ports = try Self.frames(path).compactMap { frame -> UInt16? in
      guard case .udp(let udp)? = frame.first(.udp)?.header, udp.dstPort == 7777 else { return nil }
      return udp.srcPort
    }
    #expect(ports.count == 10)
    #expect(Set(ports.prefix(5)).count == 5, "5 packets, 5 ports: \(ports)")
    #expect(Array(ports.prefix(5)) != Array(ports.suffix(5)), "two runs without --seed differ")
    let seeded = try (0..<2).map { _ in
      try net.rawtool([
        "send", "--dry-run", "--seed", "9", "-c", "3",
        "ipv4(dst=\(Self.server4))/udp(sport=random, dport=7777)",
      ]).stdout
    }
    #expect(seeded[0] == seeded[1] && !seeded[0].isEmpty, "--seed repeats a run")
  }

  @Test(
    "probe: SA, RA, port unreachable v4/v6 through the quote, ARP and ND replies",
    .enabled(if: LiveNetwork.isAvailable))
  func probeReplies() throws {
    let net = try Network()
    defer { net.tearDown() }
    let clientMAC = try net.mac(net.topology.client, net.topology.clientInterface)
    let cases: [(expression: String, expect: String)] = [
      ("ipv4(dst=\(Self.server4))/tcp(dport=80, flags=S)", "tcp(flags=SA)"),
      (
        "ipv6(dst=\(Self.server6))/tcp(dport=80, flags=S)",
        "ipv6(src=\(Self.server6))/tcp(flags=SA)"
      ),
      ("ipv4(dst=\(Self.server4))/tcp(dport=81, flags=S)", "tcp(flags=RA)"),
      ("ipv6(dst=\(Self.server6))/tcp(dport=81, flags=S)", "tcp(flags=RA)"),
      (
        "ipv4(dst=\(Self.server4))/udp(sport=5000, dport=9)",
        "icmp(type=3, code=3)/ipv4/udp(dport=9)"
      ),
      (
        "ipv6(dst=\(Self.server6))/udp(sport=5000, dport=9)",
        "icmpv6(type=1, code=4)/ipv6/udp(dport=9)"
      ),
      ("eth/ipv4(dst=\(Self.server4))/icmp(id=9)", "icmp(type=0, id=9)"),
      ("eth/arp(target_ip=192.0.2.1)", "arp(op=2, sender_ip=192.0.2.1)"),
      (
        "eth/ipv6(dst=ff02::1:ff00:1, hop_limit=255)/icmpv6(type=135, target=2001:db8:1::1, options=[source_mac=\(clientMAC)])",
        "icmpv6(type=136, target=2001:db8:1::1)"
      ),
    ]
    for (expression, expect) in cases {
      let result = try net.rawtool(["probe", "--timeout", "2s", "--expect", expect, expression])
      #expect(
        result.status == 0, "\(expression) --expect \(expect): \(result.stdout)\(result.stderr)")
      #expect(result.stdout.contains("rtt "), "\(result.stdout)")
      #expect(result.stderr.contains("1 probes, 1 answered, 0% loss"), "\(result.stderr)")
    }
    // The JSON form: sent and reply as read --json prints them, and the rtt in ns.
    let json = try net.rawtool([
      "probe", "--json", "-c", "3", "--interval", "10ms", "ipv4(dst=\(Self.server4))/icmp(id=5)",
    ])
    #expect(json.status == 0, "\(json.stderr)")
    let objects = json.stdout.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(objects.count == 3)
    for (index, object) in objects.enumerated() {
      #expect(object["probe"] as? Int == index + 1)
      #expect((object["rtt_ns"] as? Int ?? 0) > 0)
      let reply = object["reply"] as? [String: Any]
      #expect((reply?["icmp"] as? [String: Any])?["seq"] as? Int == index, "ping-like seq")
    }
  }

  @Test(
    "--expect and --expect none give the documented exit codes both ways",
    .enabled(if: LiveNetwork.isAvailable))
  func expectations() throws {
    let net = try Network()
    defer { net.tearDown() }
    let open = "ipv4(dst=\(Self.server4))/tcp(dport=80, flags=S)"
    let closed = "ipv4(dst=\(Self.server4))/tcp(dport=81, flags=S)"
    let silent = "ipv4(dst=\(Self.server4))/udp(dport=7777)/raw(\"hello\")"
    let runs: [([String], Int32)] = [
      (["--expect", "tcp(flags=SA)", open], 0),
      (["--expect", "tcp(flags=SA)", closed], 1),
      (["--expect", "none", silent], 0),
      (["--expect", "none", closed], 1),
      ([silent], 1),
      ([open], 0),
      (["--expect", "tcp(flags=", open], 2),
      (["--expect", "tcp(bogus=1)", open], 2),
    ]
    for (arguments, status) in runs {
      let result = try net.rawtool(["probe", "--timeout", "500ms"] + arguments)
      #expect(result.status == status, "probe \(arguments): \(result.stdout)\(result.stderr)")
      if status == 2 {
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
      }
    }
  }

  @Test(
    "trace finds the router and the destination over UDP, TCP and ICMP, v4 and v6",
    .enabled(if: LiveNetwork.isAvailable))
  func trace() throws {
    let net = try Network()
    defer { net.tearDown() }
    for method in ["udp", "tcp", "icmp"] {
      for (destination, router) in [(Self.server4, "192.0.2.1"), (Self.server6, "2001:db8:1::1")] {
        let path = LiveNetwork.temporaryPath(".pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tcpdump = try net.capture(path)
        let result = try net.rawtool(
          ["trace", "--proto", method, "--max-ttl", "8", "--timeout", "500ms", destination])
        usleep(200_000)
        _ = tcpdump.stop()
        #expect(result.status == 0, "trace \(method) \(destination): \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(result.stdout)")
        #expect(lines.first?.hasPrefix(" 1  \(router)  ") == true, "\(result.stdout)")
        #expect(lines.last?.hasPrefix(" 2  \(destination)  ") == true, "\(result.stdout)")
        #expect(lines.allSatisfy { !$0.contains("*") }, "every probe answered: \(result.stdout)")
        // One flow: every probe the client sent has the same addresses, protocol and ports
        // (ICMP: identifier and checksum).
        var flows: Set<String> = []
        let clientMAC = try net.mac(net.topology.client, net.topology.clientInterface)
        for frame in try Self.frames(path) where frame.count > 2 {
          guard case .ethernet(let eth)? = frame.first(.ethernet)?.header,
            "\(eth.src)" == clientMAC
          else { continue }
          switch frame[2].header {
          case .udp(let udp): flows.insert("udp \(udp.srcPort) \(udp.dstPort)")
          case .tcp(let tcp) where tcp.flags == 0x002:
            flows.insert("tcp \(tcp.srcPort) \(tcp.dstPort)")
          case .icmp(let icmp) where icmp.type == 8:
            flows.insert("icmp \(icmp.id) \(icmp.checksum)")
          case .icmpv6(let icmp) where icmp.type == 128:
            flows.insert("icmpv6 \(icmp.rest >> 16) \(icmp.checksum)")
          default: continue
          }
        }
        #expect(flows.count == 1, "trace \(method) \(destination): one 5-tuple, got \(flows)")
      }
    }
  }

  @Test(
    "trace --json: one object per probe, as the contract gives it",
    .enabled(if: LiveNetwork.isAvailable))
  func traceJSON() throws {
    let net = try Network()
    defer { net.tearDown() }
    let result = try net.rawtool([
      "trace", "--json", "--queries", "2", "--max-ttl", "5", Self.server4,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let objects = result.stdout.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(objects.count == 4, "2 hops × 2 queries: \(result.stdout)")
    let summary = objects.map {
      "\($0["ttl"] as? Int ?? 0) \($0["query"] as? Int ?? 0) \($0["address"] as? String ?? "-") \($0["reply"] as? String ?? "-")"
    }
    #expect(
      summary == [
        "1 1 192.0.2.1 time-exceeded", "1 2 192.0.2.1 time-exceeded",
        "2 1 198.51.100.2 destination", "2 2 198.51.100.2 destination",
      ])
    #expect(objects.allSatisfy { ($0["rtt_ns"] as? Int ?? 0) > 0 })
  }

  @Test(
    "bad input: unknown interface, no route, no neighbour, bad --expect: one line each",
    .enabled(if: LiveNetwork.isAvailable))
  func badInput() throws {
    let net = try Network()
    defer { net.tearDown() }
    let runs: [([String], Int32, String)] = [
      (["send", "-i", "nosuch0", "ipv4(dst=\(Self.server4))/icmp()"], 1, "nosuch0"),
      (["probe", "-i", "nosuch0", "ipv4(dst=\(Self.server4))/icmp()"], 1, "nosuch0"),
      (["trace", "-i", "nosuch0", Self.server4], 1, "nosuch0"),
      (["send", "eth/ipv4(dst=192.0.2.99)/icmp()"], 1, "192.0.2.99"),
      (["probe", "eth/ipv6(dst=2001:db8:1::99)/icmpv6()"], 1, "2001:db8:1::99"),
      (["probe", "--expect", "tcp(", "ipv4(dst=\(Self.server4))/icmp()"], 2, "expect"),
    ]
    for (arguments, status, mention) in runs {
      let started = Date()
      let result = try net.rawtool(arguments)
      #expect(result.status == status, "\(arguments): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
      #expect(result.stderr.contains(mention), "\(arguments): \(result.stderr)")
      #expect(Date().timeIntervalSince(started) < 10, "bounded: \(arguments)")
    }
    // No CAP_NET_RAW: as nobody, with a copy of the binary nobody can run.
    if Rawtool.hasProgram("setpriv") {
      let folder = "/tmp/rawtool-probe-nobody-\(getpid())"
      try? FileManager.default.removeItem(atPath: folder)
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: false,
        attributes: [.posixPermissions: 0o755])
      defer { try? FileManager.default.removeItem(atPath: folder) }
      let binary = folder + "/rawtool"
      try FileManager.default.copyItem(atPath: Rawtool.executable, toPath: binary)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary)
      for arguments in [
        ["probe", "ipv4(dst=\(Self.server4))/tcp(dport=80, flags=S)"],
        ["trace", Self.server4], ["send", "ipv4(dst=\(Self.server4))/icmp()"],
      ] {
        let result = try LiveNetwork.run(
          "/usr/sbin/ip",
          [
            "netns", "exec", net.topology.client.name, "setpriv", "--reuid=65534",
            "--regid=65534", "--clear-groups", "--inh-caps=-all", "--", binary,
          ] + arguments,
          timeout: 10)
        #expect(result.status == 1, "\(arguments) as nobody: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(result.stderr.contains("setcap cap_net_raw"), "\(result.stderr)")
      }
    }
    // No route: the router has no default route.
    let noRoute = try LiveNetwork.run(
      "/usr/sbin/ip",
      [
        "netns", "exec", net.topology.router.name, Rawtool.executable, "send",
        "ipv4(dst=203.0.113.5)/icmp()",
      ], timeout: 10)
    #expect(noRoute.status == 1 && noRoute.stderr.contains("203.0.113.5"), "\(noRoute.stderr)")
    #expect(noRoute.stderr.split(separator: "\n").count == 1)
  }
}
