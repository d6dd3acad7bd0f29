import CPacketIO
import Glibc
import PacketKit
import Synchronization

/// Finds the MAC a frame to an IP address must carry, as the kernel would before sending:
/// multicast and broadcast addresses map to their MACs, the neighbour table answers when it
/// has a usable entry, and otherwise the resolver asks the link itself — ARP requests for
/// IPv4, neighbour solicitations for IPv6 — on an AF_PACKET socket, `attempts` times,
/// `interval` apart. Answers are kept for the life of the resolver (one run).
///
/// Everything happens in the network namespace of the calling thread. Reading the table
/// needs no privileges; asking needs CAP_NET_RAW.
public final class NeighbourResolver: Sendable {
  /// How many requests to send before giving up.
  public let attempts: Int
  /// The time between requests, and after the last one, in seconds.
  public let interval: Double
  private let cache = Mutex<[Key: MACAddress]>([:])

  private struct Key: Hashable {
    var interfaceIndex: Int
    var address: IPAddress
  }

  /// A resolver sending at most `attempts` requests (at least 1), `interval` seconds apart:
  /// a missing neighbour costs `attempts * interval` seconds.
  public init(attempts: Int = 3, interval: Double = 1.0) {
    self.attempts = max(1, attempts)
    self.interval = max(0.001, interval)
  }

  /// The MAC for `address` on `interface`.
  ///
  /// - Parameters:
  ///   - address: the IPv4 or IPv6 address to resolve.
  ///   - interface: the interface it is on-link from.
  ///   - source: the IP address to ask from (the route's source toward `address`); nil
  ///     picks the interface's own address of the family, or asks from 0.0.0.0 / `::`.
  /// - Returns: the mapped MAC for multicast and broadcast, all zeros on a loopback
  ///   interface, else the neighbour's MAC.
  /// - Throws: `SystemError` `192.0.2.9: no ARP reply on vA (3 requests in 3.0 s)` or
  ///   `2001:db8::9: no neighbour advertisement on vA (3 solicitations in 3.0 s)`
  ///   (EHOSTUNREACH) when nobody answers; EPERM with the CAP_NET_RAW hint when asking is
  ///   not allowed; ENODEV when the interface has no MAC to ask from.
  ///
  /// The corresponding C calls are an RTM_GETNEIGH dump (see `NeighbourTable`), then
  /// `socket(AF_PACKET, SOCK_RAW, ETH_P_ARP or ETH_P_IPV6)`, `bind` to the interface, and
  /// `sendto` / `poll` / `recvfrom` until the answer or the last deadline.
  public func resolve(
    _ address: IPAddress, on interface: NetworkInterface, source: IPAddress? = nil
  )
    throws(SystemError) -> MACAddress
  {
    if let mapped = address.multicastMAC { return mapped }
    if interface.isLoopback { return .zero }
    let key = Key(interfaceIndex: interface.index, address: address)
    if let known = cache.withLock({ $0[key] }) { return known }
    let mac: MACAddress
    if let entry = try NeighbourTable().lookup(address, on: interface) {
      mac = entry
    } else {
      mac = try ask(for: address, on: interface, source: source)
    }
    cache.withLock { $0[key] = mac }
    return mac
  }

  /// The answers kept so far, for a dry run to show or a test to check.
  public var known: [(interfaceIndex: Int, address: IPAddress, mac: MACAddress)] {
    cache.withLock { entries in
      entries.map {
        (interfaceIndex: $0.key.interfaceIndex, address: $0.key.address, mac: $0.value)
      }
    }
  }

  /// Sends requests for `address` on `interface` and waits for the answer.
  private func ask(for address: IPAddress, on interface: NetworkInterface, source: IPAddress?)
    throws(SystemError) -> MACAddress
  {
    guard let mac = interface.mac, mac != .zero else {
      throw SystemError(
        operation: "\(address)", errno: ENODEV,
        detail: "\(interface.name) has no link-layer address to resolve neighbours from")
    }
    let isIPv4: Bool
    if case .ipv4 = address { isIPv4 = true } else { isIPv4 = false }
    let from = source ?? interface.preferredSource(toward: address)
    let request = ResolutionMessages.request(for: address, from: mac, source: from)
    let protocolNumber = UInt16(isIPv4 ? ETH_P_ARP : ETH_P_IPV6)
    let socket = try ListeningPacketSocket(interface: interface, protocolNumber: protocolNumber)
    let start = system_monotonicNanoseconds()
    let step = UInt64(interval * 1_000_000_000)
    var frame = [UInt8](repeating: 0, count: 2048)
    for attempt in 0..<attempts {
      try socket.send(request)
      let deadline = start + step * UInt64(attempt + 1)
      while true {
        let now = system_monotonicNanoseconds()
        if now >= deadline { break }
        let milliseconds = Int32(min((deadline - now + 999_999) / 1_000_000, 60_000))
        guard try socket.wait(milliseconds: milliseconds) else { continue }
        while let count = try socket.receive(into: &frame) {
          if let answer = ResolutionMessages.answer(in: Array(frame[..<count]), for: address) {
            return answer
          }
        }
      }
    }
    let seconds = Double(system_monotonicNanoseconds() - start) / 1e9
    let what = isIPv4 ? "ARP reply" : "neighbour advertisement"
    let requests = isIPv4 ? "request" : "solicitation"
    let plural = attempts == 1 ? "" : "s"
    var rounded = String(Double((seconds * 10).rounded()) / 10)
    if !rounded.contains(".") { rounded += ".0" }
    throw SystemError(
      operation: "\(address)", errno: EHOSTUNREACH,
      detail: "no \(what) on \(interface.name) (\(attempts) \(requests)\(plural) in \(rounded) s)")
  }
}
