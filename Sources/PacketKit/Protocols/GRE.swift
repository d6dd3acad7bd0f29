// GRE (RFC 2784, RFC 2890; version 1 is PPTP's enhanced GRE, RFC 2637)
//
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
// |      Checksum (optional)      |       Offset (optional)       |
// |                         Key (optional)                        |
// |                 Sequence Number (optional)                    |
// |          Acknowledgment Number (optional, version 1)          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

/// A GRE header: the flags-and-version word, the payload's protocol and the optional fields
/// its flags announce (zero when absent).
public struct GREHeader: Sendable, Hashable {
  /// The 16-bit flags-and-version word.
  public var flags: UInt16
  /// The payload's protocol, an EtherType (0x6558: an Ethernet frame).
  public var protocolType: UInt16
  /// Checksum, when the C bit is set.
  public var checksum: UInt16
  /// Key (version 1: payload length and call id), when the K bit is set.
  public var key: UInt32
  /// Sequence number, when the S bit is set.
  public var seq: UInt32
  /// Acknowledgment number, when the A bit of a version 1 header is set.
  public var ack: UInt32

  /// Checksum present.
  static let checksumBit: UInt16 = 0x8000
  /// Routing present (RFC 1701): the header then carries the offset and routing entries.
  static let routingBit: UInt16 = 0x4000
  /// Key present.
  static let keyBit: UInt16 = 0x2000
  /// Sequence number present.
  static let seqBit: UInt16 = 0x1000
  /// Acknowledgment number present (version 1).
  static let ackBit: UInt16 = 0x0080

  /// The protocol version (0 GRE, 1 PPTP's enhanced GRE).
  public var version: UInt8 { UInt8(flags & 7) }
  /// Whether the checksum and offset words are present.
  var hasChecksum: Bool { flags & (Self.checksumBit | Self.routingBit) != 0 }
  /// Whether the key is present.
  var hasKey: Bool { flags & Self.keyBit != 0 }
  /// Whether the sequence number is present.
  var hasSeq: Bool { flags & Self.seqBit != 0 }

  /// Offset of the key in the header (when present).
  var keyOffset: Int { version == 0 && hasChecksum ? 8 : 4 }
  /// Offset of the sequence number in the header (when present).
  var seqOffset: Int { keyOffset + (hasKey ? 4 : 0) }
  /// Whether the acknowledgment number is present (version 1).
  var hasAck: Bool { version == 1 && flags & Self.ackBit != 0 }
  /// Offset of the acknowledgment number in the header (when present).
  var ackOffset: Int { seqOffset + (hasSeq ? 4 : 0) }

  /// The header's length from its flags, routing entries not included.
  public var length: Int {
    ackOffset + (hasAck ? 4 : 0)
  }

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
  public init(
    flags: UInt16, protocolType: UInt16, checksum: UInt16 = 0, key: UInt32 = 0, seq: UInt32 = 0,
    ack: UInt32 = 0
  ) {
    self.flags = flags
    self.protocolType = protocolType
    self.checksum = checksum
    self.key = key
    self.seq = seq
    self.ack = ack
  }

  /// Reads the header at `offset`; the caller has checked that `length` bytes are there
  /// (the first 4 always are).
  init(unchecked bytes: Span<UInt8>, at offset: Int) {
    flags = bytes.be16(at: offset)
    protocolType = bytes.be16(at: offset + 2)
    checksum = 0
    key = 0
    seq = 0
    ack = 0
    if version == 0 && hasChecksum { checksum = bytes.be16(at: offset + 4) }
    if hasKey { key = bytes.be32(at: offset + keyOffset) }
    if hasSeq { seq = bytes.be32(at: offset + seqOffset) }
    if hasAck { ack = bytes.be32(at: offset + ackOffset) }
  }

