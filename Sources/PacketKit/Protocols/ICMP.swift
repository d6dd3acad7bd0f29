// ICMP (RFC 792): an 8-byte header — type, code, checksum and 4 type-specific bytes
// (`rest`; identifier and sequence for echo, timestamp and information messages).
// Errors (3 unreachable, 4 source quench, 5 redirect, 11 time exceeded, 12 parameter
// problem) quote the offending datagram after the header; the frame decoder decodes it.
//
//  0       8       16              32
// +-------+-------+---------------+
// | Type  | Code  |   Checksum    |
// |  Rest (identifier, sequence)  |
// +-------------------------------+
//
// This file: the wire header, decoding (with the quote of an error, shared with ICMPv6),
// fields, the one-line printer, schema and builder.

/// An ICMP message header.
public struct ICMPv4Message: ICMPMessageHeader {
  /// Message type.
  public var type: UInt8
  /// Message code.
  public var code: UInt8
  /// Checksum as stored (over the whole message).
  public var checksum: UInt16
  /// The 4 bytes after the checksum, as a big-endian integer.
  public var rest: UInt32

  /// A header of these values (zero where not given).
  public init(type: UInt8, code: UInt8 = 0, checksum: UInt16 = 0, rest: UInt32 = 0) {
    self.type = type
    self.code = code
    self.checksum = checksum
    self.rest = rest
  }

  /// Whether `rest` holds an identifier and sequence number (echo, timestamp, information).
  @inlinable public var hasIdentifier: Bool {
    switch type {
    case 0, 8, 13, 14, 15, 16: true
    default: false
    }
  }

  /// Whether the message quotes an IPv4 datagram (3, 4, 5, 11, 12).
  @inlinable public var isError: Bool {
    switch type {
    case 3, 4, 5, 11, 12: true
    default: false
    }
  }
}

// MARK: - Decoding

extension Walk {
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

  /// Appends an ICMP or ICMPv6 message's 8-byte header, then what follows it: the datagram
  /// an error quotes (IPv4 after ICMP, IPv6 after ICMPv6) decoded as further layers, or raw
  /// bytes. A quote inside a quote is not decoded.
  ///
  /// Every layer decoded from the quote, whatever its status, is marked `isQuoted`. A layer
  /// that runs out of bytes there is cut by the quote (`Truncation.Bound.quote`) unless the
  /// capture ended inside the message, which then bounds it.
  mutating func appendMessage(
    _ bytes: Span<UInt8>, _ header: LayerHeader, at offset: Int, checksumValid: Bool?, quotes: Bool,
    _ enclosure: Enclosure, fragment: Bool
  ) {
    let body = offset + ICMPv4Message.headerLength
    push(
      DecodedLayer(
        header: header, range: offset..<body, checksumValid: checksumValid,
        isQuoted: enclosure.quoted))
    guard quotes && !enclosure.quoted && body < enclosure.end && !fragment else {
      raw(bytes, body..<enclosure.end)
      return
    }
    let cutByCapture = enclosure.end < enclosure.declaredEnd
    let quote = Enclosure(
      end: enclosure.end, declaredEnd: enclosure.end,
      bound: cutByCapture ? enclosure.bound : .quote, quoted: true, outermost: false)
    let firstQuoted = frame.count
    if header.kind == .icmp {
      ipv4(bytes, at: body, quote)
    } else {
      ipv6(bytes, at: body, quote)
    }
    for index in firstQuoted..<frame.count where !frame[index].isQuoted {
      frame[index].isQuoted = true
    }
  }
}

// MARK: - Fields

