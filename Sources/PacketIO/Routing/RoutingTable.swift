import CPacketIO
import Glibc

/// The kernel's routing table, asked one destination at a time (as `ip route get`).
///
/// Lookups happen in the network namespace of the calling thread. Needs no privileges.
public struct RoutingTable: Sendable {
  /// The table of the calling thread's network namespace.
  public init() {}

  /// The route a packet to `destination` takes.
  ///
  /// - Parameters:
  ///   - destination: the packet's destination address.
  ///   - interface: the interface the packet must leave by (the user's `-i`); the kernel
  ///     then answers for that interface only (RTA_OIF), treating the destination as
  ///     on-link when no route through it exists.
  /// - Throws: `SystemError` `no route to 203.0.113.9: Network is unreachable` (ENETUNREACH)
  ///   when nothing routes there; other netlink failures as they come.
  ///
  /// The corresponding C calls are `socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)` and a
  /// `RTM_GETROUTE` request with RTA_DST (and RTA_OIF) in a `struct rtmsg`; the answer's
  /// RTA_OIF, RTA_PREFSRC and RTA_GATEWAY make the route. The interface comes from
  /// `NetworkInterface.all()` (getifaddrs).
  public func route(to destination: IPAddress, through interface: NetworkInterface? = nil)
    throws(SystemError) -> Route
  {
    var header = rtmsg()
    header.rtm_family = UInt8(destination.family)
    header.rtm_dst_len = UInt8(destination.octets.count * 8)
    let familyHeader = withUnsafeBytes(of: header) { Array($0) }
    var attributes: [(type: UInt16, value: [UInt8])] = [
      (UInt16(RTA_DST.rawValue), destination.octets)
    ]
    if let interface {
      attributes.append(
        (UInt16(RTA_OIF.rawValue), withUnsafeBytes(of: UInt32(interface.index)) { Array($0) }))
    }
    let failure = SystemError(
      operation: "no route to \(destination)" + (interface.map { " via \($0.name)" } ?? ""),
      errno: ENETUNREACH)
    var socket = try NetlinkSocket()
    let answers: [NetlinkMessage]
    do {
      answers = try socket.ask(
        type: UInt16(RTM_GETROUTE), familyHeader: familyHeader, attributes: attributes,
        operation: "RTM_GETROUTE \(destination)")
    } catch {
      switch error.errno {
      case ENETUNREACH, EHOSTUNREACH, EACCES:
        throw SystemError(operation: failure.operation, errno: error.errno)
      default: throw error
      }
    }
    guard let answer = answers.first(where: { $0.type == UInt16(RTM_NEWROUTE) }),
      answer.payload.count >= MemoryLayout<rtmsg>.size
    else { throw failure }
    let type = answer.payload[7]  // rtm_type
    let kind = Route.Kind(rawValue: type)
    switch Int32(type) {
    case Int32(RTN_UNREACHABLE), Int32(RTN_PROHIBIT), Int32(RTN_BLACKHOLE), Int32(RTN_THROW):
      throw failure
    default: break
    }
    let fields = answer.attributes(afterFamilyHeader: MemoryLayout<rtmsg>.size)
    guard let oif = fields[UInt16(RTA_OIF.rawValue)], oif.count == 4 else { throw failure }
    let index = Int(oif.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
    let interfaces = try NetworkInterface.all()
    guard let outgoing = interfaces.first(where: { $0.index == index }) else {
      throw SystemError(
        operation: "route to \(destination)", errno: ENODEV,
        detail: "interface index \(index) vanished")
    }
    let gateway = fields[UInt16(RTA_GATEWAY.rawValue)].flatMap { IPAddress(octets: $0) }
    let source =
      fields[UInt16(RTA_PREFSRC.rawValue)].flatMap { IPAddress(octets: $0) }
      ?? outgoing.preferredSource(toward: destination)
    return Route(
      destination: destination, interface: outgoing, source: source, gateway: gateway, kind: kind)
  }
}
