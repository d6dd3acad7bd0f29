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
    trailer = try layer.hex("padding") ?? trailer
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

  mutating func ipv6(_ layer: JSONLayer, next: JSONLayer?) throws(JSONPacketError) {
    try layer.checkKeys([
      "traffic_class", "flow_label", "payload_length", "next_header", "hop_limit", "src", "dst",
      "extensions",
    ])
    var ip = IPv6()
    if let value = try layer.u8("traffic_class") { ip.trafficClass = value }
    if let value = try layer.integer("flow_label", max: 0xF_FFFF) { ip.flowLabel = UInt32(value) }
    ip.payloadLength = try layer.u16("payload_length")
    ip.nextHeader = try layer.u8("next_header")
    ip.hopLimit = try layer.u8("hop_limit")
    if let src = try layer.ipv6("src") { ip.src = src }
    ip.dst = try layer.ipv6("dst")
    let items = try layer.list("extensions") ?? []
    for (position, item) in items.enumerated() {
      let header = JSONLayer(
        name: "extension", label: "\(layer.label).extensions[\(position)]", object: item)
      try header.checkKeys([
        "type", "length", "hex", "fragment_offset", "mf", "id", "routing_type", "segments_left",
        "next_header",
      ])
      guard let type = try header.u8("type") else { throw header.fail("type", "is missing") }
      guard let kind = IPv6Extension.Kind(rawValue: type) else {
        throw header.fail(
          "type", "\(type) is not an extension header the builder knows (0, 43, 44, 51, 60, 135)")
      }
      var ext = IPv6Extension(kind: kind)
      ext.nextHeader = try header.u8("next_header")
      if kind == .fragment {
        if let offset = try header.integer("fragment_offset", max: 0x1FFF * 8) {
          ext.fragmentOffset = Int(offset)
        }
        if let mf = try header.bool("mf") { ext.mf = mf }
        if let id = try header.u32("id") { ext.id = id }
        if let body = try header.hex("hex"), body.count == 6 {
          // The reserved byte is written from the body's first byte; the 2 reserved bits
          // between offset and M travel in the offset's low bits.
          ext.body = [0]
          ext.fragmentOffset = Int(UInt16(body[0]) << 8 | UInt16(body[1])) & ~7
          ext.mf = body[1] & 1 == 1
        }
      } else {
        ext.length = try header.integer("length", max: 2048).map { Int($0) }
        ext.body = try header.hex("hex")
        ext.routingType = try header.u8("routing_type")
        ext.segmentsLeft = try header.u8("segments_left")
      }
      ip.extensions.append(ext)
    }
    if let last = ip.extensions.last, last.nextHeader == nil,
      next?.name == "raw" || next?.name == "payload"
    {
      throw layer.fail(
        "extensions",
        "the last extension header's next header is not in the JSON (raw data follows); give it as next_header"
      )
    }
    layers.append(.ipv6(ip))
  }

  mutating func tcp(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys([
      "src_port", "sport", "dst_port", "dport", "seq", "ack", "header_length", "flags", "window",
      "checksum", "checksum_valid", "urgent", "options", "payload_length",
    ])
    var tcp = TCP()
    if let port = try layer.u16("src_port") { tcp.srcPort = port }
    if let port = try layer.u16("sport") { tcp.srcPort = port }
    if let port = try layer.u16("dst_port") { tcp.dstPort = port }
    if let port = try layer.u16("dport") { tcp.dstPort = port }
    if let seq = try layer.u32("seq") { tcp.seq = seq }
    if let ack = try layer.u32("ack") { tcp.ack = ack }
    tcp.headerLength = try layer.integer("header_length", max: 60).map { Int($0) }
    if let flags = try layer.integer("flags", max: 0xFFF) {
      tcp.flags = TCPFlags(rawValue: UInt16(flags))
    }
    if let window = try layer.u16("window") { tcp.window = window }
    tcp.checksum = try layer.u16("checksum")
    if let urgent = try layer.u16("urgent") { tcp.urgent = urgent }
    for (position, item) in (try layer.list("options") ?? []).enumerated() {
      let option = JSONLayer(
        name: "option", label: "\(layer.label).options[\(position)]", object: item)
      if case .verbatim? = tcp.options.last {
        throw option.fail(nil, "follows a malformed option, which ends the list")
      }
      tcp.options.append(try tcpOption(option))
    }
    // The list stops at eol: what follows up to the header length is zeros. A malformed
    // option's bytes run to the end of the options: nothing is added after them.
    let endsVerbatim = if case .verbatim? = tcp.options.last { true } else { false }
    if !endsVerbatim, let headerLength = tcp.headerLength {
      let written = tcp.options.reduce(0) { $0 + $1.encoded.count }
      if headerLength - 20 > written, tcp.options.last != .eol {
        // read lists options up to eol; a list that stops short without one stopped at an
        // option it could not decode, whose bytes are not in the JSON.
        throw layer.fail(
          "options",
          "the options listed take \(written) of the header's \(headerLength - 20) option bytes and do not end with eol: the rest is not in the JSON"
        )
      }
      if headerLength - 20 > written {
        tcp.options += repeatElement(.eol, count: headerLength - 20 - written)
      }
    }
    layers.append(.tcp(tcp))
  }

  func tcpOption(_ option: JSONLayer) throws(JSONPacketError) -> TCPOptionSpec {
    guard let kind = try option.string("kind") else { throw option.fail("kind", "is missing") }
    switch kind {
    case "eol": return .eol
    case "nop": return .nop
    case "sack_permitted": return .sackPermitted
    case "mss": return .mss(try option.u16("value") ?? 0)
    case "window_scale": return .windowScale(try option.u8("value") ?? 0)
    case "timestamp":
      return .timestamp(value: try option.u32("value") ?? 0, echo: try option.u32("echo") ?? 0)
    case "sack":
      var blocks: [SACKBlock] = []
      for block in try option.list("blocks") ?? [] {
        guard case .array(let pair) = block, pair.count == 2,
          let left = pair[0].unsignedInteger, let right = pair[1].unsignedInteger,
          left <= 0xFFFF_FFFF, right <= 0xFFFF_FFFF
        else { throw option.fail("blocks", "expects [[left, right], ...] of 32-bit integers") }
        blocks.append(SACKBlock(left: UInt32(left), right: UInt32(right)))
      }
      return .sack(blocks)
    case "unknown":
      guard let code = try option.u8("code") else { throw option.fail("code", "is missing") }
      return .unknown(code: code, bytes: try option.hex("hex") ?? [])
    case "malformed":
      guard let bytes = try option.hex("hex") else { throw option.fail("hex", "is missing") }
      return .verbatim(bytes)
    default:
      throw option.fail(
        "kind",
        "unknown option \(kind); kinds: eol, nop, mss, window_scale, sack_permitted, sack, timestamp, unknown, malformed"
      )
    }
  }

  /// ICMPv6; returns true when the following `raw` layer was taken in (neighbour discovery).
  mutating func icmpv6(_ layer: JSONLayer, next: JSONLayer?) throws(JSONPacketError) -> Bool {
    try layer.checkKeys([
      "type", "code", "checksum", "checksum_valid", "id", "seq", "rest", "target", "options",
    ])
    var message = ICMPv6()
    if let type = try layer.u8("type") { message.type = type }
    if let code = try layer.u8("code") { message.code = code }
    message.checksum = try layer.u16("checksum")
    message.rest = try layer.u32("rest")
    if let id = try layer.u16("id") { message.id = id }
    if let seq = try layer.u16("seq") { message.seq = seq }
    guard let next, next.name == "raw" || next.name == "payload" else {
      message.target = try layer.ipv6("target")
      for (position, item) in (try layer.list("options") ?? []).enumerated() {
        let option = JSONLayer(
          name: "option", label: "\(layer.label).options[\(position)]", object: item)
        guard let type = try option.u8("type") else { throw option.fail("type", "is missing") }
        if let mac = try option.mac("mac") {
          message.ndOptions.append(.raw(type: type, bytes: mac.octets))
        } else {
          message.ndOptions.append(.raw(type: type, bytes: try option.hex("hex") ?? []))
        }
      }
      layers.append(.icmpv6(message))
      return false
    }
    guard (135...137).contains(message.type) else {
      layers.append(.icmpv6(message))
      return false
    }
    // The builder writes a target for 135...137: take it from the raw bytes.
    try next.checkKeys(["length", "hex"])
    let body = try payloadBytes(next)
    guard body.count >= 16 else {
      throw next.fail(
        nil,
        "a neighbour-discovery message of \(body.count) bytes (less than a target) cannot be rebuilt"
      )
    }
    message.target = IPv6Address(body.span, at: 0)
    layers.append(.icmpv6(message))
    layers.append(.payload(Payload(Array(body[16...]))))
    return true
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

  mutating func icmp(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys(["type", "code", "checksum", "checksum_valid", "id", "seq", "rest"])
    var icmp = ICMP()
    if let type = try layer.u8("type") { icmp.type = type }
    if let code = try layer.u8("code") { icmp.code = code }
    icmp.checksum = try layer.u16("checksum")
    if let rest = try layer.u32("rest") { icmp.rest = rest }
    if let id = try layer.u16("id") { icmp.id = id }
    if let seq = try layer.u16("seq") { icmp.seq = seq }
    layers.append(.icmp(icmp))
  }
}
