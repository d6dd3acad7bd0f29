// TCP (RFC 9293 §3.1)
//
//  0               16              32
// +---------------+---------------+
// |  Source Port  |   Dest Port   |
// |        Sequence Number        |
// |     Acknowledgment Number     |
// |Off|Rsv|A|C|E|U|A|P|R|S|F| Win |   data offset 4 bits, 3 reserved, AE, CWR..FIN
// |   Checksum    |    Urgent     |
// |    Options (data offset > 5)  |
// +-------------------------------+
// Options are iterated from their range (TCPOptions.swift), not stored.
//
// This folder is TCP: the header, decoding, fields, schema and builder (this file), the
// options (TCPOptions.swift), the flags (TCPFlags.swift), the one-line printer
// (TCP+OneLine.swift) and the import of `read --json` objects (TCP+JSON.swift).

/// Field offsets of the TCP header.
@usableFromInline enum TCPLayout {
  @usableFromInline static let srcPort = 0
  @usableFromInline static let dstPort = 2
  @usableFromInline static let seq = 4
  @usableFromInline static let ack = 8
  @usableFromInline static let offsetAndFlags = 12
  @usableFromInline static let window = 14
  @usableFromInline static let checksum = 16
  @usableFromInline static let urgent = 18
  @usableFromInline static let minimumLength = 20
}

/// A TCP header with every wire field.
public struct TCPHeader: Sendable, Hashable {
  /// Source port.
  public var srcPort: UInt16
  /// Destination port.
  public var dstPort: UInt16
  /// Sequence number.
  public var seq: UInt32
  /// Acknowledgment number.
  public var ack: UInt32
  /// The data offset field: header length in 4-byte words.
  public var dataOffset: UInt8
  /// The 12-bit flags field: 3 reserved bits, AE (NS), CWR, ECE, URG, ACK, PSH, RST, SYN, FIN.
  public var flags: UInt16
  /// Window, raw (unscaled).
  public var window: UInt16
  /// Checksum as stored.
  public var checksum: UInt16
  /// Urgent pointer.
  public var urgent: UInt16
  /// The options' bytes, as offsets in the frame.
  public var optionsRange: Range<Int>

  /// The smallest header, in bytes.
  public static let minimumLength = TCPLayout.minimumLength

  /// Header length, in bytes (data offset × 4).
  @inlinable public var headerLength: Int { Int(dataOffset) &* 4 }

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
  public init(
    srcPort: UInt16, dstPort: UInt16, seq: UInt32 = 0, ack: UInt32 = 0, dataOffset: UInt8 = 5,
    flags: UInt16 = 0, window: UInt16 = 8192, checksum: UInt16 = 0, urgent: UInt16 = 0
  ) {
    self.srcPort = srcPort
    self.dstPort = dstPort
    self.seq = seq
    self.ack = ack
    self.dataOffset = dataOffset
    self.flags = flags
    self.window = window
    self.checksum = checksum
    self.urgent = urgent
    optionsRange = 0..<0
  }

