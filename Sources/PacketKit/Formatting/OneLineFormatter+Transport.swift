// The transport part of a tcpdump -n line: the ports TCP and UDP share, and UDP. TCP's own
// printer is in Protocols/TCP/TCP+OneLine.swift, ICMP's in Protocols/ICMP.swift, ICMPv6's in
// Protocols/ICMPv6/ICMPv6+OneLine.swift.

extension OneLineFormatter {
  // MARK: Ports

  func writePorts(
    _ addresses: AddressPair, _ srcPort: UInt16, _ dstPort: UInt16, direct: Bool,
    to out: inout TextBuffer
  ) {
    if direct {
      addresses.writeSource(to: &out)
      out.append(byte: 0x2E)
    }
    out.append(decimal: srcPort)
    out.append(" > ")
    if direct {
      addresses.writeDestination(to: &out)
      out.append(byte: 0x2E)
    }
    out.append(decimal: dstPort)
    out.append(": ")
  }

  // MARK: UDP

  mutating func udp(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ header: UDPHeader,
    addresses: AddressPair, direct: Bool, length: Int, fragment: Bool, to out: inout TextBuffer
  ) {
    let layer = frame[index]
    if case .truncated(let cut) = layer.status {
      if cut.available >= 4 {
        writePorts(addresses, header.srcPort, header.dstPort, direct: direct, to: &out)
      } else {
        addresses.write(to: &out)
      }
      return out.append(" [|udp]")
    }
    writePorts(addresses, header.srcPort, header.dstPort, direct: direct, to: &out)
    let udpLength = Int(header.length)
    if udpLength < UDPHeader.headerLength {
      out.append("truncated-udplength ")
      out.append(decimal: udpLength)
      return
    }
    let data = udpLength - UDPHeader.headerLength
    let available = length - UDPHeader.headerLength
    if verbosity > 0 {
      udpChecksum(
        frame, bytes, index, header, addresses: addresses, data: min(data, available), to: &out)
    }
    if data > available && !fragment {
      out.append("UDP, bad length ")
      out.append(decimal: data)
      out.append(" > ")
      out.append(decimal: available)
      return
    }
    if !quick, index + 1 < frame.count,
      application(frame, wire: wireLength, bytes, index + 1, length: data, over: .udp, to: &out)
    {
      return
    }
    if !quick, index + 1 == frame.count, data > 0 {
      if header.srcPort == 53 || header.dstPort == 53 || header.srcPort == 5353
        || header.dstPort == 5353
      {
        // A DNS message announced but not one byte of it present (an ICMP error's quote ends
        // after the UDP header): tcpdump's DNS printer stops at its first read.
        out.append(" [|domain]")
        return
      }
      if let printer = PayloadText.udp(srcPort: header.srcPort, dstPort: header.dstPort) {
        // The capture ends with the UDP header: the payload's printer marks it cut.
        let start = layer.range.upperBound
        return payloadText(printer, bytes, start: start, end: start, length: data, to: &out)
      }
    }
    out.append("UDP, length ")
    out.append(decimal: data)
  }
}
