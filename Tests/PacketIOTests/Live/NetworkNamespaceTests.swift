import Foundation
import PacketIO
import PacketKit
import Testing

@Suite("Live: network namespaces", .serialized)
struct NetworkNamespaceTests {
  struct Marker: Error {}

  @Test("live tests can run (fails under RAWTOOL_REQUIRE_LIVE=1 when they cannot)")
  func liveTestsCanRun() {
    if let reason = NetworkNamespace.unavailableReason {
      #expect(!LiveGate.isRequired, "live tests skipped: \(reason)")
    }
  }

  /// The names under /run/netns.
  static func existingNamespaces() -> Set<String> {
    Set((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? [])
  }

  @Test(
    "a closure run inside sees the namespace's veth; the calling thread stays outside",
    .enabled(if: LiveGate.isAvailable))
  func closureRunsInside() throws {
    try VethPair.with(prefix: LiveGate.prefix) { pair in
      let inside = try pair.a.run { try NetworkInterface.all().map(\.name) }
      #expect(Set(inside) == ["lo", "vA"])
      let outside = try NetworkInterface.all().map(\.name)
      #expect(!outside.contains("vA"))
      let addresses = try pair.b.run {
        try NetworkInterface.named("vB").addresses.map(\.description)
      }
      #expect(addresses.contains("192.0.2.2/24"))
      #expect(addresses.contains("2001:db8::2/64"))
    }
  }

  @Test(
    "a socket opened inside stays in the namespace after the closure returns",
    .enabled(if: LiveGate.isAvailable))
  func socketStaysInside() throws {
    try VethPair.with(prefix: LiveGate.prefix) { pair in
      // A UDP socket bound to 192.0.2.2 can only exist where that address is configured.
      let fd = try pair.b.run { () throws -> Int32 in
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0xC000_0202).bigEndian
        address.sin_port = UInt16(40_000).bigEndian
        let bound = withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
          }
        }
        #expect(bound == 0)
        return fd
      }
      defer { close(fd) }
      // From A (a socket opened inside A, used on this thread), a datagram to
      // 192.0.2.2:40000 reaches the socket opened inside B, read on this thread.
      let sender = try pair.a.run { socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0) }
      defer { close(sender) }
      var target = sockaddr_in()
      target.sin_family = sa_family_t(AF_INET)
      target.sin_addr.s_addr = UInt32(0xC000_0202).bigEndian
      target.sin_port = UInt16(40_000).bigEndian
      let payload = Array("hello".utf8)
      let count = withUnsafePointer(to: &target) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          sendto(sender, payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      #expect(count == 5)
      var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      #expect(poll(&entry, 1, 3000) == 1)
      var buffer = [UInt8](repeating: 0, count: 16)
      let received = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
      #expect(Array(buffer.prefix(max(received, 0))) == payload)
    }
  }

  @Test(
    "a PacketSocket (noncopyable) opened inside is returned and sends from the caller's thread",
    .enabled(if: LiveGate.isAvailable))
  func noncopyableSocketReturned() throws {
    try VethPair.with(prefix: LiveGate.prefix) { (pair: VethPair) throws in
      let receiver = try pair.a.run { () throws -> Int32 in
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(40_001).bigEndian
        _ = withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
          }
        }
        return fd
      }
      defer { close(receiver) }
      let macA = try #require(try pair.a.run { try NetworkInterface.named(pair.interfaceA).mac })
      let sender = try pair.b.run { () throws -> PacketSocket in
        try PacketSocket(interface: NetworkInterface.named(pair.interfaceB))
      }
      let frame = try
        (Ethernet(src: sender.interface.mac ?? .zero, dst: macA)
        / IPv4(src: VethPair.ipv4B, dst: VethPair.ipv4A)
        / UDP(srcPort: 40_002, dstPort: 40_001) / Payload("ping")).build()
      try sender.send(frame)
      var entry = pollfd(fd: receiver, events: Int16(POLLIN), revents: 0)
      #expect(poll(&entry, 1, 3000) == 1)
      var buffer = [UInt8](repeating: 0, count: 16)
      let count = recv(receiver, &buffer, buffer.count, Int32(MSG_DONTWAIT))
      #expect(Array(buffer.prefix(max(count, 0))) == Array("ping".utf8))
    }
  }

  @Test(
    "the closure's result and error come back to the caller",
    .enabled(if: LiveGate.isAvailable))
  func resultAndErrorPropagate() throws {
    let namespace = try NetworkNamespace(prefix: LiveGate.prefix)
    defer { namespace.delete() }
    #expect(try namespace.run { 6 * 7 } == 42)
    #expect(throws: Marker.self) { try namespace.run { throw Marker() } }
  }

  @Test(
    "teardown removes the namespaces even when the body throws",
    .enabled(if: LiveGate.isAvailable))
  func teardownOnThrow() throws {
    var names: [String] = []
    #expect(throws: Marker.self) {
      try VethPair.with(prefix: LiveGate.prefix) { pair in
        names = [pair.a.name, pair.b.name]
        #expect(Self.existingNamespaces().isSuperset(of: names))
        throw Marker()
      }
    }
    #expect(names.count == 2)
    #expect(Self.existingNamespaces().isDisjoint(with: names))

    var routed: [String] = []
    #expect(throws: Marker.self) {
      try RoutedTopology.with(prefix: LiveGate.prefix) { topology in
        routed = [topology.client.name, topology.router.name, topology.server.name]
        throw Marker()
      }
    }
    #expect(routed.count == 3)
    #expect(Self.existingNamespaces().isDisjoint(with: routed))
  }

  @Test(
    "a server started in the background answers across the router; delete() stops it",
    .enabled(if: LiveGate.isAvailable))
  func backgroundProgram() throws {
    try RoutedTopology.with(prefix: LiveGate.prefix) { topology in
      let server = try topology.server.start([
        "python3", "-c",
        "import socket; s = socket.socket(); s.bind(('198.51.100.2', 8080)); s.listen(); "
          + "print('listening', flush=True); c, _ = s.accept(); c.sendall(b'hi'); c.close()",
      ])
      #expect(server.waitForOutput(containing: "listening", timeoutSeconds: 10))
      let client = try topology.client.execute([
        "python3", "-c",
        "import socket; print(socket.create_connection(('198.51.100.2', 8080), 3).recv(2).decode())",
      ])
      #expect(client.standardOutput == "hi\n", "\(client.standardError)")
      #expect(server.wait(timeoutSeconds: 5).status == 0)

      let sleeper = try topology.router.start(["sleep", "30"])
      #expect(sleeper.isRunning)
      topology.tearDown()
      #expect(!sleeper.isRunning)
    }
  }

  @Test(
    "a name already taken fails and leaves the existing namespace alone",
    .enabled(if: LiveGate.isAvailable))
  func nameTaken() throws {
    let existing = try NetworkNamespace(prefix: LiveGate.prefix)
    defer { existing.delete() }
    let error = #expect(throws: SystemError.self) {
      _ = try NetworkNamespace(name: existing.name)
    }
    #expect(error?.description.hasPrefix("ip netns add \(existing.name): ") == true)
    #expect(Self.existingNamespaces().contains(existing.name))
  }

  @Test("deinit deletes a namespace nobody deleted", .enabled(if: LiveGate.isAvailable))
  func deinitDeletes() throws {
    var name = ""
    do {
      let namespace = try NetworkNamespace(prefix: LiveGate.prefix)
      name = namespace.name
      #expect(Self.existingNamespaces().contains(name))
    }
    #expect(!name.isEmpty)
    #expect(!Self.existingNamespaces().contains(name))
  }

  @Test("names are unique: prefix, pid, counter")
  func uniqueNames() throws {
    let first = NetworkNamespace.uniqueName(prefix: "x")
    let second = NetworkNamespace.uniqueName(prefix: "x")
    #expect(first != second)
    #expect(first.hasPrefix("x-\(getpid())-"))
  }

  @Test(
    "the routed topology forwards client to server, IPv4 and IPv6",
    .enabled(if: LiveGate.isAvailable))
  func routedTopologyForwards() throws {
    let hostForwarding = try String(
      contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8)
    try RoutedTopology.with(prefix: LiveGate.prefix) { topology in
      for name in [
        topology.clientInterface, topology.routerClientInterface, topology.routerServerInterface,
        topology.serverInterface,
      ] {
        #expect(name.utf8.count <= 15)
      }
      let v4 = try topology.client.execute(["ping", "-c", "1", "-W", "2", "198.51.100.2"])
      #expect(v4.succeeded, "\(v4.standardOutput) \(v4.standardError)")
      let v6 = try topology.client.execute(["ping", "-6", "-c", "1", "-W", "2", "2001:db8:2::2"])
      #expect(v6.succeeded, "\(v6.standardOutput) \(v6.standardError)")
      let forwarding = try topology.router.execute(["cat", "/proc/sys/net/ipv4/ip_forward"])
      #expect(forwarding.standardOutput == "1\n")
      // The write happened inside the router's namespace only.
      let hostNow = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8)
      #expect(hostNow == hostForwarding)
    }
  }
}
