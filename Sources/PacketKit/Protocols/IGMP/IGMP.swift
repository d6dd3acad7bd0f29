// IGMP (RFC 1112, RFC 2236, RFC 3376), IP protocol 2
//
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |      Type     | Max Resp Code |           Checksum            |
// |                         Group Address                         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// v3 query (type 0x11, 12 bytes or more): | Resv|S| QRV | QQIC | Number of Sources | sources...
// v3 report (type 0x22): bytes 4-5 reserved, 6-7 number of group records, then records
//   | Record Type | Aux Data Len | Number of Sources | Multicast Address | sources... | aux |

/// An IGMP message: its fixed 8 bytes and its length (the IP payload's); v3 sources and
/// group records are read from the frame's bytes when printed.
public struct IGMPMessage: Sendable, Hashable {
  /// Message type (0x11 query, 0x12 v1 report, 0x16 v2 report, 0x17 leave, 0x22 v3 report).
  public var type: UInt8
  /// Max response code, as the raw byte (reserved in a v3 report).
  public var maxResp: UInt8
  /// Checksum as stored.
  public var checksum: UInt16
  /// Group address (in a v3 report: the reserved word and the number of records).
  public var group: IPv4Address
  /// The message's length: the IP payload it occupies.
  public var length: Int

  /// The fixed part's length, in bytes.
  public static let fixedLength = 8

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
  public init(type: UInt8, maxResp: UInt8, checksum: UInt16, group: IPv4Address, length: Int) {
    self.type = type
    self.maxResp = maxResp
    self.checksum = checksum
    self.group = group
    self.length = length
  }

  /// Reads the fixed part at `offset`; the caller has checked that 8 bytes are there.
  init(unchecked bytes: Span<UInt8>, at offset: Int, length: Int) {
    type = bytes[offset]
    maxResp = bytes[offset + 1]
    checksum = bytes.be16(at: offset + 2)
    group = IPv4Address(bytes, at: offset + 4)
    self.length = length
  }

  /// Whether this is an IGMPv3 membership query (a query of 12 bytes or more).
  public var isV3Query: Bool { type == 0x11 && length >= 12 }
  /// Whether this is an IGMPv3 membership report.
  public var isV3Report: Bool { type == 0x22 }
  /// The number of group records a v3 report announces.
  var recordCount: Int { Int(group.rawValue & 0xFFFF) }
}

/// One group record of an IGMPv3 report: where it lies in the frame.
struct IGMPRecordView {
  /// The record's first byte.
  let start: Int
  /// The record type (1 is_in ... 6 block).
  let type: UInt8
  /// Number of sources.
  let sourceCount: Int
  /// The record's length: 8, the sources, the auxiliary data.
  let length: Int
  /// The multicast address.
  let group: IPv4Address

  /// Each complete record in `range` (a v3 report's records area), in wire order, at most
  /// `count`; `body` returns false to stop.
  static func forEach(
    in bytes: Span<UInt8>, _ range: Range<Int>, count: Int, _ body: (IGMPRecordView) -> Bool
  ) {
    var offset = range.lowerBound
    var index = 0
    while index < count, offset + 8 <= range.upperBound {
      let sources = Int(bytes.be16(at: offset + 2))
      let length = 8 + 4 * sources + 4 * Int(bytes[offset + 1])
      guard offset + length <= range.upperBound else { return }
      let record = IGMPRecordView(
        start: offset, type: bytes[offset], sourceCount: sources, length: length,
        group: IPv4Address(bytes, at: offset + 4))
      guard body(record) else { return }
      offset += length
      index += 1
    }
  }
}

// MARK: - Decoding

