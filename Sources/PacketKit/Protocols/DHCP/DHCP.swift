// DHCP / BOOTP (RFC 2131, RFC 951; options RFC 2132)
//
//  0       8       16      24      32
// +-------+-------+-------+-------+
// |  op   | htype | hlen  | hops  |
// |              xid              |
// |     secs      |     flags     |
// |    ciaddr, yiaddr, siaddr,    |
// |    giaddr (4 bytes each)      |
// |   chaddr (16)  sname (64)     |
// |   file (128)                  |   236 bytes
// |   magic cookie 63 82 53 63    |
// |   options: code, length, data; 0 = pad, 255 = end
// +-------------------------------+

/// A decoded DHCP (BOOTP) message: the few numbers printing needs; every other field is
/// read again from the frame's bytes (the layer's `range` covers the whole message).
public struct DHCPMessage: Sendable, Hashable {
  /// 1 = request, 2 = reply.
  public var op: UInt8
  /// Hardware address type (1 = Ethernet).
  public var htype: UInt8
  /// Hardware address length.
  public var hlen: UInt8
  /// The DHCP message type (option 53), when the message has one.
  public var messageType: UInt8?

  /// The fixed header's length, in bytes (before the magic cookie).
  public static let headerLength = 236
  /// The magic cookie that starts the options (RFC 2132 section 2).
  public static let magicCookie: UInt32 = 0x6382_5363
  /// A BOOTP message's length (RFC 951): the fixed header and a 64-byte vendor area.
  public static let bootpLength = 300

  /// A message's summary from its fields.
  public init(op: UInt8, htype: UInt8, hlen: UInt8, messageType: UInt8? = nil) {
    self.op = op
    self.htype = htype
    self.hlen = hlen
    self.messageType = messageType
  }

  /// Whether `chaddr` is an Ethernet address (htype 1, hlen 6).
  var hasEthernetAddress: Bool { htype == 1 && hlen == 6 }
}

/// Where a message's options end.
struct DHCPOptionWalk {
  /// Whether the magic cookie is there (no cookie: plain BOOTP, no options).
  var hasCookie = false
  /// Offset just past the last option read (the end option included).
  var end: Int
  /// Whether an end option was read.
  var sawEnd = false
  /// Whether an option's length runs past the bytes.
  var overrun = false
  /// The message type, from the first option 53 of length 1 or more.
  var messageType: UInt8?

  /// Walks the options of the message at `range`, calling `body` with each option's code
  /// and data range (pad and end left out); `body` returns false to stop.
  static func walk(
    _ bytes: Span<UInt8>, _ range: Range<Int>,
    _ body: (UInt8, Range<Int>) -> Bool = { _, _ in true }
  ) -> DHCPOptionWalk {
    let cookieStart = range.lowerBound + DHCPMessage.headerLength
    var walk = DHCPOptionWalk(end: min(range.upperBound, cookieStart))
    guard cookieStart + 4 <= range.upperBound,
      bytes.be32(at: cookieStart) == DHCPMessage.magicCookie
    else { return walk }
    walk.hasCookie = true
    var cursor = cookieStart + 4
    walk.end = cursor
    while cursor < range.upperBound {
      let code = bytes[cursor]
      if code == 0 {
        cursor += 1
        walk.end = cursor
        continue
      }
      if code == 255 {
        walk.end = cursor + 1
        walk.sawEnd = true
        break
      }
      guard cursor + 2 <= range.upperBound,
        cursor + 2 + Int(bytes[cursor + 1]) <= range.upperBound
      else {
        walk.overrun = true
        break
      }
      let data = (cursor + 2)..<(cursor + 2 + Int(bytes[cursor + 1]))
      if code == 53, walk.messageType == nil, !data.isEmpty {
        walk.messageType = bytes[data.lowerBound]
      }
      cursor = data.upperBound
      walk.end = cursor
      if !body(code, data) { break }
    }
    return walk
  }
}

// MARK: - Decoding

