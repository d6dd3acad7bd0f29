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

extension FieldName {
  /// ARP's hardware type, and the ARPHRD type `--from-json` takes for a Linux cooked header.
  static let hardwareType = FieldName("hardware_type")
  static let protocolType = FieldName("protocol_type")
  static let hardwareLength = FieldName("hardware_length")
  static let protocolLength = FieldName("protocol_length")
  /// ARP's sender hardware address.
  public static let senderMAC = FieldName("sender_mac")
  /// ARP's sender protocol address.
  public static let senderIP = FieldName("sender_ip")
  /// ARP's target hardware address.
  public static let targetMAC = FieldName("target_mac")
  static let targetIP = FieldName("target_ip")
  static let addresses = FieldName("addresses")
}

// MARK: - Decoding

extension Walk {
  /// Decodes an ARP or RARP message at `offset`; what follows it is padding.
  mutating func arp(_ bytes: Span<UInt8>, at offset: Int) {
    if appendsShortHeader(
      bytes, ARPMessage.fixedLength, at: offset, end: bytes.count, bound: .capture,
      { ARPMessage(unchecked: $0, at: 0) }, as: LayerHeader.arp)
    {
      return
    }
    let message = ARPMessage(unchecked: bytes, at: offset)
    let end = offset + message.length
    if end > bytes.count {
      truncated(bytes, .arp(message), at: offset, needed: message.length, bound: .capture)
      return
    }
    push(DecodedLayer(header: .arp(message), range: offset..<end))
    if end < bytes.count { frame.paddingRange = end..<bytes.count }
  }
}

// MARK: - Fields

/// ARP's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum ARPProtocol {
  /// The views differ on purpose (kept as they were). JSON leaves out the types when they
  /// are Ethernet and IPv4 with the usual lengths, and for other hardware gives the
  /// addresses as hex (protocol addresses of IPv4 stay dotted, as tshark), each when
  /// captured. The verbose view shows every fixed field (the protocol type in hex, the
  /// operation named), then the typed addresses of a whole Ethernet/IPv4 message, or else
  /// the address bytes in hex as `addresses`.
  static func describe<V: FieldVisitor>(
    _ message: ARPMessage, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    let verbose = V.view == .verbose
    let usual =
      message.hardwareType == 1 && message.protocolType == 0x0800
      && (!view.has(6) || (message.hardwareLength == 6 && message.protocolLength == 4))
    if verbose || !usual {
      if verbose || view.has(2) { fields.number(.hardwareType, message.hardwareType, &out) }
      if verbose || view.has(4) {
        fields.number(.protocolType, message.protocolType, .hex(width: 4), &out)
      }
    }
    if verbose {
      fields.number(.hardwareLength, message.hardwareLength, &out)
      fields.number(.protocolLength, message.protocolLength, &out)
    }
    if verbose || view.has(8) {
      fields.number(.op, message.op, meaning: operationMeaning(message.op), &out)
    }
    if verbose {
      if message.isEthernetIPv4 && layer.status.isComplete {
        fields.mac(.senderMAC, message.senderMAC, &out)
        fields.ipv4(.senderIP, message.senderIP, &out)
        fields.mac(.targetMAC, message.targetMAC, &out)
        fields.ipv4(.targetIP, message.targetIP, &out)
      } else if message.addressesRange.upperBound <= bytes.count {
        fields.hex(.addresses, bytes.extracting(message.addressesRange), &out)
      }
    } else if view.has(6) {
      addresses(message, view, usual: usual, bytes, &fields, &out)
    }
  }

  /// The four addresses as JSON has them, each when captured.
  static func addresses<V: FieldVisitor>(
    _ message: ARPMessage, _ view: LayerExtent, usual: Bool, _ bytes: Span<UInt8>,
    _ fields: inout V, _ out: inout TextBuffer
  ) {
    let start = view.start
    if usual {
      let base = start + ARPMessage.fixedLength
      if view.has(14) { fields.mac(.senderMAC, MACAddress(bytes, at: base), &out) }
      if view.has(18) { fields.ipv4(.senderIP, IPv4Address(bytes, at: base + 6), &out) }
      if view.has(24) { fields.mac(.targetMAC, MACAddress(bytes, at: base + 10), &out) }
      if view.has(28) { fields.ipv4(.targetIP, IPv4Address(bytes, at: base + 16), &out) }
      return
    }
    let hardware = Int(message.hardwareLength)
    let proto = Int(message.protocolLength)
    let sender = ARPMessage.fixedLength + hardware
    let target = sender + proto
    let end = target + hardware
    if view.has(sender) {
      fields.hex(.senderMAC, bytes.extracting((start + 8)..<(start + sender)), &out)
    }
    let ipv4 = message.protocolType == 0x0800 && proto == 4
    if view.has(target) {
      if ipv4 {
        fields.ipv4(.senderIP, IPv4Address(bytes, at: start + sender), &out)
      } else {
        fields.hex(.senderIP, bytes.extracting((start + sender)..<(start + target)), &out)
      }
    }
    if view.has(end) {
      fields.hex(.targetMAC, bytes.extracting((start + target)..<(start + end)), &out)
    }
    if view.has(end + proto) {
      if ipv4 {
        fields.ipv4(.targetIP, IPv4Address(bytes, at: start + end), &out)
      } else {
        fields.hex(.targetIP, bytes.extracting((start + end)..<(start + end + proto)), &out)
      }
    }
  }

  /// What an operation means (the verbose view).
  static func operationMeaning(_ op: UInt16) -> StaticString? {
    switch op {
    case 1: "request"
    case 2: "reply"
    case 3: "reverse request"
    case 4: "reverse reply"
    default: nil
    }
  }

  /// Expressions: `arp(op=2, sender_ip=192.0.2.1)`.
  static let schema = LayerSchema(
    name: "arp", aliases: [],
    fields: [
      spec(.hardwareType, .u16) { (l: inout ARP, v) in l.hardwareType = v.u16 },
      spec(.protocolType, .u16) { (l: inout ARP, v) in l.protocolType = v.u16 },
      spec(.hardwareLength, .u8) { (l: inout ARP, v) in l.hardwareLength = v.u8 },
      spec(.protocolLength, .u8) { (l: inout ARP, v) in l.protocolLength = v.u8 },
      spec(.op, .u16) { (l: inout ARP, v) in l.op = v.u16 },
      spec(.senderMAC, .mac) { (l: inout ARP, v) in l.senderMAC = v.mac },
      spec(.senderIP, .ipv4) { (l: inout ARP, v) in l.senderIP = v.ipv4 },
      spec(.targetMAC, .mac) { (l: inout ARP, v) in l.targetMAC = v.mac },
      spec(.targetIP, .ipv4) { (l: inout ARP, v) in l.targetIP = v.ipv4 },
    ], readOnly: [], make: { .arp(ARP()) })
}