  /// Appends the header (the offset as zero).
  func encode(into writer: inout ByteWriter) {
    writer.writeBE16(flags)
    writer.writeBE16(protocolType)
    if version == 0 && hasChecksum {
      writer.writeBE16(checksum)
      writer.writeBE16(0)
    }
    if hasKey { writer.writeBE32(key) }
    if hasSeq { writer.writeBE32(seq) }
    if hasAck { writer.writeBE32(ack) }
  }
}

// MARK: - Decoding

extension Walk {
  /// Decodes a GRE packet at `offset` (IP protocol 47), then its payload by `protocol`:
  /// IPv4, IPv6, an Ethernet frame (0x6558) or MPLS; anything else stays raw.
  mutating func gre(_ bytes: Span<UInt8>, at offset: Int, _ enclosure: Enclosure, fragment: Bool) {
    if appendsShortHeader(
      bytes, 4, at: offset, end: enclosure.end, bound: enclosure.bound,
      { GREHeader(unchecked: $0, at: 0) }, as: LayerHeader.gre)
    {
      return
    }
    // The flags say how long the header is; read the optional fields only when they fit.
    let length = GREHeader(flags: bytes.be16(at: offset), protocolType: 0).length
    if offset + length > enclosure.end {
      let header = padded(bytes, length, from: offset, limit: enclosure.end) {
        GREHeader(unchecked: $0, at: 0)
      }
      truncated(
        bytes, .gre(header), at: offset, needed: length, available: enclosure.end - offset,
        bound: enclosure.bound)
      return
    }
    let header = GREHeader(unchecked: bytes, at: offset)
    var checksumValid: Bool? = nil
    if header.version == 0, header.flags & GREHeader.checksumBit != 0, !fragment,
      enclosure.declaredEnd <= enclosure.end
    {
      checksumValid = plainChecksum(bytes, offset..<enclosure.declaredEnd)
    }
    push(
      DecodedLayer(
        header: .gre(header), range: offset..<(offset + length), checksumValid: checksumValid,
        isQuoted: enclosure.quoted))
    let payload = offset + length
    guard header.version == 0, header.flags & GREHeader.routingBit == 0, !frame.isFull else {
      return raw(bytes, payload..<enclosure.end)
    }
    switch header.protocolType {
    case 0x0800: ipv4(bytes, at: payload, enclosure.inner)
    case 0x86DD: ipv6(bytes, at: payload, enclosure.inner)
    case 0x6558 where payload < enclosure.end:
      ethernet(bytes.extracting(0..<enclosure.end), at: payload)
    case 0x8847, 0x8848: mpls(bytes, at: payload, enclosure.inner)
    default: raw(bytes, payload..<enclosure.end)
    }
  }
}

// MARK: - Fields

extension FieldName {
  static let key = FieldName("key")
}