extension Walk {
  /// Decodes `range` (a UDP payload on port 67 or 68) as DHCP; false when it is shorter
  /// than the fixed header and the capture did not cut it (not DHCP).
  mutating func dhcp(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool {
    let start = range.lowerBound
    let length = DHCPMessage.headerLength
    if range.count < length {
      guard announcedPayload >= length else { return false }
      let header = padded(bytes, 4, from: start, limit: range.upperBound) {
        DHCPMessage(op: $0[0], htype: $0[1], hlen: $0[2])
      }
      truncated(
        bytes, .dhcp(header), at: start, needed: length, available: range.count, bound: .capture)
      return true
    }
    var message = DHCPMessage(op: bytes[start], htype: bytes[start + 1], hlen: bytes[start + 2])
    let walk = DHCPOptionWalk.walk(bytes, range)
    message.messageType = walk.messageType
    if walk.overrun {
      appendEndingEarly(
        bytes, .dhcp(message), range, needed: announcedPayload,
        Malformation(
          field: FieldName.options.text, reason: "an option runs past the end of the message",
          value: walk.end - start))
      return true
    }
    if !walk.hasCookie && range.count < DHCPMessage.bootpLength {
      // RFC 951's vendor area is 64 bytes; without the cookie nothing says it may be shorter.
      appendEndingEarly(
        bytes, .dhcp(message), range, needed: DHCPMessage.bootpLength,
        Malformation(
          field: FieldName.length.text,
          reason: "shorter than BOOTP's 300 bytes without a magic cookie",
          value: range.count))
      return true
    }
    append(bytes, .dhcp(message), range, .complete)
    return true
  }
}

// MARK: - Fields

extension FieldName {
  static let htype = FieldName("htype")
  static let hlen = FieldName("hlen")
  static let hops = FieldName("hops")
  static let xid = FieldName("xid")
  static let secs = FieldName("secs")
  static let ciaddr = FieldName("ciaddr")
  static let yiaddr = FieldName("yiaddr")
  static let siaddr = FieldName("siaddr")
  static let giaddr = FieldName("giaddr")
  static let chaddr = FieldName("chaddr")
  static let sname = FieldName("sname")
  static let file = FieldName("file")
  static let messageType = FieldName("message_type")
}

/// DHCP's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum DHCPProtocol {
  static func describe<V: FieldVisitor>(
    _ message: DHCPMessage, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    let s = layer.range.lowerBound
    if view.has(1) { fields.number(.op, message.op, meaning: opMeaning(message.op), &out) }
    if view.has(2) { fields.number(.htype, message.htype, &out) }
    if view.has(3) { fields.number(.hlen, message.hlen, &out) }
    if view.has(4) { fields.number(.hops, bytes[s + 3], &out) }
    if view.has(8) { fields.number(.xid, bytes.be32(at: s + 4), .hex(width: 8), &out) }
    if view.has(10) { fields.number(.secs, bytes.be16(at: s + 8), &out) }
    if view.has(12) { fields.number(.flags, bytes.be16(at: s + 10), .hex(width: 4), &out) }
    if view.has(16) { fields.ipv4(.ciaddr, IPv4Address(bytes, at: s + 12), &out) }
    if view.has(20) { fields.ipv4(.yiaddr, IPv4Address(bytes, at: s + 16), &out) }
    if view.has(24) { fields.ipv4(.siaddr, IPv4Address(bytes, at: s + 20), &out) }
    if view.has(28) { fields.ipv4(.giaddr, IPv4Address(bytes, at: s + 24), &out) }
    if message.hasEthernetAddress {
      if view.has(34) { fields.mac(.chaddr, MACAddress(bytes, at: s + 28), &out) }
    } else if view.has(28 + min(Int(message.hlen), 16)) {
      fields.hex(.chaddr, bytes.extracting((s + 28)..<(s + 28 + min(Int(message.hlen), 16))), &out)
    }
    if view.has(108) { nameField(.sname, bytes, (s + 44)..<(s + 108), &fields, &out) }
    if view.has(236) { nameField(.file, bytes, (s + 108)..<(s + 236), &fields, &out) }
    guard layer.status.isComplete || view.has(240) else { return }
    let walk = DHCPOptionWalk.walk(bytes, layer.range)
    if let type = walk.messageType {
      fields.number(.messageType, type, meaning: typeMeaning(type), &out)
    }
    guard walk.hasCookie else {
      padding(bytes, (s + 236)..<layer.range.upperBound, layer, &fields, &out)
      return
    }
    fields.list(.options, &out) { list, out in
      _ = DHCPOptionWalk.walk(bytes, layer.range) { code, data in
        list.object(&out) { option, out in
          option.number(.code, code, &out)
          option.hex(.hex, bytes.extracting(data), &out)
          optionValue(code, bytes, data, &option, &out)
        }
        return true
      }
    }
    if walk.sawEnd { padding(bytes, walk.end..<layer.range.upperBound, layer, &fields, &out) }
  }

  /// The bytes after the end option (or, without a magic cookie, after the fixed header):
  /// `padding` (hex), when there are any.
  static func padding<V: FieldVisitor>(
    _ bytes: Span<UInt8>, _ range: Range<Int>, _ layer: DecodedLayer, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    guard layer.status.isComplete, !range.isEmpty else { return }
    fields.hex(.padding, bytes.extracting(range), &out)
  }

