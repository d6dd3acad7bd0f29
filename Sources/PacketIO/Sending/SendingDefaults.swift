import Glibc
import PacketKit
import Synchronization

/// Fills the fields a user left out of a packet to *send* from what the system knows, as
/// scapy and hping3 do:
///
/// - IPv4 / IPv6 `src`: the route's source toward `dst` (the outermost IP layer only);
/// - `eth.src`: the interface's MAC;
/// - `eth.dst` before IP: the MAC of the route's gateway, or of the destination when it is
///   on-link, from the neighbour table or resolved by ARP / neighbour solicitation;
///   multicast and broadcast destinations map to their MACs; zeros on a loopback interface;
/// - `eth.dst` before ARP: broadcast for a request, `target_mac` for a reply that gives one;
/// - `arp.sender_mac`: the interface's MAC; `arp.sender_ip`: the route's source toward
///   `target_ip`, or the interface's IPv4 address.
///
/// Without an interface the route picks it (for an ARP-only stack, the route to
/// `target_ip`; for neighbour discovery sent to a multicast group, the route to the
/// message's target). Stacks that start at the IP layer get only the IP source. Routes and
/// neighbour answers are kept for the life of the value, so a run of many packets asks
/// once per destination. A dry run uses the same call: it may resolve neighbours, since it
/// shows the packets as they would leave.
///
/// ```swift
/// let defaults = SendingDefaults(interface: nil)
/// var stack = Ethernet() / IPv4(dst: IPv4Address(198, 51, 100, 2)) / ICMP()
/// let interface = try defaults.fill(&stack, given: [[], ["dst"], []])
/// let socket = try PacketSocket(interface: interface)
/// try socket.send(try stack.build())
/// ```
///
/// Everything happens in the network namespace of the calling thread.
public final class SendingDefaults: Sendable {
  /// The interface the user chose (`-i`), or nil to let the route pick.
  public let interface: NetworkInterface?
  /// The routing table asked.
  public let routes: RoutingTable
  /// The neighbour resolver, with its cache of answers.
  public let resolver: NeighbourResolver
  private let knownRoutes = Mutex<[IPAddress: Route]>([:])

  /// Defaults for packets sent on `interface` (nil: the route's interface), resolving
  /// neighbours with `resolver` (3 requests, 1 s apart, by default).
  public init(
    interface: NetworkInterface?, routes: RoutingTable = RoutingTable(),
    resolver: NeighbourResolver = NeighbourResolver()
  ) {
    self.interface = interface
    self.routes = routes
    self.resolver = resolver
  }

  /// The route to `destination` through the chosen interface, asked once and kept.
  ///
  /// When the user chose the interface and the kernel has no route through it (IPv6 does
  /// not assume on-link as IPv4 does, nor does anything on `lo`), the destination is taken
  /// as on-link there, with the interface's own address as source: the packet leaves where
  /// the user said.
  ///
  /// - Throws: `SystemError` `no route to 203.0.113.9: Network is unreachable` (only
  ///   without a chosen interface).
  public func route(to destination: IPAddress) throws(SystemError) -> Route {
    if let known = knownRoutes.withLock({ $0[destination] }) { return known }
    let found: Route
    do {
      found = try routes.route(to: destination, through: interface)
    } catch {
      guard let interface, error.errno == ENETUNREACH || error.errno == EHOSTUNREACH else {
        throw error
      }
      found = Route(
        destination: destination, interface: interface,
        source: interface.preferredSource(toward: destination), gateway: nil,
        kind: interface.isLoopback ? .local : .unicast)
    }
    knownRoutes.withLock { $0[destination] = found }
    return found
  }

  /// The interface a packet to `destination` leaves by (the chosen one, else the route's),
  /// with the Ethernet header at `ethernetIndex` (if any) filled for it.
  private func leave(
    _ stack: inout PacketStack, by route: Route, to destination: IPAddress, ethernetIndex: Int?,
    given: Set<String>
  ) throws(SystemError) -> NetworkInterface {
    let outgoing = interface ?? route.interface
    if let ethernetIndex {
      try fillEthernet(&stack, at: ethernetIndex, given: given, on: outgoing) {
        () throws(SystemError) in
        try self.linkDestination(of: route, destination: destination, on: outgoing)
      }
    }
    return outgoing
  }

