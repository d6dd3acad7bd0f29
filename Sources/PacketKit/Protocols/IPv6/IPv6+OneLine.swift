// IPv6 as a tcpdump -n line prints it (print-ip6.c): the addresses, the extension headers
// as far as they were walked (HBH, DSTOPT, RT6, frag, AH, mobility), then the upper layer.

extension OneLineFormatter {
  mutating func ipv6(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ header: IPv6Header,
    to out: inout TextBuffer
  ) {
    let layer = frame[index]
    let start = layer.range.lowerBound
    if header.version != 6, layer.range.count > 0 {
      if !printLinkLayer { out.append("IP6 ") }
      out.append("version error: ")
      out.append(decimal: header.version)
      out.append(" != 6")
      return
    }
    if case .truncated(let cut) = layer.status, cut.offset == start {
      return out.append(" [|ip6]")
    }
    if case .malformed = layer.status, layer.range.count < 40 {
      // The enclosing datagram ends inside the fixed header (a first fragment of IPv6 in
      // IPv4): tcpdump's check of the header against the datagram's end.
      return out.append(" [|ip6]")
    }
    if !printLinkLayer { out.append("IP6 ") }
    if case .malformed(let problem) = layer.status,
      problem.field.description == FieldName.payloadLength.string
    {
      out.append("truncated-ip6 - ")
      out.append(decimal: Int(header.payloadLength) + 40 - (wireLength - start))
      out.append(" bytes missing!")
      let inner = FrameDecoder(verifyChecksums: false).decode(
        bytes.extracting(start..<bytes.count), linkType: .ipv6,
        wireLength: Int(header.payloadLength) + 40)
      if inner.count > 0, case .ipv6(let again) = inner[0].header, inner[0].status.isComplete {
        inner.withLayers { layers in
          ipv6Body(
            layers, wire: inner.wireLength, bytes.extracting(start..<bytes.count), 0, again,
            to: &out)
        }
      } else {
        AddressPair.v6(header.src, header.dst).write(to: &out)
      }
      return
    }
    ipv6Body(frame, wire: wireLength, bytes, index, header, to: &out)
  }

  mutating func ipv6Body(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ header: IPv6Header,
    to out: inout TextBuffer
  ) {
    let layer = frame[index]
    let start = layer.range.lowerBound
    let end = min(start + 40 + Int(header.payloadLength), wireLength)
    let addresses = AddressPair.v6(header.src, header.dst)
    let first = header.nextHeader
    if verbosity > 0 { ipv6Details(header, to: &out) }
    if first != 6 && first != 17 { addresses.write(to: &out) }
    // Extension headers, as far as they were walked.
    var cursor = start + 40
    var next = first
    var stop = false
    var sawHopByHop = false
    IPv6ExtensionHeader.forEach(in: bytes, range: header.extensionsRange, first: first) {
      ext in
      let follows = cursor == start + 40
      cursor = ext.range.upperBound
      next = ext.nextHeader
      switch ext.type {
      case 0, 60:
        if ext.type == 0 {
          // RFC 8200: hop-by-hop options come first, once (tcpdump says so and stops).
          guard !sawHopByHop, follows else {
            out.append(
              sawHopByHop
                ? "[The Hop-by-Hop Options header was already found] (invalid)"
                : "[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)")
            stop = true
            return false
          }
          sawHopByHop = true
        }
        out.append(ext.type == 0 ? "HBH " : "DSTOPT ")
        if verbosity > 0, !ipv6Options(bytes, ext, to: &out) {
          out.append(ext.type == 0 ? " [|hbhopt]" : " [|dstopt]")
          stop = true
          return false
        }
      case 43: routingHeader(bytes, ext, to: &out)
      case 44:
        out.append("frag (")
        if verbosity > 0 {
          out.append("0x")
          out.append(hex: ext.id, width: 8)
          out.append(byte: 0x3A)
        }
        out.append(decimal: ext.fragmentOffset)
        out.append(byte: 0x7C)
        out.append(decimal: max(0, end - ext.range.upperBound))
        out.append(byte: 0x29)
        if ext.fragmentOffset != 0 {
          stop = true
          return false
        }
        out.append(byte: 0x20)
      case 51:
        // tcpdump reads the sequence number whatever the AH length says; an 8-byte AH
        // (length field 0) at the end of the capture has none to read (found by
        // FuzzFormatters, Fuzz/regressions/FuzzFormatters/ipv6-ah-8-bytes-at-end).
        out.append("AH(spi=0x")
        out.append(hex: bytes.be32(at: ext.range.lowerBound + 4), width: 8)
        guard ext.range.lowerBound + 12 <= bytes.count else {
          out.append(", [|ah]")  // as tcpdump 4.99 -n prints it
          stop = true
          return false
        }
        out.append(",seq=0x")
        out.append(hex: bytes.be32(at: ext.range.lowerBound + 8))
        out.append("): ")
      default:
        out.append("mobility: ")
      }
      return true
    }
    if stop { return }
    if !layer.status.isComplete {
      // An extension header that does not fit (the walk stopped before it).
      let type = next
      out.append(" [|")
      switch type {
      case 0: out.append("hbhopt")
      case 60: out.append("dstopt")
      case 43: out.append("srcrt")
      case 44: out.append("frag")
      case 51: out.append("AH")
      default: out.append("mobility")
      }
      out.append("]")
      return
    }
    let length = max(0, end - cursor)
    upperLayer(
      frame, wire: wireLength, bytes, index + 1, protocol: next, addresses: addresses,
      direct: cursor == start + 40, writeAddresses: false, length: length,
      fragment: header.isFragment, to: &out)
  }

  /// `RT6 (len=4, type=0 [Deprecated], segleft=2, [0]2001:db8::4, [1]2001:db8::2) `
  func routingHeader(_ bytes: Span<UInt8>, _ ext: IPv6ExtensionHeader, to out: inout TextBuffer) {
    let base = ext.range.lowerBound
    let lengthField = Int(bytes[base + 1])
    out.append("RT6 (len=")
    out.append(decimal: lengthField)
    out.append(", type=")
    out.append(decimal: ext.routingType)
    if ext.routingType == 0 { out.append(" [Deprecated]") }
    out.append(", segleft=")
    out.append(decimal: ext.segmentsLeft)
    switch ext.routingType {
    case 0, 2:
      if verbosity > 0 {
        out.append(", rsv=0x")
        out.append(hex: bytes.be32(at: base + 4))
      }
      let count = lengthField >> 1
      for index in 0..<count {
        let offset = base + 8 + 16 * index
        guard offset + 16 <= ext.range.upperBound else { break }
        out.append(", [")
        out.append(decimal: index)
        out.append(byte: 0x5D)
        IPv6Address(bytes, at: offset).write(to: &out)
      }
    case 4:
      let last = Int(bytes[base + 4])
      let flags = bytes[base + 5]
      out.append(", last-entry=")
      out.append(decimal: last)
      if flags != 0 || verbosity > 0 {
        out.append(", flags=0x")
        out.append(hex: flags)
      }
      out.append(", tag=")
      out.append(hex: bytes.be16(at: base + 6))
      for index in 0...last {
        let offset = base + 8 + 16 * index
        guard offset + 16 <= ext.range.upperBound else { break }
        out.append(", [")
        out.append(decimal: index)
        out.append(byte: 0x5D)
        IPv6Address(bytes, at: offset).write(to: &out)
      }
    default:
      break
    }
    out.append(") ")
  }
}