/// ICMP's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum ICMPProtocol {
  /// The fields of ICMP and ICMPv6 alike (`names`: the types' meanings for the verbose view).
  /// JSON gives `checksum_valid` even when the checksum itself was not captured; the verbose
  /// view shows the type's meaning, the checksum's verdict on its line and `rest` in hex.
  static func describe<V: FieldVisitor>(
    type: UInt8, code: UInt8, checksum: UInt16, rest: UInt32, identifier: Bool,
    _ layer: DecodedLayer, names: (UInt8) -> StaticString?, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    if view.has(1) {
      fields.number(.type, type, meaning: V.view == .verbose ? names(type) : nil, &out)
    }
    if view.has(2) { fields.number(.code, code, &out) }
    fields.checksum(view.has(4) ? checksum : nil, valid: layer.checksumValid, expected: nil, &out)
    if identifier {
      if view.has(6) { fields.number(.id, UInt16(truncatingIfNeeded: rest >> 16), &out) }
      if view.has(8) { fields.number(.seq, UInt16(truncatingIfNeeded: rest), &out) }
    } else if view.has(8) {
      fields.number(.rest, rest, .hex(width: 8), &out)
    }
  }

  static func describe<V: FieldVisitor>(
    _ message: ICMPv4Message, _ layer: DecodedLayer, _ fields: inout V, _ out: inout TextBuffer
  ) {
    describe(
      type: message.type, code: message.code, checksum: message.checksum, rest: message.rest,
      identifier: message.hasIdentifier, layer, names: typeName, &fields, &out)
  }

  /// What a message type is, for the verbose view.
  static func typeName(_ type: UInt8) -> StaticString? {
    switch type {
    case 0: "echo reply"
    case 3: "destination unreachable"
    case 4: "source quench"
    case 5: "redirect"
    case 8: "echo request"
    case 11: "time exceeded"
    case 12: "parameter problem"
    case 13: "timestamp request"
    case 14: "timestamp reply"
    case 15: "information request"
    case 16: "information reply"
    default: nil
    }
  }

  /// Expressions and `--from-json`: `icmp(type=8, id=1, seq=2)`.
  static let schema = LayerSchema(
    name: "icmp", aliases: [],
    fields: [
      spec(.type, .u8) { (l: inout ICMP, v) in l.type = v.u8 },
      spec(.code, .u8) { (l: inout ICMP, v) in l.code = v.u8 },
      spec(.checksum, .u16) { (l: inout ICMP, v) in l.checksum = v.u16 },
      spec(.rest, .u32) { (l: inout ICMP, v) in l.rest = v.u32 },
      spec(.id, .u16) { (l: inout ICMP, v) in l.id = v.u16 },
      spec(.seq, .u16) { (l: inout ICMP, v) in l.seq = v.u16 },
    ],
    readOnly: [(.checksumValid, .bool)],
    make: { .icmp(ICMP()) })
}

// MARK: - One-line printing

extension OneLineFormatter {
  mutating func icmp(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ message: ICMPv4Message,
    length: Int, to out: inout TextBuffer
  ) {
    let layer = frame[index]
    guard layer.status.isComplete else { return out.append(" [|icmp]") }
    let start = layer.range.lowerBound
    let quote = start + 8
    // The quoted datagram's destination, protocol and (for port unreachable) destination port.
    let quotedHeader = quote + 20 <= bytes.count
    let quotedDst = quotedHeader ? IPv4Address(bytes, at: quote + 16) : IPv4Address.any
    if message.type == 3 {
      // tcpdump reads the quote before it prints anything: a missing one (a short capture,
      // a first fragment) leaves only its truncation mark.
      let portsNeeded = message.code == 3 && quotedHeader
      let portEnd = quote + Int(quotedHeader ? bytes[quote] & 0x0F : 0) * 4 + 4
      guard quotedHeader, !portsNeeded || portEnd <= bytes.count else {
        return out.append(" [|icmp]")
      }
    }
    out.append("ICMP ")
    switch message.type {
    case 0, 8:
      out.append(message.type == 8 ? "echo request, id " : "echo reply, id ")
      out.append(decimal: message.id)
      out.append(", seq ")
      out.append(decimal: message.seq)
    case 3:
      switch message.code {
      case 0, 1, 6, 7, 9, 10, 11, 12, 13, 14, 15:
        let network =
          message.code == 0 || message.code == 6 || message.code == 9 || message.code == 11
        out.append(network ? "net " : "host ")
        quotedDst.write(to: &out)
        switch message.code {
        case 6, 7: out.append(" unreachable - unknown")
        case 9, 10: out.append(" unreachable - admin prohibited")
        case 11, 12: out.append(" unreachable - tos prohibited")
        case 13: out.append(" unreachable - admin prohibited filter")
        case 14: out.append(" unreachable - host precedence violation")
        case 15: out.append(" unreachable - precedence cutoff")
        default: out.append(" unreachable")
        }
      case 2:
        quotedDst.write(to: &out)
        out.append(" protocol ")
        out.append(decimal: bytes[quote + 9])
        out.append(" unreachable")
      case 3:
        let proto = bytes[quote + 9]
        let portOffset = quote + Int(bytes[quote] & 0x0F) * 4 + 2
        quotedDst.write(to: &out)
        switch proto {
        case 6: out.append(" tcp port ")
        case 17: out.append(" udp port ")
        default:
          out.append(" protocol ")
          out.append(decimal: proto)
          out.append(" port ")
        }
        out.append(decimal: bytes.be16(at: portOffset))
        out.append(" unreachable")
      case 4:
        quotedDst.write(to: &out)
        out.append(" unreachable - need to frag")
        let mtu = UInt16(truncatingIfNeeded: message.rest)
        if mtu != 0 {
          out.append(" (mtu ")
          out.append(decimal: mtu)
          out.append(byte: 0x29)
        }
      case 5:
        quotedDst.write(to: &out)
        out.append(" unreachable - source route failed")
      case 8:
        quotedDst.write(to: &out)
        out.append(" unreachable - source host isolated")
      default:
        quotedDst.write(to: &out)
        out.append(" unreachable - #")
        out.append(decimal: message.code)
      }
    case 4:
      out.append("source quench")
    case 5:
      guard quotedHeader else { return out.append(" [|icmp]") }
      switch message.code {
      case 2, 3: out.append("redirect-tos ")
      default: out.append("redirect ")
      }
      quotedDst.write(to: &out)
      switch message.code {
      case 0, 2: out.append(" to net ")
      case 1, 3: out.append(" to host ")
      default: out.append(" to ")
      }
      IPv4Address(rawValue: message.rest).write(to: &out)
    case 9: out.append("router advertisement")
    case 10: out.append("router solicitation")
    case 11:
      out.append(message.code == 1 ? "ip reassembly time exceeded" : "time exceeded in-transit")
    case 12:
      if message.code == 0 {
        out.append("parameter problem - octet ")
        out.append(decimal: UInt8(truncatingIfNeeded: message.rest >> 24))
      } else {
        out.append("parameter problem code ")
        out.append(decimal: message.code)
      }
    case 13, 14:
      out.append(message.type == 13 ? "time stamp query id " : "time stamp reply id ")
      out.append(decimal: message.id)
      out.append(" seq ")
      out.append(decimal: message.seq)
      if message.type == 14 {
        guard start + 20 <= bytes.count else { return out.append(" [|icmp]") }
        out.append(": org ")
        writeMilliseconds(bytes.be32(at: start + 8), to: &out)
        out.append(", recv ")
        writeMilliseconds(bytes.be32(at: start + 12), to: &out)
        out.append(", xmit ")
        writeMilliseconds(bytes.be32(at: start + 16), to: &out)
      }
    case 15: out.append("information request")
    case 16: out.append("information reply")
    case 17: out.append("address mask request")
    case 18:
      guard start + 12 <= bytes.count else { return out.append(" [|icmp]") }
      out.append("address mask is 0x")
      out.append(hex: bytes.be32(at: start + 8), width: 8)
    default:
      out.append("type-#")
      out.append(decimal: message.type)
    }
    out.append(", length ")
    out.append(decimal: length)
    if verbosity > 0 { icmpVerbose(frame, bytes, index, message, length: length, to: &out) }
  }

