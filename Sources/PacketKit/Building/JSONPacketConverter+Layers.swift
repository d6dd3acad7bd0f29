/// The layers `JSONPacketConverter` rebuilds, one method each: the object's fields written
/// as given, the fields left out computed as crafting expressions compute them.
extension JSONPacketConverter {
  mutating func ethernet(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys(["src", "dst", "type", "length", "padding"])
    var eth = Ethernet()
    if let src = try layer.mac("src") { eth.src = src }
    if let dst = try layer.mac("dst") { eth.dst = dst }
    if let type = try layer.u16("type") {
      eth.type = type
    } else if let length = try layer.integer("length", max: 0x05FF) {
      eth.type = UInt16(length)
    }
    trailer = try layer.hex("padding") ?? []
    layers.append(.ethernet(eth))
  }

  mutating func cooked(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys([
      "packet_type", "address", "protocol", "ifindex", "hardware_type", "address_length",
    ])
    let v2 = layer.has("ifindex")
    var address: UInt64 = 0
    var addressLength: UInt16 = 0
    if let text = try layer.string("address") {
      let bytes: [UInt8]
      if let mac = MACAddress(text) {
        bytes = mac.octets
      } else if let hex = HexBytes.parse(text), hex.count <= 8 {
        bytes = hex
      } else {
        throw layer.fail("address", "\"\(text)\" is not a MAC address or up to 8 hex bytes")
      }
      for (offset, byte) in bytes.enumerated() {
        address |= UInt64(byte) << UInt64(56 - 8 * offset)
      }
      addressLength = UInt16(bytes.count)
    }
    if let length = try layer.u16("address_length") { addressLength = length }
    let header = LinuxCookedHeader(
      version: v2 ? 2 : 1,
      packetType: try layer.integer("packet_type", max: v2 ? 0xFF : 0xFFFF)
        .map { UInt16($0) } ?? 0,
      arphrdType: try layer.u16("hardware_type") ?? 1, addressLength: addressLength,
      address: address, protocol: try layer.u16("protocol") ?? 0,
      interfaceIndex: try layer.u32("ifindex") ?? 0)
    var writer = ByteWriter(capacity: 20)
    header.encode(into: &writer)
    prefix = writer.bytes
  }

  mutating func arp(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys([
      "hardware_type", "protocol_type", "hardware_length", "protocol_length", "op", "sender_mac",
      "sender_ip", "target_mac", "target_ip",
    ])
    let hardwareType = try layer.u16("hardware_type") ?? 1
    let protocolType = try layer.u16("protocol_type") ?? 0x0800
    let op = try layer.u16("op") ?? 1
    let usual = [
      MACAddress(try layer.string("sender_mac") ?? "00:00:00:00:00:00"),
      MACAddress(try layer.string("target_mac") ?? "00:00:00:00:00:00"),
    ].allSatisfy { $0 != nil }
    if usual && hardwareType == 1 && protocolType == 0x0800 {
      var message = ARP(op: op, hardwareType: hardwareType, protocolType: protocolType)
      if let mac = try layer.mac("sender_mac") { message.senderMAC = mac }
      if let ip = try layer.ipv4("sender_ip") { message.senderIP = ip }
      if let mac = try layer.mac("target_mac") { message.targetMAC = mac }
      if let ip = try layer.ipv4("target_ip") { message.targetIP = ip }
      message.hardwareLength = try layer.u8("hardware_length")
      message.protocolLength = try layer.u8("protocol_length")
      layers.append(.arp(message))
      return
    }
    // Other hardware: addresses as hex (MAC text accepted), protocol addresses dotted or hex.
    func address(_ key: String, ip: Bool) throws(JSONPacketError) -> [UInt8] {
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
    let senderMAC = try address("sender_mac", ip: false)
    let senderIP = try address("sender_ip", ip: true)
    let targetMAC = try address("target_mac", ip: false)
    let targetIP = try address("target_ip", ip: true)
    guard senderMAC.count == targetMAC.count, senderMAC.count <= 255 else {
      throw layer.fail("target_mac", "has a different length from sender_mac")
    }
    guard senderIP.count == targetIP.count, senderIP.count <= 255 else {
      throw layer.fail("target_ip", "has a different length from sender_ip")
    }
    var writer = ByteWriter(capacity: 28)
    writer.writeBE16(hardwareType)
    writer.writeBE16(protocolType)
    writer.writeU8(try layer.u8("hardware_length") ?? UInt8(senderMAC.count))
    writer.writeU8(try layer.u8("protocol_length") ?? UInt8(senderIP.count))
    writer.writeBE16(op)
    for part in [senderMAC, senderIP, targetMAC, targetIP] { writer.write(contentsOf: part) }
    layers.append(.payload(Payload(writer.bytes)))
  }

  mutating func ipv4(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys([
      "header_length", "tos", "total_length", "id", "df", "mf", "fragment_offset", "ttl",
      "protocol", "checksum", "checksum_valid", "src", "dst", "options",
    ])
    var ip = IPv4()
    ip.headerLength = try layer.integer("header_length", max: 60).map { Int($0) }
    if let tos = try layer.u8("tos") { ip.tos = tos }
    ip.totalLength = try layer.u16("total_length")
    if let id = try layer.u16("id") { ip.id = id }
    if let df = try layer.bool("df") { ip.df = df }
    if let mf = try layer.bool("mf") { ip.mf = mf }
    if let offset = try layer.integer("fragment_offset", max: 0x1FFF * 8) {
      ip.fragmentOffset = Int(offset)
    }
    if let ttl = try layer.u8("ttl") { ip.ttl = ttl }
    ip.protocol = try layer.u8("protocol")
    ip.checksum = try layer.u16("checksum")
    if let src = try layer.ipv4("src") { ip.src = src }
    if let dst = try layer.ipv4("dst") { ip.dst = dst }
    ip.options = try layer.hex("options") ?? []
    layers.append(.ipv4(ip))
  }

  mutating func loopback(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys(["family"])
    guard let family = try layer.u32("family") else { throw layer.fail("family", "is missing") }
    var writer = ByteWriter(capacity: 4)
    LoopbackHeader(family: family, bigEndian: false).encode(into: &writer)
    prefix = writer.bytes
  }

  mutating func vlan(_ layer: JSONLayer, previous: JSONLayer?) throws(JSONPacketError) {
    try layer.checkKeys(["id", "pcp", "dei", "type", "tpid"])
    var tag = VLAN()
    if let id = try layer.integer("id", max: 4095) { tag.id = UInt16(id) }
    if let pcp = try layer.integer("pcp", max: 7) { tag.pcp = UInt8(pcp) }
    if let dei = try layer.bool("dei") { tag.dei = dei }
    tag.type = try layer.u16("type")
    if let tpid = try layer.u16("tpid") {
      tag.tpid = tpid
    } else if let announced = try previous?.u16("type"), [0x88A8, 0x9100].contains(announced) {
      tag.tpid = announced
    }
    layers.append(.vlan(tag))
  }
}