  /// Reads the fixed header at `offset`; the caller has checked that 20 bytes are there.
  /// `optionsRange` covers the option bytes that are within `bytes`.
  @inlinable @inline(__always)
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    // The five 32-bit words after one bounds check, rather than a checked read per field.
    let (ports, sequence, acknowledgment, wordAndWindow, checksumAndUrgent) = bytes.be32Words(
      fiveAt: offset + TCPLayout.srcPort)
    srcPort = UInt16(truncatingIfNeeded: ports >> 16)
    dstPort = UInt16(truncatingIfNeeded: ports)
    seq = sequence
    ack = acknowledgment
    let word = UInt16(truncatingIfNeeded: wordAndWindow >> 16)
    dataOffset = UInt8(word >> 12)
    flags = word & 0x0FFF
    window = UInt16(truncatingIfNeeded: wordAndWindow)
    checksum = UInt16(truncatingIfNeeded: checksumAndUrgent >> 16)
    urgent = UInt16(truncatingIfNeeded: checksumAndUrgent)
    let start = offset + TCPLayout.minimumLength
    optionsRange = start..<max(start, min(offset + Int(word >> 12) * 4, bytes.count))
  }

  /// Decodes a header strictly from the start of `bytes`.
  public init(decoding bytes: Span<UInt8>) throws(DecodeError) {
    guard bytes.count >= 20 else {
      throw .truncated(
        .init(layer: .tcp, needed: 20, available: bytes.count, offset: 0, bound: .capture))
    }
    self.init(unchecked: bytes, at: 0)
    if let problem = dataOffsetProblem { throw .malformed(problem) }
    guard bytes.count >= headerLength else {
      throw .truncated(
        .init(layer: .tcp, needed: headerLength, available: bytes.count, offset: 0, bound: .capture)
      )
    }
  }

  /// What is wrong with the data offset, if anything: the check strict and lax decoding share.
  var dataOffsetProblem: Malformation? {
    dataOffset < 5
      ? Malformation(
        field: FieldName.headerLength.text, reason: "less than 20 bytes", value: headerLength)
      : nil
  }

  /// The malformation of a header that runs past the end of its segment.
  static func beyondSegment(_ headerLength: Int) -> Malformation {
    Malformation(
      field: FieldName.headerLength.text, reason: "beyond the segment", value: headerLength)
  }

  /// Appends the header: the fixed 20 bytes, then `options`.
  public func encode(into writer: inout ByteWriter, options: Span<UInt8>) {
    writer.writeBE16(srcPort)
    writer.writeBE16(dstPort)
    writer.writeBE32(seq)
    writer.writeBE32(ack)
    writer.writeBE16(UInt16(dataOffset & 0x0F) << 12 | (flags & 0x0FFF))
    writer.writeBE16(window)
    writer.writeBE16(checksum)
    writer.writeBE16(urgent)
    for index in 0..<options.count { writer.writeU8(options[index]) }
  }
}

// MARK: - Decoding

extension Walk {
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
          .malformed(TCPHeader.beyondSegment(minimum)))
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
    if let problem = header.dataOffsetProblem {
      append(bytes, .tcp(header), offset..<(offset + minimum), .malformed(problem))
      return
    }
    if !enclosure.quoted && !fragment && headerLength > declared {
      append(
        bytes, .tcp(header), offset..<min(enclosure.end, offset + headerLength),
        .malformed(TCPHeader.beyondSegment(headerLength)))
      // The segment's bytes are all there: its checksum can still be judged.
      last.pointee.checksumValid = transportChecksum(
        bytes, offset..<enclosure.declaredEnd, available: enclosure.end, pseudo: pseudo, proto: 6,
        fragment: fragment)
      return
    }
    if headerLength > available {
      push(
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
    push(
      DecodedLayer(
        header: .tcp(header), range: offset..<(offset + headerLength), checksumValid: checksumValid,
        payloadLength: payloadLength, isQuoted: enclosure.quoted))
    applicationPayload(
      bytes, (offset + headerLength)..<enclosure.end, over: .tcp, srcPort: header.srcPort,
      dstPort: header.dstPort, enclosure)
  }
}

// MARK: - Fields

extension FieldName {
  /// The flags as the letters expressions take (`SA`), JSON only.
  static let flagsText = FieldName("flags_text")
  static let window = FieldName("window")
  static let urgent = FieldName("urgent")
}

