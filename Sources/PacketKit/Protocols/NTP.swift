// NTP (RFC 5905)
//
//  0   2     5       8      16      24      32
// +---+-----+-------+-------+-------+-------+
// |LI | VN  | Mode  |Stratum| Poll  | Prec. |
// |            Root Delay                    |
// |          Root Dispersion                 |
// |           Reference ID                   |
// |  Reference, Origin, Receive, Transmit    |
// |  timestamps (64 bits each: seconds since |
// |  1900, then the fraction)                |   48 bytes
// +------------------------------------------+

/// A decoded NTP message: its first byte; every other field is read again from the frame's
/// bytes (the layer's `range` covers the message).
public struct NTPMessage: Sendable, Hashable {
  /// Leap indicator (2 bits), version (3 bits) and mode (3 bits).
  public var flags: UInt8

  /// The length of a time message (modes 0 to 5), in bytes.
  public static let headerLength = 48

  /// A message's summary from its first byte.
  public init(flags: UInt8) { self.flags = flags }

  /// Leap indicator.
  public var leap: UInt8 { flags >> 6 }
  /// Version.
  public var version: UInt8 { flags >> 3 & 7 }
  /// Mode (3 = client, 4 = server, 6 = control, 7 = private).
  public var mode: UInt8 { flags & 7 }
  /// Whether the message has the time fields (not a control or private message).
  public var carriesTime: Bool { mode < 6 }
}

// MARK: - Decoding

extension Walk {
  /// Decodes `range` (a UDP payload on port 123) as NTP; false when it is shorter than the
  /// 48-byte message and the capture did not cut it (not NTP).
  mutating func ntp(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool {
    let length = NTPMessage.headerLength
    guard range.count >= length else {
      guard announcedPayload >= length else { return false }
      truncated(
        bytes, .ntp(NTPMessage(flags: bytes[range.lowerBound])), at: range.lowerBound,
        needed: length, available: range.count, bound: .capture)
      return true
    }
    append(bytes, .ntp(NTPMessage(flags: bytes[range.lowerBound])), range, .complete)
    return true
  }
}

// MARK: - Fields

extension FieldName {
  static let leap = FieldName("leap")
  static let mode = FieldName("mode")
  static let stratum = FieldName("stratum")
  static let poll = FieldName("poll")
  static let precision = FieldName("precision")
  static let rootDelay = FieldName("root_delay")
  static let rootDispersion = FieldName("root_dispersion")
  static let referenceID = FieldName("reference_id")
  static let referenceTime = FieldName("reference_time")
  static let originTime = FieldName("origin_time")
  static let receiveTime = FieldName("receive_time")
  static let transmitTime = FieldName("transmit_time")
}

/// NTP's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum NTPProtocol {
  static let timestamps: [(FieldName, Int)] = [
    (.referenceTime, 16), (.originTime, 24), (.receiveTime, 32), (.transmitTime, 40),
  ]

  static func describe<V: FieldVisitor>(
    _ message: NTPMessage, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    let s = layer.range.lowerBound
    guard view.has(1) else { return }
    fields.number(.leap, message.leap, &out)
    fields.number(.version, message.version, &out)
    fields.number(.mode, message.mode, meaning: modeName(message.mode), &out)
    guard message.carriesTime else {
      data(bytes, from: s + 1, layer, &fields, &out)
      return
    }
    if view.has(2) { fields.number(.stratum, bytes[s + 1], &out) }
    if view.has(3) { fields.number(.poll, bytes[s + 2], &out) }
    if view.has(4) { fields.signed(.precision, Int(Int8(bitPattern: bytes[s + 3])), &out) }
    if view.has(8) { fields.number(.rootDelay, bytes.be32(at: s + 4), &out) }
    if view.has(12) { fields.number(.rootDispersion, bytes.be32(at: s + 8), &out) }
    if view.has(16) { fields.number(.referenceID, bytes.be32(at: s + 12), .hex(width: 8), &out) }
    for (name, offset) in timestamps where view.has(offset + 8) {
      fields.text(name, &out) { out in
        out.append(decimal: bytes.be32(at: s + offset))
        out.append(byte: UInt8(ascii: "."))
        out.append(decimal: bytes.be32(at: s + offset + 4))
      }
    }
    data(bytes, from: s + NTPMessage.headerLength, layer, &fields, &out)
  }

