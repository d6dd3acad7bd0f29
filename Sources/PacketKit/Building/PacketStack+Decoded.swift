// A decoded frame as builder layers: read, change a field, build again.

extension PacketStack {
  /// The layers of `frame` (decoded from `bytes`) as builder layers, so that
  /// `build()` gives `bytes` back and an edited stack is built with fresh lengths and
  /// checksums:
  ///
  /// ```swift
  /// var stack = PacketStack(frame, bytes: bytes.span)
  /// stack.ipv4?.ttl = 1
  /// let rebuilt = try stack.build()  // new IPv4 checksum
  /// ```
  ///
  /// - Ethernet, VLAN, ARP (Ethernet/IPv4), IPv4, IPv6, TCP, UDP, ICMP and ICMPv6 become
  ///   typed layers (``Ethernet``, ``IPv4``, ...). Everything after the last of them (an
  ///   application message, the datagram an ICMP error quotes, IPv6 extension headers and what
  ///   they carry, a truncated or malformed layer, other protocols) is one ``Payload`` of the
  ///   frame's bytes, and a Linux cooked or BSD loopback header is a ``Payload`` in front.
  /// - A type, protocol, length or checksum is left nil (computed when built) when the value
  ///   the builder computes is the one in the frame: a valid checksum, a length that covers
  ///   the bytes that follow. Otherwise (a wrong checksum, a capture cut short) the decoded
  ///   value is kept, pinned, as a value given to a builder is. Set it to nil to have it
  ///   computed.
  /// - Ethernet padding and trailers (`frame.paddingRange`) become ``trailer``.
  public init(_ frame: DecodedFrame, bytes: Span<UInt8>) {
    var copy: [UInt8] = []
    copy.reserveCapacity(bytes.count)
    for index in bytes.indices { copy.append(bytes[index]) }
    let end = min(copy.count, frame.paddingRange?.lowerBound ?? copy.count)
    var converter = DecodedStackConverter(frame: frame, bytes: copy, end: end)
    converter.convert()
    self.init(converter.layers)
    trailer = Array(copy[end...])
  }

  /// Decodes `bytes` of `linkType` and converts the frame as ``init(_:bytes:)`` does.
  public init(decoding bytes: [UInt8], linkType: LinkType) {
    self.init(FrameDecoder().decode(bytes, linkType: linkType), bytes: bytes.span)
  }
}

/// Converts a decoded frame's layers into builder layers, front to back, then pins each
/// computed field whose computed value would differ from the frame's.
struct DecodedStackConverter {
  let frame: DecodedFrame
  let bytes: [UInt8]
  /// Where the converted bytes end (before Ethernet padding).
  let end: Int
  var layers: [StackLayer] = []
  /// Each typed layer's decoded layer and start offset, by position in `layers`.
  var origins: [(layer: DecodedLayer, start: Int)?] = []
  /// The offset of the first byte not yet in a layer.
  var cursor = 0

  /// The bytes in `range`, clipped to the converted bytes.
  func slice(_ range: Range<Int>) -> [UInt8] {
    Array(bytes[range.clamped(to: 0..<end)])
  }

  mutating func append(_ layer: StackLayer, _ origin: DecodedLayer?, through upper: Int) {
    layers.append(layer)
    origins.append(origin.map { ($0, cursor) })
    cursor = upper
  }

  mutating func convert() {
    for index in 0..<frame.count {
      let layer = frame[index]
      guard layer.status.isComplete, !layer.isQuoted, layer.range.lowerBound == cursor,
        layer.range.upperBound <= end, convert(layer)
      else { break }
    }
    if cursor < end { append(.payload(Payload(slice(cursor..<end))), nil, through: end) }
    for position in layers.indices { pin(at: position) }
  }

