// The link-layer part of a tcpdump -n line: Ethernet, 802.1Q, 802.3/LLC, Linux cooked
// (SLL, SLL2), BSD loopback and raw IP, and the dispatch to the network layer.

extension OneLineFormatter {
  mutating func link(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>,
    linkType: LinkType,
    record: CaptureRecord, to out: inout TextBuffer
  ) {
    guard frame.count > 0 else {
      switch linkType.rawValue {
      case 1: out.append(" [|ether]")
      case 113, 276: out.append(" [|sll]")
      case 0, 108: out.append(" [|null]")
      default: out.append(" [|ip]")
      }
      return
    }
    let outer = frame[0]
    switch outer.header {
    case .ethernet(let ethernet):
      guard outer.status.isComplete else { return out.append(" [|ether]") }
      ethernetLayer(frame, wire: wireLength, bytes, ethernet, to: &out)
    case .sll(let cooked):
      guard outer.status.isComplete else { return out.append(" [|sll]") }
      linuxCooked(frame, wire: wireLength, bytes, cooked, record: record, to: &out)
    case .null(let loopback):
      guard outer.status.isComplete else { return out.append(" [|null]") }
      if printLinkLayer {
        out.append("AF ")
        if loopback.isIPv4 {
          out.append("IPv4")
        } else if loopback.isIPv6 {
          out.append("IPv6")
        } else {
          out.append("Unknown")
        }
        out.append(" (")
        out.append(decimal: loopback.family)
        out.append("), length ")
        out.append(decimal: wireLength)
        out.append(": ")
      }
      network(frame, wire: wireLength, bytes, at: 1, to: &out)
    default:
      if printLinkLayer { out.append("ip: ") }
      network(frame, wire: wireLength, bytes, at: 0, to: &out)
    }
  }

  /// tcpdump's name for an EtherType (`ethertype_values`).
  func writeEtherType(_ type: UInt16, to out: inout TextBuffer) {
    out.append("ethertype ")
    switch type {
    case 0x8035: out.append("Reverse ARP")
    default: out.append(EtherType(rawValue: type).description)
    }
    out.append(" (0x")
    out.append(hex: type, width: 4)
    out.append(byte: 0x29)
  }

  @inline(never)
  mutating func ethernetLayer(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>,
    _ ethernet: EthernetHeader, at start: Int = 0, to out: inout TextBuffer
  ) {
    var index = start + 1
    while index < frame.count && frame[index].kind == .vlan { index += 1 }
    let inner: LayerKind = index < frame.count ? frame[index].kind : .ethernet
    let known = inner == .ipv4 || inner == .ipv6 || inner == .arp || inner == .mpls
    let lastTagType = index > start + 1 ? frame[index - 1].vlanType : 0xFFFF
    let lastTagComplete = index > start + 1 ? frame[index - 1].status.isComplete : true
    let llc = ethernet.isLength || lastTagType < 0x0600
    if printLinkLayer || (!known && !llc) {
      ethernet.src.write(to: &out)
      out.append(" > ")
      ethernet.dst.write(to: &out)
      out.append(", ")
      if ethernet.isLength {
        out.append("802.3")
      } else {
        writeEtherType(ethernet.typeOrLength, to: &out)
      }
      out.append(", length ")
      // tcpdump prints an 802.3 frame's length field, not the frame's length.
      out.append(
        decimal: ethernet.isLength
          ? Int(ethernet.typeOrLength) : wireLength - frame[start].range.lowerBound)
      out.append(": ")
      var tagIndex = start + 1
      while tagIndex < index {
        writeTag(frame[tagIndex], to: &out)
        tagIndex += 1
      }
    }
    if !lastTagComplete { return out.append(" [|vlan]") }
    if llc {
      // No LLC byte at all (cut by the capture, or a length field of 0): tcpdump's marker.
      guard inner == .raw else { return out.append(" [|llc]") }
      // The 802.3 length, bounded by the frame, as tcpdump takes it.
      let range = frame[index].range
      let lengthField = Int(ethernet.isLength ? ethernet.typeOrLength : lastTagType)
      let length = min(lengthField, wireLength - range.lowerBound)
      if !llcPayloadText(bytes, range, length: length, to: &out) {
        logicalLinkControl(bytes, range, to: &out)
      }
      return
    }
    if known { network(frame, wire: wireLength, bytes, at: index, to: &out) }
  }

  /// `vlan 100, p 5, DEI, ethertype IPv4 (0x0800), ` (`vlan 0, p 7, 802.3` before LLC)
  func writeTag(_ layer: DecodedLayer, to out: inout TextBuffer) {
    guard case .vlan(let tag) = layer.header else { return }
    out.append("vlan ")
    out.append(decimal: tag.id)
    out.append(", p ")
    out.append(decimal: tag.pcp)
    if tag.dei { out.append(", DEI") }
    out.append(", ")
    if tag.type < 0x0600 {
      // tcpdump writes no separator before the LLC text that follows (`802.3LLC, dsap`).
      out.append("802.3")
    } else {
      writeEtherType(tag.type, to: &out)
      out.append(", ")
    }
  }

