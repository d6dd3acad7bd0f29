// ARP (RFC 826) and RARP (RFC 903, EtherType 0x8035, op 3/4).
//
//  0        2        4    5    6        8
// +--------+--------+----+----+--------+---------------------------------------------+
// | htype  | ptype  |hlen|plen|   op   | sha (hlen) spa (plen) tha (hlen) tpa (plen) |
// +--------+--------+----+----+--------+---------------------------------------------+

/// An ARP or RARP message.
public struct ARPMessage: Sendable, Hashable {
  /// Hardware type (1 = Ethernet).
  public var hardwareType: UInt16
  /// Protocol type (0x0800 = IPv4).
  public var protocolType: UInt16
  /// Hardware address length, in bytes.
  public var hardwareLength: UInt8
  /// Protocol address length, in bytes.
  public var protocolLength: UInt8
  /// Operation: 1 request, 2 reply, 3 RARP request, 4 RARP reply.
  public var op: UInt16
  /// The four addresses' bytes (sha, spa, tha, tpa), as offsets in the frame.
  public var addressesRange: Range<Int>
  /// Sender MAC, when the message is Ethernet/IPv4 (hlen 6, plen 4).
  public var senderMAC: MACAddress
  /// Sender IPv4 address, when Ethernet/IPv4.
  public var senderIP: IPv4Address
  /// Target MAC, when Ethernet/IPv4.
  public var targetMAC: MACAddress
  /// Target IPv4 address, when Ethernet/IPv4.
  public var targetIP: IPv4Address

  /// The fixed part's length, in bytes.
  public static let fixedLength = 8

  /// The whole message's length, in bytes.
  @inlinable public var length: Int { 8 + 2 * (Int(hardwareLength) + Int(protocolLength)) }

  /// Whether hardware is Ethernet and protocol IPv4 with the usual address lengths.
  @inlinable public var isEthernetIPv4: Bool {
    hardwareType == 1 && protocolType == 0x0800 && hardwareLength == 6 && protocolLength == 4
  }

  /// An Ethernet/IPv4 message.
  public init(
    op: UInt16, senderMAC: MACAddress, senderIP: IPv4Address, targetMAC: MACAddress,
    targetIP: IPv4Address
  ) {
    hardwareType = 1
    protocolType = 0x0800
    hardwareLength = 6
    protocolLength = 4
    self.op = op
    self.senderMAC = senderMAC
    self.senderIP = senderIP
    self.targetMAC = targetMAC
    self.targetIP = targetIP
    addressesRange = 0..<0
  }

  /// Reads the fixed part at `offset` (8 bytes checked by the caller) and, when all of
  /// them are within `bytes`, the addresses.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    hardwareType = bytes.be16(at: offset)
    protocolType = bytes.be16(at: offset + 2)
    hardwareLength = bytes[offset + 4]
    protocolLength = bytes[offset + 5]
    op = bytes.be16(at: offset + 6)
    let start = offset + 8
    let end = start + 2 * (Int(hardwareLength) + Int(protocolLength))
    addressesRange = start..<min(end, bytes.count)
    senderMAC = .zero
    senderIP = .any
    targetMAC = .zero
    targetIP = .any
    if hardwareLength == 6 && protocolLength == 4 && end <= bytes.count {
      senderMAC = MACAddress(bytes, at: start)
      senderIP = IPv4Address(bytes, at: start + 6)
      targetMAC = MACAddress(bytes, at: start + 10)
      targetIP = IPv4Address(bytes, at: start + 16)
    }
  }

  /// Appends the message. For Ethernet/IPv4 the typed addresses are written; otherwise
  /// `addresses` must hold the 2×(hlen+plen) address bytes.
  public func encode(into writer: inout ByteWriter, addresses: Span<UInt8>? = nil) {
    writer.writeBE16(hardwareType)
    writer.writeBE16(protocolType)
    writer.writeU8(hardwareLength)
    writer.writeU8(protocolLength)
    writer.writeBE16(op)
    if let addresses {
      for index in 0..<addresses.count { writer.writeU8(addresses[index]) }
    } else {
      senderMAC.encode(into: &writer)
      senderIP.encode(into: &writer)
      targetMAC.encode(into: &writer)
      targetIP.encode(into: &writer)
    }
  }
}
