/// An ARP (or RARP, op 3/4) message to build (contract layer `arp`).
///
/// Defaults are deterministic (scapy's would come from the host's interface): op 1
/// (request), zero addresses, Ethernet/IPv4 types; the address lengths are 6 and 4 unless given
/// (a given length is written as is; the addresses stay 6 and 4 bytes).
public struct ARP: PacketLayer {
  /// Operation: 1 request, 2 reply, 3 RARP request, 4 RARP reply.
  public var op: UInt16
  /// Sender hardware address.
  public var senderMAC: MACAddress
  /// Sender protocol address.
  public var senderIP: IPv4Address
  /// Target hardware address.
  public var targetMAC: MACAddress
  /// Target protocol address.
  public var targetIP: IPv4Address
  /// Hardware type (1 = Ethernet).
  public var hardwareType: UInt16
  /// Protocol type (0x0800 = IPv4).
  public var protocolType: UInt16
  /// Hardware address length, in bytes; nil: 6.
  public var hardwareLength: UInt8?
  /// Protocol address length, in bytes; nil: 4.
  public var protocolLength: UInt8?

  public init(
    op: UInt16 = 1, senderMAC: MACAddress = .zero, senderIP: IPv4Address = .any,
    targetMAC: MACAddress = .zero, targetIP: IPv4Address = .any, hardwareType: UInt16 = 1,
    protocolType: UInt16 = 0x0800, hardwareLength: UInt8? = nil, protocolLength: UInt8? = nil
  ) {
    self.op = op
    self.senderMAC = senderMAC
    self.senderIP = senderIP
    self.targetMAC = targetMAC
    self.targetIP = targetIP
    self.hardwareType = hardwareType
    self.protocolType = protocolType
    self.hardwareLength = hardwareLength
    self.protocolLength = protocolLength
  }

  public var stackLayer: StackLayer { .arp(self) }

  public init?(_ stackLayer: StackLayer) {
    guard case .arp(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension ARP {
  func encode(into writer: inout ByteWriter) {
    var message = ARPMessage(
      op: op, senderMAC: senderMAC, senderIP: senderIP, targetMAC: targetMAC, targetIP: targetIP)
    message.hardwareType = hardwareType
    message.protocolType = protocolType
    message.hardwareLength = hardwareLength ?? 6
    message.protocolLength = protocolLength ?? 4
    message.encode(into: &writer)
  }
}
