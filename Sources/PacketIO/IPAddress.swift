import CPacketIO
import Glibc
import PacketKit

/// An IPv4 or IPv6 address: what a route leads to, a neighbour's protocol address.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
  /// An IPv4 address.
  case ipv4(IPv4Address)
  /// An IPv6 address.
  case ipv6(IPv6Address)

  /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text; nil when it is neither.
  public init?(_ text: some StringProtocol) {
    if let address = IPv4Address(text) {
      self = .ipv4(address)
    } else if let address = IPv6Address(text) {
      self = .ipv6(address)
    } else {
      return nil
    }
  }

  /// `AF_INET` or `AF_INET6`.
  public var family: Int32 {
    switch self {
    case .ipv4: AF_INET
    case .ipv6: AF_INET6
    }
  }

  /// The address in network byte order (4 or 16 bytes).
  public var octets: [UInt8] {
    switch self {
    case .ipv4(let address):
      let raw = address.rawValue
      return [
        UInt8(raw >> 24), UInt8(truncatingIfNeeded: raw >> 16),
        UInt8(truncatingIfNeeded: raw >> 8), UInt8(truncatingIfNeeded: raw),
      ]
    case .ipv6(let address):
      return address.octets
    }
  }

  /// The address from 4 or 16 bytes in network byte order; nil for any other length.
  public init?(octets: [UInt8]) {
    switch octets.count {
    case 4: self = .ipv4(IPv4Address(octets.span, at: 0))
    case 16: self = .ipv6(IPv6Address(octets.span, at: 0))
    default: return nil
    }
  }

  /// IPv4 224.0.0.0/4 or IPv6 ff00::/8.
  public var isMulticast: Bool {
    switch self {
    case .ipv4(let address): address.rawValue >> 28 == 0xE
    case .ipv6(let address): address.high >> 56 == 0xFF
    }
  }

  /// IPv4 255.255.255.255 (the limited broadcast).
  public var isLimitedBroadcast: Bool { self == .ipv4(IPv4Address(rawValue: 0xFFFF_FFFF)) }

  /// IPv6 fe80::/10 (link-local unicast) or ff02::/16 (link-local multicast): addresses
  /// that only mean something on one link.
  public var isLinkLocal: Bool {
    switch self {
    case .ipv4(let address): address.rawValue >> 16 == 0xA9FE
    case .ipv6(let address): address.high >> 54 == 0x3FA || address.high >> 48 == 0xFF02
    }
  }

  /// The address as text: dotted quad or RFC 5952 IPv6.
  public var description: String {
    switch self {
    case .ipv4(let address): address.description
    case .ipv6(let address): address.description
    }
  }
}