  /// ICMP timestamps: milliseconds since midnight UTC as `HH:MM:SS.mmm`.
  func writeMilliseconds(_ value: UInt32, to out: inout TextBuffer) {
    let seconds = value / 1000
    out.append(decimal: seconds / 3600, width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: seconds / 60 % 60, width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: seconds % 60, width: 2)
    out.append(byte: 0x2E)
    out.append(decimal: value % 1000, width: 3)
  }
}

// MARK: - Building

/// An ICMP message header to build (contract layer `icmp`).
///
/// Defaults as scapy's `ICMP()`: echo request (type 8), code 0, id 0, seq 0. The checksum
/// covers the whole message (an error's quoted datagram included) unless given.
public struct ICMP: PacketLayer {
  /// Message type.
  public var type: UInt8
  /// Message code.
  public var code: UInt8
  /// Checksum; nil: computed.
  public var checksum: UInt16?
  /// The 4 bytes after the checksum, as a big-endian integer.
  public var rest: UInt32

  /// An ICMP message to build: an echo request (type 8, code 0) by default, checksum computed.
  public init(type: UInt8 = 8, code: UInt8 = 0, checksum: UInt16? = nil, rest: UInt32 = 0) {
    self.type = type
    self.code = code
    self.checksum = checksum
    self.rest = rest
  }

  /// An echo, timestamp or information message with identifier and sequence number.
  public init(type: UInt8 = 8, code: UInt8 = 0, checksum: UInt16? = nil, id: UInt16, seq: UInt16) {
    self.init(type: type, code: code, checksum: checksum, rest: UInt32(id) << 16 | UInt32(seq))
  }

  /// Identifier: the high half of `rest`.
  public var id: UInt16 {
    get { UInt16(truncatingIfNeeded: rest >> 16) }
    set { rest = rest & 0xFFFF | UInt32(newValue) << 16 }
  }

  /// Sequence number: the low half of `rest`.
  public var seq: UInt16 {
    get { UInt16(truncatingIfNeeded: rest) }
    set { rest = rest & 0xFFFF_0000 | UInt32(newValue) }
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .icmp(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .icmp(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension ICMP {
  func encode(payload: [UInt8]) -> [UInt8] {
    var writer = ByteWriter(capacity: 8 + payload.count)
    ICMPv4Message(type: type, code: code, checksum: checksum ?? 0, rest: rest)
      .encode(into: &writer)
    writer.write(contentsOf: payload)
    if checksum == nil {
      var sum = InternetChecksum()
      sum.add(writer.bytes)
      writer.setBE16(sum.checksum, at: 2)
    }
    return writer.bytes
  }
}
