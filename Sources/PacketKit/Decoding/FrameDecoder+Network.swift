/// The network layer: IPv4 and IPv6 datagrams (IPv6 extension headers included), wherever
/// they stand: after the link layer, inside another datagram, or quoted by an ICMP error.
extension Walk {
  mutating func ipv4(_ bytes: Span<UInt8>, at offset: Int, _ outer: Enclosure) {
    guard !frame.isFull else { return }
    let available = outer.end - offset
    let minimum = IPv4Header.minimumLength
    if var header = shortHeader(
      bytes, minimum, at: offset, end: outer.end, { IPv4Header(unchecked: $0, at: 0) })
    {
      header.optionsRange = (offset + minimum)..<(offset + minimum)
      shortIPHeader(
        bytes, .ipv4(header), version: header.version, at: offset, needed: minimum, outer)
      return
    }
    let header = IPv4Header(unchecked: bytes, at: offset)
    let headerLength = header.headerLength
    if let problem = header.malformation {
      append(
        bytes, .ipv4(header), offset..<min(outer.end, offset + max(minimum, headerLength)),
        .malformed(problem))
      if header.version == 4 && headerLength >= minimum && headerLength <= available {
        frame[frame.count - 1].checksumValid = plainChecksum(
          bytes, offset..<(offset + headerLength))
      }
      return
    }
    if headerLength > available {
      truncated(
        bytes, .ipv4(header), at: offset, needed: headerLength, available: available,
        bound: outer.bound)
      return
    }
    // A total length of 0 is what TCP segmentation offload leaves: take the frame's extent.
    let totalLength =
      header.totalLength == 0
      ? max(headerLength, outer.declaredEnd - offset) : Int(header.totalLength)
    let declaredEnd = offset + totalLength
    let checksumValid = plainChecksum(bytes, offset..<(offset + headerLength))
    if !outer.quoted && declaredEnd > outer.declaredEnd {
      append(
        bytes, .ipv4(header), offset..<(offset + headerLength),
        .malformed(
          Malformation(
            field: "total_length", reason: "beyond the enclosing frame", value: totalLength)))
      frame[frame.count - 1].checksumValid = checksumValid
      return
    }
    frame.append(
      DecodedLayer(
        header: .ipv4(header), range: offset..<(offset + headerLength),
        checksumValid: checksumValid, isQuoted: outer.quoted))
    if outer.outermost && declaredEnd < bytes.count && frame.paddingRange == nil {
      frame.paddingRange = declaredEnd..<bytes.count
    }
    let end = min(outer.end, declaredEnd)
    let inner = Enclosure(
      end: end, declaredEnd: declaredEnd,
      bound: outer.quoted ? .quote : (end < outer.end ? .ipv4TotalLength : outer.bound),
      quoted: outer.quoted, outermost: false)
    let payload = offset + headerLength
    if header.fragmentOffset != 0 {
      raw(bytes, payload..<end)
      return
    }
    ipPayload(
      bytes, header.protocol, at: payload, inner,
      pseudo: .v4(header.src, sourceRouteDestination(bytes, header.optionsRange) ?? header.dst),
      fragment: header.mf)
  }

