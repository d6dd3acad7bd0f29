// The network-layer part of a tcpdump -n line: ARP/RARP, IPv4 (options not shown, fragments,
// tunnels) and IPv6 with its extension headers (HBH, DSTOPT, RT6, frag, AH).

/// The addresses of the datagram around a transport header.
enum AddressPair {
  case v4(IPv4Address, IPv4Address)
  case v6(IPv6Address, IPv6Address)

  func writeSource(to out: inout TextBuffer) {
    switch self {
    case .v4(let src, _): src.write(to: &out)
    case .v6(let src, _): src.write(to: &out)
    }
  }

  func writeDestination(to out: inout TextBuffer) {
    switch self {
    case .v4(_, let dst): dst.write(to: &out)
    case .v6(_, let dst): dst.write(to: &out)
    }
  }

  /// `src > dst: `
  func write(to out: inout TextBuffer) {
    writeSource(to: &out)
    out.append(" > ")
    writeDestination(to: &out)
    out.append(": ")
  }
}

extension OneLineFormatter {
  // MARK: ARP

  mutating func arp(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ message: ARPMessage,
    to out: inout TextBuffer
  ) {
    let layer = frame[index]
    guard layer.status.isComplete else { return out.append(" [|arp]") }
    if !printLinkLayer { out.append("ARP, ") }
    let start = layer.range.lowerBound
    let length = wireLength - start
    let hardware = Int(message.hardwareLength)
    let proto = Int(message.protocolLength)
    guard message.protocolType == 0x0800, proto == 4, hardware > 0 else {
      switch message.hardwareType {
      case 1: out.append("Ethernet (len ")
      case 6: out.append("IEEE 802 (len ")
      default:
        out.append("Unknown Hardware (")
        out.append(decimal: message.hardwareType)
        out.append(") (len ")
      }
      out.append(decimal: hardware)
      out.append("), ")
      if message.protocolType >= 0x0600 {
        writeEtherType(message.protocolType, to: &out)
      } else {
        out.append("Unknown Protocol (0x")
        out.append(hex: message.protocolType, width: 4)
        out.append(byte: 0x29)
      }
      out.append(" (len ")
      out.append(decimal: proto)
      out.append("), length ")
      out.append(decimal: length)
      return
    }
    if verbosity > 0 { writeARPFormats(message, to: &out) }
    let sha = start + 8
    let spa = sha + hardware
    let tha = spa + 4
    let tpa = tha + hardware
    switch message.op {
    case 1: out.append("Request who-has ")
    case 2: out.append("Reply ")
    case 3: out.append("Reverse Request who-is ")
    case 4: out.append("Reverse Reply ")
    case 8: out.append("InReverse Request who-is ")
    case 9: out.append("InReverse Reply ")
    default:
      out.append("Unknown (")
      out.append(decimal: message.op)
      out.append(")")
    }
    switch message.op {
    case 1:
      IPv4Address(bytes, at: tpa).write(to: &out)
      var nonzero = false
      for offset in tha..<(tha + hardware) where bytes[offset] != 0 { nonzero = true }
      if nonzero {
        out.append(" (")
        writeLinkAddress(bytes, tha, hardware, to: &out)
        out.append(")")
      }
      out.append(" tell ")
      IPv4Address(bytes, at: spa).write(to: &out)
    case 2:
      IPv4Address(bytes, at: spa).write(to: &out)
      out.append(" is-at ")
      writeLinkAddress(bytes, sha, hardware, to: &out)
    case 3, 8:
      writeLinkAddress(bytes, tha, hardware, to: &out)
      out.append(" tell ")
      writeLinkAddress(bytes, sha, hardware, to: &out)
    case 4, 9:
      writeLinkAddress(bytes, tha, hardware, to: &out)
      out.append(" at ")
      IPv4Address(bytes, at: tpa).write(to: &out)
    default:
      break
    }
    out.append(", length ")
    out.append(decimal: length)
  }

  /// Colon-separated hex bytes, as tcpdump prints link-layer addresses of any length.
  func writeLinkAddress(_ bytes: Span<UInt8>, _ offset: Int, _ count: Int, to out: inout TextBuffer)
  {
    for index in 0..<count {
      if index > 0 { out.append(byte: 0x3A) }
      out.append(hexByte: bytes[offset + index])
    }
  }

  // MARK: IPv4

