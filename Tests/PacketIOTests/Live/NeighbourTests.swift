import Foundation
import PacketIO
import PacketKit
import Testing

/// Neighbour lookup and resolution against the kernel of the peer namespace.
@Suite("Live: neighbours", .serialized)
struct NeighbourTests {
  /// The MAC the peer's kernel reports for `interface` in /sys/class/net.
  static func sysfsMAC(_ namespace: NetworkNamespace, _ interface: String) throws -> MACAddress? {
    let result = try namespace.execute(["cat", "/sys/class/net/\(interface)/address"])
    return MACAddress(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  @Test(
    "ARP and ND resolve the router's MAC; the table then has it", .enabled(if: LiveGate.isAvailable)
  )
  func resolvesByAsking() throws {
    try RoutedTopology.with(prefix: LiveGate.prefix) { topology in
      let routerMAC = try Self.sysfsMAC(topology.router, topology.routerClientInterface)
      #expect(routerMAC != nil)
      try topology.client.run {
        let vC = try NetworkInterface.named(topology.clientInterface)
        let table = NeighbourTable()
        let router4 = IPAddress.ipv4(RoutedTopology.routerClientIPv4)
        let router6 = IPAddress.ipv6(RoutedTopology.routerClientIPv6)
        #expect(try table.lookup(router4, on: vC) == nil)
        #expect(try table.lookup(router6, on: vC) == nil)

        let resolver = NeighbourResolver()
        let start = Date()
        #expect(try resolver.resolve(router4, on: vC) == routerMAC)
        #expect(try resolver.resolve(router6, on: vC) == routerMAC)
        #expect(Date().timeIntervalSince(start) < 1.0)
        #expect(resolver.known.count == 2)
      }
      // The kernel learned nothing from our exchange; ping fills its table, which is then used.
      let ping = try topology.client.execute(["ping", "-c", "1", "-W", "2", "192.0.2.1"])
      #expect(ping.succeeded)
      try topology.client.run {
        let vC = try NetworkInterface.named(topology.clientInterface)
        let entry = try NeighbourTable().entries(family: AF_INET, on: vC)
          .first { $0.address == .ipv4(RoutedTopology.routerClientIPv4) }
        #expect(entry?.mac == routerMAC)
        #expect(entry?.isUsable == true)
        #expect(
          try NeighbourTable().lookup(.ipv4(RoutedTopology.routerClientIPv4), on: vC) == routerMAC)
      }
    }
  }

  @Test(
    "resolution on a veth pair, IPv4 and IPv6, from either side", .enabled(if: LiveGate.isAvailable)
  )
  func resolvesOnVethPair() throws {
    try VethPair.with(prefix: LiveGate.prefix) { pair in
      let macB = try Self.sysfsMAC(pair.b, pair.interfaceB)
      let macA = try Self.sysfsMAC(pair.a, pair.interfaceA)
      try pair.a.run {
        let vA = try NetworkInterface.named(pair.interfaceA)
        let resolver = NeighbourResolver(attempts: 2, interval: 0.5)
        #expect(try resolver.resolve(.ipv4(VethPair.ipv4B), on: vA) == macB)
        #expect(try resolver.resolve(.ipv6(VethPair.ipv6B), on: vA) == macB)
      }
      try pair.b.run {
        let vB = try NetworkInterface.named(pair.interfaceB)
        #expect(try NeighbourResolver().resolve(.ipv6(VethPair.ipv6A), on: vB) == macA)
      }
    }
  }

  @Test(
    "nobody has 192.0.2.99: the documented error, within the bounded time",
    .enabled(if: LiveGate.isAvailable))
  func failingResolution() throws {
    try VethPair.with(prefix: LiveGate.prefix) { pair in
      try pair.a.run {
        let vA = try NetworkInterface.named(pair.interfaceA)
        let resolver = NeighbourResolver(attempts: 3, interval: 0.2)
        let start = Date()
        let error = #expect(throws: SystemError.self) {
          try resolver.resolve(IPAddress("192.0.2.99")!, on: vA)
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(error?.description == "192.0.2.99: no ARP reply on vA (3 requests in 0.6 s)")
        #expect(error?.errno == EHOSTUNREACH)
        #expect(elapsed >= 0.59 && elapsed < 1.5)

        let error6 = #expect(throws: SystemError.self) {
          try resolver.resolve(IPAddress("2001:db8::99")!, on: vA)
        }
        #expect(
          error6?.description
            == "2001:db8::99: no neighbour advertisement on vA (3 solicitations in 0.6 s)")
      }
    }
  }

  @Test("default resolution gives up after 3 requests in 3 s", .enabled(if: LiveGate.isAvailable))
  func defaultBound() throws {
    try VethPair.with(prefix: LiveGate.prefix) { pair in
      try pair.a.run {
        let vA = try NetworkInterface.named(pair.interfaceA)
        let start = Date()
        let error = #expect(throws: SystemError.self) {
          try NeighbourResolver().resolve(IPAddress("192.0.2.99")!, on: vA)
        }
        #expect(error?.description == "192.0.2.99: no ARP reply on vA (3 requests in 3.0 s)")
        #expect(Date().timeIntervalSince(start) < 3.5)
      }
    }
  }

  @Test("multicast, broadcast and loopback need nobody")
  func mappedWithoutAsking() throws {
    let lo = try NetworkInterface.named("lo")
    let resolver = NeighbourResolver()
    #expect(
      try resolver.resolve(IPAddress("224.0.0.251")!, on: lo) == MACAddress("01:00:5e:00:00:fb"))
    #expect(
      try resolver.resolve(IPAddress("239.255.255.250")!, on: lo) == MACAddress("01:00:5e:7f:ff:fa")
    )
    #expect(try resolver.resolve(IPAddress("255.255.255.255")!, on: lo) == .broadcast)
    #expect(try resolver.resolve(IPAddress("ff02::1")!, on: lo) == MACAddress("33:33:00:00:00:01"))
    #expect(
      try resolver.resolve(IPAddress("ff02::1:ff00:2")!, on: lo) == MACAddress("33:33:ff:00:00:02"))
    #expect(try resolver.resolve(IPAddress("192.0.2.7")!, on: lo) == .zero)
    #expect(
      IPAddress("2001:db8::1234:5678")!.solicitedNodeAddress == IPv6Address("ff02::1:ff34:5678"))
  }

  @Test("the request frames and the recognition of answers")
  func requestFrames() throws {
    let mac = MACAddress("02:00:00:00:00:01")!
    let arp = ResolutionMessages.request(
      for: IPAddress("192.0.2.2")!, from: mac, source: IPAddress("192.0.2.1")!)
    // scapy: Ether(src="02:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff")/ARP(hwsrc=..., psrc="192.0.2.1", pdst="192.0.2.2")
    #expect(
      arp
        == bytes(
          hex: "ffffffffffff020000000001080600010800060400010200000000"
            + "01c0000201000000000000c0000202"))
    // The reply, as the peer's kernel sends it.
    let reply = bytes(
      hex: "020000000001020000000002080600010800060400020200000000"
        + "02c0000202020000000001c0000201")
    #expect(
      ResolutionMessages.answer(in: reply, for: IPAddress("192.0.2.2")!)
        == MACAddress("02:00:00:00:00:02"))
    #expect(ResolutionMessages.answer(in: reply, for: IPAddress("192.0.2.3")!) == nil)
    #expect(ResolutionMessages.answer(in: arp, for: IPAddress("192.0.2.2")!) == nil)

    let ns = ResolutionMessages.request(
      for: IPAddress("2001:db8::2")!, from: mac, source: IPAddress("2001:db8::1")!)
    // scapy: Ether(src=..., dst="33:33:ff:00:00:02")/IPv6(src="2001:db8::1", dst="ff02::1:ff00:2")
    //   /ICMPv6ND_NS(tgt="2001:db8::2")/ICMPv6NDOptSrcLLAddr(lladdr="02:00:00:00:00:01")
    #expect(
      ns
        == bytes(
          hex: "3333ff00000202000000000186dd6000000000203aff20010db800000000000000000000"
            + "0001ff0200000000000000000001ff00000287001c270000000020010db800000000000000"
            + "00000000020101020000000001"))
  }
}