  /// Fills the fields of `stack` that `given` does not name, and returns the interface to
  /// send it on.
  ///
  /// - Parameters:
  ///   - stack: the packet's layers, outermost first, filled in place.
  ///   - given: for each layer of `stack`, the contract names of the fields the user gave
  ///     (`PacketExpression.givenFields()`); a missing set counts as empty.
  /// - Throws: `SystemError` when nothing routes to the destination, when neighbour
  ///   resolution gets no answer (naming the address and interface), or when a stack with
  ///   neither IP nor ARP inside has no interface to leave by.
  public func fill(_ stack: inout PacketStack, given: [Set<String>]) throws(SystemError)
    -> NetworkInterface
  {
    func gave(_ index: Int) -> Set<String> { index < given.count ? given[index] : [] }
    var index = 0
    var ethernetIndex: Int? = nil
    if case .ethernet? = stack.layers.first {
      ethernetIndex = 0
      index = 1
      while index < stack.layers.count, case .vlan = stack.layers[index] { index += 1 }
    }
    let next = index + 1 < stack.layers.count ? stack.layers[index + 1] : nil
    let inner = index < stack.layers.count ? stack.layers[index] : nil

    switch inner {
    case .ipv4(var layer):
      let destination = IPAddress.ipv4(layer.dst)
      let route = try route(to: destination)
      if !gave(index).contains(FieldName.src.string), case .ipv4(let source)? = route.source {
        layer.src = source
        stack.layers[index] = .ipv4(layer)
      }
      return try leave(
        &stack, by: route, to: destination, ethernetIndex: ethernetIndex,
        given: ethernetIndex.map(gave) ?? [])

    case .ipv6(var layer):
      let destination = IPAddress.ipv6(layer.dst ?? Self.defaultIPv6Destination(before: next))
      // A neighbour-discovery message to a multicast group, without -i, leaves where its
      // target is: the kernel would pick any interface for ff02::/16.
      var routed = destination
      if interface == nil, destination.isMulticast, case .icmpv6(let message)? = next,
        message.isNeighbourDiscovery, let target = message.target
      {
        routed = .ipv6(target)
      }
      let route = try route(to: routed)
      if !gave(index).contains(FieldName.src.string), case .ipv6(let source)? = route.source {
        layer.src = source
        stack.layers[index] = .ipv6(layer)
      }
      return try leave(
        &stack, by: route, to: destination, ethernetIndex: ethernetIndex,
        given: ethernetIndex.map(gave) ?? [])

    case .arp(var layer):
      let target = IPAddress.ipv4(layer.targetIP)
      let route: Route?
      if interface == nil {
        route = try self.route(to: target)
      } else {
        route = try? self.route(to: target)
      }
      guard let outgoing = interface ?? route?.interface else {
        throw SystemError(operation: "arp", errno: ENODEV, detail: "no interface")
      }
      let fields = gave(index)
      if !fields.contains(FieldName.senderMAC.string), let mac = outgoing.mac {
        layer.senderMAC = mac
      }
      if !fields.contains(FieldName.senderIP.string) {
        if let route, route.interface.index == outgoing.index,
          case .ipv4(let source)? = route.source
        {
          layer.senderIP = source
        } else if case .ipv4(let source)? = outgoing.addresses.map(\.ipAddress).first(where: {
          $0.family == AF_INET
        }) {
          layer.senderIP = source
        }
      }
      stack.layers[index] = .arp(layer)
      if let ethernetIndex {
        let reply = layer.op == 2 && fields.contains(FieldName.targetMAC.string)
        let destination = reply ? layer.targetMAC : MACAddress.broadcast
        try fillEthernet(&stack, at: ethernetIndex, given: gave(ethernetIndex), on: outgoing) {
          () throws(SystemError) in destination
        }
      }
      return outgoing

    default:
      guard let outgoing = interface else {
        throw SystemError(
          operation: "send", errno: EDESTADDRREQ,
          detail: "no IP or ARP layer to route by: give the interface (-i)")
      }
      if let ethernetIndex {
        try fillEthernet(&stack, at: ethernetIndex, given: gave(ethernetIndex), on: outgoing) {
          () throws(SystemError) in MACAddress.broadcast
        }
      }
      return outgoing
    }
  }

  /// Sets `eth.src` to the interface's MAC and `eth.dst` to `destination()` unless given,
  /// on interfaces with a MAC; `destination` is asked only when `dst` is missing.
  private func fillEthernet(
    _ stack: inout PacketStack, at index: Int, given: Set<String>, on outgoing: NetworkInterface,
    destination: () throws(SystemError) -> MACAddress
  ) throws(SystemError) {
    guard case .ethernet(var layer) = stack.layers[index] else { return }
    guard let mac = outgoing.mac else { return }
    if !given.contains(FieldName.src.string) { layer.src = mac }
    if !given.contains(FieldName.dst.string) { layer.dst = try destination() }
    stack.layers[index] = .ethernet(layer)
  }

  /// The MAC a frame carrying a datagram to `destination` along `route` goes to.
  private func linkDestination(
    of route: Route, destination: IPAddress, on outgoing: NetworkInterface
  )
    throws(SystemError) -> MACAddress
  {
    if outgoing.isLoopback { return .zero }
    if let mapped = destination.multicastMAC { return mapped }
    switch route.kind {
    case .broadcast: return .broadcast
    case .local: return outgoing.mac ?? .zero
    default: break
    }
    let source = route.interface.index == outgoing.index ? route.source : nil
    return try resolver.resolve(route.nextHop, on: outgoing, source: source)
  }

  /// The IPv6 destination of a layer that gives none, as `IPv6` builds it: ff02::1 before a
  /// neighbour-discovery message, else ::1.
  private static func defaultIPv6Destination(before next: StackLayer?) -> IPv6Address {
    if case .icmpv6(let message)? = next, message.isNeighbourDiscovery {
      return IPv6Address(high: 0xFF02_0000_0000_0000, low: 1)
    }
    return IPv6.loopback
  }
}
