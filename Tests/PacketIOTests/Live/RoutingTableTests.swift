import Foundation
import PacketIO
import PacketKit
import Testing

/// Route lookups inside the client namespace of the client — router — server topology.
@Suite("Live: routes", .serialized)
struct RoutingTableTests {
  @Test("on-link, via the gateway and no route, IPv4 and IPv6", .enabled(if: LiveGate.isAvailable))
  func routes() throws {
    try RoutedTopology.with(prefix: LiveGate.prefix) { topology in
      try topology.client.run {
        let table = RoutingTable()
        let vC = try NetworkInterface.named(topology.clientInterface)

        let onLink4 = try table.route(to: .ipv4(RoutedTopology.routerClientIPv4))
        #expect(onLink4.interface.name == "vC")
        #expect(onLink4.gateway == nil)
        #expect(onLink4.source == .ipv4(RoutedTopology.clientIPv4))
        #expect(onLink4.nextHop == .ipv4(RoutedTopology.routerClientIPv4))
        #expect(onLink4.kind == .unicast)

        let via4 = try table.route(to: .ipv4(RoutedTopology.serverIPv4))
        #expect(via4.interface == vC)
        #expect(via4.gateway == .ipv4(RoutedTopology.routerClientIPv4))
        #expect(via4.source == .ipv4(RoutedTopology.clientIPv4))
        #expect(via4.nextHop == .ipv4(RoutedTopology.routerClientIPv4))
        #expect(via4.description == "198.51.100.2 via 192.0.2.1 dev vC src 192.0.2.2")

        let onLink6 = try table.route(to: .ipv6(RoutedTopology.routerClientIPv6))
        #expect(onLink6.interface.name == "vC")
        #expect(onLink6.gateway == nil)
        #expect(onLink6.source == .ipv6(RoutedTopology.clientIPv6))

        let via6 = try table.route(to: .ipv6(RoutedTopology.serverIPv6))
        #expect(via6.interface.name == "vC")
        #expect(via6.gateway == .ipv6(RoutedTopology.routerClientIPv6))
        #expect(via6.source == .ipv6(RoutedTopology.clientIPv6))

        // With -i: the same answer, for that interface.
        let forced = try table.route(to: .ipv4(RoutedTopology.serverIPv4), through: vC)
        #expect(forced.gateway == .ipv4(RoutedTopology.routerClientIPv4))

        // Own address: local, through lo.
        let local = try table.route(to: .ipv4(RoutedTopology.clientIPv4))
        #expect(local.kind == .local)
        #expect(local.interface.isLoopback)
      }
    }
  }

  @Test("no route: one line naming the address (ENETUNREACH)", .enabled(if: LiveGate.isAvailable))
  func noRoute() throws {
    let namespace = try NetworkNamespace(prefix: LiveGate.prefix)
    defer { namespace.delete() }
    try namespace.run {
      let table = RoutingTable()
      let v4 = #expect(throws: SystemError.self) {
        try table.route(to: .ipv4(IPv4Address(203, 0, 113, 9)))
      }
      #expect(v4?.errno == ENETUNREACH)
      #expect(v4?.description == "no route to 203.0.113.9: Network is unreachable")
      let v6 = #expect(throws: SystemError.self) {
        try table.route(to: IPAddress("2001:db8:3::9")!)
      }
      #expect(v6?.errno == ENETUNREACH)
      #expect(v6?.description.hasPrefix("no route to 2001:db8:3::9") == true)
    }
  }
}