/// GRE's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum GREProtocol {
  static func describe<V: FieldVisitor>(
    _ header: GREHeader, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    guard view.has(2) else { return }
    fields.number(.flags, header.flags, .hex(width: 4), &out)
    fields.number(.version, header.version, &out)
    if view.has(4) { fields.number(.protocol, header.protocolType, .hex(width: 4), &out) }
    if header.version == 0 && header.flags & GREHeader.checksumBit != 0 {
      fields.checksum(
        view.has(6) ? header.checksum : nil, valid: layer.checksumValid, expected: nil, &out)
    }
    if header.hasKey && view.has(header.keyOffset + 4) {
      fields.number(.key, header.key, &out)
    }
    if header.hasSeq && view.has(header.seqOffset + 4) {
      fields.number(.seq, header.seq, &out)
    }
    if header.hasAck && view.has(header.ackOffset + 4) {
      fields.number(.ack, header.ack, &out)
    }
  }

  /// Expressions and `--from-json`: `gre(key=7)`, `gre(seq=1, checksum=0x1234)`.
  static let schema = LayerSchema(
    name: "gre", aliases: [],
    fields: [
      spec(.flags, .u16) { (l: inout GRE, v) in l.flags = v.u16 },
      spec(.version, .integer(max: 7)) { (l: inout GRE, v) in l.version = v.u8 },
      spec(.protocol, ["proto"], .u16) { (l: inout GRE, v) in l.protocolType = v.u16 },
      spec(.checksum, .u16) { (l: inout GRE, v) in l.checksum = v.u16 },
      spec(.key, .u32) { (l: inout GRE, v) in l.key = v.u32 },
      spec(.seq, .u32) { (l: inout GRE, v) in l.seq = v.u32 },
      spec(.ack, .u32) { (l: inout GRE, v) in l.ack = v.u32 },
    ],
    readOnly: [(.checksumValid, .bool)],
    make: { .gre(GRE()) })
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// `GREv0, key=0x7, seq 5, length 92: IP 10.0.0.1 > 10.0.0.2: ...` as tcpdump's
  /// print-gre.c without `-v`; `length` is the GRE packet's length (the IP payload).
  mutating func gre(
    _ layers: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>,
    _ index: Int, _ header: GREHeader, length: Int, to out: inout TextBuffer
  ) {
    let layer = layers[index]
    let available = layer.status.isComplete ? Int.max : layer.range.count
    guard available >= 2 else { return out.append(" [|gre]") }
    out.append("GREv")
    out.append(decimal: header.version)
    if verbosity > 0, header.version <= 1 { Self.writeGREFlags(header.flags, to: &out) }
    switch header.version {
    case 0:
      guard available >= 4 else { return out.append(" [|gre]") }
      let start = layer.range.lowerBound
      if header.hasChecksum {
        // The offset field is read only when its bytes are there (`word` prints ` [|gre]`
        // for a header cut before them).
        let offsetField =
          start + 8 <= min(bytes.count, start &+ available)
          ? UInt32(bytes.be16(at: start + 6)) : 0
        if verbosity > 0 {
          guard word(", sum 0x", UInt32(header.checksum), at: 4, hex: true) else { return }
        }
        guard word(", off 0x", offsetField, at: 4, hex: true) else { return }
      }
      if header.hasKey {
        guard word(", key=0x", header.key, at: header.keyOffset, hex: true) else { return }
      }
      if header.hasSeq {
        guard word(", seq ", header.seq, at: header.seqOffset) else { return }
      }
      if header.flags & GREHeader.routingBit != 0 { return out.append(" [|gre]") }
      writeProtocol(header.protocolType, length: length)
      switch header.protocolType {
      case 0x0800, 0x86DD, 0x8847, 0x8848, 0x6558:
        guard index + 1 < layers.count else {
          switch header.protocolType {
          case 0x0800: out.append(" [|ip]")
          case 0x86DD: out.append(" [|ip6]")
          case 0x6558: out.append(" [|ether]")
          default: out.append(" (invalid)")
          }
          return
        }
        network(layers, wire: wireLength, bytes, at: index + 1, to: &out)
      default:
        out.append("gre-proto-0x")
        out.append(hex: header.protocolType)
      }
    case 1:
      guard available >= 4 else { return out.append(" [|gre]") }
      if header.hasKey {
        guard word(", call ", header.key & 0xFFFF, at: 4) else { return }
      }
      if header.hasSeq {
        guard word(", seq ", header.seq, at: header.seqOffset) else { return }
      }
      if header.hasAck {
        guard word(", ack ", header.ack, at: header.ackOffset) else { return }
      }
      if !header.hasSeq { out.append(", no-payload") }
      if !header.hasSeq {
        writeProtocol(header.protocolType, length: length, colon: false)
        return
      }
      writeProtocol(header.protocolType, length: length)
      out.append("gre-proto-0x")
      out.append(hex: header.protocolType)
    default:
      out.append(" ERROR: unknown-version")
    }

    /// `, seq 5` for the 4-byte word at `offset` in the header, or ` [|gre]` (and false) when
    /// the capture ends before it.
    func word(_ label: StaticString, _ value: UInt32, at offset: Int, hex: Bool = false) -> Bool {
      guard available >= offset + 4 else {
        out.append(" [|gre]")
        return false
      }
      out.append(label)
      if hex { out.append(hex: value) } else { out.append(decimal: value) }
      return true
    }

    func writeProtocol(_ type: UInt16, length: Int, colon: Bool = true) {
      if printLinkLayer {
        // tcpdump's ethertype_values names, "unknown" for the others.
        out.append(", proto ")
        switch type {
        case 0x6558: out.append("TEB")
        case 0x880B: out.append("PPP")
        default:
          let name = EtherType(rawValue: type).description
          out.append(name == "Unknown" ? "unknown" : name)
        }
        out.append(" (0x")
        out.append(hex: type, width: 4)
        out.append(")")
      }
      out.append(", length ")
      out.append(decimal: length)
      if colon { out.append(verbosity > 0 ? "\n\t" : ": ") }
    }
  }
}

