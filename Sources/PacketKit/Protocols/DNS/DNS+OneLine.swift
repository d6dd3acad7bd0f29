extension OneLineFormatter {
  /// A DNS message after `src.port > dst.port: ` (UDP) or `length N` (TCP), as tcpdump
  /// prints it for ports 53 and (over UDP) 5353; false for the others (tcpdump prints
  /// LLMNR as plain UDP).
  func dns(
    _ layers: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int, length: Int,
    over transport: IPProtocol, to out: inout TextBuffer
  ) -> Bool {
    guard case .dns(let header) = layers[index].header else { return false }
    let layerStart = layers[index].range.lowerBound
    switch (header.service, transport) {
    case (.dns, _), (.mdns, .udp): break
    default: return false
    }
    var start = layerStart
    var messageLength = length
    if transport == .tcp {
      guard length >= 2 else {
        out.append(" [DNS over TCP: length ")
        out.append(decimal: length)
        out.append(" < 2] (invalid)")
        return true
      }
      messageLength = length - 2
      guard layerStart + 2 <= bytes.count else {
        out.append(" [|domain]")
        return true
      }
      let prefix = Int(bytes.be16(at: layerStart))
      guard prefix == messageLength else {
        out.append(" [prefix length(")
        out.append(decimal: prefix)
        out.append(") != length(")
        out.append(decimal: messageLength)
        out.append(")] (invalid)")
        return true
      }
      start += 2
      out.append(byte: UInt8(ascii: " "))
    }
    if messageLength < DNSHeader.headerLength {
      out.append("domain [length ")
      out.append(decimal: messageLength)
      out.append(" < 12] (invalid)")
      return true
    }
    var printer = DNSLinePrinter(
      start: start, snapend: min(bytes.count, layerStart + length),
      mdns: header.service == .mdns)
    printer.verbosity = verbosity
    if !printer.writeMessage(bytes, length: messageLength, &out) { out.append(" [|domain]") }
    return true
  }
}

extension OneLineFormatter {
  /// tcpdump's text for a UDP payload on port 53 or 5353 too short for a DNS header (which
  /// rawtool decodes as `raw`): `domain [length 5 < 12] (invalid)`.
  func shortDNS(
    _ layers: borrowing Span<DecodedLayer>, _ index: Int, length: Int, over transport: IPProtocol,
    to out: inout TextBuffer
  ) -> Bool {
    guard transport == .udp, index > 0, length < DNSHeader.headerLength,
      case .udp(let header) = layers[index - 1].header,
      DNSService(srcPort: header.srcPort, dstPort: header.dstPort) != .llmnr,
      DNSService.isPort(header.srcPort) || DNSService.isPort(header.dstPort)
    else { return false }
    out.append("domain [length ")
    out.append(decimal: length)
    out.append(" < 12] (invalid)")
    return true
  }
}
