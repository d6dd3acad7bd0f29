import Foundation
import PacketKit
import Testing

@testable import PacketIO

/// Filling packets to send from the system, in the client namespace of the client — router
/// — server topology.
@Suite("Live: sending defaults", .serialized)
struct SendingDefaultsTests {
  static func sysfsMAC(_ namespace: NetworkNamespace, _ interface: String) throws -> MACAddress? {
    let result = try namespace.execute(["cat", "/sys/class/net/\(interface)/address"])
    return MACAddress(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  @Test(
    "eth/ipv4/icmp and eth/ipv6/icmpv6 to the server: source IP, source MAC, router MAC; the echo is answered",
    .enabled(if: LiveGate.isAvailable))
  func offLinkDestination() throws {
    try RoutedTopology.with(prefix: LiveGate.prefix) { topology in
      let routerMAC = try #require(
        try Self.sysfsMAC(topology.router, topology.routerClientInterface))
      let clientMAC = try #require(try Self.sysfsMAC(topology.client, topology.clientInterface))
      try topology.client.run {
        let defaults = SendingDefaults(interface: nil)
        var stack = Ethernet() / IPv4(dst: RoutedTopology.serverIPv4) / ICMP(id: 7, seq: 1)
        let interface = try defaults.fill(&stack, given: [[], ["dst"], ["id", "seq"]])
        #expect(interface.name == topology.clientInterface)
        #expect(Ethernet(stack.layers[0])?.src == clientMAC)
        #expect(Ethernet(stack.layers[0])?.dst == routerMAC)
        #expect(IPv4(stack.layers[1])?.src == RoutedTopology.clientIPv4)
        #expect(IPv4(stack.layers[1])?.dst == RoutedTopology.serverIPv4)

        // The filled frame gets its echo reply back from the server.
        let socket = try ListeningPacketSocket(interface: interface, protocolNumber: 0x0800)
        try socket.send(try stack.build())
        #expect(
          try Self.waitForReply(on: socket) { frame in
            frame.count >= 42 && frame[23] == 1 && frame[34] == 0  // ICMP echo reply
              && Array(frame[26..<30]) == [198, 51, 100, 2]
              && Array(frame[38..<42]) == [0, 7, 0, 1]
          })

        var stack6 =
          Ethernet() / IPv6(dst: RoutedTopology.serverIPv6) / ICMPv6(id: 9, seq: 1)
        let interface6 = try defaults.fill(&stack6, given: [[], ["dst"], ["id", "seq"]])
        #expect(interface6.name == topology.clientInterface)
        #expect(Ethernet(stack6.layers[0])?.src == clientMAC)
        #expect(Ethernet(stack6.layers[0])?.dst == routerMAC)
        #expect(IPv6(stack6.layers[1])?.src == RoutedTopology.clientIPv6)

        let socket6 = try ListeningPacketSocket(interface: interface, protocolNumber: 0x86DD)
        try socket6.send(try stack6.build())
        #expect(
          try Self.waitForReply(on: socket6) { frame in
            frame.count >= 62 && frame[20] == 58 && frame[54] == 129
              && Array(frame[58..<62]) == [0, 9, 0, 1]
          })
      }
    }
  }

  /// Waits at most 3 s for a frame `matches` accepts.
  static func waitForReply(on socket: borrowing ListeningPacketSocket, matches: ([UInt8]) -> Bool)
    throws -> Bool
  {
    let end = Date().addingTimeInterval(3)
    var buffer = [UInt8](repeating: 0, count: 2048)
    while Date() < end {
      guard try socket.wait(milliseconds: 100) else { continue }
      while let count = try socket.receive(into: &buffer) {
        if matches(Array(buffer[..<count])) { return true }
      }
    }
    return false
  }

  @Test(
    "given fields are kept; raw IP gets only its source; on-link uses the peer's MAC",
    .enabled(if: LiveGate.isAvailable))
  func givenFieldsKept() throws {
    try RoutedTopology.with(prefix: LiveGate.prefix) { topology in
      let routerMAC = try #require(
        try Self.sysfsMAC(topology.router, topology.routerClientInterface))
      try topology.client.run {
        let vC = try NetworkInterface.named(topology.clientInterface)
        let defaults = SendingDefaults(interface: vC)
        let chosen = MACAddress("02:00:00:00:00:99")!
        var stack =
          Ethernet(src: chosen, dst: chosen)
          / IPv4(src: IPv4Address(192, 0, 2, 77), dst: RoutedTopology.serverIPv4) / ICMP()
        _ = try defaults.fill(&stack, given: [["src", "dst"], ["src", "dst"], []])
        #expect(Ethernet(stack.layers[0]) == Ethernet(src: chosen, dst: chosen))
        #expect(IPv4(stack.layers[1])?.src == IPv4Address(192, 0, 2, 77))
        #expect(defaults.resolver.known.isEmpty)

        var raw = IPv4(dst: RoutedTopology.serverIPv4) / ICMP()
        let rawInterface = try defaults.fill(&raw, given: [["dst"], []])
        #expect(rawInterface == vC)
        #expect(raw.layers.count == 2)
        #expect(IPv4(raw.layers[0])?.src == RoutedTopology.clientIPv4)
        #expect(defaults.resolver.known.isEmpty)

        var onLink = Ethernet() / IPv4(dst: RoutedTopology.routerClientIPv4) / ICMP()
        _ = try defaults.fill(&onLink, given: [[], ["dst"], []])
        #expect(Ethernet(onLink.layers[0])?.dst == routerMAC)

        var multicast = Ethernet() / IPv4(dst: IPv4Address(224, 0, 0, 251)) / ICMP()
        _ = try defaults.fill(&multicast, given: [[], ["dst"], []])
        #expect(Ethernet(multicast.layers[0])?.dst == MACAddress("01:00:5e:00:00:fb"))

        var broadcast = Ethernet() / IPv4(dst: IPv4Address(192, 0, 2, 255)) / ICMP()
        _ = try defaults.fill(&broadcast, given: [[], ["dst"], []])
        #expect(Ethernet(broadcast.layers[0])?.dst == .broadcast)

        // 802.1Q tags between Ethernet and IP are stepped over.
        var tagged = Ethernet() / VLAN(id: 5) / IPv4(dst: RoutedTopology.serverIPv4) / ICMP()
        _ = try defaults.fill(&tagged, given: [[], ["id"], ["dst"], []])
        #expect(Ethernet(tagged.layers[0])?.dst == routerMAC)
        #expect(IPv4(tagged.layers[2])?.src == RoutedTopology.clientIPv4)
      }
    }
  }

  @Test(
    "ARP stacks get sender fields; a reply goes to its target_mac",
    .enabled(if: LiveGate.isAvailable))
  func arpSenderFields() throws {
    try RoutedTopology.with(prefix: LiveGate.prefix) { topology in
      let clientMAC = try #require(try Self.sysfsMAC(topology.client, topology.clientInterface))
      try topology.client.run {
        let defaults = SendingDefaults(interface: nil)
        var request = Ethernet() / ARP(targetIP: RoutedTopology.routerClientIPv4)
        let interface = try defaults.fill(&request, given: [[], ["target_ip"]])
        #expect(interface.name == topology.clientInterface)
        #expect(Ethernet(request.layers[0]) == Ethernet(src: clientMAC, dst: .broadcast))
        #expect(ARP(request.layers[1])?.senderMAC == clientMAC)
        #expect(ARP(request.layers[1])?.senderIP == RoutedTopology.clientIPv4)
        #expect(ARP(request.layers[1])?.targetMAC == .zero)

        let peer = MACAddress("02:00:00:00:00:42")!
        var reply =
          Ethernet() / ARP(op: 2, targetMAC: peer, targetIP: RoutedTopology.routerClientIPv4)
        _ = try defaults.fill(&reply, given: [[], ["op", "target_mac", "target_ip"]])
        #expect(Ethernet(reply.layers[0])?.dst == peer)
        #expect(ARP(reply.layers[1])?.senderIP == RoutedTopology.clientIPv4)

        // Neighbour solicitation with scapy's default destination ff02::1: routed by its target.
        var solicitation =
          Ethernet() / IPv6() / ICMPv6(type: 135, target: RoutedTopology.routerClientIPv6)
        let ndInterface = try defaults.fill(&solicitation, given: [[], [], ["type", "target"]])
        #expect(ndInterface.name == topology.clientInterface)
        #expect(IPv6(solicitation.layers[1])?.src == RoutedTopology.clientIPv6)
        #expect(
          Ethernet(solicitation.layers[0])
            == Ethernet(src: clientMAC, dst: MACAddress("33:33:00:00:00:01")!))

        let givenSender = IPv4Address(192, 0, 2, 200)
        var spoof =
          Ethernet() / ARP(senderIP: givenSender, targetIP: RoutedTopology.routerClientIPv4)
        _ = try defaults.fill(&spoof, given: [[], ["sender_ip", "target_ip"]])
        #expect(ARP(spoof.layers[1])?.senderIP == givenSender)
        #expect(ARP(spoof.layers[1])?.senderMAC == clientMAC)
      }
    }
  }

  @Test("loopback: lo, zero MACs, 127.0.0.1", .enabled(if: LiveGate.isAvailable))
  func loopback() throws {
    let namespace = try NetworkNamespace(prefix: LiveGate.prefix)
    defer { namespace.delete() }
    try namespace.run {
      let defaults = SendingDefaults(interface: nil)
      var stack =
        Ethernet(src: MACAddress("02:00:00:00:00:01")!) / IPv4(src: IPv4Address(10, 9, 9, 9))
        / ICMP()
      let interface = try defaults.fill(&stack, given: [[], [], []])
      #expect(interface.isLoopback)
      #expect(Ethernet(stack.layers[0]) == Ethernet(src: .zero, dst: .zero))
      #expect(IPv4(stack.layers[1])?.src == IPv4Address(127, 0, 0, 1))

      // -i lo: whatever the destination, the frame stays on lo with lo's addresses.
      let lo = try NetworkInterface.named("lo")
      let onLo = SendingDefaults(interface: lo)
      var v4 = Ethernet() / IPv4(dst: IPv4Address(192, 0, 2, 9)) / ICMP()
      #expect(try onLo.fill(&v4, given: [[], ["dst"], []]) == lo)
      #expect(IPv4(v4.layers[1])?.src == IPv4Address(127, 0, 0, 1))
      #expect(Ethernet(v4.layers[0]) == Ethernet(src: .zero, dst: .zero))
      var v6 = Ethernet() / IPv6(dst: IPv6Address("2001:db8::9")) / ICMPv6()
      #expect(try onLo.fill(&v6, given: [[], ["dst"], []]) == lo)
      #expect(IPv6(v6.layers[1])?.src == IPv6.loopback)
      #expect(Ethernet(v6.layers[0]) == Ethernet(src: .zero, dst: .zero))
    }
  }

  @Test(
    "no route and no neighbour: the documented one-line errors", .enabled(if: LiveGate.isAvailable))
  func failures() throws {
    try VethPair.with(prefix: LiveGate.prefix) { pair in
      try pair.a.run {
        let defaults = SendingDefaults(
          interface: nil, resolver: NeighbourResolver(attempts: 2, interval: 0.2))
        var far = Ethernet() / IPv4(dst: IPv4Address(203, 0, 113, 9)) / ICMP()
        let noRoute = #expect(throws: SystemError.self) {
          try defaults.fill(&far, given: [[], ["dst"], []])
        }
        #expect(noRoute?.description == "no route to 203.0.113.9: Network is unreachable")

        var missing = Ethernet() / IPv4(dst: IPv4Address(192, 0, 2, 99)) / ICMP()
        let noReply = #expect(throws: SystemError.self) {
          try defaults.fill(&missing, given: [[], ["dst"], []])
        }
        #expect(noReply?.description == "192.0.2.99: no ARP reply on vA (2 requests in 0.4 s)")
      }
    }
  }
}
