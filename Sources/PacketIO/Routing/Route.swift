import CPacketIO
import Glibc

/// The kernel's answer to "how does a packet to this address leave?": the interface, the
/// source address it would carry and the next hop (RTM_GETROUTE, as `ip route get` shows).
public struct Route: Sendable, Hashable, CustomStringConvertible {
  /// The kind of route (`rtm_type`).
  public enum Kind: Sendable, Hashable {
    /// A unicast destination, on-link or via a gateway (RTN_UNICAST).
    case unicast
    /// One of this host's own addresses (RTN_LOCAL): the packet goes to `lo`.
    case local
    /// A directed or limited broadcast address (RTN_BROADCAST).
    case broadcast
    /// A multicast group (RTN_MULTICAST).
    case multicast
    /// Any other type, by number.
    case other(UInt8)

    init(rawValue: UInt8) {
      switch Int32(rawValue) {
      case Int32(RTN_UNICAST): self = .unicast
      case Int32(RTN_LOCAL): self = .local
      case Int32(RTN_BROADCAST): self = .broadcast
      case Int32(RTN_MULTICAST): self = .multicast
      default: self = .other(rawValue)
      }
    }
  }

  /// The address looked up.
  public var destination: IPAddress
  /// The interface the packet leaves by (RTA_OIF).
  public var interface: NetworkInterface
  /// The source address it carries: the route's preferred source (RTA_PREFSRC), or else
  /// the interface's first address of the family (nil when it has none).
  public var source: IPAddress?
  /// The router the packet is handed to (RTA_GATEWAY); nil when the destination is on-link.
  public var gateway: IPAddress?
  /// The kind of route.
  public var kind: Kind

  /// The address whose link-layer address the frame is sent to: the gateway, or the
  /// destination itself when it is on-link.
  public var nextHop: IPAddress { gateway ?? destination }

  /// A route with these values (the kernel's come from `RoutingTable.route(to:through:)`).
  public init(
    destination: IPAddress, interface: NetworkInterface, source: IPAddress?, gateway: IPAddress?,
    kind: Kind = .unicast
  ) {
    self.destination = destination
    self.interface = interface
    self.source = source
    self.gateway = gateway
    self.kind = kind
  }

  /// As `ip route get` prints it: `198.51.100.2 via 192.0.2.1 dev vC src 192.0.2.2`.
  public var description: String {
    var text = "\(destination)"
    if let gateway { text += " via \(gateway)" }
    text += " dev \(interface.name)"
    if let source { text += " src \(source)" }
    return text
  }
}