  /// `sname` or `file`: the bytes up to the first NUL, when there are any.
  static func nameField<V: FieldVisitor>(
    _ name: FieldName, _ bytes: Span<UInt8>, _ range: Range<Int>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    var end = range.lowerBound
    while end < range.upperBound && bytes[end] != 0 { end += 1 }
    guard end > range.lowerBound else { return }
    fields.text(name, &out) { out in latin1(bytes, range.lowerBound..<end, &out) }
  }

  /// Bytes as text, one character per byte (ISO 8859-1, which `--from-json` reads back
  /// byte for byte).
  static func latin1(_ bytes: Span<UInt8>, _ range: Range<Int>, _ out: inout TextBuffer) {
    for index in range {
      let byte = bytes[index]
      if byte < 0x80 {
        out.append(byte: byte)
      } else {
        out.append(byte: 0xC0 | byte >> 6)
        out.append(byte: 0x80 | byte & 0x3F)
      }
    }
  }

  /// The bytes of text written by `latin1` (or any text: characters above U+00FF as UTF-8).
  static func bytes(latin1 text: String) -> [UInt8] {
    var result: [UInt8] = []
    for scalar in text.unicodeScalars {
      if scalar.value <= 0xFF {
        result.append(UInt8(scalar.value))
      } else {
        result.append(contentsOf: Array(String(scalar).utf8))
      }
    }
    return result
  }

  /// The `value` of the options the contract decodes.
  static func optionValue<V: FieldVisitor>(
    _ code: UInt8, _ bytes: Span<UInt8>, _ data: Range<Int>, _ option: inout V,
    _ out: inout TextBuffer
  ) {
    switch code {
    case 1, 50, 54:
      guard data.count == 4 else { return }
      option.ipv4(.value, IPv4Address(bytes, at: data.lowerBound), &out)
    case 3, 6:
      guard data.count % 4 == 0 && !data.isEmpty else { return }
      option.list(.value, &out) { list, out in
        for offset in stride(from: data.lowerBound, to: data.upperBound, by: 4) {
          list.ipv4(.element, IPv4Address(bytes, at: offset), &out)
        }
      }
    case 12, 15:
      guard !data.isEmpty else { return }
      option.text(.value, &out) { out in latin1(bytes, data, &out) }
    case 51, 58, 59:
      guard data.count == 4 else { return }
      option.number(.value, bytes.be32(at: data.lowerBound), &out)
    case 53:
      guard data.count == 1 else { return }
      option.number(.value, bytes[data.lowerBound], &out)
    case 55:
      option.list(.value, &out) { list, out in
        for offset in data { list.number(.element, bytes[offset], &out) }
      }
    case 61:
      guard !data.isEmpty else { return }
      option.text(.value, &out) { out in
        for offset in data {
          if offset > data.lowerBound { out.append(byte: UInt8(ascii: ":")) }
          out.append(hexByte: bytes[offset])
        }
      }
    default:
      break
    }
  }

  static func opMeaning(_ op: UInt8) -> StaticString? {
    switch op {
    case 1: "request"
    case 2: "reply"
    default: nil
    }
  }

  static func typeMeaning(_ type: UInt8) -> StaticString? {
    switch type {
    case 1: "discover"
    case 2: "offer"
    case 3: "request"
    case 4: "decline"
    case 5: "ack"
    case 6: "nak"
    case 7: "release"
    case 8: "inform"
    default: nil
    }
  }
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// tcpdump's `bootp_print` without `-v`: `BOOTP/DHCP, Request from 02:00:00:00:00:01,
  /// length 300`.
  func dhcp(
    _ message: DHCPMessage, _ layer: DecodedLayer, _ bytes: Span<UInt8>, length: Int,
    to out: inout TextBuffer
  ) {
    out.append("BOOTP/DHCP, ")
    switch message.op {
    case 1: out.append("Request")
    case 2: out.append("Reply")
    default:
      out.append("unknown (0x")
      out.append(hex: message.op, width: 2)
      out.append(byte: UInt8(ascii: ")"))
    }
    let captured = LayerExtent(layer)
    guard captured.has(3) else { return out.append(" [|bootp]") }
    if message.hasEthernetAddress && message.op == 1 {
      guard captured.has(34) else { return out.append(" [|bootp]") }
      out.append(" from ")
      MACAddress(bytes, at: layer.range.lowerBound + 28).write(to: &out)
    }
    out.append(", length ")
    out.append(decimal: length)
    if verbosity > 0 { dhcpVerbose(bytes, start: layer.range.lowerBound, length: length, to: &out) }
  }
}
