// UDP (RFC 768)
//
//  0               16              32
// +---------------+---------------+
// |  Source Port  |   Dest Port   |
// |    Length     |   Checksum    |
// +---------------+---------------+

/// A UDP header.
public struct UDPHeader: Sendable, Hashable {
  /// Source port.
  public var srcPort: UInt16
  /// Destination port.
  public var dstPort: UInt16
  /// Length of header and data, in bytes.
  public var length: UInt16
  /// Checksum as stored (0 = none over IPv4).
  public var checksum: UInt16

  /// The header's length, in bytes.
  public static let headerLength = 8

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
  public init(srcPort: UInt16, dstPort: UInt16, length: UInt16, checksum: UInt16 = 0) {
    self.srcPort = srcPort
    self.dstPort = dstPort
    self.length = length
    self.checksum = checksum
  }

  /// Reads the header at `offset`; the caller has checked that 8 bytes are there.
  @inlinable @inline(__always)
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    srcPort = bytes.be16(at: offset)
    dstPort = bytes.be16(at: offset + 2)
    length = bytes.be16(at: offset + 4)
    checksum = bytes.be16(at: offset + 6)
  }

  /// Decodes a header strictly from the start of `bytes`.
  public init(decoding bytes: Span<UInt8>) throws(DecodeError) {
    guard bytes.count >= 8 else {
      throw .truncated(
        .init(layer: .udp, needed: 8, available: bytes.count, offset: 0, bound: .capture))
    }
    self.init(unchecked: bytes, at: 0)
    if let problem = lengthProblem { throw .malformed(problem) }
  }

  /// What is wrong with the length field, if anything: the check strict and lax decoding share.
  var lengthProblem: Malformation? {
    length < 8
      ? Malformation(field: FieldName.length.text, reason: "less than 8", value: Int(length)) : nil
  }

  /// Appends the 8 header bytes.
  public func encode(into writer: inout ByteWriter) {
    writer.writeBE16(srcPort)
    writer.writeBE16(dstPort)
    writer.writeBE16(length)
    writer.writeBE16(checksum)
  }
}

// MARK: - Decoding