extension JSONPacketConverter {
  /// `--from-json`: an `arp` object. Ethernet/IPv4 builds the `ARP` layer; other hardware
  /// (addresses as hex, MAC text accepted; protocol addresses dotted or hex) is written as
  /// bytes.
  mutating func arp(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys(
      [
        FieldName.hardwareType, .protocolType, .hardwareLength, .protocolLength, .op, .senderMAC,
        .senderIP, .targetMAC, .targetIP,
      ].map(\.string))
    let hardwareType = try layer.u16(FieldName.hardwareType.string) ?? 1
    let protocolType = try layer.u16(FieldName.protocolType.string) ?? 0x0800
    let op = try layer.u16(FieldName.op.string) ?? 1
    let usual = [
      MACAddress(try layer.string(FieldName.senderMAC.string) ?? "00:00:00:00:00:00"),
      MACAddress(try layer.string(FieldName.targetMAC.string) ?? "00:00:00:00:00:00"),
    ].allSatisfy { $0 != nil }
    if usual && hardwareType == 1 && protocolType == 0x0800 {
      var message = ARP(op: op, hardwareType: hardwareType, protocolType: protocolType)
      if let mac = try layer.mac(FieldName.senderMAC.string) { message.senderMAC = mac }
      if let ip = try layer.ipv4(FieldName.senderIP.string) { message.senderIP = ip }
      if let mac = try layer.mac(FieldName.targetMAC.string) { message.targetMAC = mac }
      if let ip = try layer.ipv4(FieldName.targetIP.string) { message.targetIP = ip }
      message.hardwareLength = try layer.u8(FieldName.hardwareLength.string)
      message.protocolLength = try layer.u8(FieldName.protocolLength.string)
      layers.append(.arp(message))
      return
    }
    func address(_ name: FieldName, ip: Bool) throws(JSONPacketError) -> [UInt8] {
      let key = name.string
      guard let text = try layer.string(key) else { return [] }
      if !ip, let mac = MACAddress(text) { return mac.octets }
      if ip, let address = IPv4Address(text) {
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: address.rawValue >> $0) }
      }
      guard let bytes = HexBytes.parse(text) else {
        throw layer.fail(key, "\"\(text)\" is not an address or hex bytes")
      }
      return bytes
    }
    let senderMAC = try address(.senderMAC, ip: false)
    let senderIP = try address(.senderIP, ip: true)
    let targetMAC = try address(.targetMAC, ip: false)
    let targetIP = try address(.targetIP, ip: true)
    guard senderMAC.count == targetMAC.count, senderMAC.count <= 255 else {
      throw layer.fail(FieldName.targetMAC.string, "has a different length from sender_mac")
    }
    guard senderIP.count == targetIP.count, senderIP.count <= 255 else {
      throw layer.fail(FieldName.targetIP.string, "has a different length from sender_ip")
    }
    var writer = ByteWriter(capacity: 28)
    writer.writeBE16(hardwareType)
    writer.writeBE16(protocolType)
    writer.writeU8(try layer.u8(FieldName.hardwareLength.string) ?? UInt8(senderMAC.count))
    writer.writeU8(try layer.u8(FieldName.protocolLength.string) ?? UInt8(senderIP.count))
    writer.writeBE16(op)
    for part in [senderMAC, senderIP, targetMAC, targetIP] { writer.write(contentsOf: part) }
    layers.append(.payload(Payload(writer.bytes)))
  }
}

// MARK: - Building

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

  /// An ARP message to build; the defaults are scapy's: a who-has request (op 1), zero MAC
  /// addresses, 0.0.0.0 addresses, hardware type 1, protocol type 0x0800, lengths 6 and 4.
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

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .arp(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
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
