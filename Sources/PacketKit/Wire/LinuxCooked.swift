// Linux "cooked" capture headers, what `tcpdump -i any` writes.
//
// SLL (LINKTYPE_LINUX_SLL, 113), 16 bytes:
//   packet type(2) ARPHRD type(2) address length(2) address(8) protocol(2)
// SLL2 (LINKTYPE_LINUX_SLL2, 276), 20 bytes:
//   protocol(2) reserved(2) interface index(4) ARPHRD type(2) packet type(1)
//   address length(1) address(8)
// https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html, …_SLL2.html

/// A Linux cooked-capture header (SLL or SLL2).
public struct LinuxCookedHeader: Sendable, Hashable {
  /// 1 for SLL, 2 for SLL2.
  public var version: UInt8
  /// 0 to us, 1 broadcast, 2 multicast, 3 to someone else, 4 sent by us.
  public var packetType: UInt16
  /// The ARPHRD_ type of the interface (1 = Ethernet, 772 = loopback).
  public var arphrdType: UInt16
  /// The link-layer address length, in bytes (up to 8 are kept).
  public var addressLength: UInt16
  /// The 8 address bytes as on the wire, first byte most significant.
  public var address: UInt64
  /// The protocol: an EtherType, or 1 (802.3), 4 (802.2 LLC) and other Linux values.
  public var `protocol`: UInt16
  /// SLL2's reserved field.
  public var reserved: UInt16
  /// SLL2's interface index.
  public var interfaceIndex: UInt32

  /// The header length for `version`, in bytes.
  public static func length(version: UInt8) -> Int { version == 2 ? 20 : 16 }

  /// This header's length, in bytes.
  @inlinable public var length: Int { version == 2 ? 20 : 16 }

  public init(
    version: UInt8, packetType: UInt16, arphrdType: UInt16, addressLength: UInt16, address: UInt64,
    protocol proto: UInt16, reserved: UInt16 = 0, interfaceIndex: UInt32 = 0
  ) {
    self.version = version
    self.packetType = packetType
    self.arphrdType = arphrdType
    self.addressLength = addressLength
    self.address = address
    self.protocol = proto
    self.reserved = reserved
    self.interfaceIndex = interfaceIndex
  }

  /// Reads the header at `offset`; the caller has checked its length.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int, version: UInt8) {
    self.version = version
    if version == 2 {
      self.protocol = bytes.be16(at: offset)
      reserved = bytes.be16(at: offset + 2)
      interfaceIndex = bytes.be32(at: offset + 4)
      arphrdType = bytes.be16(at: offset + 8)
      packetType = UInt16(bytes[offset + 10])
      addressLength = UInt16(bytes[offset + 11])
      address = bytes.be64(at: offset + 12)
    } else {
      packetType = bytes.be16(at: offset)
      arphrdType = bytes.be16(at: offset + 2)
      addressLength = bytes.be16(at: offset + 4)
      address = bytes.be64(at: offset + 6)
      self.protocol = bytes.be16(at: offset + 14)
      reserved = 0
      interfaceIndex = 0
    }
  }

  /// The link-layer address as a MAC, when it is 6 bytes long.
  public var mac: MACAddress? { addressLength == 6 ? MACAddress(rawValue: address >> 16) : nil }

  /// Appends the header bytes.
  public func encode(into writer: inout ByteWriter) {
    if version == 2 {
      writer.writeBE16(self.protocol)
      writer.writeBE16(reserved)
      writer.writeBE32(interfaceIndex)
      writer.writeBE16(arphrdType)
      writer.writeU8(UInt8(truncatingIfNeeded: packetType))
      writer.writeU8(UInt8(truncatingIfNeeded: addressLength))
      writer.writeBE64(address)
    } else {
      writer.writeBE16(packetType)
      writer.writeBE16(arphrdType)
      writer.writeBE16(addressLength)
      writer.writeBE64(address)
      writer.writeBE16(self.protocol)
    }
  }
}
