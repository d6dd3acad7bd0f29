/// Decodes whole frames laxly: never throws, never drops a packet.
///
/// Each layer is decoded in place from the frame's bytes into a `DecodedFrame` with fixed
/// storage, so decoding allocates nothing. A layer the capture cuts short is reported
/// `truncated` with the fields that could be read; a header that contradicts itself or its
/// container is reported `malformed`; either way decoding stops at that layer
/// (CONTRACT.md, DESIGN.md decision 2).
public struct FrameDecoder: Sendable {
  /// Whether to verify checksums (`checksumValid`). Turning it off saves summing payloads.
  public var verifyChecksums: Bool

  public init(verifyChecksums: Bool = true) {
    self.verifyChecksums = verifyChecksums
  }

  /// Decodes a frame of `linkType`.
  /// - Parameters:
  ///   - bytes: the bytes.count bytes.
  ///   - linkType: the link type of the capture (pcap link-type field, masked).
  ///   - wireLength: the frame's length on the wire; defaults to the bytes.count length.
  public func decode(_ bytes: Span<UInt8>, linkType: LinkType, wireLength: Int? = nil)
    -> DecodedFrame
  {
    var frame = DecodedFrame(
      linkType: linkType, capturedLength: bytes.count, wireLength: wireLength ?? bytes.count)
    decode(bytes, linkType: linkType, wireLength: wireLength, into: &frame)
    return frame
  }

  /// Decodes a frame into an existing value, reusing its storage.
  public func decode(
    _ bytes: Span<UInt8>, linkType: LinkType, wireLength: Int? = nil, into frame: inout DecodedFrame
  ) {
    frame.reset(
      linkType: linkType, capturedLength: bytes.count,
      wireLength: max(wireLength ?? bytes.count, bytes.count))
    var walk = Walk(frame: frame, verify: verifyChecksums)
    walk.link(bytes, linkType)
    frame = walk.frame
  }

  /// Decodes a frame held in an array.
  public func decode(_ bytes: [UInt8], linkType: LinkType, wireLength: Int? = nil) -> DecodedFrame {
    decode(bytes.span, linkType: linkType, wireLength: wireLength)
  }
}

/// The addresses a transport checksum's pseudo-header needs.
enum PseudoHeader {
  case none
  case v4(IPv4Address, IPv4Address)
  case v6(IPv6Address, IPv6Address)
}

/// What encloses a network-layer datagram being decoded.
struct Enclosure {
  /// End of the bytes available (bytes.count, and within enclosing lengths).
  var end: Int
  /// End announced by the enclosing headers (may be past `end` when the capture is short).
  var declaredEnd: Int
  /// What limits `end` when it is less than the bytes.count length.
  var bound: Truncation.Bound
  /// Inside an ICMP error's quote: lengths beyond the quote are expected, not malformed.
  var quoted: Bool
  /// The outermost datagram of the frame (its trailing bytes are padding).
  var outermost: Bool
}

/// One frame's decoding state.
/// The frame's bytes are passed to every step (a `Span` cannot be stored without the
/// experimental Lifetimes feature; STYLE.md §2).
struct Walk {
  var frame: DecodedFrame
  let verify: Bool

  // MARK: Link layer

  mutating func link(_ bytes: Span<UInt8>, _ linkType: LinkType) {
    switch linkType.rawValue {
    case 1:
      ethernet(bytes)
    case 12, 14, 101:
      guard bytes.count > 0 else { return }
      let enclosure = Enclosure(
        end: bytes.count, declaredEnd: frame.wireLength, bound: .capture, quoted: false,
        outermost: true)
      switch bytes[0] >> 4 {
      case 6: ipv6(bytes, at: 0, enclosure)
      default: ipv4(bytes, at: 0, enclosure)
      }
    case 228:
      ipv4(
        bytes, at: 0,
        Enclosure(
          end: bytes.count, declaredEnd: frame.wireLength, bound: .capture, quoted: false,
          outermost: true))
    case 229:
      ipv6(
        bytes, at: 0,
        Enclosure(
          end: bytes.count, declaredEnd: frame.wireLength, bound: .capture, quoted: false,
          outermost: true))
    case 113, 276:
      cooked(bytes, version: linkType.rawValue == 276 ? 2 : 1)
    case 0, 108:
      loopback(bytes, networkOrder: linkType.rawValue == 108)
    default:
      raw(bytes, 0..<bytes.count)
    }
  }

