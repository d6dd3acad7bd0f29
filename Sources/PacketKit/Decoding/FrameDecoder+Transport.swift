/// The transport layer and what an IP datagram carries besides: TCP, UDP, ICMP and ICMPv6
/// (with the datagram an ICMP error quotes), tunnelled IP, and their checksums.
extension Walk {
  /// Payload length from the headers, capped at the frame's wire length.
  func cappedPayload(from offset: Int, declaredEnd: Int, headerLength: Int) -> Int {
    max(0, min(declaredEnd, frame.wireLength) - offset - headerLength)
  }

  mutating func tcp(
    _ bytes: Span<UInt8>, at offset: Int, _ enclosure: Enclosure, pseudo: PseudoHeader,
    fragment: Bool
  ) {
    let available = enclosure.end - offset
    let declared = enclosure.declaredEnd - offset
    let minimum = TCPHeader.minimumLength
    if var header = shortHeader(
      bytes, minimum, at: offset, end: enclosure.end, { TCPHeader(unchecked: $0, at: 0) })
    {
      header.optionsRange = (offset + minimum)..<(offset + minimum)
      if !enclosure.quoted && !fragment && declared < minimum && available == declared {
        append(
          bytes, .tcp(header), offset..<enclosure.end,
          .malformed(
            Malformation(field: "header_length", reason: "beyond the segment", value: minimum)))
      } else {
        truncated(
          bytes, .tcp(header), at: offset, needed: minimum, available: max(0, available),
          bound: enclosure.bound)
      }
      return
    }
    let header = TCPHeader(unchecked: bytes, at: offset)
    let headerLength = header.headerLength
    let payloadLength = cappedPayload(
      from: offset, declaredEnd: enclosure.declaredEnd, headerLength: headerLength)
    if header.dataOffset < 5 {
      append(
        bytes, .tcp(header), offset..<(offset + minimum),
        .malformed(
          Malformation(field: "header_length", reason: "less than 20 bytes", value: headerLength)))
      return
    }
    if !enclosure.quoted && !fragment && headerLength > declared {
      append(
        bytes, .tcp(header), offset..<min(enclosure.end, offset + headerLength),
        .malformed(
          Malformation(field: "header_length", reason: "beyond the segment", value: headerLength)))
      // The segment's bytes are all there: its checksum can still be judged.
      frame[frame.count - 1].checksumValid = transportChecksum(
        bytes, offset..<enclosure.declaredEnd, available: enclosure.end, pseudo: pseudo, proto: 6,
        fragment: fragment)
      return
    }
    if headerLength > available {
      frame.append(
        DecodedLayer(
          header: .tcp(header), range: offset..<enclosure.end,
          status: .truncated(
            Truncation(
              layer: .tcp, needed: headerLength, available: available, offset: offset,
              bound: enclosure.bound)),
          payloadLength: payloadLength, isQuoted: enclosure.quoted))
      return
    }
    let checksumValid = transportChecksum(
      bytes, offset..<enclosure.declaredEnd, available: enclosure.end, pseudo: pseudo, proto: 6,
      fragment: fragment)
    frame.append(
      DecodedLayer(
        header: .tcp(header), range: offset..<(offset + headerLength), checksumValid: checksumValid,
        payloadLength: payloadLength, isQuoted: enclosure.quoted))
    applicationPayload(
      bytes, (offset + headerLength)..<enclosure.end, over: .tcp, srcPort: header.srcPort,
      dstPort: header.dstPort, enclosure)
  }

  mutating func icmp(_ bytes: Span<UInt8>, at offset: Int, _ enclosure: Enclosure, fragment: Bool) {
    let length = ICMPv4Message.headerLength
    if appendsShortHeader(
      bytes, length, at: offset, end: enclosure.end, bound: enclosure.bound,
      { ICMPv4Message(unchecked: $0, at: 0) }, as: LayerHeader.icmp)
    {
      return
    }
    let message = ICMPv4Message(unchecked: bytes, at: offset)
    // The ICMP checksum covers the message alone, when all of it is there.
    let whole = !fragment && enclosure.declaredEnd <= enclosure.end
    let checksumValid = whole ? plainChecksum(bytes, offset..<enclosure.declaredEnd) : nil
    appendMessage(
      bytes, .icmp(message), at: offset, checksumValid: checksumValid, quotes: message.isError,
      enclosure, fragment: fragment)
  }

  mutating func icmpv6(
    _ bytes: Span<UInt8>, at offset: Int, _ enclosure: Enclosure, pseudo: PseudoHeader,
    fragment: Bool
  ) {
    let length = ICMPv6Message.headerLength
    if appendsShortHeader(
      bytes, length, at: offset, end: enclosure.end, bound: enclosure.bound,
      { ICMPv6Message(unchecked: $0, at: 0) }, as: LayerHeader.icmpv6)
    {
      return
    }
    let message = ICMPv6Message(unchecked: bytes, at: offset)
    let checksumValid = transportChecksum(
      bytes, offset..<enclosure.declaredEnd, available: enclosure.end, pseudo: pseudo, proto: 58,
      fragment: fragment)
    appendMessage(
      bytes, .icmpv6(message), at: offset, checksumValid: checksumValid, quotes: message.isError,
      enclosure, fragment: fragment)
  }

  /// Appends an ICMP or ICMPv6 message's 8-byte header, then what follows it: the datagram
  /// an error quotes (IPv4 after ICMP, IPv6 after ICMPv6) decoded as further layers, or raw
  /// bytes. A quote inside a quote is not decoded.
  mutating func appendMessage(
    _ bytes: Span<UInt8>, _ header: LayerHeader, at offset: Int, checksumValid: Bool?, quotes: Bool,
    _ enclosure: Enclosure, fragment: Bool
  ) {
    let body = offset + ICMPv4Message.headerLength
    frame.append(
      DecodedLayer(
        header: header, range: offset..<body, checksumValid: checksumValid,
        isQuoted: enclosure.quoted))
    guard quotes && !enclosure.quoted && body < enclosure.end && !fragment else {
      raw(bytes, body..<enclosure.end)
      return
    }
    let quote = Enclosure(
      end: enclosure.end, declaredEnd: enclosure.end, bound: .quote, quoted: true, outermost: false)
    if header.kind == .icmp {
      ipv4(bytes, at: body, quote)
    } else {
      ipv6(bytes, at: body, quote)
    }
  }

  /// Verifies a TCP, UDP or ICMPv6 checksum over `segment`, when all of it is available and
  /// the datagram is not a fragment.
  func transportChecksum(
    _ bytes: Span<UInt8>, _ segment: Range<Int>, available: Int, pseudo: PseudoHeader, proto: UInt8,
    fragment: Bool
  ) -> Bool? {
    guard verify, !fragment, segment.upperBound <= available, segment.upperBound <= bytes.count
    else { return nil }
    var sum = InternetChecksum()
    switch pseudo {
    case .none: return nil
    case .v4(let src, let dst):
      sum.addPseudoHeader(src: src, dst: dst, protocol: proto, length: segment.count)
    case .v6(let src, let dst):
      sum.addPseudoHeader(src: src, dst: dst, nextHeader: proto, length: segment.count)
    }
    sum.add(bytes.extracting(segment))
    return sum.isValid
  }
}
