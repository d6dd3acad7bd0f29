/// The link layer: what a capture's link type puts first (Ethernet, Linux cooked, BSD
/// loopback, or a bare IP datagram), VLAN tags, the EtherType's protocol, ARP.
extension Walk {
  /// Decodes an Ethernet frame at `start` (0, or a frame carried by a tunnel) that runs to
  /// the end of `bytes` (a tunnel passes its payload's end as the span's end).
  mutating func ethernet(_ bytes: Span<UInt8>, at start: Int = 0) {
    let length = EthernetHeader.length
    if appendsShortHeader(
      bytes, length, at: start, end: bytes.count, bound: .capture,
      { EthernetHeader(unchecked: $0, at: 0) }, as: LayerHeader.ethernet)
    {
      return
    }
    let header = EthernetHeader(unchecked: bytes, at: start)
    frame.append(DecodedLayer(header: .ethernet(header), range: start..<(start + length)))
    etherType(bytes, header.typeOrLength, at: start + length)
  }

  mutating func cooked(_ bytes: Span<UInt8>, version: UInt8) {
    let length = LinuxCookedHeader.length(version: version)
    if appendsShortHeader(
      bytes, length, at: 0, end: bytes.count, bound: .capture,
      { LinuxCookedHeader(unchecked: $0, at: 0, version: version) }, as: LayerHeader.sll)
    {
      return
    }
    let header = LinuxCookedHeader(unchecked: bytes, at: 0, version: version)
    frame.append(DecodedLayer(header: .sll(header), range: 0..<length))
    if header.protocol >= 0x0600 {
      etherType(bytes, header.protocol, at: length)
    } else {
      raw(bytes, length..<bytes.count)
    }
  }

  mutating func loopback(_ bytes: Span<UInt8>, networkOrder: Bool) {
    let length = LoopbackHeader.length
    if appendsShortHeader(
      bytes, length, at: 0, end: bytes.count, bound: .capture,
      { LoopbackHeader(unchecked: $0, at: 0, networkOrder: networkOrder) }, as: LayerHeader.null)
    {
      return
    }
    let header = LoopbackHeader(unchecked: bytes, at: 0, networkOrder: networkOrder)
    frame.append(DecodedLayer(header: .null(header), range: 0..<length))
    let enclosure = Enclosure(
      end: bytes.count, declaredEnd: frame.wireLength, bound: .capture, quoted: false,
      outermost: true)
    if header.isIPv4 {
      ipv4(bytes, at: length, enclosure)
    } else if header.isIPv6 {
      ipv6(bytes, at: length, enclosure)
    } else {
      raw(bytes, length..<bytes.count)
    }
  }

  /// Decodes what an EtherType announces at `offset`: VLAN tags, then ARP, IPv4, IPv6 or raw.
  mutating func etherType(_ bytes: Span<UInt8>, _ first: UInt16, at start: Int) {
    var type = first
    var offset = start
    while EtherType(rawValue: type).isVLANTag {
      guard !frame.isFull else { return raw(bytes, offset..<bytes.count) }
      let tpid = type
      if appendsShortHeader(
        bytes, VLANTag.length, at: offset, end: bytes.count, bound: .capture,
        { VLANTag(unchecked: $0, at: 0, tpid: tpid) }, as: LayerHeader.vlan)
      {
        return
      }
      let tag = VLANTag(unchecked: bytes, at: offset, tpid: type)
      frame.append(DecodedLayer(header: .vlan(tag), range: offset..<(offset + VLANTag.length)))
      type = tag.type
      offset += VLANTag.length
    }
    guard !network(EtherType(rawValue: type), bytes, at: offset) else { return }
    if type < 0x0600 {
      // 802.3: the length covers the LLC data; what follows it is padding.
      let end = min(bytes.count, offset + Int(type))
      raw(bytes, offset..<end)
      if end < bytes.count { frame.paddingRange = end..<bytes.count }
    } else {
      raw(bytes, offset..<bytes.count)
    }
  }

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
    frame.append(DecodedLayer(header: .arp(message), range: offset..<end))
    if end < bytes.count { frame.paddingRange = end..<bytes.count }
  }
}