  mutating func ipv6(_ bytes: Span<UInt8>, at offset: Int, _ outer: Enclosure) {
    guard !frame.isFull else { return }
    let fixed = IPv6Header.length
    if var header = shortHeader(
      bytes, fixed, at: offset, end: outer.end, { IPv6Header(unchecked: $0, at: 0) })
    {
      header.extensionsRange = (offset + fixed)..<(offset + fixed)
      shortIPHeader(bytes, .ipv6(header), version: header.version, at: offset, needed: fixed, outer)
      return
    }
    var header = IPv6Header(unchecked: bytes, at: offset)
    if header.version != 6 {
      append(
        bytes, .ipv6(header), offset..<(offset + fixed),
        .malformed(Malformation(field: "version", reason: "not 6", value: Int(header.version))))
      return
    }
    let declaredEnd = offset + fixed + Int(header.payloadLength)
    if !outer.quoted && declaredEnd > outer.declaredEnd {
      append(
        bytes, .ipv6(header), offset..<(offset + fixed),
        .malformed(
          Malformation(
            field: "payload_length", reason: "beyond the enclosing frame",
            value: Int(header.payloadLength))))
      return
    }
    let end = min(outer.end, declaredEnd)
    let bound: Truncation.Bound =
      outer.quoted ? .quote : (end < outer.end ? .ipv6PayloadLength : outer.bound)
    // Walk the extension headers.
    var cursor = offset + fixed
    var next = header.nextHeader
    var status = LayerStatus.complete
    var fragmentOffset = 0
    var moreFragments = false
    var finalDestination = header.dst
    while IPProtocol(rawValue: next).isIPv6Extension {
      if cursor + 2 > end {
        status = problem(
          bytes, at: cursor, needed: 2, end: end, declaredEnd: declaredEnd, quoted: outer.quoted,
          bound: bound)
        break
      }
      let length = IPv6ExtensionHeader.announcedLength(type: next, lengthField: bytes[cursor + 1])
      if cursor + length > end {
        status = problem(
          bytes, at: cursor, needed: length, end: end, declaredEnd: declaredEnd,
          quoted: outer.quoted, bound: bound)
        break
      }
      let extensionHeader = IPv6ExtensionHeader(
        unchecked: bytes, at: cursor, type: next, length: length)
      if next == 44 {
        header.isFragment = true
        fragmentOffset = extensionHeader.fragmentOffset
        moreFragments = extensionHeader.mf
      } else if next == 43 && extensionHeader.segmentsLeft > 0 {
        finalDestination = routingDestination(bytes, extensionHeader) ?? finalDestination
      }
      next = extensionHeader.nextHeader
      cursor += length
      if fragmentOffset != 0 { break }
    }
    header.extensionsRange = (offset + fixed)..<cursor
    header.upperLayerProtocol = next
    if !status.isComplete {
      append(bytes, .ipv6(header), offset..<cursor, status)
      return
    }
    frame.append(
      DecodedLayer(header: .ipv6(header), range: offset..<cursor, isQuoted: outer.quoted))
    if outer.outermost && declaredEnd < bytes.count && frame.paddingRange == nil {
      frame.paddingRange = declaredEnd..<bytes.count
    }
    let inner = Enclosure(
      end: end, declaredEnd: declaredEnd, bound: bound, quoted: outer.quoted, outermost: false)
    if fragmentOffset != 0 || next == 59 {
      raw(bytes, cursor..<end)
      return
    }
    // An atomic fragment (offset 0, no more fragments) is a whole datagram: its checksum counts.
    ipPayload(
      bytes, next, at: cursor, inner, pseudo: .v6(header.src, finalDestination),
      fragment: moreFragments)
  }

  /// Appends an IP header whose fixed part does not fit in what is available: malformed when
  /// the captured version nibble contradicts the header's kind, truncated otherwise.
  mutating func shortIPHeader(
    _ bytes: Span<UInt8>, _ header: LayerHeader, version: UInt8, at offset: Int, needed: Int,
    _ outer: Enclosure
  ) {
    let available = outer.end - offset
    let expected: UInt8 = header.kind == .ipv4 ? 4 : 6
    if available > 0, version != expected {
      let reason: StaticString = expected == 4 ? "not 4" : "not 6"
      append(
        bytes, header, offset..<outer.end,
        .malformed(Malformation(field: "version", reason: reason, value: Int(version))))
    } else {
      truncated(
        bytes, header, at: offset, needed: needed, available: max(0, available), bound: outer.bound)
    }
  }

  /// The final destination of an IPv4 loose or strict source route option (131, 137): the
  /// last address of the route, which the upper layer's pseudo-header uses (RFC 1122 §4.2.2.7).
  func sourceRouteDestination(_ bytes: Span<UInt8>, _ options: Range<Int>) -> IPv4Address? {
    var offset = options.lowerBound
    while offset < options.upperBound {
      let kind = bytes[offset]
      if kind == 0 { return nil }
      if kind == 1 {
        offset += 1
        continue
      }
      guard offset + 1 < options.upperBound else { return nil }
      let length = Int(bytes[offset + 1])
      guard length >= 2, offset + length <= options.upperBound else { return nil }
      if (kind == 131 || kind == 137) && length >= 7 {
        return IPv4Address(bytes, at: offset + 3 + (length - 3) / 4 * 4 - 4)
      }
      offset += length
    }
    return nil
  }

  /// The final destination a routing header with segments left names, which the upper
  /// layer's pseudo-header uses (RFC 8200 §8.1): the last address of a type 0 header, the
  /// first segment (the last to visit) of a segment routing header, the home address of a
  /// type 2 header.
  func routingDestination(_ bytes: Span<UInt8>, _ routing: IPv6ExtensionHeader) -> IPv6Address? {
    let start = routing.range.lowerBound
    switch routing.routingType {
    case 0 where routing.length >= 24: return IPv6Address(bytes, at: routing.range.upperBound - 16)
    case 2 where routing.length >= 24, 4 where routing.length >= 24:
      return IPv6Address(bytes, at: start + 8)
    default: return nil
    }
  }

  /// The status of an extension header that does not fit: malformed when the payload
  /// length is too small for it, truncated when the capture is.
  func problem(
    _ bytes: Span<UInt8>, at offset: Int, needed: Int, end: Int, declaredEnd: Int, quoted: Bool,
    bound: Truncation.Bound
  ) -> LayerStatus {
    if !quoted && offset + needed > declaredEnd {
      return .malformed(
        Malformation(
          field: "extensions", reason: "beyond the payload length",
          value: offset + needed - declaredEnd))
    }
    return .truncated(
      Truncation(
        layer: .ipv6, needed: needed, available: max(0, end - offset), offset: offset, bound: bound)
    )
  }
}
