import CPacketIO
import Glibc
import PacketKit

/// The kernel's neighbour table (RTM_GETNEIGH), read in the network namespace of the
/// calling thread. Needs no privileges.
public struct NeighbourTable: Sendable {
  /// The table of the calling thread's network namespace.
  public init() {}

  /// Every entry of `family` (AF_INET, AF_INET6, or AF_UNSPEC for both), on `interface`
  /// only when given.
  ///
  /// - Throws: `SystemError` from netlink.
  ///
  /// The corresponding C calls are `socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)` and an
  /// `RTM_GETNEIGH` dump (`NLM_F_DUMP`) with a `struct ndmsg`; each answer's NDA_DST and
  /// NDA_LLADDR make an entry.
  public func entries(family: Int32 = AF_UNSPEC, on interface: NetworkInterface? = nil)
    throws(SystemError) -> [Neighbour]
  {
    var header = ndmsg()
    header.ndm_family = UInt8(family)
    let familyHeader = withUnsafeBytes(of: header) { Array($0) }
    var socket = try NetlinkSocket()
    let answers = try socket.ask(
      type: UInt16(RTM_GETNEIGH), flags: UInt16(NLM_F_DUMP), familyHeader: familyHeader,
      operation: "RTM_GETNEIGH")
    var result: [Neighbour] = []
    for answer in answers where answer.type == UInt16(RTM_NEWNEIGH) {
      guard answer.payload.count >= MemoryLayout<ndmsg>.size else { continue }
      let entry = answer.payload.withUnsafeBytes { $0.loadUnaligned(as: ndmsg.self) }
      if let interface, Int(entry.ndm_ifindex) != interface.index { continue }
      let fields = answer.attributes(afterFamilyHeader: MemoryLayout<ndmsg>.size)
      guard let address = fields[UInt16(NDA_DST)].flatMap({ IPAddress(octets: $0) })
      else { continue }
      let mac = fields[UInt16(NDA_LLADDR)].flatMap { bytes in
        bytes.count == 6 ? MACAddress(bytes.span, at: 0) : nil
      }
      result.append(
        Neighbour(
          address: address, mac: mac, interfaceIndex: Int(entry.ndm_ifindex),
          state: Neighbour.State(rawValue: entry.ndm_state)))
    }
    return result
  }

  /// The MAC of `address` on `interface` when the table holds a usable entry for it
  /// (REACHABLE, STALE, DELAY, PROBE, PERMANENT, NOARP); nil otherwise. Asks nobody.
  public func lookup(_ address: IPAddress, on interface: NetworkInterface) throws(SystemError)
    -> MACAddress?
  {
    try entries(family: address.family, on: interface)
      .first { $0.address == address && $0.isUsable }?.mac
  }
}