extension Walk {
  /// Decodes an IGMP message at `offset` (IP protocol 2); v3 sources and records that run
  /// past the message are malformed, past the capture truncated.
  mutating func igmp(_ bytes: Span<UInt8>, at offset: Int, _ enclosure: Enclosure, fragment: Bool) {
    let length = max(0, enclosure.declaredEnd - offset)
    if appendsShortHeader(
      bytes, IGMPMessage.fixedLength, at: offset, end: enclosure.end, bound: enclosure.bound,
      { IGMPMessage(unchecked: $0, at: 0, length: length) }, as: LayerHeader.igmp)
    {
      return
    }
    let message = IGMPMessage(unchecked: bytes, at: offset, length: length)
    let available = enclosure.end - offset
    // Whether the message's own counts run past it (malformed) or past the capture.
    var problem: StaticString? = nil
    var cut = length > available
    if message.isV3Query && available >= 12 {
      if 12 + 4 * Int(bytes.be16(at: offset + 10)) > length {
        problem = "the sources run past the message"
      }
    } else if message.isV3Report {
      let end = offset + length
      var cursor = offset + IGMPMessage.fixedLength
      var index = 0
      while index < message.recordCount {
        if cursor + 8 > end {
          problem = "the group records run past the message"
          break
        }
        if cursor + 8 > enclosure.end {
          cut = true
          break
        }
        cursor += 8 + 4 * Int(bytes.be16(at: cursor + 2)) + 4 * Int(bytes[cursor + 1])
        if cursor > end {
          problem = "the group records run past the message"
          break
        }
        index += 1
      }
    }
    if let problem {
      append(
        bytes, .igmp(message), offset..<min(enclosure.end, offset + length),
        .malformed(Malformation(field: FieldName.length.text, reason: problem, value: length)))
      if !fragment && length <= available {
        last.pointee.checksumValid = plainChecksum(bytes, offset..<(offset + length))
      }
      return
    }
    if cut {
      truncated(
        bytes, .igmp(message), at: offset, needed: length, available: available,
        bound: enclosure.bound)
      return
    }
    push(
      DecodedLayer(
        header: .igmp(message), range: offset..<(offset + length),
        checksumValid: fragment ? nil : plainChecksum(bytes, offset..<(offset + length)),
        isQuoted: enclosure.quoted))
  }
}

// MARK: - Fields

extension FieldName {
  static let maxResp = FieldName("max_resp")
  static let group = FieldName("group")
  static let sources = FieldName("sources")
  static let records = FieldName("records")
  static let qrv = FieldName("qrv")
  static let qqic = FieldName("qqic")
}

