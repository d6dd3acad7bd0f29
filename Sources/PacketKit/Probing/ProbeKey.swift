/// What a probe and every reply to it have in common: a small fixed-size value to look
/// outstanding probes up by, once per captured frame, with no allocation.
///
/// `ReplyMatcher.key(ofProbe:bytes:)` gives the key of a probe; `ReplyMatcher.key(ofReply:bytes:)`
/// gives the key of a captured frame, which equals the probe's for a direct reply and for
/// an ICMP or ICMPv6 error quoting the probe. The addresses and ports are the probe's point
/// of view: `local` is the probe's source, `remote` its destination.
///
/// | kind | `local`, `remote` | `localPort`, `remotePort` |
/// |---|---|---|
/// | `tcp`, `udp` | probe source, destination | source port, destination port |
/// | `icmpQuery` (echo, timestamp, information, address mask) | source, destination | id, seq |
/// | `icmpv6Echo` | source, destination | id, seq |
/// | `icmpMessage`, `icmpv6Message` (other types: answered only by errors) | source, destination | type << 8 \| code, 0 |
/// | `arp` (request, RARP request) | unspecified, the asked IPv4 address | the request's op, 0 |
/// | `neighborSolicitation` | unspecified, the target | 0, 0 |
/// | `routerSolicitation` | unspecified, unspecified | 0, 0 |
/// | `ipProtocol` (any other protocol) | source, destination | 0, 0 |
///
/// A probe sent to a multicast or broadcast address is answered from unicast addresses, so
/// its key has an unspecified `remote`: look a reply up by its key, then by `anyRemote`.
/// IPv4 addresses are stored IPv4-mapped (`::ffff:192.0.2.1`); `ipVersion` tells them from
/// real IPv6 addresses.
public struct ProbeKey: Hashable, Sendable, CustomStringConvertible {
  /// Which exchange the key belongs to.
  public enum Kind: UInt8, Hashable, Sendable {
    /// A TCP segment, by addresses and ports.
    case tcp
    /// A UDP datagram, by addresses and ports.
    case udp
    /// ICMP echo (8/0), timestamp (13/14), information (15/16), address mask (17/18).
    case icmpQuery
    /// ICMPv6 echo (128/129).
    case icmpv6Echo
    /// Any other ICMP message: only an ICMP error quoting it answers it.
    case icmpMessage
    /// Any other ICMPv6 message: only an ICMPv6 error quoting it answers it.
    case icmpv6Message
    /// ARP (1/2) or RARP (3/4).
    case arp
    /// Neighbour solicitation (135), answered by a neighbour advertisement (136).
    case neighborSolicitation
    /// Router solicitation (133), answered by a router advertisement (134).
    case routerSolicitation
    /// An IP protocol without ports or identifiers (`ipProtocol` says which).
    case ipProtocol
  }

  /// Which exchange.
  public var kind: Kind
  /// 4 or 6; 0 for ARP.
  public var ipVersion: UInt8
  /// The upper-layer protocol for `ipProtocol` keys; 0 otherwise.
  public var ipProtocol: UInt8
  /// The probe's source address (IPv4-mapped for IPv4), or unspecified (table above).
  public var local: IPv6Address
  /// The probe's destination address (IPv4-mapped for IPv4), or unspecified (table above).
  public var remote: IPv6Address
  /// The probe's source port, ICMP identifier, ... (table above).
  public var localPort: UInt16
  /// The probe's destination port, ICMP sequence number, ... (table above).
  public var remotePort: UInt16

  /// A key from its parts; `ipProtocol` and the ports are 0 unless given.
  public init(
    kind: Kind, ipVersion: UInt8, ipProtocol: UInt8 = 0, local: IPv6Address, remote: IPv6Address,
    localPort: UInt16 = 0, remotePort: UInt16 = 0
  ) {
    self.kind = kind
    self.ipVersion = ipVersion
    self.ipProtocol = ipProtocol
    self.local = local
    self.remote = remote
    self.localPort = localPort
    self.remotePort = remotePort
  }

  /// The same key with `remote` unspecified: the key of a probe sent to a multicast or
  /// broadcast address, which a reply from any unicast address answers.
  @inlinable public var anyRemote: ProbeKey {
    var key = self
    key.remote = .unspecified
    return key
  }

  /// An IPv4 address as stored in a key.
  @inlinable public static func address(_ ipv4: IPv4Address) -> IPv6Address {
    IPv6Address(high: 0, low: 0xFFFF_0000_0000 | UInt64(ipv4.rawValue))
  }

  /// `udp 192.0.2.1:40000 > 192.0.2.2:53`, for logs and test failures.
  public var description: String {
    func text(_ address: IPv6Address) -> String {
      if address == .unspecified { return "*" }
      if ipVersion != 6 && address.isIPv4Mapped {
        return IPv4Address(rawValue: UInt32(truncatingIfNeeded: address.low)).description
      }
      return address.description
    }
    let name =
      switch kind {
      case .tcp: "tcp"
      case .udp: "udp"
      case .icmpQuery: "icmp-query"
      case .icmpv6Echo: "icmpv6-echo"
      case .icmpMessage: "icmp-message"
      case .icmpv6Message: "icmpv6-message"
      case .arp: "arp"
      case .neighborSolicitation: "neighbor-solicitation"
      case .routerSolicitation: "router-solicitation"
      case .ipProtocol: "ip-protocol \(ipProtocol)"
      }
    return "\(name) \(text(local)):\(localPort) > \(text(remote)):\(remotePort)"
  }
}
