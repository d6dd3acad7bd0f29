/// An 802.1Q / 802.1ad tag to build (contract layer `vlan`).
///
/// `tpid` is written in the previous header's type field (0x8100 802.1Q, 0x88a8 802.1ad,
/// 0x9100); `type` is computed from the next layer unless given (0 when nothing known follows,
/// as scapy's `Dot1Q`). Defaults as scapy: id 1, pcp 0, dei false.
public struct VLAN: PacketLayer {
  /// VLAN identifier (12 bits).
  public var id: UInt16
  /// Priority code point (3 bits).
  public var pcp: UInt8
  /// Drop eligible indicator.
  public var dei: Bool
  /// The tag protocol identifier announcing this tag.
  public var tpid: UInt16
  /// The EtherType of what follows; nil: computed.
  public var type: UInt16?

  public init(
    id: UInt16 = 1, pcp: UInt8 = 0, dei: Bool = false, tpid: UInt16 = 0x8100, type: UInt16? = nil
  ) {
    self.id = id
    self.pcp = pcp
    self.dei = dei
    self.tpid = tpid
    self.type = type
  }

  public var stackLayer: StackLayer { .vlan(self) }

  public init?(_ stackLayer: StackLayer) {
    guard case .vlan(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension VLAN {
  func encode(into writer: inout ByteWriter, next: StackLayer?) throws(BuildError) {
    guard id <= 0x0FFF else {
      throw .invalidValue(layer: "vlan", field: "id", value: "\(id)", reason: "exceeds 4095")
    }
    guard pcp <= 7 else {
      throw .invalidValue(layer: "vlan", field: "pcp", value: "\(pcp)", reason: "exceeds 7")
    }
    VLANTag(tpid: tpid, pcp: pcp, dei: dei, id: id, type: type ?? next?.etherType ?? 0)
      .encode(into: &writer)
  }
}
