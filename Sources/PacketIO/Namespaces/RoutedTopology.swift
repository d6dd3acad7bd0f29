import PacketKit

/// Three network namespaces, client — router — server, with documentation addresses and
/// forwarding, for live tests of what crosses a router (gateway MACs, TTL, ICMP errors).
///
/// ```
/// client                 router                                 server
///   vC 192.0.2.2/24  ---  vRC 192.0.2.1/24    vRS 198.51.100.1/24  ---  vS 198.51.100.2/24
///      2001:db8:1::2/64       2001:db8:1::1/64    2001:db8:2::1/64          2001:db8:2::2/64
/// ```
///
/// The client's default routes go via 192.0.2.1 and 2001:db8:1::1, the server's via
/// 198.51.100.1 and 2001:db8:2::1; the router forwards IPv4 and IPv6
/// (`net.ipv4.ip_forward=1`, `net.ipv6.conf.all.forwarding=1` in its namespace). IPv6
/// addresses use `nodad` (duplicate address detection is off in the three namespaces); the
/// initializer returns once every interface is running. Nothing here can reach the host's network.
///
/// `tearDown()` deletes the three namespaces; it also happens in `deinit`, and `with` does
/// it on every exit path.
public final class RoutedTopology: Sendable {
  /// The client's namespace.
  public let client: NetworkNamespace
  /// The router's namespace.
  public let router: NetworkNamespace
  /// The server's namespace.
  public let server: NetworkNamespace
  /// The client's interface.
  public let clientInterface = "vC"
  /// The router's interface toward the client.
  public let routerClientInterface = "vRC"
  /// The router's interface toward the server.
  public let routerServerInterface = "vRS"
  /// The server's interface.
  public let serverInterface = "vS"

  /// 192.0.2.2.
  public static let clientIPv4 = IPv4Address(192, 0, 2, 2)
  /// 192.0.2.1: the client's gateway.
  public static let routerClientIPv4 = IPv4Address(192, 0, 2, 1)
  /// 198.51.100.1: the server's gateway.
  public static let routerServerIPv4 = IPv4Address(198, 51, 100, 1)
  /// 198.51.100.2.
  public static let serverIPv4 = IPv4Address(198, 51, 100, 2)
  /// 2001:db8:1::2.
  public static let clientIPv6 = IPv6Address(high: 0x2001_0db8_0001_0000, low: 2)
  /// 2001:db8:1::1: the client's gateway.
  public static let routerClientIPv6 = IPv6Address(high: 0x2001_0db8_0001_0000, low: 1)
  /// 2001:db8:2::1: the server's gateway.
  public static let routerServerIPv6 = IPv6Address(high: 0x2001_0db8_0002_0000, low: 1)
  /// 2001:db8:2::2.
  public static let serverIPv6 = IPv6Address(high: 0x2001_0db8_0002_0000, low: 2)

  /// Creates the namespaces (`PREFIX-PID-N`), links, addresses, routes and forwarding.
  ///
  /// - Throws: `SystemError` from `ip` or the sysctl write; whatever was created is deleted
  ///   first.
  public init(prefix: String = "rawtool") throws(SystemError) {
    var made: [NetworkNamespace] = []
    do {
      for _ in 0..<3 { made.append(try NetworkNamespace(prefix: prefix)) }
    } catch {
      for namespace in made { namespace.delete() }
      throw error
    }
    client = made[0]
    router = made[1]
    server = made[2]
    do {
      for namespace in made { try namespace.disableDuplicateAddressDetection() }
      try ProgramRunner.ip([
        "link", "add", clientInterface, "netns", client.name, "type", "veth", "peer", "name",
        routerClientInterface, "netns", router.name,
      ])
      try ProgramRunner.ip([
        "link", "add", serverInterface, "netns", server.name, "type", "veth", "peer", "name",
        routerServerInterface, "netns", router.name,
      ])
      let plan: [(NetworkNamespace, String, String, String)] = [
        (client, clientInterface, "\(Self.clientIPv4)/24", "\(Self.clientIPv6)/64"),
        (
          router, routerClientInterface, "\(Self.routerClientIPv4)/24",
          "\(Self.routerClientIPv6)/64"
        ),
        (
          router, routerServerInterface, "\(Self.routerServerIPv4)/24",
          "\(Self.routerServerIPv6)/64"
        ),
        (server, serverInterface, "\(Self.serverIPv4)/24", "\(Self.serverIPv6)/64"),
      ]
      for (namespace, interface, ipv4, ipv6) in plan {
        try namespace.ip(["addr", "add", ipv4, "dev", interface])
        try namespace.ip(["addr", "add", ipv6, "dev", interface, "nodad"])
        try namespace.ip(["link", "set", interface, "up"])
      }
      try router.setSysctl("net.ipv4.ip_forward", to: "1")
      try router.setSysctl("net.ipv6.conf.all.forwarding", to: "1")
      try client.ip(["route", "add", "default", "via", "\(Self.routerClientIPv4)"])
      try client.ip(["-6", "route", "add", "default", "via", "\(Self.routerClientIPv6)"])
      try server.ip(["route", "add", "default", "via", "\(Self.routerServerIPv4)"])
      try server.ip(["-6", "route", "add", "default", "via", "\(Self.routerServerIPv6)"])
      try client.waitUntilRunning([clientInterface])
      try router.waitUntilRunning([routerClientInterface, routerServerInterface])
      try server.waitUntilRunning([serverInterface])
    } catch {
      tearDown()
      throw error
    }
  }

  deinit { tearDown() }

  /// Deletes the three namespaces; does nothing the second time.
  public func tearDown() {
    client.delete()
    router.delete()
    server.delete()
  }

  /// Creates the topology, runs `body` with it and tears it down, however `body` ends.
  public static func with<T>(prefix: String = "rawtool", _ body: (RoutedTopology) throws -> T)
    throws -> T
  {
    let topology = try RoutedTopology(prefix: prefix)
    defer { topology.tearDown() }
    return try body(topology)
  }

  /// Creates the topology, runs `body` with it and tears it down, however `body` ends.
  public static func with<T>(
    prefix: String = "rawtool", _ body: (RoutedTopology) async throws -> T
  ) async throws -> T {
    let topology = try RoutedTopology(prefix: prefix)
    defer { topology.tearDown() }
    return try await body(topology)
  }
}