  /// Appends the builder layer for `layer`; returns false when what follows is left to the
  /// final payload (after a transport or ICMP header, or a layer with no builder).
  mutating func convert(_ layer: DecodedLayer) -> Bool {
    let start = layer.range.lowerBound
    switch layer.header {
    case .sll, .null:
      append(.payload(Payload(slice(layer.range))), nil, through: layer.range.upperBound)
    case .ethernet(let header):
      append(.ethernet(Ethernet(header)), layer, through: layer.range.upperBound)
    case .vlan(let tag):
      append(.vlan(VLAN(tag)), layer, through: layer.range.upperBound)
    case .arp(let message):
      guard let arp = ARP(message) else { return false }
      append(.arp(arp), layer, through: start + message.length)
      return false
    case .ipv4(let header):
      let options = slice((start + 20)..<(start + header.headerLength))
      append(.ipv4(IPv4(header, options: options)), layer, through: start + header.headerLength)
    case .ipv6(let header):
      append(.ipv6(IPv6(header)), layer, through: start + 40)
      return header.extensionsRange.isEmpty
    case .tcp(let header):
      let options = TCP.options(in: bytes.span, range: header.optionsRange)
      append(.tcp(TCP(header, options: options)), layer, through: start + header.headerLength)
      return false
    case .udp(let header):
      append(.udp(UDP(header)), layer, through: start + 8)
      return false
    case .icmp(let message):
      append(.icmp(ICMP(message)), layer, through: start + 8)
      return false
    case .icmpv6(let message):
      if (135...137).contains(message.type) {
        guard start + 24 <= end else { return false }
        let target = IPv6Address(bytes.span, at: start + 8)
        append(.icmpv6(ICMPv6(message, target: target)), layer, through: start + 24)
      } else {
        append(.icmpv6(ICMPv6(message)), layer, through: start + 8)
      }
      return false
    default:
      return false
    }
    return true
  }

  /// Keeps the frame's value of each computed field of the layer at `position` that the
  /// builder would compute differently.
  mutating func pin(at position: Int) {
    guard let (decoded, start) = origins[position] else { return }
    let next = position + 1 < layers.count ? layers[position + 1] : nil
    let following = end - start
    let checksumFresh = decoded.checksumValid == true
    switch (layers[position], decoded.header) {
    case (.ethernet(var layer), .ethernet(let header)):
      if layer.resolvedType(next: next) != header.typeOrLength { layer.type = header.typeOrLength }
      layers[position] = .ethernet(layer)
    case (.vlan(var layer), .vlan(let tag)):
      if (next?.etherType ?? 0) != tag.type { layer.type = tag.type }
      layers[position] = .vlan(layer)
    case (.ipv4(var layer), .ipv4(let header)):
      if (next?.ipProtocol ?? 0) != header.protocol { layer.protocol = header.protocol }
      if Int(header.totalLength) != following { layer.totalLength = header.totalLength }
      if header.headerLength != layer.computedHeaderLength {
        layer.headerLength = header.headerLength
      }
      if !checksumFresh { layer.checksum = header.checksum }
      layers[position] = .ipv4(layer)
    case (.ipv6(var layer), .ipv6(let header)):
      if (next?.ipProtocol ?? 59) != header.nextHeader { layer.nextHeader = header.nextHeader }
      if Int(header.payloadLength) != following - 40 { layer.payloadLength = header.payloadLength }
      layers[position] = .ipv6(layer)
    case (.tcp(var layer), .tcp(let header)):
      if header.headerLength != 20 + layer.encodedOptions.count {
        layer.headerLength = header.headerLength
      }
      if !checksumFresh { layer.checksum = header.checksum }
      layers[position] = .tcp(layer)
    case (.udp(var layer), .udp(let header)):
      if Int(header.length) != following { layer.length = header.length }
      if !checksumFresh { layer.checksum = header.checksum }
      layers[position] = .udp(layer)
    case (.icmp(var layer), .icmp(let message)):
      if !checksumFresh { layer.checksum = message.checksum }
      layers[position] = .icmp(layer)
    case (.icmpv6(var layer), .icmpv6(let message)):
      if !checksumFresh { layer.checksum = message.checksum }
      layers[position] = .icmpv6(layer)
    default:
      break
    }
  }
}