/// TCP's fields, for `read --json`, `read -v`, expressions and `--from-json`.
///
/// The views differ on purpose: the verbose view shows `header_length` in bytes and the flags
/// as `0x012 [SYN,ACK]`, leaves out `checksum_valid` when the checksum was not captured, and
/// prints the options on one line whenever there are some (even in a malformed layer); the
/// JSON view always has an `options` list (TCPOptions.swift) and `payload_length` in a
/// layer that is not malformed.
enum TCPProtocol {
  static func describe<V: FieldVisitor>(
    _ header: TCPHeader, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    if view.has(2) { fields.number(.srcPort, header.srcPort, &out) }
    if view.has(4) { fields.number(.dstPort, header.dstPort, &out) }
    if view.has(8) { fields.number(.seq, header.seq, &out) }
    if view.has(12) { fields.number(.ack, header.ack, &out) }
    if view.has(13) { fields.number(.headerLength, UInt(header.headerLength), .bytes, &out) }
    if view.has(14) {
      if V.view == .json {
        fields.number(.flags, header.flags, &out)
        fields.text(.flagsText, &out) { out in TCPFlags.writeLetters(header.flags, &out) }
      } else {
        fields.text(.flags, &out) { out in writeFlags(header.flags, &out) }
      }
    }
    if view.has(16) { fields.number(.window, header.window, &out) }
    fields.checksum(
      view.has(18) ? header.checksum : nil, valid: layer.checksumValid, expected: nil, &out)
    if view.has(20) { fields.number(.urgent, header.urgent, &out) }
    let malformed = if case .malformed = layer.status { true } else { false }
    guard view.has(20) else { return }
    let options = header.optionsRange.clamped(to: layer.range)
    if V.view == .json {
      guard !malformed else { return }
      TCPOption.describe(options, layer, bytes, &fields, &out)
    } else if !options.isEmpty, options.upperBound <= bytes.count {
      TCPOption.describe(options, layer, bytes, &fields, &out)
    }
    if !malformed { fields.number(.payloadLength, UInt(layer.payloadLength), &out) }
  }

  /// The flag names of the verbose view, highest bit first.
  static let flagNames: [(UInt16, StaticString)] = [
    (0x100, "AE"), (0x080, "CWR"), (0x040, "ECE"), (0x020, "URG"), (0x010, "ACK"),
    (0x008, "PSH"), (0x004, "RST"), (0x002, "SYN"), (0x001, "FIN"),
  ]

  /// `0x012 [SYN,ACK]`.
  static func writeFlags(_ flags: UInt16, _ out: inout TextBuffer) {
    out.append("0x")
    out.append(hex: flags, width: 3)
    out.append(" [")
    var first = true
    for (bit, name) in flagNames where flags & bit != 0 {
      if !first { out.append(byte: UInt8(ascii: ",")) }
      first = false
      out.append(name)
    }
    if flags & 0xE00 != 0 { out.append(first ? "reserved" : ",reserved") }
    out.append(byte: UInt8(ascii: "]"))
  }

  /// Expressions and `--from-json`: `tcp(dport=80, flags=SA, options=[mss=1460])`.
  static let schema = LayerSchema(
    name: "tcp", aliases: [],
    fields: [
      spec(.srcPort, [FieldName.sport.string], .u16) { (l: inout TCP, v) in l.srcPort = v.u16 },
      spec(.dstPort, [FieldName.dport.string], .u16) { (l: inout TCP, v) in l.dstPort = v.u16 },
      spec(.seq, .u32) { (l: inout TCP, v) in l.seq = v.u32 },
      spec(.ack, .u32) { (l: inout TCP, v) in l.ack = v.u32 },
      spec(.headerLength, .integer(max: 60)) { (l: inout TCP, v) in l.headerLength = v.int },
      spec(.flags, .tcpFlags) { (l: inout TCP, v) in l.flags = TCPFlags(rawValue: v.u16) },
      spec(.window, .u16) { (l: inout TCP, v) in l.window = v.u16 },
      spec(.checksum, .u16) { (l: inout TCP, v) in l.checksum = v.u16 },
      spec(.urgent, .u16) { (l: inout TCP, v) in l.urgent = v.u16 },
      spec(.options, .tcpOptions) { (l: inout TCP, v) in
        if case .tcpOptions(let list) = v { l.options = list }
      },
    ],
    readOnly: [(.checksumValid, .bool), (.payloadLength, .u16)],
    make: { .tcp(TCP()) })
}