extension Walk {
  mutating func udp(
    _ bytes: Span<UInt8>, at offset: Int, _ enclosure: Enclosure, pseudo: PseudoHeader,
    fragment: Bool
  ) {
    let length = UDPHeader.headerLength
    if appendsShortHeader(
      bytes, length, at: offset, end: enclosure.end, bound: enclosure.bound,
      { UDPHeader(unchecked: $0, at: 0) }, as: LayerHeader.udp)
    {
      return
    }
    let header = UDPHeader(unchecked: bytes, at: offset)
    let udpLength = Int(header.length)
    if let problem = header.lengthProblem {
      append(bytes, .udp(header), offset..<(offset + length), .malformed(problem))
      return
    }
    let udpEnd = offset + udpLength
    if !enclosure.quoted && !fragment && udpEnd > enclosure.declaredEnd {
      append(
        bytes, .udp(header), offset..<(offset + length),
        .malformed(
          Malformation(
            field: FieldName.length.text, reason: "beyond the IP payload", value: udpLength))
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
    push(
      DecodedLayer(
        header: .udp(header), range: offset..<(offset + length), checksumValid: checksumValid,
        payloadLength: payloadLength, isQuoted: enclosure.quoted))
    applicationPayload(
      bytes, (offset + length)..<min(enclosure.end, udpEnd), over: .udp,
      srcPort: header.srcPort, dstPort: header.dstPort, enclosure)
  }
}

// MARK: - Fields

/// UDP's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum UDPProtocol {
  static func describe<V: FieldVisitor>(
    _ header: UDPHeader, _ layer: DecodedLayer, _ frame: borrowing DecodedFrame,
    _ bytes: Span<UInt8>, _ fields: inout V, _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    if view.has(2) { fields.number(.srcPort, header.srcPort, &out) }
    if view.has(4) { fields.number(.dstPort, header.dstPort, &out) }
    if view.has(6) { fields.number(.length, header.length, &out) }
    fields.checksum(
      view.has(8) ? header.checksum : nil, valid: layer.checksumValid, expected: nil, &out)
    switch layer.status {
    case .complete:
      fields.number(.payloadLength, UInt(layer.payloadLength), &out)
    case .malformed where V.view == .json && view.has(8) && header.length >= 8:
      // The length is within the header but beyond the IP payload: what it announces.
      let start = layer.range.lowerBound
      let end = min(start + Int(header.length), frame.wireLength)
      fields.number(.payloadLength, UInt(max(0, end - start - 8)), &out)
    default:
      break
    }
  }

  /// Expressions and `--from-json`: `udp(sport=1234, dport=53)`.
  static let schema = LayerSchema(
    name: "udp", aliases: [],
    fields: [
      spec(.srcPort, ["sport"], .u16) { (l: inout UDP, v) in l.srcPort = v.u16 },
      spec(.dstPort, ["dport"], .u16) { (l: inout UDP, v) in l.dstPort = v.u16 },
      spec(.length, .u16) { (l: inout UDP, v) in l.length = v.u16 },
      spec(.checksum, .u16) { (l: inout UDP, v) in l.checksum = v.u16 },
    ],
    readOnly: [(.checksumValid, .bool), (.payloadLength, .u16)],
    make: { .udp(UDP()) })
}

// MARK: - Building

/// A UDP header to build (contract layer `udp`).
///
/// Defaults as scapy's `UDP()`: ports 53, or the ports of the protocol the next layer is
/// (`UDP() / DNS()` goes to 53, `UDP() / NTP()` from and to 123, scapy's `bind_layers`).
/// `length` is 8 plus what follows unless given; `checksum` is computed over the IPv4 or IPv6
/// pseudo-header and the datagram actually built (a computed 0 is sent as 0xFFFF), or 0 when
/// the layer is not directly under an IP layer.
public struct UDP: PacketLayer {
  /// The source port given; nil: the next layer's, else 53.
  var givenSrcPort: UInt16?
  /// The destination port given; nil: the next layer's, else 53.
  var givenDstPort: UInt16?
  /// Length of header and data, in bytes; nil: computed.
  public var length: UInt16?
  /// Checksum; nil: computed.
  public var checksum: UInt16?

  /// Source port (53 unless given or implied by the next layer).
  public var srcPort: UInt16 {
    get { givenSrcPort ?? 53 }
    set { givenSrcPort = newValue }
  }

  /// Destination port (53 unless given or implied by the next layer).
  public var dstPort: UInt16 {
    get { givenDstPort ?? 53 }
    set { givenDstPort = newValue }
  }

  /// A UDP header to build: ports 53 or the next layer's, length and checksum computed unless
  /// given.
  public init(
    srcPort: UInt16? = nil, dstPort: UInt16? = nil, length: UInt16? = nil,
    checksum: UInt16? = nil
  ) {
    givenSrcPort = srcPort
    givenDstPort = dstPort
    self.length = length
    self.checksum = checksum
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .udp(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .udp(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension UDP {
  func encode(payload: [UInt8], next: StackLayer?, pseudoHeader: ChecksumContext?)
    throws(BuildError) -> [UInt8]
  {
    let implied = next?.udpPorts
    let total = 8 + payload.count
    guard length != nil || total <= 0xFFFF else {
      throw .invalidValue(
        layer: "udp", field: FieldName.length.string, value: "\(total)", reason: "exceeds 65535")
    }
    var writer = ByteWriter(capacity: total)
    UDPHeader(
      srcPort: givenSrcPort ?? implied?.src ?? 53, dstPort: givenDstPort ?? implied?.dst ?? 53,
      length: length ?? UInt16(total), checksum: checksum ?? 0
    ).encode(into: &writer)
    writer.write(contentsOf: payload)
    if checksum == nil, let pseudoHeader {
      let sum = pseudoHeader.checksum(protocol: 17, segment: writer.bytes)
      writer.setBE16(sum == 0 ? 0xFFFF : sum, at: 6)
    }
    return writer.bytes
  }
}
