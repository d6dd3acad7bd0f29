/// An EtherType (IEEE 802.3 Length/Type field values of 0x0600 and above).
///
/// Open: unknown values round-trip. Values below 0x0600 are 802.3 lengths.
public struct EtherType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  /// The EtherType number.
  public var rawValue: UInt16
  /// The EtherType `rawValue`, known to rawtool or not.
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  /// IPv4, 0x0800 (RFC 894).
  public static let ipv4 = EtherType(rawValue: 0x0800)
  /// ARP, 0x0806 (RFC 826).
  public static let arp = EtherType(rawValue: 0x0806)
  /// Reverse ARP, 0x8035 (RFC 903).
  public static let rarp = EtherType(rawValue: 0x8035)
  /// An 802.1Q VLAN tag, 0x8100.
  public static let vlan = EtherType(rawValue: 0x8100)
  /// IPv6, 0x86DD (RFC 8200).
  public static let ipv6 = EtherType(rawValue: 0x86DD)
  /// An 802.1ad (QinQ) service tag, 0x88A8.
  public static let qinq = EtherType(rawValue: 0x88A8)
  /// A pre-standard QinQ tag, 0x9100.
  public static let qinqLegacy = EtherType(rawValue: 0x9100)

  /// Whether this value announces an 802.1Q/802.1ad tag.
  @inlinable public var isVLANTag: Bool {
    rawValue == 0x8100 || rawValue == 0x88A8 || rawValue == 0x9100
  }

  /// Whether the field is an 802.3 length rather than a type.
  @inlinable public var isLength: Bool { rawValue < 0x0600 }

  /// tcpdump's name for the type (`IPv4`, `ARP`, ...), or `Unknown`.
  public var description: String {
    switch rawValue {
    case 0x0800: "IPv4"
    case 0x0806: "ARP"
    case 0x8035: "RARP"
    case 0x8100: "802.1Q"
    case 0x86DD: "IPv6"
    case 0x88A8: "802.1Q-QinQ"
    case 0x9100: "802.1Q-9100"
    case 0x88CC: "LLDP"
    case 0x8847: "MPLS unicast"
    case 0x8848: "MPLS multicast"
    case 0x8863: "PPPoE D"
    case 0x8864: "PPPoE S"
    case 0x888E: "EAPOL"
    case 0x9000: "Loopback"
    default: "Unknown"
    }
  }
}