// MARK: - Building

/// A GRE header to build (contract layer `gre`).
///
/// As scapy's `GRE()`, except that giving `checksum`, `key`, `seq` or (version 1) `ack` sets
/// its flag (scapy needs `chksum_present`, `key_present`, `seqnum_present`, `acknum_present`):
/// `flags` is computed from the fields given unless given itself (then its C, K, S and A bits
/// decide which fields are written, and a C bit with no `checksum` gets the computed
/// checksum, as scapy's). `protocol` announces the next layer (0x0800 IPv4, 0x86DD IPv6,
/// 0x6558 Ethernet, 0x8847 MPLS; 0 otherwise, as scapy).
public struct GRE: PacketLayer {
  /// The flags-and-version word; nil: from the fields given.
  public var flags: UInt16?
  /// The version (low 3 bits of the word); nil: the given flags' (0 by default).
  public var version: UInt8?
  /// The payload's protocol; nil: from the next layer.
  public var protocolType: UInt16?
  /// Checksum; nil: computed when the C bit is set.
  public var checksum: UInt16?
  /// Key; given: the K bit is set.
  public var key: UInt32?
  /// Sequence number; given: the S bit is set.
  public var seq: UInt32?
  /// Acknowledgment number (version 1); given: the A bit is set.
  public var ack: UInt32?

  /// A GRE header to build: the flags and version from the optional fields given (none by
  /// default) and the protocol type from the next layer, unless given.
  public init(
    flags: UInt16? = nil, version: UInt8? = nil, protocolType: UInt16? = nil,
    checksum: UInt16? = nil, key: UInt32? = nil, seq: UInt32? = nil, ack: UInt32? = nil
  ) {
    self.flags = flags
    self.version = version
    self.protocolType = protocolType
    self.checksum = checksum
    self.key = key
    self.seq = seq
    self.ack = ack
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .gre(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .gre(let layer) = stackLayer else { return nil }
    self = layer
  }

  /// The flags-and-version word written.
  var resolvedFlags: UInt16 {
    var word = flags ?? 0
    if flags == nil {
      if checksum != nil { word |= GREHeader.checksumBit }
      if key != nil { word |= GREHeader.keyBit }
      if seq != nil { word |= GREHeader.seqBit }
      if ack != nil { word |= GREHeader.ackBit }
    }
    if let version { word = word & ~7 | UInt16(version & 7) }
    return word
  }

  func encode(payload: [UInt8], next: StackLayer?) -> [UInt8] {
    var implied: UInt16 = 0
    if case .ethernet? = next { implied = 0x6558 } else { implied = next?.etherType ?? 0 }
    let header = GREHeader(
      flags: resolvedFlags, protocolType: protocolType ?? implied, checksum: checksum ?? 0,
      key: key ?? 0, seq: seq ?? 0, ack: ack ?? 0)
    var writer = ByteWriter(capacity: header.length + payload.count)
    header.encode(into: &writer)
    writer.write(contentsOf: payload)
    if checksum == nil, header.version == 0, header.flags & GREHeader.checksumBit != 0 {
      var sum = InternetChecksum()
      sum.add(writer.bytes)
      writer.setBE16(sum.checksum, at: 4)
    }
    return writer.bytes
  }
}