  /// 802.2 LLC: `LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03, length N`.
  func logicalLinkControl(_ bytes: Span<UInt8>, _ range: Range<Int>, to out: inout TextBuffer) {
    guard range.count >= 3 else { return out.append(" [|llc]") }
    let dsap = bytes[range.lowerBound]
    let ssap = bytes[range.lowerBound + 1]
    let control = bytes[range.lowerBound + 2]
    out.append("LLC, dsap ")
    writeSAP(dsap, to: &out)
    out.append(dsap & 1 == 0 ? " Individual, ssap " : " Group, ssap ")
    writeSAP(ssap, to: &out)
    out.append(ssap & 1 == 0 ? " Command, ctrl 0x" : " Response, ctrl 0x")
    if control & 3 == 3 || range.count < 4 {
      out.append(hex: control, width: 2)
    } else {
      out.append(hex: UInt16(control) << 8 | UInt16(bytes[range.lowerBound + 3]), width: 4)
    }
    out.append(", length ")
    out.append(decimal: range.count)
  }

  func writeSAP(_ sap: UInt8, to out: inout TextBuffer) {
    switch sap & 0xFE {
    case 0x00: out.append("Null")
    case 0x04: out.append("SNA")
    case 0x06: out.append("IP")
    case 0x42: out.append("STP")
    case 0x7E: out.append("X.25")
    case 0xAA: out.append("SNAP")
    case 0xE0: out.append("IPX")
    case 0xF0: out.append("NetBeui")
    case 0xFE: out.append("OSI")
    default: out.append("Unknown")
    }
    out.append(" (0x")
    out.append(hex: sap, width: 2)
    out.append(byte: 0x29)
  }

  mutating func linuxCooked(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>,
    _ cooked: LinuxCookedHeader,
    record: CaptureRecord, to out: inout TextBuffer
  ) {
    let packetType: StaticString =
      switch cooked.packetType {
      case 0: "In"
      case 1: "B"
      case 2: "M"
      case 3: "P"
      case 4: "Out"
      default: "?"
      }
    let typeWidth = packetType.utf8CodeUnitCount
    if cooked.version == 2 {
      let name = record.interfaceName ?? "?"
      out.append(name)
      var width = name.utf8.count
      while width < 5 {
        out.append(byte: 0x20)
        width += 1
      }
      out.append(byte: 0x20)
      out.append(packetType)
      for _ in typeWidth..<3 { out.append(byte: 0x20) }
      out.append(byte: 0x20)
      if printLinkLayer {
        out.append("ifindex ")
        out.append(decimal: cooked.interfaceIndex)
        out.append(byte: 0x20)
      }
    } else if printLinkLayer {
      for _ in typeWidth..<3 { out.append(byte: 0x20) }
      out.append(packetType)
      out.append(byte: 0x20)
    }
    if printLinkLayer {
      if let mac = cooked.mac {
        mac.write(to: &out)
        out.append(byte: 0x20)
      }
      switch cooked.protocol {
      case 1: out.append("802.3")
      case 4: out.append("802.2")
      case let type where type >= 0x0600: writeEtherType(type, to: &out)
      default:
        out.append("ethertype Unknown (0x")
        out.append(hex: cooked.protocol, width: 4)
        out.append(byte: 0x29)
      }
      out.append(", length ")
      out.append(decimal: wireLength)
      out.append(": ")
    }
    var index = 1
    while index < frame.count && frame[index].kind == .vlan { index += 1 }
    network(frame, wire: wireLength, bytes, at: index, to: &out)
  }

  /// Prints the network layer at `index` (ARP, IPv4 or IPv6); anything else prints nothing.
  mutating func network(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>,
    at index: Int,
    to out: inout TextBuffer
  ) {
    guard index < frame.count else { return }
    switch frame[index].header {
    case .arp(let message): arp(frame, wire: wireLength, bytes, index, message, to: &out)
    case .ipv4(let header): ipv4(frame, wire: wireLength, bytes, index, header, to: &out)
    case .ipv6(let header): ipv6(frame, wire: wireLength, bytes, index, header, to: &out)
    default:
      _ = carried(
        frame, wire: wireLength, bytes, index, length: wireLength - frame[index].range.lowerBound,
        to: &out)
    }
  }
}

extension DecodedLayer {
  /// The type a VLAN tag announces (0xFFFF for other layers).
  var vlanType: UInt16 {
    if case .vlan(let tag) = header { return tag.type }
    return 0xFFFF
  }
}
