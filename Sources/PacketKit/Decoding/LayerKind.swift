/// The kinds of layer rawtool decodes; `name` is the contract's JSON key and expression name.
public enum LayerKind: UInt8, Hashable, Sendable, CaseIterable {
  case ethernet, vlan, sll, null, arp, ipv4, ipv6, tcp, udp, icmp, icmpv6, raw

  /// The contract name: `eth`, `vlan`, `sll`, `null`, `arp`, `ipv4`, `ipv6`, `tcp`, `udp`,
  /// `icmp`, `icmpv6`, `raw`.
  public var name: StaticString {
    switch self {
    case .ethernet: "eth"
    case .vlan: "vlan"
    case .sll: "sll"
    case .null: "null"
    case .arp: "arp"
    case .ipv4: "ipv4"
    case .ipv6: "ipv6"
    case .tcp: "tcp"
    case .udp: "udp"
    case .icmp: "icmp"
    case .icmpv6: "icmpv6"
    case .raw: "raw"
    }
  }
}