  /// `data` (hex): what follows the fields listed (a control or private message's body after
  /// its first byte; extension fields and a MAC after a time message), when there is any.
  static func data<V: FieldVisitor>(
    _ bytes: Span<UInt8>, from start: Int, _ layer: DecodedLayer, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    guard layer.status.isComplete, start < layer.range.upperBound else { return }
    fields.hex(.data, bytes.extracting(start..<layer.range.upperBound), &out)
  }

  /// tcpdump's name of a mode.
  static func modeName(_ mode: UInt8) -> StaticString {
    switch mode {
    case 0: "unspecified"
    case 1: "symmetric active"
    case 2: "symmetric passive"
    case 3: "Client"
    case 4: "Server"
    case 5: "Broadcast"
    case 6: "Control Message"
    default: "Reserved"
    }
  }

  /// Expressions and `--from-json`: `ntp(mode=3, version=4)`.
  static let schema = LayerSchema(
    name: "ntp", aliases: [],
    fields: [
      spec(.leap, .integer(max: 3)) { (l: inout NTP, v) in l.leap = v.u8 },
      spec(.version, .integer(max: 7)) { (l: inout NTP, v) in l.version = v.u8 },
      spec(.mode, .integer(max: 7)) { (l: inout NTP, v) in l.mode = v.u8 },
      spec(.stratum, .u8) { (l: inout NTP, v) in l.stratum = v.u8 },
      spec(.poll, .u8) { (l: inout NTP, v) in l.poll = v.u8 },
      spec(.precision, .structured(signedByte)) { (l: inout NTP, v) in
        if case .structured(let value) = v { l.precision = value.as(Int8.self) ?? 0 }
      },
      spec(.rootDelay, .u32) { (l: inout NTP, v) in l.rootDelay = v.u32 },
      spec(.rootDispersion, .u32) { (l: inout NTP, v) in l.rootDispersion = v.u32 },
      spec(.referenceID, .u32) { (l: inout NTP, v) in l.referenceID = v.u32 },
      spec(.referenceTime, .structured(timestamp)) { (l: inout NTP, v) in
        l.referenceTime = v.timestamp
      },
      spec(.originTime, .structured(timestamp)) { (l: inout NTP, v) in l.originTime = v.timestamp },
      spec(.receiveTime, .structured(timestamp)) { (l: inout NTP, v) in
        l.receiveTime = v.timestamp
      },
      spec(.transmitTime, .structured(timestamp)) { (l: inout NTP, v) in
        l.transmitTime = v.timestamp
      },
      spec(.data, .bytes) { (l: inout NTP, v) in l.data = v.bytes },
    ],
    readOnly: [],
    make: { .ntp(NTP()) })

  /// `precision`: -128...127 (a JSON number, or in expressions a quoted `"-20"`), or the
  /// raw byte 0...255.
  static let signedByte = StructuredFieldType(
    description: "an integer in -128...127",
    fromExpression: { value, conversion throws(ExpressionError) in
      if case .string(let text) = value.kind,
        let number = Int8(String(decoding: text, as: UTF8.self))
      {
        return StructuredValue(number)
      }
      return StructuredValue(Int8(bitPattern: UInt8(try conversion.integer(value, max: 0xFF))))
    },
    fromJSON: { json, layer, key throws(JSONPacketError) in
      guard case .number(let text) = json, let number = Int(text), (-128...255).contains(number)
      else { throw layer.fail(key, "expects an integer in -128...127") }
      return StructuredValue(Int8(truncatingIfNeeded: number))
    })

  /// A timestamp: `"SECONDS.FRACTION"` (the two 32-bit halves in decimal) or the 64-bit
  /// value as an integer.
  static let timestamp = StructuredFieldType(
    description: "\"SECONDS.FRACTION\" or a 64-bit integer",
    fromExpression: { value, conversion throws(ExpressionError) in
      if case .string(let text) = value.kind {
        guard let stamp = parse(String(decoding: text, as: UTF8.self)) else {
          throw conversion.fail(value, "expects \"SECONDS.FRACTION\" (two 32-bit integers)")
        }
        return StructuredValue(stamp)
      }
      return StructuredValue(try conversion.integer(value, max: UInt64.max))
    },
    fromJSON: { json, layer, key throws(JSONPacketError) in
      switch json {
      case .string(let text):
        guard let stamp = parse(text) else {
          throw layer.fail(key, "\"\(text)\" is not SECONDS.FRACTION")
        }
        return StructuredValue(stamp)
      case .number(let text):
        guard let stamp = UInt64(text) else { throw layer.fail(key, "\(text) is not a timestamp") }
        return StructuredValue(stamp)
      default:
        throw layer.fail(key, "expects \"SECONDS.FRACTION\"")
      }
    })

