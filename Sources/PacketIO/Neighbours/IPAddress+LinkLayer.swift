import PacketKit

extension IPAddress {
  /// The MAC a frame to this address goes to without asking anybody: 01:00:5e + the low 23
  /// bits for an IPv4 multicast group (RFC 1112), 33:33 + the low 32 bits for an IPv6 one
  /// (RFC 2464), ff:ff:ff:ff:ff:ff for 255.255.255.255; nil for a unicast address.
  public var multicastMAC: MACAddress? {
    switch self {
    case .ipv4(let address):
      if isLimitedBroadcast { return .broadcast }
      guard isMulticast else { return nil }
      return MACAddress(rawValue: 0x0100_5E00_0000 | UInt64(address.rawValue & 0x7F_FFFF))
    case .ipv6(let address):
      guard isMulticast else { return nil }
      return MACAddress(rawValue: 0x3333_0000_0000 | (address.low & 0xFFFF_FFFF))
    }
  }

  /// The solicited-node multicast address of an IPv6 address (ff02::1:ffXX:XXXX, RFC 4291
  /// §2.7.1), where neighbour solicitations for it are sent; nil for IPv4.
  public var solicitedNodeAddress: IPv6Address? {
    guard case .ipv6(let address) = self else { return nil }
    return IPv6Address(
      high: 0xFF02_0000_0000_0000, low: 0x0000_0001_FF00_0000 | (address.low & 0xFF_FFFF))
  }
}