  mutating func ethernet(_ bytes: Span<UInt8>) {
    let length = EthernetHeader.length
    if bytes.count < length {
      let header = padded(bytes, length) { EthernetHeader(unchecked: $0, at: 0) }
      truncated(bytes, .ethernet(header), at: 0, needed: length, bound: .capture)
      return
    }
    let header = EthernetHeader(unchecked: bytes, at: 0)
    frame.append(DecodedLayer(header: .ethernet(header), range: 0..<length))
    etherType(bytes, header.typeOrLength, at: length)
  }

  mutating func cooked(_ bytes: Span<UInt8>, version: UInt8) {
    let length = LinuxCookedHeader.length(version: version)
    if bytes.count < length {
      let header = padded(bytes, length) {
        LinuxCookedHeader(unchecked: $0, at: 0, version: version)
      }
      truncated(bytes, .sll(header), at: 0, needed: length, bound: .capture)
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
    if bytes.count < length {
      let header = padded(bytes, length) {
        LoopbackHeader(unchecked: $0, at: 0, networkOrder: networkOrder)
      }
      truncated(bytes, .null(header), at: 0, needed: length, bound: .capture)
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
      if bytes.count - offset < VLANTag.length {
        let tpid = type
        let tag = padded(bytes, VLANTag.length, from: offset) {
          VLANTag(unchecked: $0, at: 0, tpid: tpid)
        }
        truncated(bytes, .vlan(tag), at: offset, needed: VLANTag.length, bound: .capture)
        return
      }
      let tag = VLANTag(unchecked: bytes, at: offset, tpid: type)
      frame.append(DecodedLayer(header: .vlan(tag), range: offset..<(offset + VLANTag.length)))
      type = tag.type
      offset += VLANTag.length
    }
    let enclosure = Enclosure(
      end: bytes.count, declaredEnd: frame.wireLength, bound: .capture, quoted: false,
      outermost: true)
    switch type {
    case 0x0800: ipv4(bytes, at: offset, enclosure)
    case 0x86DD: ipv6(bytes, at: offset, enclosure)
    case 0x0806, 0x8035: arp(bytes, at: offset)
    default:
      if type < 0x0600 {
        // 802.3: the length covers the LLC data; what follows it is padding.
        let end = min(bytes.count, offset + Int(type))
        raw(bytes, offset..<end)
        if end < bytes.count { frame.paddingRange = end..<bytes.count }
      } else {
        raw(bytes, offset..<bytes.count)
      }
    }
  }

  mutating func arp(_ bytes: Span<UInt8>, at offset: Int) {
    let available = bytes.count - offset
    if available < ARPMessage.fixedLength {
      let message = padded(bytes, ARPMessage.fixedLength, from: offset) {
        ARPMessage(unchecked: $0, at: 0)
      }
      truncated(bytes, .arp(message), at: offset, needed: ARPMessage.fixedLength, bound: .capture)
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

  // MARK: Network layer

  mutating func ipv4(_ bytes: Span<UInt8>, at offset: Int, _ outer: Enclosure) {
    guard !frame.isFull else { return }
    let available = outer.end - offset
    let minimum = IPv4Header.minimumLength
    if available < minimum {
      var header = padded(bytes, minimum, from: offset, limit: outer.end) {
        IPv4Header(unchecked: $0, at: 0)
      }
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
    let available = outer.end - offset
    let fixed = IPv6Header.length
    if available < fixed {
      var header = padded(bytes, fixed, from: offset, limit: outer.end) {
        IPv6Header(unchecked: $0, at: 0)
      }
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

  // MARK: Transport layer

  mutating func ipPayload(
    _ bytes: Span<UInt8>, _ proto: UInt8, at offset: Int, _ enclosure: Enclosure,
    pseudo: PseudoHeader, fragment: Bool
  ) {
    guard !frame.isFull else { return raw(bytes, offset..<enclosure.end) }
    switch proto {
    case 6: tcp(bytes, at: offset, enclosure, pseudo: pseudo, fragment: fragment)
    case 17: udp(bytes, at: offset, enclosure, pseudo: pseudo, fragment: fragment)
    case 1: icmp(bytes, at: offset, enclosure, fragment: fragment)
    case 58: icmpv6(bytes, at: offset, enclosure, pseudo: pseudo, fragment: fragment)
    case 4:
      ipv4(
        bytes, at: offset,
        Enclosure(
          end: enclosure.end, declaredEnd: enclosure.declaredEnd, bound: enclosure.bound,
          quoted: enclosure.quoted, outermost: false))
    case 41:
      ipv6(
        bytes, at: offset,
        Enclosure(
          end: enclosure.end, declaredEnd: enclosure.declaredEnd, bound: enclosure.bound,
          quoted: enclosure.quoted, outermost: false))
    default:
      raw(bytes, offset..<enclosure.end)
    }
  }

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
    if available < minimum {
      var header = padded(bytes, minimum, from: offset, limit: enclosure.end) {
        TCPHeader(unchecked: $0, at: 0)
      }
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
    raw(bytes, (offset + headerLength)..<enclosure.end)
  }

  mutating func udp(
    _ bytes: Span<UInt8>, at offset: Int, _ enclosure: Enclosure, pseudo: PseudoHeader,
    fragment: Bool
  ) {
    let available = enclosure.end - offset
    let length = UDPHeader.headerLength
    if available < length {
      let header = padded(bytes, length, from: offset, limit: enclosure.end) {
        UDPHeader(unchecked: $0, at: 0)
      }
      truncated(
        bytes, .udp(header), at: offset, needed: length, available: max(0, available),
        bound: enclosure.bound)
      return
    }
    let header = UDPHeader(unchecked: bytes, at: offset)
    let udpLength = Int(header.length)
    if udpLength < length {
      append(
        bytes, .udp(header), offset..<(offset + length),
        .malformed(Malformation(field: "length", reason: "less than 8", value: udpLength)))
      return
    }
    let udpEnd = offset + udpLength
    if !enclosure.quoted && !fragment && udpEnd > enclosure.declaredEnd {
      append(
        bytes, .udp(header), offset..<(offset + length),
        .malformed(Malformation(field: "length", reason: "beyond the IP payload", value: udpLength))
      )
      return
    }
    let payloadLength = cappedPayload(from: offset, declaredEnd: udpEnd, headerLength: length)
    var checksumValid: Bool? = nil
    if case .v4 = pseudo, header.checksum == 0 {
      checksumValid = nil
    } else if case .v6 = pseudo, header.checksum == 0 {
      checksumValid = false
    } else {
      checksumValid = transportChecksum(
        bytes, offset..<udpEnd, available: enclosure.end, pseudo: pseudo, proto: 17,
        fragment: fragment)
    }
    frame.append(
      DecodedLayer(
        header: .udp(header), range: offset..<(offset + length), checksumValid: checksumValid,
        payloadLength: payloadLength, isQuoted: enclosure.quoted))
    raw(bytes, (offset + length)..<min(enclosure.end, udpEnd))
  }

  mutating func icmp(_ bytes: Span<UInt8>, at offset: Int, _ enclosure: Enclosure, fragment: Bool) {
    let available = enclosure.end - offset
    let length = ICMPv4Message.headerLength
    if available < length {
      let message = padded(bytes, length, from: offset, limit: enclosure.end) {
        ICMPv4Message(unchecked: $0, at: 0)
      }
      truncated(
        bytes, .icmp(message), at: offset, needed: length, available: max(0, available),
        bound: enclosure.bound)
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
    let available = enclosure.end - offset
    let length = ICMPv6Message.headerLength
    if available < length {
      let message = padded(bytes, length, from: offset, limit: enclosure.end) {
        ICMPv6Message(unchecked: $0, at: 0)
      }
      truncated(
        bytes, .icmpv6(message), at: offset, needed: length, available: max(0, available),
        bound: enclosure.bound)
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

  /// Verifies a checksum over `range` with no pseudo-header (IPv4 header, ICMP message).
  func plainChecksum(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool? {
    guard verify else { return nil }
    var sum = InternetChecksum()
    sum.add(bytes.extracting(range))
    return sum.isValid
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

  // MARK: Helpers

  /// Appends a `raw` layer when `range` holds at least one byte.
  mutating func raw(_ bytes: Span<UInt8>, _ range: Range<Int>) {
    guard range.upperBound > range.lowerBound, !frame.isFull else { return }
    frame.append(DecodedLayer(header: .raw, range: range))
  }

  mutating func append(
    _ bytes: Span<UInt8>, _ header: LayerHeader, _ range: Range<Int>, _ status: LayerStatus
  ) {
    frame.append(
      DecodedLayer(
        header: header,
        range: range.lowerBound..<max(range.lowerBound, min(range.upperBound, bytes.count)),
        status: status))
  }

  /// Appends a layer whose bytes run out, covering the bytes that remain: `truncated` when
  /// the capture cut the frame short (or the layer is inside an ICMP error's quote),
  /// `malformed` when the frame was captured whole and the header does not fit in it or in
  /// the length an enclosing header gives.
  mutating func truncated(
    _ bytes: Span<UInt8>, _ header: LayerHeader, at offset: Int, needed: Int, available: Int? = nil,
    bound: Truncation.Bound
  ) {
    let have = available ?? max(0, bytes.count - offset)
    let status: LayerStatus
    switch bound {
    case .capture where frame.capturedLength >= frame.wireLength:
      status = .malformed(
        Malformation(
          field: "length", reason: "the frame ends inside the header", value: have,
          headerCutShort: true))
    case .ipv4TotalLength:
      status = .malformed(
        Malformation(
          field: "length", reason: "the IPv4 total length ends inside the header", value: have,
          headerCutShort: true))
    case .ipv6PayloadLength:
      status = .malformed(
        Malformation(
          field: "length", reason: "the IPv6 payload length ends inside the header", value: have,
          headerCutShort: true))
    case .udpLength:
      status = .malformed(
        Malformation(
          field: "length", reason: "the UDP length ends inside the header", value: have,
          headerCutShort: true))
    default:
      status = .truncated(
        Truncation(
          layer: header.kind, needed: needed, available: have, offset: offset, bound: bound))
    }
    frame.append(DecodedLayer(header: header, range: offset..<(offset + have), status: status))
  }

  /// Parses a header from the `available` bytes at `offset`, zero-filled up to `length`
  /// (at most 64 bytes), so a truncated layer still reports the fields it has.
  func padded<T>(
    _ bytes: Span<UInt8>, _ length: Int, from offset: Int = 0, limit: Int? = nil,
    _ parse: (Span<UInt8>) -> T
  ) -> T {
    var buffer = InlineArray<64, UInt8>(repeating: 0)
    let end = min(limit ?? bytes.count, bytes.count)
    var index = 0
    while index < length && offset + index < end && index < 64 {
      buffer[index] = bytes[offset + index]
      index += 1
    }
    return parse(buffer.span)
  }
}
