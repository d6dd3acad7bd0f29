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

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
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

extension FieldName {
  static let packetType = FieldName("packet_type")
  static let arphrdType = FieldName("arphrd_type")
  static let address = FieldName("address")
  static let addressLength = FieldName("address_length")
  static let ifindex = FieldName("ifindex")
}

// MARK: - Decoding

extension Walk {
  /// Decodes a Linux cooked header (SLL `version` 1 or SLL2), then what its protocol
  /// announces when it is an EtherType, else raw.
  mutating func cooked(_ bytes: Span<UInt8>, version: UInt8) {
    let length = LinuxCookedHeader.length(version: version)
    if appendsShortHeader(
      bytes, length, at: 0, end: bytes.count, bound: .capture,
      { LinuxCookedHeader(unchecked: $0, at: 0, version: version) }, as: LayerHeader.sll)
    {
      return
    }
    let header = LinuxCookedHeader(unchecked: bytes, at: 0, version: version)
    push(DecodedLayer(header: .sll(header), range: 0..<length))
    let type = EtherType(rawValue: header.protocol)
    if type.isLength {
      raw(bytes, length..<bytes.count)
    } else {
      etherType(bytes, type, at: length)
    }
  }
}

// MARK: - Fields

/// The Linux cooked header's fields, for `read --json`, `read -v` and `--from-json`.
enum LinuxCookedProtocol {
  /// The views differ on purpose (kept as they were): the verbose view shows every field
  /// whether it was captured or not (the decoder zero-fills), adds `arphrd_type`, names the
  /// packet type and shows the protocol in hex.
  static func describe<V: FieldVisitor>(
    _ header: LinuxCookedHeader, _ layer: DecodedLayer, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    let verbose = V.view == .verbose
    let v2 = header.version == 2
    if view.has(v2 ? 11 : 2) {
      fields.number(
        .packetType, header.packetType, meaning: packetTypeMeaning(header.packetType), &out)
    }
    if verbose { fields.number(.arphrdType, header.arphrdType, &out) }
    let addressLength = min(Int(header.addressLength), 8)
    if verbose || view.has(v2 ? 12 + addressLength : 6 + addressLength) {
      if let mac = header.mac {
        fields.mac(.address, mac, &out)
      } else {
        var address = InlineArray<8, UInt8>(repeating: 0)
        for index in 0..<8 {
          address[index] = UInt8(truncatingIfNeeded: header.address >> UInt64(56 - 8 * index))
        }
        fields.hex(.address, address.span.extracting(0..<addressLength), &out)
      }
    }
    if verbose || view.has(v2 ? 2 : 16) {
      fields.number(.protocol, header.protocol, .hex(width: 4), &out)
    }
    if v2 && (verbose || view.has(8)) { fields.number(.ifindex, header.interfaceIndex, &out) }
  }

  /// What a packet type means (the verbose view).
  static func packetTypeMeaning(_ value: UInt16) -> StaticString? {
    switch value {
    case 0: "to us"
    case 1: "broadcast"
    case 2: "multicast"
    case 3: "to another host"
    case 4: "sent by us"
    default: nil
    }
  }
}

extension JSONPacketConverter {
  /// `--from-json`: an `sll` object (SLL2 when it has `ifindex`), the packet's first bytes.
  mutating func cooked(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys(
      [FieldName.packetType, .address, .protocol, .ifindex, .hardwareType, .addressLength]
        .map(\.string))
    let v2 = layer.has(FieldName.ifindex.string)
    var address: UInt64 = 0
    var addressLength: UInt16 = 0
    if let text = try layer.string(FieldName.address.string) {
      let bytes: [UInt8]
      if let mac = MACAddress(text) {
        bytes = mac.octets
      } else if let hex = HexBytes.parse(text), hex.count <= 8 {
        bytes = hex
      } else {
        throw layer.fail(
          FieldName.address.string, "\"\(text)\" is not a MAC address or up to 8 hex bytes")
      }
      for (offset, byte) in bytes.enumerated() {
        address |= UInt64(byte) << UInt64(56 - 8 * offset)
      }
      addressLength = UInt16(bytes.count)
    }
    if let length = try layer.u16(FieldName.addressLength.string) { addressLength = length }
    let header = LinuxCookedHeader(
      version: v2 ? 2 : 1,
      packetType: try layer.integer(FieldName.packetType.string, max: v2 ? 0xFF : 0xFFFF)
        .map { UInt16($0) } ?? 0,
      arphrdType: try layer.u16(FieldName.hardwareType.string) ?? 1,
      addressLength: addressLength, address: address,
      protocol: try layer.u16(FieldName.protocol.string) ?? 0,
      interfaceIndex: try layer.u32(FieldName.ifindex.string) ?? 0)
    var writer = ByteWriter(capacity: 20)
    header.encode(into: &writer)
    prefix = writer.bytes
  }
}
