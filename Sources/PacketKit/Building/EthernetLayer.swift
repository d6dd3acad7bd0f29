/// An Ethernet II header to build (contract layer `eth`).
///
/// Defaults follow scapy's `Ether()` where they are deterministic: broadcast destination,
/// zero source. `type` is computed from the next layer unless given (0x0800 IPv4, 0x86DD
/// IPv6, 0x0806 ARP, the next tag's TPID for a VLAN tag, 0x9000 when nothing known follows,
/// as scapy).
public struct Ethernet: PacketLayer {
  /// Source MAC address.
  public var src: MACAddress
  /// Destination MAC address.
  public var dst: MACAddress
  /// EtherType, or 802.3 length below 0x0600; nil: computed.
  public var type: UInt16?

  public init(src: MACAddress = .zero, dst: MACAddress = .broadcast, type: UInt16? = nil) {
    self.src = src
    self.dst = dst
    self.type = type
  }

  public var stackLayer: StackLayer { .ethernet(self) }

  public init?(_ stackLayer: StackLayer) {
    guard case .ethernet(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension Ethernet {
  /// The type written: given, or announcing `next` (0x9000 when nothing known follows).
  func resolvedType(next: StackLayer?) -> UInt16 { type ?? next?.etherType ?? 0x9000 }

  func encode(into writer: inout ByteWriter, next: StackLayer?) throws(BuildError) {
    EthernetHeader(dst: dst, src: src, typeOrLength: resolvedType(next: next))
      .encode(into: &writer)
  }
}