  mutating func ipv4(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ header: IPv4Header,
    to out: inout TextBuffer
  ) {
    let layer = frame[index]
    if header.version != 4, layer.range.count > 0 {
      out.append("IP")
      out.append(decimal: header.version)
      out.append(" (invalid)")
      return
    }
    if !printLinkLayer { out.append("IP ") }
    switch layer.status {
    case .complete:
      ipv4Body(frame, wire: wireLength, bytes, index, header, to: &out)
    case .truncated:
      out.append(" [|ip]")
    case .malformed(let problem)
    where layer.range.count < IPv4Layout.minimumLength
      && problem.field.description != FieldName.headerLength.string:
      // The enclosing datagram ends inside the header (IPv4 in a first fragment).
      out.append(" [|ip]")
    case .malformed(let problem):
      switch problem.field.description {
      case FieldName.headerLength.string:
        out.append("bad-hlen ")
        out.append(decimal: header.headerLength)
      case FieldName.totalLength.string where Int(header.totalLength) < header.headerLength:
        out.append("bad-len ")
        out.append(decimal: header.totalLength)
      default:
        // The total length runs past the frame: say how much is missing, then print what
        // is there, re-decoded with the announced length.
        let start = layer.range.lowerBound
        out.append("truncated-ip - ")
        out.append(decimal: Int(header.totalLength) - (wireLength - start))
        out.append(" bytes missing! ")
        let inner = FrameDecoder(verifyChecksums: false).decode(
          bytes.extracting(start..<bytes.count), linkType: .ipv4,
          wireLength: Int(header.totalLength))
        if inner.count > 0, case .ipv4(let again) = inner[0].header, inner[0].status.isComplete {
          inner.withLayers { layers in
            ipv4Body(
              layers, wire: inner.wireLength, bytes.extracting(start..<bytes.count), 0, again,
              to: &out)
          }
        } else {
          AddressPair.v4(header.src, header.dst).write(to: &out)
        }
      }
    }
  }

  mutating func ipv4Body(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ header: IPv4Header,
    to out: inout TextBuffer
  ) {
    let start = frame[index].range.lowerBound
    if verbosity > 0, !ipv4Details(bytes, start: start, header, to: &out) { return }
    let total = header.totalLength == 0 ? wireLength - start : Int(header.totalLength)
    let end = min(start + total, wireLength)
    let length = max(0, end - start - header.headerLength)
    let addresses = AddressPair.v4(header.src, header.dst)
    if header.fragmentOffset != 0 {
      addresses.writeSource(to: &out)
      out.append(" > ")
      addresses.writeDestination(to: &out)
      out.append(": ip-proto-")
      out.append(decimal: header.protocol)
      return
    }
    upperLayer(
      frame, wire: wireLength, bytes, index + 1, protocol: header.protocol, addresses: addresses,
      direct: true,
      writeAddresses: true, length: length, fragment: header.mf, to: &out)
  }

  /// Prints the layer after an IP header. `direct` is whether it follows the fixed IP header
  /// (tcpdump then prints addresses with the ports); `writeAddresses` whether other protocols
  /// need `src > dst: ` first (IPv6 has printed it before its extension headers).
  mutating func upperLayer(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    protocol proto: UInt8,
    addresses: AddressPair, direct: Bool, writeAddresses: Bool, length: Int, fragment: Bool,
    to out: inout TextBuffer
  ) {
    let next: LayerHeader = index < frame.count ? frame[index].header : .raw
    switch next {
    case .tcp(let header):
      return tcp(
        frame, wire: wireLength, bytes, index, header, addresses: addresses, direct: direct,
        length: length,
        to: &out)
    case .udp(let header):
      return udp(
        frame, wire: wireLength, bytes, index, header, addresses: addresses, direct: direct,
        length: length,
        fragment: fragment, to: &out)
    default:
      break
    }
    if writeAddresses { addresses.write(to: &out) }
    switch next {
    case .icmp(let message):
      icmp(frame, wire: wireLength, bytes, index, message, length: length, to: &out)
    case .icmpv6(let message):
      icmpv6(frame, wire: wireLength, bytes, index, message, length: length, to: &out)
    case .ipv4(let header):
      ipv4(frame, wire: wireLength, bytes, index, header, to: &out)
    case .ipv6(let header):
      ipv6(frame, wire: wireLength, bytes, index, header, to: &out)
    default:
      if index < frame.count,
        carried(frame, wire: wireLength, bytes, index, length: length, to: &out)
      {
        return
      }
      if proto == 59 {
        out.append("no next header")
      } else {
        out.append(" ip-proto-")
        out.append(decimal: proto)
        out.append(byte: 0x20)
        out.append(decimal: length)
      }
    }
  }
}