  /// The 64-bit timestamp `"SECONDS.FRACTION"` stands for.
  static func parse(_ text: String) -> UInt64? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let seconds = UInt32(parts[0]), let fraction = UInt32(parts[1]) else {
      return nil
    }
    return UInt64(seconds) << 32 | UInt64(fraction)
  }
}

extension FieldValue {
  /// The 64-bit timestamp a structured timestamp field holds.
  var timestamp: UInt64 {
    if case .structured(let value) = self { return value.as(UInt64.self) ?? 0 }
    return u64
  }
}

// MARK: - Building

/// An NTP message to build (contract layer `ntp`).
///
/// Defaults as scapy's `NTP()` (`NTPHeader`): version 4, client mode, stratum 2, poll 10,
/// reference id 127.0.0.1 (0x7f000001), everything else zero, except that scapy stamps the
/// origin and transmit times with the current time where this leaves them 0 (a crafted
/// packet does not change from one run to the next; give them to set them). Over UDP it
/// implies ports 123 to 123.
public struct NTP: PacketLayer {
  /// Leap indicator (0 to 3).
  /// Default: `0`.
  public var leap: UInt8 = 0
  /// Version (0 to 7).
  /// Default: `4`.
  public var version: UInt8 = 4
  /// Mode (0 to 7; 3 = client, 4 = server).
  /// Default: `3`.
  public var mode: UInt8 = 3
  /// Stratum.
  /// Default: `2`.
  public var stratum: UInt8 = 2
  /// Poll interval, log2 seconds.
  /// Default: `10`.
  public var poll: UInt8 = 10
  /// Precision, log2 seconds (signed).
  /// Default: `0`.
  public var precision: Int8 = 0
  /// Root delay, 16.16 fixed point seconds (the raw word).
  /// Default: `0`.
  public var rootDelay: UInt32 = 0
  /// Root dispersion, 16.16 fixed point seconds (the raw word).
  /// Default: `0`.
  public var rootDispersion: UInt32 = 0
  /// Reference id (the raw word).
  /// Default: `0x7F00_0001`.
  public var referenceID: UInt32 = 0x7F00_0001
  /// Reference timestamp. Timestamps: seconds since 1900 in the high 32 bits, the fraction in
  /// the low 32 bits.
  /// Default: `0`.
  public var referenceTime: UInt64 = 0
  /// Origin timestamp.
  /// Default: `0`.
  public var originTime: UInt64 = 0
  /// Receive timestamp.
  /// Default: `0`.
  public var receiveTime: UInt64 = 0
  /// Transmit timestamp.
  /// Default: `0`.
  public var transmitTime: UInt64 = 0
  /// Bytes after the first byte of a control or private message (modes 6, 7; when empty the
  /// time fields are written), or after the 48 bytes of a time message (extension fields, MAC).
  /// Default: `[]`.
  public var data: [UInt8] = []

  /// A version 4 client message with scapy's defaults.
  public init() {}

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .ntp(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .ntp(let layer) = stackLayer else { return nil }
    self = layer
  }

  func encode(into writer: inout ByteWriter) {
    writer.writeU8((leap & 3) << 6 | (version & 7) << 3 | mode & 7)
    if mode & 7 >= 6 && !data.isEmpty { return writer.write(contentsOf: data) }
    writer.writeU8(stratum)
    writer.writeU8(poll)
    writer.writeU8(UInt8(bitPattern: precision))
    writer.writeBE32(rootDelay)
    writer.writeBE32(rootDispersion)
    writer.writeBE32(referenceID)
    writer.writeBE64(referenceTime)
    writer.writeBE64(originTime)
    writer.writeBE64(receiveTime)
    writer.writeBE64(transmitTime)
    writer.write(contentsOf: data)
  }
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// tcpdump's `ntp_print`: `NTPv4, Client, length 48`, and at `-v` the fields on lines of
  /// their own (`ntpVerbose`).
  func ntp(
    _ message: NTPMessage, _ layer: DecodedLayer, _ bytes: Span<UInt8>, length: Int,
    to out: inout TextBuffer
  ) {
    out.append("NTPv")
    out.append(decimal: message.version)
    out.append(", ")
    out.append(NTPProtocol.modeName(message.mode))
    out.append(", length ")
    out.append(decimal: length)
    if verbosity > 0 { ntpVerbose(layer, bytes, message, length: length, to: &out) }
  }
}
