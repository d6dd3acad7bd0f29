/// The network layer: IPv6 datagrams (extension headers included), wherever they stand:
/// after the link layer, inside another datagram, or quoted by an ICMP error; and what
/// IPv4 (Protocols/IPv4) and IPv6 share.
extension Walk {
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
        .malformed(Malformation(field: FieldName.version.text, reason: reason, value: Int(version)))
      )
    } else {
      truncated(
        bytes, header, at: offset, needed: needed, available: max(0, available), bound: outer.bound)
    }
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
