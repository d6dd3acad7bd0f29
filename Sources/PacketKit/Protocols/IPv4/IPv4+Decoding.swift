// IPv4's decoding: a datagram wherever it stands (after the link layer, inside another
// datagram, quoted by an ICMP error), then what its protocol announces (`ipPayload`).

extension Walk {
  /// Decodes an IPv4 datagram at `offset` within `outer`.
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
    if !header.isConsistent, let problem = header.malformation {
      append(
        bytes, .ipv4(header), offset..<min(outer.end, offset + max(minimum, headerLength)),
        .malformed(problem))
      if header.version == 4 && headerLength >= minimum && headerLength <= available {
        last.pointee.checksumValid = plainChecksum(
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
            field: FieldName.totalLength.text, reason: "beyond the enclosing frame",
            value: totalLength)))
      last.pointee.checksumValid = checksumValid
      return
    }
    push(
      DecodedLayer(
        header: .ipv4(header), range: offset..<(offset + headerLength),
        checksumValid: checksumValid, isQuoted: outer.quoted))
    if outer.outermost && declaredEnd < bytes.count && frame.paddingRange == nil {
      frame.paddingRange = declaredEnd..<bytes.count
    }
    let end = min(outer.end, declaredEnd)
    let inner = Enclosure(
      end: end, declaredEnd: declaredEnd,
      bound: outer.quoted ? outer.bound : (end < outer.end ? .ipv4TotalLength : outer.bound),
      quoted: outer.quoted, outermost: false)
    let payload = offset + headerLength
    if header.fragmentOffset != 0 {
      raw(bytes, payload..<end)
      return
    }
    ipPayload(
      bytes, header.protocol, at: payload, inner,
      pseudo: .v4(
        header.src,
        header.optionsRange.isEmpty
          ? header.dst : sourceRouteDestination(bytes, header.optionsRange) ?? header.dst),
      fragment: header.mf)
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
}
