/// An IP protocol number (IANA protocol-numbers), used by IPv4 `protocol` and IPv6 `next_header`.
///
/// Open: unknown values round-trip.
public struct IPProtocol: RawRepresentable, Sendable, Hashable {
  /// The protocol number (IPv4 protocol, IPv6 next header).
  public var rawValue: UInt8
  /// The protocol `rawValue`, known to rawtool or not.
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// IPv6 hop-by-hop options, 0 (RFC 8200).
  public static let hopByHop = IPProtocol(rawValue: 0)
  /// ICMP, 1 (RFC 792).
  public static let icmp = IPProtocol(rawValue: 1)
  /// IGMP, 2.
  public static let igmp = IPProtocol(rawValue: 2)
  /// IP in IP, 4 (RFC 2003).
  public static let ipv4 = IPProtocol(rawValue: 4)
  /// TCP, 6 (RFC 9293).
  public static let tcp = IPProtocol(rawValue: 6)
  /// UDP, 17 (RFC 768).
  public static let udp = IPProtocol(rawValue: 17)
  /// IPv6 in IP, 41 (RFC 2473).
  public static let ipv6 = IPProtocol(rawValue: 41)
  /// IPv6 routing header, 43.
  public static let routing = IPProtocol(rawValue: 43)
  /// IPv6 fragment header, 44.
  public static let fragment = IPProtocol(rawValue: 44)
  /// GRE, 47 (RFC 2784).
  public static let gre = IPProtocol(rawValue: 47)
  /// ESP, 50 (RFC 4303).
  public static let esp = IPProtocol(rawValue: 50)
  /// Authentication header, 51 (RFC 4302).
  public static let ah = IPProtocol(rawValue: 51)
  /// ICMPv6, 58 (RFC 4443).
  public static let icmpv6 = IPProtocol(rawValue: 58)
  /// No next header, 59 (IPv6).
  public static let noNextHeader = IPProtocol(rawValue: 59)
  /// IPv6 destination options, 60.
  public static let destinationOptions = IPProtocol(rawValue: 60)
  /// IPv6 mobility header, 135 (RFC 6275).
  public static let mobility = IPProtocol(rawValue: 135)
  /// SCTP, 132 (RFC 9260).
  public static let sctp = IPProtocol(rawValue: 132)

  /// Whether this number announces an IPv6 extension header that rawtool walks
  /// (hop-by-hop, routing, fragment, destination options, AH, mobility).
  @inlinable public var isIPv6Extension: Bool {
    switch rawValue {
    case 0, 43, 44, 60, 51, 135: true
    default: false
    }
  }

  /// The lower-case name tcpdump prints, or nil.
  public var name: StaticString? {
    switch rawValue {
    case 0: "hopopt"
    case 1: "icmp"
    case 2: "igmp"
    case 4: "ipip"
    case 6: "tcp"
    case 17: "udp"
    case 41: "ipv6"
    case 43: "routing"
    case 44: "frag"
    case 47: "gre"
    case 50: "esp"
    case 51: "ah"
    case 58: "icmp6"
    case 59: "none"
    case 60: "dstopts"
    case 103: "pim"
    case 112: "vrrp"
    case 132: "sctp"
    case 135: "mobility"
    default: nil
    }
  }
}
