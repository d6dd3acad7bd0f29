import CPacketIO
import Glibc
import PacketKit

/// A network interface as the kernel reports it: name, index, hardware address, IP
/// addresses, MTU, flags and the pcap link type its frames have.
///
/// Read with `NetworkInterface.all()` (every interface, in index order) or
/// `NetworkInterface.named(_:)`. Needs no privileges.
public struct NetworkInterface: Sendable, Hashable {
  /// An IP address with its prefix length, as configured on the interface.
  public struct Address: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 or IPv6 address.
    public enum Value: Sendable, Hashable {
      /// An IPv4 address.
      case ipv4(IPv4Address)
      /// An IPv6 address.
      case ipv6(IPv6Address)
    }
    /// The address itself.
    public var value: Value
    /// Prefix length, in bits (from the netmask).
    public var prefixLength: Int

    /// The address and its prefix length, `192.0.2.1/24`.
    public var description: String {
      switch value {
      case .ipv4(let address): "\(address)/\(prefixLength)"
      case .ipv6(let address): "\(address)/\(prefixLength)"
      }
    }
  }

  /// Interface name (`eth0`, `lo`, `veth0`).
  public var name: String
  /// Kernel interface index (`if_nametoindex`).
  public var index: Int
  /// Hardware address, for interfaces with a 6-byte one (Ethernet, veth; lo's is all zeros).
  public var mac: MACAddress?
  /// IPv4 and IPv6 addresses, IPv4 first.
  public var addresses: [Address]
  /// Maximum transmission unit, in bytes (the largest network-layer datagram).
  public var mtu: Int
  /// The `ARPHRD_*` hardware type.
  public var hardwareType: Int
  /// Administratively up (`IFF_UP`).
  public var isUp: Bool
  /// Operationally running (`IFF_RUNNING`: carrier present).
  public var isRunning: Bool
  /// The loopback interface (`IFF_LOOPBACK`).
  public var isLoopback: Bool
  /// In promiscuous mode (`IFF_PROMISC`).
  public var isPromiscuous: Bool

  /// The pcap link type of the frames an AF_PACKET SOCK_RAW socket sees on this interface,
  /// as libpcap maps `ARPHRD_*` (pcap-linux.c `map_arphrd_to_dlt`) for the common cases;
  /// anything else is captured cooked (Linux SLL).
  public var linkType: LinkType {
    switch Int32(hardwareType) {
    case ARPHRD_ETHER, ARPHRD_LOOPBACK: .ethernet
    case ARPHRD_NONE, ARPHRD_TUNNEL, ARPHRD_TUNNEL6, ARPHRD_SIT, ARPHRD_IPGRE: .raw
    case ARPHRD_IEEE80211_RADIOTAP: LinkType(rawValue: 127)
    default: .linuxSLL
    }
  }

  /// The flags as `ifconfig` words: `UP`, `RUNNING`, `LOOPBACK`, `PROMISC`.
  public var flagNames: [String] {
    var names: [String] = []
    if isUp { names.append("UP") }
    if isRunning { names.append("RUNNING") }
    if isLoopback { names.append("LOOPBACK") }
    if isPromiscuous { names.append("PROMISC") }
    return names
  }

  /// Every interface, in index order.
  ///
  /// - Throws: `SystemError` from `getifaddrs`.
  ///
  /// The corresponding C calls are `getifaddrs` (names, flags, hardware and IP addresses)
  /// and `ioctl(SIOCGIFMTU)` (the MTU). Needs no privileges.
  public static func all() throws(SystemError) -> [NetworkInterface] {
    var list: UnsafeMutablePointer<ifaddrs>?
    _ = try valueOrErrno("getifaddrs") { getifaddrs(&list) }
    defer { freeifaddrs(list) }
    var byName: [String: NetworkInterface] = [:]
    var order: [String] = []
    var entry = list
    while let current = entry {
      entry = current.pointee.ifa_next
      let name = String(cString: current.pointee.ifa_name)
      if byName[name] == nil {
        let index = Int(system_if_nametoindex(name))
        let flags = Int32(bitPattern: current.pointee.ifa_flags)
        byName[name] = NetworkInterface(
          name: name, index: index, mac: nil, addresses: [], mtu: mtu(of: name),
          hardwareType: -1, isUp: flags & Int32(IFF_UP) != 0,
          isRunning: flags & Int32(IFF_RUNNING) != 0,
          isLoopback: flags & Int32(IFF_LOOPBACK) != 0,
          isPromiscuous: flags & Int32(IFF_PROMISC) != 0)
        order.append(name)
      }
      guard let address = current.pointee.ifa_addr else { continue }
      switch Int32(CPacketIO_sockaddr_family(address)) {
      case AF_PACKET:
        address.withMemoryRebound(to: sockaddr_ll.self, capacity: 1) { link in
          byName[name]!.hardwareType = Int(link.pointee.sll_hatype)
          if link.pointee.sll_halen == 6 {
            let octets = withUnsafeBytes(of: link.pointee.sll_addr) { Array($0.prefix(6)) }
            byName[name]!.mac = MACAddress(
              octets[0], octets[1], octets[2], octets[3], octets[4], octets[5])
          }
        }
      case AF_INET:
        let value = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
          IPv4Address(rawValue: UInt32(bigEndian: $0.pointee.sin_addr.s_addr))
        }
        let prefix = current.pointee.ifa_netmask.map { mask in
          mask.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
            $0.pointee.sin_addr.s_addr.nonzeroBitCount
          }
        }
        byName[name]!.addresses.append(Address(value: .ipv4(value), prefixLength: prefix ?? 32))
      case AF_INET6:
        let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
          withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }
        }
        let prefix =
          current.pointee.ifa_netmask.map { mask in
            mask.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
              withUnsafeBytes(of: $0.pointee.sin6_addr) { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
            }
          } ?? 128
        byName[name]!.addresses.append(
          Address(value: .ipv6(IPv6Address(bytes.span, at: 0)), prefixLength: prefix))
      default: break
      }
    }
    return order.compactMap { byName[$0] }
      .map { interface in
        var interface = interface
        interface.addresses.sort { a, b in
          switch (a.value, b.value) {
          case (.ipv4, .ipv6): true
          default: false
          }
        }
        return interface
      }
      .sorted { $0.index < $1.index }
  }

  /// The interface called `name`.
  ///
  /// - Throws: `SystemError` with the detail "no such interface" (errno ENODEV) when there
  ///   is none.
  public static func named(_ name: String) throws(SystemError) -> NetworkInterface {
    guard let found = try all().first(where: { $0.name == name }) else {
      throw SystemError(operation: name, errno: ENODEV, detail: "no such interface")
    }
    return found
  }

  /// The MTU of `name`, from `ioctl(SIOCGIFMTU)` on a datagram socket; 0 when unknown.
  static func mtu(of name: String) -> Int {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard fd >= 0 else { return 0 }
    defer { system_close(fd) }
    var request = ifreq()
    CPacketIO_ifreq_set_name(&request, name)
    do {
      try system_ioctl(fd, UInt(SIOCGIFMTU), &request, name: "SIOCGIFMTU")
    } catch {
      return 0
    }
    return Int(CPacketIO_ifreq_mtu(&request))
  }

  /// The name of the interface with `index`, for labelling captured frames.
  public static func name(ofIndex index: Int) -> String? {
    system_if_indextoname(Int32(index))
  }
}