// MARK: - Building

/// A TCP header to build (contract layer `tcp`).
///
/// Defaults as scapy's `TCP()`: source port 20, destination port 80, flags S, window 8192,
/// sequence and acknowledgment 0. `headerLength` is 20 plus the padded options unless given;
/// `checksum` is computed over the IPv4 or IPv6 pseudo-header and the segment actually built,
/// or 0 when the layer is not directly under an IP layer (as scapy).
public struct TCP: PacketLayer {
  /// Source port.
  public var srcPort: UInt16
  /// Destination port.
  public var dstPort: UInt16
  /// Sequence number.
  public var seq: UInt32
  /// Acknowledgment number.
  public var ack: UInt32
  /// Header length, in bytes (a multiple of 4, 20...60); nil: computed.
  public var headerLength: Int?
  /// Flags (the 12-bit field: 3 reserved bits, AE, CWR...FIN).
  public var flags: TCPFlags
  /// Window, raw (unscaled).
  public var window: UInt16
  /// Checksum; nil: computed.
  public var checksum: UInt16?
  /// Urgent pointer.
  public var urgent: UInt16
  /// Options, in order; padded with zeros to a multiple of 4 bytes when built.
  public var options: [TCPOptionSpec]

  /// A TCP header to build: scapy's defaults (ports 20 to 80, flags S, window 8192, no
  /// options), header length and checksum computed unless given.
  public init(
    srcPort: UInt16 = 20, dstPort: UInt16 = 80, seq: UInt32 = 0, ack: UInt32 = 0,
    headerLength: Int? = nil, flags: TCPFlags = .syn, window: UInt16 = 8192,
    checksum: UInt16? = nil, urgent: UInt16 = 0, options: [TCPOptionSpec] = []
  ) {
    self.srcPort = srcPort
    self.dstPort = dstPort
    self.seq = seq
    self.ack = ack
    self.headerLength = headerLength
    self.flags = flags
    self.window = window
    self.checksum = checksum
    self.urgent = urgent
    self.options = options
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .tcp(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .tcp(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension TCP {
  /// The options as written: each option's bytes, then zeros to a multiple of 4 bytes.
  var encodedOptions: [UInt8] {
    var bytes = options.flatMap(\.encoded)
    bytes.append(contentsOf: repeatElement(0, count: (4 - bytes.count % 4) % 4))
    return bytes
  }

  func encode(payload: [UInt8], pseudoHeader: ChecksumContext?) throws(BuildError) -> [UInt8] {
    let options = encodedOptions
    guard options.count <= 40 || headerLength != nil else {
      throw .invalidValue(
        layer: "tcp", field: FieldName.options.string, value: "\(options.count) bytes",
        reason: "exceed 40 bytes")
    }
    if let headerLength, headerLength < 0 || headerLength > 60 || headerLength % 4 != 0 {
      throw .invalidValue(
        layer: "tcp", field: FieldName.headerLength.string, value: "\(headerLength)",
        reason: "is not a multiple of 4 in 0...60")
    }
    guard flags.rawValue <= 0x0FFF else {
      throw .invalidValue(
        layer: "tcp", field: FieldName.flags.string, value: "\(flags.rawValue)",
        reason: "exceeds 12 bits")
    }
    var writer = ByteWriter(capacity: 20 + options.count + payload.count)
    TCPHeader(
      srcPort: srcPort, dstPort: dstPort, seq: seq, ack: ack,
      dataOffset: UInt8((headerLength ?? 20 + options.count) / 4), flags: flags.rawValue,
      window: window, checksum: checksum ?? 0, urgent: urgent
    ).encode(into: &writer, options: options.span)
    writer.write(contentsOf: payload)
    if checksum == nil, let pseudoHeader {
      writer.setBE16(pseudoHeader.checksum(protocol: 6, segment: writer.bytes), at: 16)
    }
    return writer.bytes
  }
}