/// IGMP's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum IGMPProtocol {
  static func describe<V: FieldVisitor>(
    _ message: IGMPMessage, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    let start = layer.range.lowerBound
    let end = min(layer.range.upperBound, bytes.count)
    if view.has(1) { fields.number(.type, message.type, .hex(width: 2), &out) }
    if view.has(2) { fields.number(.maxResp, message.maxResp, &out) }
    fields.checksum(
      view.has(4) ? message.checksum : nil, valid: layer.checksumValid, expected: nil, &out)
    if !message.isV3Report && view.has(8) { fields.ipv4(.group, message.group, &out) }
    if message.isV3Query && end - start >= 12 {
      let flags = bytes[start + 8]
      fields.bool(.s, flags & 0x08 != 0, &out)
      fields.number(.qrv, flags & 7, &out)
      fields.number(.qqic, bytes[start + 9], &out)
      let count = Int(bytes.be16(at: start + 10))
      fields.list(.sources, &out) { fields, out in
        var offset = start + 12
        var index = 0
        while index < count && offset + 4 <= end {
          fields.ipv4(.element, IPv4Address(bytes, at: offset), &out)
          offset += 4
          index += 1
        }
      }
    } else if message.isV3Report && view.has(8) {
      fields.list(.records, &out) { fields, out in
        IGMPRecordView.forEach(in: bytes, (start + 8)..<end, count: message.recordCount) {
          record in
          fields.object(&out) { fields, out in
            fields.number(.type, record.type, &out)
            fields.ipv4(.group, record.group, &out)
            fields.list(.sources, &out) { fields, out in
              for index in 0..<record.sourceCount {
                fields.ipv4(.element, IPv4Address(bytes, at: record.start + 8 + 4 * index), &out)
              }
            }
          }
          return true
        }
      }
    }
  }

  /// Expressions and `--from-json`: `igmp(type=0x16, group=239.1.1.1)`,
  /// `igmp(type=0x11, group=239.1.1.1, sources=[192.0.2.1])` (a v3 query),
  /// `igmp(type=0x22, records=[record(type=1, group=239.1.1.1, sources=[192.0.2.1])])`.
  static let schema = LayerSchema(
    name: "igmp", aliases: [],
    fields: [
      spec(.type, .u8) { (l: inout IGMP, v) in l.type = v.u8 },
      spec(.maxResp, ["mrcode"], .u8) { (l: inout IGMP, v) in l.maxResp = v.u8 },
      spec(.checksum, .u16) { (l: inout IGMP, v) in l.checksum = v.u16 },
      spec(.group, ["gaddr"], .ipv4) { (l: inout IGMP, v) in l.group = v.ipv4 },
      spec(.s, .bool) { (l: inout IGMP, v) in l.suppress = v.bool },
      spec(.qrv, .integer(max: 7)) { (l: inout IGMP, v) in l.qrv = v.u8 },
      spec(.qqic, .u8) { (l: inout IGMP, v) in l.qqic = v.u8 },
      spec(.sources, .structured(sourcesType)) { (l: inout IGMP, v) in
        if case .structured(let value) = v { l.sources = value.as([IPv4Address].self) }
      },
      spec(.records, .structured(recordsType)) { (l: inout IGMP, v) in
        if case .structured(let value) = v { l.records = value.as([IGMPGroupRecord].self) }
      },
    ],
    readOnly: [(.checksumValid, .bool)],
    make: { .igmp(IGMP()) })

  /// `sources=[192.0.2.1, 192.0.2.2]`; JSON: a list of address strings.
  static let sourcesType = StructuredFieldType(
    description: "a list of IPv4 addresses",
    fromExpression: { value, conversion throws(ExpressionError) in
      StructuredValue(try addresses(value, conversion))
    },
    fromJSON: { json, layer, key throws(JSONPacketError) in
      StructuredValue(try addresses(json, layer, key))
    })

  /// `records=[record(type=1, group=239.1.1.1, sources=[192.0.2.1])]`; JSON: a list of
  /// `{type, group, sources}`.
  static let recordsType = StructuredFieldType(
    description: "a list of record(type=..., group=..., sources=[...])",
    fromExpression: { value, conversion throws(ExpressionError) in
      guard case .list(let items) = value.kind else {
        throw conversion.fail(value, "expects a list of record(...)")
      }
      var records: [IGMPGroupRecord] = []
      for item in items {
        guard case .call(let name, let fields) = item.kind, name == "record" else {
          throw conversion.fail(item, "expects record(type=..., group=..., sources=[...])")
        }
        var record = IGMPGroupRecord()
        for field in fields {
          switch field.name {
          case FieldName.type.string:
            record.type = UInt8(try conversion.integer(field.value, max: 0xFF))
          case FieldName.group.string:
            guard case .ipv4(let address) = field.value.kind else {
              throw conversion.fail(field.value, "expects an IPv4 address")
            }
            record.group = address
          case FieldName.sources.string: record.sources = try addresses(field.value, conversion)
          default:
            throw conversion.fail(
              field.value, "record has no field \(field.name) (type, group, sources)")
          }
        }
        records.append(record)
      }
      return StructuredValue(records)
    },
    fromJSON: { json, layer, key throws(JSONPacketError) in
      guard case .array(let items) = json else { throw layer.fail(key, "expects a list") }
      var records: [IGMPGroupRecord] = []
      for item in items {
        guard case .object = item else { throw layer.fail(key, "expects objects") }
        var record = IGMPGroupRecord()
        if case .number(let text)? = item[FieldName.type.string] {
          guard let type = UInt8(text) else { throw layer.fail(key, "record type \(text)") }
          record.type = type
        }
        if case .string(let text)? = item[FieldName.group.string] {
          guard let address = IPv4Address(text) else { throw layer.fail(key, "group \(text)") }
          record.group = address
        }
        if let sources = item[FieldName.sources.string] {
          record.sources = try addresses(sources, layer, key)
        }
        records.append(record)
      }
      return StructuredValue(records)
    })

  static func addresses(_ value: ValueExpression, _ conversion: ValueConversion)
    throws(ExpressionError) -> [IPv4Address]
  {
    guard case .list(let items) = value.kind else {
      throw conversion.fail(value, "expects a list of IPv4 addresses")
    }
    var result: [IPv4Address] = []
    for item in items {
      guard case .ipv4(let address) = item.kind else {
        throw conversion.fail(item, "expects an IPv4 address")
      }
      result.append(address)
    }
    return result
  }

  static func addresses(_ json: JSONValue, _ layer: JSONLayer, _ key: String)
    throws(JSONPacketError) -> [IPv4Address]
  {
    guard case .array(let items) = json else { throw layer.fail(key, "expects a list") }
    var result: [IPv4Address] = []
    for item in items {
      guard case .string(let text) = item, let address = IPv4Address(text) else {
        throw layer.fail(key, "expects IPv4 address strings")
      }
      result.append(address)
    }
    return result
  }
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// `igmp v2 report 239.1.1.1`, `igmp query v3 [gaddr 239.1.1.1, 1 source(s)]` (the sources
  /// listed from `-vv`: `{ 192.0.2.2 }`),
  /// `igmp v3 report, 1 group record(s)` as tcpdump's print-igmp.c without `-v`; `length`
  /// is the IP payload's length.
  func igmp(
    _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ message: IGMPMessage, length: Int,
    to out: inout TextBuffer
  ) {
    let start = layer.range.lowerBound
    let available = layer.status.isComplete ? length : layer.range.count
    guard available >= 1 else { return out.append(" [|igmp]") }
    let group = available >= 8
    switch message.type {
    case 0x11:
      out.append("igmp query")
      if length >= 12 {
        out.append(" v3")
        guard length & 3 == 0 else {
          out.append(" [invalid len ")
          out.append(decimal: length)
          return out.append("]")
        }
        guard available >= 12 else { return out.append(" [|igmp]") }
        let code = Int(message.maxResp)
        let time = code < 128 ? code : ((code & 0x0F) | 0x10) << (((code & 0x70) >> 4) + 3)
        if code != 100 {
          out.append(" [max resp time ")
          if time < 600 {
            out.append(decimal: time / 10)
            out.append(byte: 0x2E)
            out.append(decimal: time % 10)
            out.append("s")
          } else {
            writeRelativeTime(time / 10, to: &out)
          }
          out.append("]")
        }
        guard message.group.rawValue != 0 else { return }
        out.append(" [gaddr ")
        message.group.write(to: &out)
        let sources = Int(bytes.be16(at: start + 10))
        if sources > 0 {
          if length < 12 + 4 * sources {
            out.append(" [invalid number of sources]")
          } else if verbosity > 1 {
            out.append(" {")
            for source in 0..<sources {
              guard available >= 16 + 4 * source else { return out.append(" [|igmp]") }
              out.append(byte: 0x20)
              IPv4Address(bytes, at: start + 12 + 4 * source).write(to: &out)
            }
            out.append(" }")
          } else {
            out.append(", ")
            out.append(decimal: sources)
            out.append(" source(s)")
          }
        }
        out.append("]")
        return
      }
      guard available >= 2 else { return out.append(" [|igmp]") }
      if message.maxResp != 0 {
        out.append(" v2")
        if message.maxResp != 100 {
          out.append(" [max resp time ")
          out.append(decimal: message.maxResp)
          out.append("]")
        }
      } else {
        out.append(" v1")
      }
      guard group else { return out.append(" [|igmp]") }
      if message.group.rawValue != 0 {
        out.append(" [gaddr ")
        message.group.write(to: &out)
        out.append("]")
      }
      if length != 8 {
        out.append(" [len ")
        out.append(decimal: length)
        out.append("]")
      }
    case 0x12, 0x16, 0x17:
      guard group else { return out.append(" [|igmp]") }
      switch message.type {
      case 0x12: out.append("igmp v1 report ")
      case 0x16: out.append("igmp v2 report ")
      default: out.append("igmp leave ")
      }
      message.group.write(to: &out)
      if message.type == 0x12 && length != 8 {
        out.append(" [len ")
        out.append(decimal: length)
        out.append("]")
      }
    case 0x22:
      out.append("igmp v3 report")
      guard length >= 16, length & 3 == 0 else {
        out.append(" [invalid len ")
        out.append(decimal: length)
        return out.append("]")
      }
      guard group else { return out.append(" [|igmp]") }
      out.append(", ")
      out.append(decimal: message.recordCount)
      out.append(" group record(s)")
      if verbosity > 0 {
        groupRecords(
          bytes, start: start, length: length, count: message.recordCount, addressLength: 4,
          to: &out)
      }
    case 0x13: out.append("igmp dvmrp")
    case 0x14: out.append("igmp pimv1")
    case 0x1E, 0x1F:
      out.append(message.type == 0x1E ? "mresp" : "mtrace")
      guard length >= 20 else {
        out.append(" [invalid len ")
        out.append(decimal: length)
        return out.append("]")
      }
      guard available >= 20 else { return out.append(" [|igmp]") }
      out.append(byte: 0x20)
      out.append(decimal: bytes.be32(at: start + 20) & 0xFF_FFFF)
      out.append(": ")
      IPv4Address(bytes, at: start + 8).write(to: &out)
      out.append(" to ")
      IPv4Address(bytes, at: start + 12).write(to: &out)
      out.append(" reply-to ")
      let reply = IPv4Address(bytes, at: start + 16)
      reply.write(to: &out)
      if reply.rawValue >> 28 == 0xE {
        out.append(" with-ttl ")
        out.append(decimal: bytes[start + 20])
      }
    default:
      out.append("igmp-")
      out.append(decimal: message.type)
    }
  }

  /// tcpdump's `unsigned_relts_print`: `1m40s`, `2h`, `0s`.
  func writeRelativeTime(_ seconds: Int, to out: inout TextBuffer) {
    guard seconds > 0 else { return out.append("0s") }
    var left = seconds
    let units: [(Int, UInt8)] = [
      (31_536_000, 0x79), (604_800, 0x77), (86_400, 0x64), (3_600, 0x68), (60, 0x6D), (1, 0x73),
    ]
    for (size, letter) in units where left >= size {
      out.append(decimal: left / size)
      out.append(byte: letter)
      left %= size
    }
  }
}
