// DNS (RFC 1035), multicast DNS (RFC 6762) and LLMNR (RFC 4795): one message format.
//
//  0               16              32
// +---------------+---------------+
// |      ID       |     Flags     |   Flags: QR(1) Opcode(4) AA TC RD RA Z AD CD Rcode(4)
// |    QDCOUNT    |    ANCOUNT    |
// |    NSCOUNT    |    ARCOUNT    |
// +---------------+---------------+
// | questions: name, type, class  |
// | answers, authorities,         |
// | additionals: name, type,      |
// |  class, TTL, rdlength, rdata  |
// +-------------------------------+
//
// Over TCP each message follows a 2-byte length (RFC 1035 4.2.2); a segment may hold
// several messages, each its own `dns` layer. Names are labels or a compression pointer
// (two bytes, top bits 11) to an earlier name in the message.

/// Which service a DNS message was exchanged for, by its port.
public enum DNSService: UInt8, Sendable, Hashable {
  /// Port 53.
  case dns
  /// Port 5353, multicast DNS: the top bit of a question's class asks for a unicast reply,
  /// of a record's class flushes caches.
  case mdns
  /// Port 5355, Link-Local Multicast Name Resolution.
  case llmnr
}

/// The fixed header of a DNS message, and where the message lies.
public struct DNSHeader: Sendable, Hashable {
  /// Transaction ID.
  public var id: UInt16
  /// The 16-bit flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode).
  public var flags: UInt16
  /// Questions announced.
  public var qdcount: UInt16
  /// Answer records announced.
  public var ancount: UInt16
  /// Authority records announced.
  public var nscount: UInt16
  /// Additional records announced.
  public var arcount: UInt16
  /// Over TCP, the 2-byte length before the message; nil over UDP.
  public var tcpLength: UInt16?
  /// The service the ports name.
  public var service: DNSService

  /// The header's length, in bytes.
  public static let headerLength = 12

  public init(
    id: UInt16 = 0, flags: UInt16 = 0, qdcount: UInt16 = 0, ancount: UInt16 = 0,
    nscount: UInt16 = 0, arcount: UInt16 = 0, tcpLength: UInt16? = nil,
    service: DNSService = .dns
  ) {
    self.id = id
    self.flags = flags
    self.qdcount = qdcount
    self.ancount = ancount
    self.nscount = nscount
    self.arcount = arcount
    self.tcpLength = tcpLength
    self.service = service
  }

  /// Reads the 12 header bytes at `offset`; the caller has checked that they are there.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int, service: DNSService) {
    id = bytes.be16(at: offset)
    flags = bytes.be16(at: offset + 2)
    qdcount = bytes.be16(at: offset + 4)
    ancount = bytes.be16(at: offset + 6)
    nscount = bytes.be16(at: offset + 8)
    arcount = bytes.be16(at: offset + 10)
    tcpLength = nil
    self.service = service
  }

  /// Bytes before the message in the layer: the TCP length, when there is one.
  public var prefixLength: Int { tcpLength == nil ? 0 : 2 }
  /// A response (QR).
  public var qr: Bool { flags & 0x8000 != 0 }
  /// The kind of query (0 query, 1 inverse query, 2 status, 4 notify, 5 update).
  public var opcode: UInt8 { UInt8(flags >> 11 & 0xF) }
  /// Authoritative answer.
  public var aa: Bool { flags & 0x0400 != 0 }
  /// Truncated message.
  public var tc: Bool { flags & 0x0200 != 0 }
  /// Recursion desired.
  public var rd: Bool { flags & 0x0100 != 0 }
  /// Recursion available.
  public var ra: Bool { flags & 0x0080 != 0 }
  /// The response code (the header's 4 bits).
  public var rcode: UInt8 { UInt8(flags & 0xF) }
}

/// Record types rawtool names.
enum DNSType {
  static let a: UInt16 = 1
  static let ns: UInt16 = 2
  static let cname: UInt16 = 5
  static let soa: UInt16 = 6
  static let ptr: UInt16 = 12
  static let mx: UInt16 = 15
  static let txt: UInt16 = 16
  static let aaaa: UInt16 = 28
  static let srv: UInt16 = 33
  static let dname: UInt16 = 39
  static let opt: UInt16 = 41
  static let any: UInt16 = 255

  /// The names expressions take (`type=A`).
  static let byName: [String: UInt16] = [
    "A": a, "NS": ns, "CNAME": cname, "SOA": soa, "PTR": ptr, "MX": mx, "TXT": txt,
    "AAAA": aaaa, "SRV": srv, "DNAME": dname, "OPT": opt, "ANY": any,
  ]
}

// MARK: - Reading messages

/// The bytes of one message: pointers count from `start`; `end` is where the captured bytes
/// (or the message) end, `declaredEnd` where the headers say the message ends.
struct DNSMessageBounds {
  let start: Int
  let end: Int
  let declaredEnd: Int
}

/// How reading a name, a question or a record ended.
enum DNSReadOutcome: Equatable {
  case reading
  case done
  /// The bytes ran out.
  case short
  /// A pointer loops or points forward, or a label type is reserved.
  case bad
}

/// Reads a name's labels in order, following compression pointers: each pointer must point
/// before the previous one (before the name's start for the first), so a name can neither
/// loop nor jump forward, and reading it ends within the message's bytes. Allocates nothing.
struct DNSNameReader {
  /// Where the next label is read.
  var position: Int
  /// Pointers must point below this offset (relative to the message start).
  var limit: Int
  /// The offset just after the name where it is written (after its first pointer or its end).
  var after: Int?
  var outcome = DNSReadOutcome.reading

  init(at offset: Int, in message: DNSMessageBounds) {
    position = offset
    limit = offset - message.start
  }

  /// The byte range of the next label, or nil when the name ended (`outcome` says how).
  mutating func next(_ bytes: Span<UInt8>, _ message: DNSMessageBounds) -> Range<Int>? {
    guard outcome == .reading else { return nil }
    while true {
      guard position < message.end else {
        outcome = .short
        return nil
      }
      let length = bytes[position]
      switch length & 0xC0 {
      case 0:
        if length == 0 {
          if after == nil { after = position + 1 }
          outcome = .done
          return nil
        }
        let label = (position + 1)..<(position + 1 + Int(length))
        guard label.upperBound <= message.end else {
          outcome = .short
          return nil
        }
        position = label.upperBound
        return label
      case 0xC0:
        guard position + 1 < message.end else {
          outcome = .short
          return nil
        }
        let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
        if after == nil { after = position + 2 }
        guard target < limit else {
          outcome = .bad
          return nil
        }
        limit = target
        position = message.start + target
      default:
        outcome = .bad
        return nil
      }
    }
  }

  /// Reads the whole name; returns the offset after it where it is written, or nil.
  static func skip(_ bytes: Span<UInt8>, at offset: Int, _ message: DNSMessageBounds)
    -> (after: Int?, outcome: DNSReadOutcome)
  {
    var reader = DNSNameReader(at: offset, in: message)
    while reader.next(bytes, message) != nil {}
    return (reader.outcome == .done ? reader.after : nil, reader.outcome)
  }

  /// Writes the name as text with a trailing dot (`example.com.`, the root `.`): `.` and `\`
  /// inside a label as `\.` and `\\`, other bytes outside printable ASCII as `\DDD`.
  /// Returns the offset after the name, or nil when it cannot be read whole.
  static func write(
    _ bytes: Span<UInt8>, at offset: Int, _ message: DNSMessageBounds, to out: inout TextBuffer
  ) -> Int? {
    var reader = DNSNameReader(at: offset, in: message)
    var any = false
    while let label = reader.next(bytes, message) {
      any = true
      for index in label {
        let byte = bytes[index]
        if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "\\") {
          out.append(byte: UInt8(ascii: "\\"))
          out.append(byte: byte)
        } else if byte < 0x21 || byte > 0x7E {
          out.append(byte: UInt8(ascii: "\\"))
          out.append(decimal: byte, width: 3)
        } else {
          out.append(byte: byte)
        }
      }
      out.append(byte: UInt8(ascii: "."))
    }
    if !any { out.append(byte: UInt8(ascii: ".")) }
    return reader.outcome == .done ? reader.after : nil
  }
}

/// A question as read: where its name starts, its type and class.
struct DNSQuestionEntry {
  var name: Int
  var type: UInt16
  var qclass: UInt16
}

/// A resource record as read.
struct DNSRecordEntry {
  var name: Int
  var type: UInt16
  var rclass: UInt16
  var ttl: UInt32
  var data: Range<Int>
}

/// Reads a message's questions and records in order.
struct DNSSectionReader {
  var position: Int
  var outcome = DNSReadOutcome.reading
  let message: DNSMessageBounds

  init(_ message: DNSMessageBounds) {
    self.message = message
    position = message.start + DNSHeader.headerLength
  }

  mutating func question(_ bytes: Span<UInt8>) -> DNSQuestionEntry? {
    let start = position
    let name = DNSNameReader.skip(bytes, at: start, message)
    guard let after = name.after else {
      outcome = name.outcome
      return nil
    }
    guard after + 4 <= message.end else {
      outcome = .short
      return nil
    }
    position = after + 4
    return DNSQuestionEntry(
      name: start, type: bytes.be16(at: after), qclass: bytes.be16(at: after + 2))
  }

  mutating func record(_ bytes: Span<UInt8>) -> DNSRecordEntry? {
    let start = position
    let name = DNSNameReader.skip(bytes, at: start, message)
    guard let after = name.after else {
      outcome = name.outcome
      return nil
    }
    guard after + 10 <= message.end else {
      outcome = .short
      return nil
    }
    let dataStart = after + 10
    let dataEnd = dataStart + Int(bytes.be16(at: after + 8))
    guard dataEnd <= message.end else {
      outcome = .short
      return nil
    }
    position = dataEnd
    return DNSRecordEntry(
      name: start, type: bytes.be16(at: after), rclass: bytes.be16(at: after + 2),
      ttl: bytes.be32(at: after + 4), data: dataStart..<dataEnd)
  }
}

// MARK: - Decoding

extension Walk {
  /// Decodes the DNS messages in `range` (a UDP payload, or a TCP payload of length-prefixed
  /// messages); false when the bytes are not DNS (shorter than a header).
  mutating func dns(_ bytes: Span<UInt8>, _ range: Range<Int>, over transport: IPProtocol) -> Bool {
    guard frame.count > 0 else { return false }
    let carrier = frame[frame.count - 1]
    let declaredEnd = range.lowerBound + carrier.payloadLength
    let service: DNSService
    switch carrier.header {
    case .udp(let header): service = DNSService(srcPort: header.srcPort, dstPort: header.dstPort)
    case .tcp(let header): service = DNSService(srcPort: header.srcPort, dstPort: header.dstPort)
    default: return false
    }
    guard transport == .tcp else {
      guard declaredEnd - range.lowerBound >= DNSHeader.headerLength else { return false }
      dnsMessage(
        bytes, at: range.lowerBound, prefix: nil, service: service,
        DNSMessageBounds(start: range.lowerBound, end: range.upperBound, declaredEnd: declaredEnd))
      return true
    }
    var position = range.lowerBound
    while position < range.upperBound, !frame.isFull {
      let first = position == range.lowerBound
      guard range.upperBound - position >= 2 else {
        if first { return false }
        break
      }
      let length = bytes.be16(at: position)
      guard Int(length) >= DNSHeader.headerLength else {
        if first { return false }
        break
      }
      let start = position + 2
      let messageEnd = start + Int(length)
      dnsMessage(
        bytes, at: position, prefix: length, service: service,
        DNSMessageBounds(
          start: start, end: min(messageEnd, range.upperBound),
          declaredEnd: min(messageEnd, max(declaredEnd, range.upperBound))),
        beyondSegment: messageEnd > declaredEnd)
      guard frame[frame.count - 1].status.isComplete else { return true }
      position = messageEnd
    }
    raw(bytes, position..<range.upperBound)
    return true
  }

  /// Appends one message's layer, judged by reading every question and record it announces.
  mutating func dnsMessage(
    _ bytes: Span<UInt8>, at offset: Int, prefix: UInt16?, service: DNSService,
    _ message: DNSMessageBounds, beyondSegment: Bool = false
  ) {
    let layerRange = offset..<message.end
    let headerEnd = message.start + DNSHeader.headerLength
    if message.end < headerEnd {
      var header = padded(bytes, DNSHeader.headerLength, from: message.start, limit: message.end) {
        DNSHeader(unchecked: $0, at: 0, service: service)
      }
      header.tcpLength = prefix
      truncated(
        bytes, .dns(header), at: offset, needed: headerEnd - offset,
        available: max(0, message.end - offset), bound: .capture)
      if beyondSegment, frame.capturedLength >= frame.wireLength {
        frame[frame.count - 1].status = .malformed(DNSHeader.beyondSegment(prefix))
      }
      return
    }
    var header = DNSHeader(unchecked: bytes, at: message.start, service: service)
    header.tcpLength = prefix
    var reader = DNSSectionReader(message)
    var remaining = Int(header.qdcount)
    while remaining > 0, reader.question(bytes) != nil { remaining -= 1 }
    if remaining == 0 {
      remaining = Int(header.ancount) + Int(header.nscount) + Int(header.arcount)
      while remaining > 0, reader.record(bytes) != nil { remaining -= 1 }
    }
    let status: LayerStatus
    switch reader.outcome {
    case .reading, .done:
      status = .complete
    case .bad:
      status = .malformed(
        Malformation(
          field: "name", reason: "a compression pointer loops or points forward",
          value: reader.position - message.start))
    case .short:
      if beyondSegment && frame.capturedLength >= frame.wireLength {
        status = .malformed(DNSHeader.beyondSegment(prefix))
      } else if message.end < message.declaredEnd {
        status = .truncated(
          Truncation(
            layer: .dns, needed: message.declaredEnd - offset, available: message.end - offset,
            offset: offset, bound: .capture))
      } else {
        status = .malformed(
          Malformation(
            field: "counts", reason: "the records announced run past the end of the message",
            value: remaining))
      }
    }
    append(bytes, .dns(header), layerRange, status)
  }
}

extension DNSHeader {
  /// A TCP length that runs past the segment (the message continues in a later segment).
  static func beyondSegment(_ prefix: UInt16?) -> Malformation {
    Malformation(field: "tcp_length", reason: "beyond the segment", value: Int(prefix ?? 0))
  }
}

extension DNSService {
  /// The service the ports name: 53 on either side first, then 5353, then 5355.
  init(srcPort: UInt16, dstPort: UInt16) {
    if srcPort == 53 || dstPort == 53 {
      self = .dns
    } else if srcPort == 5353 || dstPort == 5353 {
      self = .mdns
    } else {
      self = .llmnr
    }
  }

  /// Whether `port` is a DNS port (53, 5353, 5355).
  static func isPort(_ port: UInt16) -> Bool { port == 53 || port == 5353 || port == 5355 }
}

// MARK: - Fields

extension FieldName {
  static let tcpLength = FieldName("tcp_length")
  static let qr = FieldName("qr")
  static let aa = FieldName("aa")
  static let rd = FieldName("rd")
  static let ra = FieldName("ra")
  static let opcode = FieldName("opcode")
  static let rcode = FieldName("rcode")
  static let qdcount = FieldName("qdcount")
  static let ancount = FieldName("ancount")
  static let nscount = FieldName("nscount")
  static let arcount = FieldName("arcount")
  static let questions = FieldName("questions")
  static let answers = FieldName("answers")
  static let authorities = FieldName("authorities")
  static let additionals = FieldName("additionals")
  static let name = FieldName("name")
  static let dnsClass = FieldName("class")
  static let compress = FieldName("compress")
}

/// DNS's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum DNSProtocol {
  static func describe<V: FieldVisitor>(
    _ header: DNSHeader, _ layer: DecodedLayer, _ frame: borrowing DecodedFrame,
    _ bytes: Span<UInt8>, _ fields: inout V, _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    let base = header.prefixLength
    if let length = header.tcpLength, view.has(2) { fields.number(.tcpLength, length, &out) }
    if view.has(base + 2) { fields.number(.id, header.id, &out) }
    if view.has(base + 4) {
      fields.number(.flags, header.flags, .hex(width: 4), &out)
      fields.bool(.qr, header.qr, &out)
      fields.bool(.aa, header.aa, &out)
      fields.bool(.tc, header.tc, &out)
      fields.bool(.rd, header.rd, &out)
      fields.bool(.ra, header.ra, &out)
      fields.number(.opcode, header.opcode, &out)
      fields.number(.rcode, header.rcode, &out)
    }
    if view.has(base + 6) { fields.number(.qdcount, header.qdcount, &out) }
    if view.has(base + 8) { fields.number(.ancount, header.ancount, &out) }
    if view.has(base + 10) { fields.number(.nscount, header.nscount, &out) }
    guard view.has(base + 12) else { return }
    fields.number(.arcount, header.arcount, &out)
    let start = layer.range.lowerBound + base
    let message = DNSMessageBounds(
      start: start, end: layer.range.upperBound, declaredEnd: layer.range.upperBound)
    var reader = DNSSectionReader(message)
    fields.list(.questions, &out) { fields, out in
      for _ in 0..<Int(header.qdcount) {
        guard let question = reader.question(bytes) else { break }
        fields.object(&out) { fields, out in
          fields.text(.name, &out) {
            _ = DNSNameReader.write(bytes, at: question.name, message, to: &$0)
          }
          fields.number(.type, question.type, &out)
          fields.number(.dnsClass, question.qclass, &out)
        }
      }
    }
    records(.answers, header.ancount, &reader, bytes, message, &fields, &out)
    records(.authorities, header.nscount, &reader, bytes, message, &fields, &out)
    records(.additionals, header.arcount, &reader, bytes, message, &fields, &out)
    if V.view == .json, fields.includeHex, layer.status.isComplete {
      fields.hex(.hex, bytes.extracting(start..<layer.range.upperBound), &out)
    }
  }

  static func records<V: FieldVisitor>(
    _ name: FieldName, _ count: UInt16, _ reader: inout DNSSectionReader, _ bytes: Span<UInt8>,
    _ message: DNSMessageBounds, _ fields: inout V, _ out: inout TextBuffer
  ) {
    fields.list(name, &out) { fields, out in
      guard reader.outcome == .reading else { return }
      for _ in 0..<Int(count) {
        guard let record = reader.record(bytes) else { break }
        fields.object(&out) { fields, out in
          fields.text(.name, &out) {
            _ = DNSNameReader.write(bytes, at: record.name, message, to: &$0)
          }
          fields.number(.type, record.type, &out)
          fields.number(.dnsClass, record.rclass, &out)
          fields.number(.ttl, record.ttl, &out)
          data(record, bytes, message, &fields, &out)
        }
      }
    }
  }

  /// A record's `data`: addresses, names, `"10 mail.example."`, TXT strings, SOA and SRV
  /// text as CONTRACT.md gives them; hex for other types and for data that does not read
  /// whole as its type.
  static func data<V: FieldVisitor>(
    _ record: DNSRecordEntry, _ bytes: Span<UInt8>, _ message: DNSMessageBounds,
    _ fields: inout V, _ out: inout TextBuffer
  ) {
    let data = record.data
    switch record.type {
    case DNSType.a where data.count == 4:
      return fields.ipv4(.data, IPv4Address(bytes, at: data.lowerBound), &out)
    case DNSType.aaaa where data.count == 16:
      return fields.ipv6(.data, IPv6Address(bytes, at: data.lowerBound), &out)
    case DNSType.txt where isText(bytes, data):
      return fields.list(.data, &out) { fields, out in
        var position = data.lowerBound
        while position < data.upperBound {
          let length = Int(bytes[position])
          fields.text(.element, &out) { out in
            for index in (position + 1)..<(position + 1 + length) { out.append(byte: bytes[index]) }
          }
          position += 1 + length
        }
      }
    case DNSType.ns, DNSType.cname, DNSType.ptr, DNSType.dname, DNSType.mx, DNSType.soa,
      DNSType.srv:
      if readsWhole(record, bytes, message) {
        return fields.text(.data, &out) { out in writeNamed(record, bytes, message, &out) }
      }
    default:
      break
    }
    fields.hex(.data, bytes.extracting(data), &out)
  }

  /// Whether TXT data is character-strings of printable ASCII filling it exactly.
  static func isText(_ bytes: Span<UInt8>, _ data: Range<Int>) -> Bool {
    var position = data.lowerBound
    while position < data.upperBound {
      let end = position + 1 + Int(bytes[position])
      guard end <= data.upperBound else { return false }
      for index in (position + 1)..<end where bytes[index] < 0x20 || bytes[index] > 0x7E {
        return false
      }
      position = end
    }
    return true
  }

  /// The fixed words before (MX, SRV) or after (SOA) a record's names.
  static func layout(_ type: UInt16) -> (before: Int, names: Int, after: Int) {
    switch type {
    case DNSType.mx: (2, 1, 0)
    case DNSType.srv: (6, 1, 0)
    case DNSType.soa: (0, 2, 20)
    default: (0, 1, 0)
    }
  }

  /// Whether a record's names and words fill its data exactly.
  static func readsWhole(
    _ record: DNSRecordEntry, _ bytes: Span<UInt8>, _ message: DNSMessageBounds
  ) -> Bool {
    let shape = layout(record.type)
    var position = record.data.lowerBound + shape.before
    guard position <= record.data.upperBound else { return false }
    let inData = DNSMessageBounds(
      start: message.start, end: record.data.upperBound, declaredEnd: record.data.upperBound)
    for _ in 0..<shape.names {
      guard let after = DNSNameReader.skip(bytes, at: position, inData).after else { return false }
      position = after
    }
    return position + shape.after == record.data.upperBound
  }

  /// Writes MX, SRV, SOA and name data as text; `readsWhole` has checked it.
  static func writeNamed(
    _ record: DNSRecordEntry, _ bytes: Span<UInt8>, _ message: DNSMessageBounds,
    _ out: inout TextBuffer
  ) {
    let start = record.data.lowerBound
    switch record.type {
    case DNSType.mx:
      out.append(decimal: bytes.be16(at: start))
      out.append(byte: UInt8(ascii: " "))
      _ = DNSNameReader.write(bytes, at: start + 2, message, to: &out)
    case DNSType.srv:
      for word in 0..<3 {
        out.append(decimal: bytes.be16(at: start + word * 2))
        out.append(byte: UInt8(ascii: " "))
      }
      _ = DNSNameReader.write(bytes, at: start + 6, message, to: &out)
    case DNSType.soa:
      var position = DNSNameReader.write(bytes, at: start, message, to: &out) ?? start
      out.append(byte: UInt8(ascii: " "))
      position = DNSNameReader.write(bytes, at: position, message, to: &out) ?? position
      for word in 0..<5 {
        out.append(byte: UInt8(ascii: " "))
        out.append(decimal: bytes.be32(at: position + word * 4))
      }
    default:
      _ = DNSNameReader.write(bytes, at: start, message, to: &out)
    }
  }
}

// MARK: - One-line printing

/// tcpdump's non-verbose DNS text (print-domain.c, 4.99): the reads are tcpdump's, so a
/// damaged message prints what tcpdump prints, ending in ` [|domain]` where tcpdump's
/// bytes run out.
struct DNSLinePrinter {
  /// The message's first byte (compression pointers count from it).
  let start: Int
  /// Where the bytes tcpdump may read end.
  let snapend: Int
  let mdns: Bool

  static let maximumNameLength = 255

  func has(_ offset: Int, _ count: Int = 1) -> Bool { offset >= 0 && offset + count <= snapend }

  /// tcpdump's `ns_nskip`: the offset after a name as written, or nil.
  func skipName(_ bytes: Span<UInt8>, _ offset: Int) -> Int? {
    var position = offset
    guard has(position) else { return nil }
    var length = bytes[position]
    position += 1
    while length != 0 {
      switch length & 0xC0 {
      case 0xC0:
        return position + 1
      case 0x40:
        guard length & 0x3F == 1, has(position) else { return nil }
        let bits = bytes[position] == 0 ? 256 : Int(bytes[position])
        position += 1 + (bits + 7) / 8
      case 0x80:
        return nil
      default:
        position += Int(length)
      }
      guard has(position) else { return nil }
      length = bytes[position]
      position += 1
    }
    return position
  }

  /// tcpdump's `fn_print_char`.
  static func writeChar(_ byte: UInt8, _ out: inout TextBuffer) {
    var char = byte
    if char >= 0x80 {
      char &= 0x7F
      out.append("M-")
    }
    if char < 0x20 || char == 0x7F {
      char ^= 0x40
      out.append(byte: UInt8(ascii: "^"))
    }
    out.append(byte: char)
  }

  /// tcpdump's `nd_printn`: false when the bytes ran out first.
  func writeChars(_ bytes: Span<UInt8>, _ offset: Int, _ count: Int, _ out: inout TextBuffer)
    -> Bool
  {
    var index = offset
    while index < offset + count {
      guard index < snapend else { return false }
      Self.writeChar(bytes[index], &out)
      index += 1
    }
    return true
  }

  /// tcpdump's `labellen`: nil (after any marker it prints) for a label it cannot take.
  func labelLength(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    guard has(offset) else { return nil }
    let byte = bytes[offset]
    switch byte & 0xC0 {
    case 0x40:
      guard byte & 0x3F == 1 else {
        out.append("<ELT ")
        out.append(decimal: byte & 0x3F)
        out.append(byte: UInt8(ascii: ">"))
        return nil
      }
      guard has(offset + 1) else { return nil }
      let bits = bytes[offset + 1] == 0 ? 256 : Int(bytes[offset + 1])
      return (bits + 7) / 8 + 1
    case 0x80:
      out.append("<BAD LABEL TYPE>")
      return nil
    default:
      return Int(byte)
    }
  }

  /// tcpdump's `fqdn_print`: the offset after the name as written, or nil.
  func writeName(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    var position = offset
    guard var length = labelLength(bytes, position, &out), has(position) else { return nil }
    var maximumOffset = position - start
    var byte = bytes[position]
    position += 1
    var compressed = false
    var after: Int? = nil
    if byte & 0xC0 != 0xC0 { after = position + length }
    var nameChars = 0
    guard byte != 0 else {
      out.append(byte: UInt8(ascii: "."))
      return after
    }
    while byte != 0 && position < snapend {
      switch byte & 0xC0 {
      case 0xC0:
        if !compressed {
          after = position + 1
          compressed = true
        }
        guard has(position) else { return nil }
        let target = (Int(byte) << 8 | Int(bytes[position])) & 0x3FFF
        guard target < maximumOffset else {
          out.append("<BAD PTR>")
          return nil
        }
        maximumOffset = target
        position = start + target
        guard has(position) else { return nil }
        byte = bytes[position]
        guard let next = labelLength(bytes, position, &out) else { return nil }
        length = next
        position += 1
        continue
      case 0x40:
        out.append("<ELT ")
        out.append(decimal: byte & 0x3F)
        out.append(byte: UInt8(ascii: ">"))
        return nil
      case 0x80:
        out.append("<BAD LABEL TYPE>")
        return nil
      default:
        if nameChars + length <= Self.maximumNameLength {
          guard writeChars(bytes, position, length, &out) else { return nil }
        } else if nameChars < Self.maximumNameLength {
          guard writeChars(bytes, position, Self.maximumNameLength - nameChars, &out) else {
            return nil
          }
        }
        nameChars += length
      }
      position += length
      if nameChars <= Self.maximumNameLength { out.append(byte: UInt8(ascii: ".")) }
      nameChars += 1
      guard has(position) else { return nil }
      byte = bytes[position]
      guard let next = labelLength(bytes, position, &out) else { return nil }
      length = next
      position += 1
      if !compressed, let current = after { after = current + length + 1 }
    }
    if nameChars > Self.maximumNameLength { out.append("<DOMAIN NAME TOO LONG>") }
    return after
  }

  /// tcpdump's `ns_qprint`: ` A? example.com.`; the offset after the question, or nil.
  func writeQuestion(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    guard let after = skipName(bytes, offset), has(after, 4) else { return nil }
    out.append(byte: UInt8(ascii: " "))
    Self.writeType(bytes.be16(at: after), &out)
    let raw = bytes.be16(at: after + 2)
    let qclass = mdns ? raw & 0x7FFF : raw
    if qclass != 1 {
      out.append(byte: UInt8(ascii: " "))
      Self.writeClass(qclass, &out)
    }
    if mdns { out.append(raw & 0x8000 != 0 ? " (QU)" : " (QM)") }
    out.append("? ")
    guard let end = writeName(bytes, offset, &out) else { return nil }
    return end + 4
  }

  /// tcpdump's `ns_rprint` without `-v`: ` A 192.0.2.5`; the offset after the record
  /// (`snapend` when tcpdump gives up quietly), or nil.
  func writeRecord(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    guard let fixed = skipName(bytes, offset), has(fixed, 10) else { return snapend }
    let type = bytes.be16(at: fixed)
    let raw = bytes.be16(at: fixed + 2)
    let rclass = mdns ? raw & 0x7FFF : raw
    if rclass != 1 && type != DNSType.opt {
      out.append(byte: UInt8(ascii: " "))
      Self.writeClass(rclass, &out)
    }
    if mdns && raw & 0x8000 != 0 { out.append(" (Cache flush)") }
    let optFlags = bytes.be16(at: fixed + 6)
    let length = Int(bytes.be16(at: fixed + 8))
    let data = fixed + 10
    let end = data + length
    out.append(byte: UInt8(ascii: " "))
    Self.writeType(type, &out)
    guard end <= snapend else { return nil }
    switch type {
    case DNSType.a:
      guard has(data, 4) else { return nil }
      out.append(byte: UInt8(ascii: " "))
      IPv4Address(bytes, at: data).write(to: &out)
    case DNSType.ns, DNSType.cname, DNSType.ptr, DNSType.dname:
      out.append(byte: UInt8(ascii: " "))
      guard writeName(bytes, data, &out) != nil else { return nil }
    case DNSType.mx:
      out.append(byte: UInt8(ascii: " "))
      guard has(data, 2), writeName(bytes, data + 2, &out) != nil else { return nil }
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data))
    case DNSType.txt:
      var position = data
      while position < end {
        out.append(" \"")
        guard has(position) else { return nil }
        let count = Int(bytes[position])
        guard writeChars(bytes, position + 1, count, &out) else { return nil }
        position += 1 + count
        out.append(byte: UInt8(ascii: "\""))
      }
    case DNSType.srv:
      out.append(byte: UInt8(ascii: " "))
      guard has(data, 6), writeName(bytes, data + 6, &out) != nil else { return nil }
      out.append(byte: UInt8(ascii: ":"))
      out.append(decimal: bytes.be16(at: data + 4))
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data))
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data + 2))
    case DNSType.aaaa:
      guard has(data, 16) else { return nil }
      out.append(byte: UInt8(ascii: " "))
      IPv6Address(bytes, at: data).write(to: &out)
    case 256:  // URI
      guard has(data, length), length >= 4 else { return nil }
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data))
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data + 2))
      out.append(byte: UInt8(ascii: " "))
      guard writeChars(bytes, data + 4, length - 4, &out) else { return nil }
    case DNSType.opt:
      out.append(" UDPsize=")
      out.append(decimal: rclass)
      if optFlags & 0x8000 != 0 { out.append(" DO") }
      if data < end {
        out.append(" [")
        var position = data
        while position < end {
          guard let next = writeOption(bytes, position, &out) else { return nil }
          position = next
          if position < end { out.append(byte: UInt8(ascii: ",")) }
        }
        out.append(byte: UInt8(ascii: "]"))
      }
    case 103:  // UNSPECA
      guard has(data, length), writeChars(bytes, data, length, &out) else { return nil }
    default:
      break
    }
    return end
  }

  /// An EDNS option as tcpdump's `eopt_print` prints it: its name, then its data decoded
  /// for ECS, COOKIE, KEEPALIVE, EXPIRE, PADDING, KEY-TAG and the algorithm lists, in hex
  /// for the others (CHAIN included).
  func writeOption(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    guard has(offset, 2) else { return nil }
    let code = bytes.be16(at: offset)
    if let name = Self.optionName(code) {
      out.append(name)
    } else {
      out.append("Opt")
      out.append(decimal: code)
    }
    guard has(offset + 2, 2) else { return nil }
    let length = Int(bytes.be16(at: offset + 2))
    let data = offset + 4
    guard has(data, length) else { return nil }
    guard length > 0 else { return data }
    out.append(byte: UInt8(ascii: " "))
    switch code {
    case 8: writeClientSubnet(bytes, data, length, &out)
    case 10:
      guard length == 8 || (length >= 16 && length <= 40) else {
        out.append(" (invalid)")
        break
      }
      for index in 0..<length {
        if index == 8 { out.append(byte: UInt8(ascii: " ")) }
        out.append(hexByte: bytes[data + index])
      }
    case 11:
      guard length == 2 else {
        out.append(" (invalid)")
        break
      }
      let tenths = bytes.be16(at: data)
      out.append(decimal: tenths / 10)
      out.append(byte: UInt8(ascii: "."))
      out.append(decimal: tenths % 10)
      out.append(" sec")
    case 9:
      guard length == 4 else {
        out.append(" (invalid)")
        break
      }
      out.append(decimal: bytes.be32(at: data))
      out.append(" sec")
    case 12:
      out.append(byte: UInt8(ascii: "("))
      out.append(decimal: length)
      out.append(byte: UInt8(ascii: ")"))
    case 14:
      guard length % 2 == 0 else {
        out.append(" (invalid)")
        break
      }
      var index = 0
      while index < length {
        if index > 0 { out.append(byte: UInt8(ascii: " ")) }
        out.append(decimal: bytes.be16(at: data + index))
        index += 2
      }
    case 5, 6, 7:
      for index in 0..<length {
        if index > 0 { out.append(byte: UInt8(ascii: " ")) }
        let algorithm = bytes[data + index]
        if let name = Self.algorithmName(option: code, algorithm) {
          out.append(name)
        } else {
          out.append("Alg_")
          out.append(decimal: algorithm)
        }
      }
    default:
      out.append(hexBytes: bytes.extracting(data..<(data + length)))
    }
    return data + length
  }

  /// tcpdump's `print_eopt_ecs`: `192.0.2.0/24/0`.
  func writeClientSubnet(
    _ bytes: Span<UInt8>, _ data: Int, _ length: Int, _ out: inout TextBuffer
  ) {
    guard length >= 4 else { return out.append(" (invalid)") }
    let family = bytes.be16(at: data)
    let source = Int(bytes[data + 2])
    let scope = Int(bytes[data + 3])
    let bits = family == 1 ? 32 : family == 2 ? 128 : 0
    guard bits > 0, length - 4 <= bits / 8, source <= bits, scope <= bits,
      (source + 7) / 8 == length - 4
    else { return out.append(" (invalid)") }
    var padded = InlineArray<16, UInt8>(repeating: 0)
    for index in 0..<(length - 4) { padded[index] = bytes[data + 4 + index] }
    if family == 1 {
      IPv4Address(padded.span, at: 0).write(to: &out)
    } else {
      IPv6Address(padded.span, at: 0).write(to: &out)
    }
    out.append(byte: UInt8(ascii: "/"))
    out.append(decimal: source)
    out.append(byte: UInt8(ascii: "/"))
    out.append(decimal: scope)
  }

  /// tcpdump's DNSSEC algorithm (DAU), DS hash (DHU) and NSEC3 hash (N3U) names.
  static func algorithmName(option: UInt16, _ value: UInt8) -> StaticString? {
    switch (option, value) {
    case (5, 0): "DELETE"
    case (5, 1): "RSAMD5"
    case (5, 2): "DH"
    case (5, 3): "DS"
    case (5, 5): "RSASHA1"
    case (5, 6): "DSA-NSEC3-SHA1"
    case (5, 7): "RSASHA1-NSEC3-SHA1"
    case (5, 8): "RSASHA256"
    case (5, 10): "RSASHA512"
    case (5, 12): "ECC-GOST"
    case (5, 13): "ECDSAP256SHA256"
    case (5, 14): "ECDSAP384SHA384"
    case (5, 15): "ED25519"
    case (5, 16): "ED448"
    case (5, 252): "INDIRECT"
    case (5, 253): "PRIVATEDNS"
    case (5, 254): "PRIVATEOID"
    case (6, 1), (7, 1): "SHA-1"
    case (6, 2): "SHA-256"
    case (6, 3): "GOST_R_34.11-94"
    case (6, 4): "SHA-384"
    default: nil
    }
  }

  static func optionName(_ code: UInt16) -> StaticString? {
    switch code {
    case 1: "LLQ"
    case 2: "UL"
    case 3: "NSID"
    case 5: "DAU"
    case 6: "DHU"
    case 7: "N3U"
    case 8: "ECS"
    case 9: "EXPIRE"
    case 10: "COOKIE"
    case 11: "KEEPALIVE"
    case 12: "PADDING"
    case 13: "CHAIN"
    case 14: "KEY-TAG"
    case 16: "CLIENT-TAG"
    case 17: "SERVER-TAG"
    default: nil
    }
  }

  /// tcpdump's type names (`ns_type2str`), `TypeN` for the others.
  static func writeType(_ type: UInt16, _ out: inout TextBuffer) {
    if let name = typeName(type) {
      out.append(name)
    } else {
      out.append("Type")
      out.append(decimal: type)
    }
  }

  static func typeName(_ type: UInt16) -> StaticString? {
    switch type {
    case 1: "A"
    case 2: "NS"
    case 3: "MD"
    case 4: "MF"
    case 5: "CNAME"
    case 6: "SOA"
    case 7: "MB"
    case 8: "MG"
    case 9: "MR"
    case 10: "NULL"
    case 11: "WKS"
    case 12: "PTR"
    case 13: "HINFO"
    case 14: "MINFO"
    case 15: "MX"
    case 16: "TXT"
    case 17: "RP"
    case 18: "AFSDB"
    case 19: "X25"
    case 20: "ISDN"
    case 21: "RT"
    case 22: "NSAP"
    case 23: "NSAP_PTR"
    case 24: "SIG"
    case 25: "KEY"
    case 26: "PX"
    case 27: "GPOS"
    case 28: "AAAA"
    case 29: "LOC"
    case 30: "NXT"
    case 31: "EID"
    case 32: "NIMLOC"
    case 33: "SRV"
    case 34: "ATMA"
    case 35: "NAPTR"
    case 36: "KX"
    case 37: "CERT"
    case 38: "A6"
    case 39: "DNAME"
    case 40: "SINK"
    case 41: "OPT"
    case 42: "APL"
    case 43: "DS"
    case 44: "SSHFP"
    case 45: "IPSECKEY"
    case 46: "RRSIG"
    case 47: "NSEC"
    case 48: "DNSKEY"
    case 99: "SPF"
    case 100: "UINFO"
    case 101: "UID"
    case 102: "GID"
    case 103: "UNSPEC"
    case 104: "UNSPECA"
    case 249: "TKEY"
    case 250: "TSIG"
    case 251: "IXFR"
    case 252: "AXFR"
    case 253: "MAILB"
    case 254: "MAILA"
    case 255: "ANY"
    case 256: "URI"
    default: nil
    }
  }

  /// tcpdump's class names (`ns_class2str`), `(Class N)` for the others.
  static func writeClass(_ rclass: UInt16, _ out: inout TextBuffer) {
    switch rclass {
    case 1: out.append("IN")
    case 3: out.append("CHAOS")
    case 4: out.append("HS")
    case 255: out.append("ANY")
    default:
      out.append("(Class ")
      out.append(decimal: rclass)
      out.append(byte: UInt8(ascii: ")"))
    }
  }

  static let operations: [StaticString] = [
    "", " inv_q", " stat", " op3", " notify", " update", " op6", " op7", " op8", " updateA",
    " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef",
  ]

  static let responseCodes: [StaticString] = [
    "", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " YXDomain", " YXRRSet",
    " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13", " Resp14", " NoChange",
    " BadVers", "Resp17", " Resp18", " Resp19", " Resp20", "Resp21", " Resp22", " BadCookie",
  ]

  /// The response code with an OPT record's extended bits, as tcpdump finds it: the first
  /// OPT among the additional records, when the sections before it can be skipped.
  func extendedResponseCode(
    _ bytes: Span<UInt8>, _ counts: (UInt16, UInt16, UInt16, UInt16), flags: UInt16
  )
    -> UInt16
  {
    var rcode = flags & 0xF
    var position = start + DNSHeader.headerLength
    for _ in 0..<Int(counts.0) {
      guard let next = skipName(bytes, position) else { return rcode }
      position = next + 4
      if position >= snapend { return rcode }
    }
    for _ in 0..<(Int(counts.1) + Int(counts.2)) {
      guard let next = skipName(bytes, position) else { return rcode }
      position = next + 8
      if position + 2 > snapend { return rcode }
      position += 2 + Int(bytes.be16(at: position))
      if position >= snapend { return rcode }
    }
    for _ in 0..<Int(counts.3) {
      guard let next = skipName(bytes, position) else { return rcode }
      position = next
      if position + 2 > snapend { return rcode }
      let type = bytes.be16(at: position)
      position += 4
      if position + 1 > snapend { return rcode }
      if type == DNSType.opt {
        rcode |= UInt16(bytes[position]) << 4
        return rcode
      }
      position += 4
      if position + 2 > snapend { return rcode }
      position += 2 + Int(bytes.be16(at: position))
      if position >= snapend { return rcode }
    }
    return rcode
  }

  /// The message after the header fields: false where tcpdump prints ` [|domain]`.
  func writeMessage(_ bytes: Span<UInt8>, length: Int, _ out: inout TextBuffer) -> Bool {
    guard has(start, DNSHeader.headerLength) else { return false }
    let id = bytes.be16(at: start)
    let flags = bytes.be16(at: start + 2)
    let qdcount = bytes.be16(at: start + 4)
    var ancount = bytes.be16(at: start + 6)
    let nscount = bytes.be16(at: start + 8)
    let arcount = bytes.be16(at: start + 10)
    let opcode = Int(flags >> 11 & 0xF)
    var position = start + DNSHeader.headerLength
    if flags & 0x8000 != 0 {
      let rcode = extendedResponseCode(
        bytes, (qdcount, ancount, nscount, arcount), flags: flags)
      out.append(decimal: id)
      out.append(Self.operations[opcode])
      if Int(rcode) < Self.responseCodes.count {
        out.append(Self.responseCodes[Int(rcode)])
      } else {
        out.append(" Resp")
        out.append(decimal: rcode & 0xFFF)
      }
      if flags & 0x0400 != 0 { out.append(byte: UInt8(ascii: "*")) }
      if flags & 0x0080 == 0 { out.append(byte: UInt8(ascii: "-")) }
      if flags & 0x0200 != 0 { out.append(byte: UInt8(ascii: "|")) }
      if flags & 0x0020 != 0 { out.append(byte: UInt8(ascii: "$")) }
      if qdcount != 1 {
        out.append(" [")
        out.append(decimal: qdcount)
        out.append("q]")
      }
      for _ in 0..<Int(qdcount) {
        guard let next = skipName(bytes, position) else { return false }
        position = next + 4
      }
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: ancount)
      out.append(byte: UInt8(ascii: "/"))
      out.append(decimal: nscount)
      out.append(byte: UInt8(ascii: "/"))
      out.append(decimal: arcount)
      if ancount > 0 {
        guard let next = writeRecord(bytes, position, &out) else { return false }
        position = next
        ancount -= 1
        while position < snapend && ancount > 0 {
          out.append(byte: UInt8(ascii: ","))
          guard let next = writeRecord(bytes, position, &out) else { return false }
          position = next
          ancount -= 1
        }
      }
      if ancount > 0 { return false }
    } else {
      out.append(decimal: id)
      out.append(Self.operations[opcode])
      if flags & 0x0100 != 0 { out.append(byte: UInt8(ascii: "+")) }
      if flags & 0x0010 != 0 { out.append(byte: UInt8(ascii: "%")) }
      if flags & 0x6CF != 0 {
        out.append(" [b2&3=0x")
        out.append(hex: flags)
        out.append(byte: UInt8(ascii: "]"))
      }
      if opcode == 1 {
        if qdcount > 0 { Self.count(qdcount, "q]", &out) }
        if ancount != 1 { Self.count(ancount, "a]", &out) }
      } else {
        if ancount > 0 { Self.count(ancount, "a]", &out) }
        if qdcount != 1 { Self.count(qdcount, "q]", &out) }
      }
      if nscount > 0 { Self.count(nscount, "n]", &out) }
      if arcount > 0 { Self.count(arcount, "au]", &out) }
      var remaining = qdcount
      if remaining > 0 {
        guard let next = writeQuestion(bytes, position, &out) else { return false }
        position = next
        remaining -= 1
        while position < snapend && remaining > 0 {
          guard let next = writeQuestion(bytes, position, &out) else { return false }
          position = next
          remaining -= 1
        }
      }
      if remaining > 0 { return false }
    }
    out.append(" (")
    out.append(decimal: length)
    out.append(byte: UInt8(ascii: ")"))
    return true
  }

  static func count(_ value: UInt16, _ suffix: StaticString, _ out: inout TextBuffer) {
    out.append(" [")
    out.append(decimal: value)
    out.append(suffix)
  }
}

extension OneLineFormatter {
  /// A DNS message after `src.port > dst.port: ` (UDP) or `length N` (TCP), as tcpdump
  /// prints it for ports 53 and (over UDP) 5353; false for the others (tcpdump prints
  /// LLMNR as plain UDP).
  func dns(
    _ layers: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int, length: Int,
    over transport: IPProtocol, to out: inout TextBuffer
  ) -> Bool {
    guard case .dns(let header) = layers[index].header else { return false }
    let layerStart = layers[index].range.lowerBound
    switch (header.service, transport) {
    case (.dns, _), (.mdns, .udp): break
    default: return false
    }
    var start = layerStart
    var messageLength = length
    if transport == .tcp {
      guard length >= 2 else {
        out.append(" [DNS over TCP: length ")
        out.append(decimal: length)
        out.append(" < 2] (invalid)")
        return true
      }
      messageLength = length - 2
      guard layerStart + 2 <= bytes.count else {
        out.append(" [|domain]")
        return true
      }
      let prefix = Int(bytes.be16(at: layerStart))
      guard prefix == messageLength else {
        out.append(" [prefix length(")
        out.append(decimal: prefix)
        out.append(") != length(")
        out.append(decimal: messageLength)
        out.append(")] (invalid)")
        return true
      }
      start += 2
      out.append(byte: UInt8(ascii: " "))
    }
    if messageLength < DNSHeader.headerLength {
      out.append("domain [length ")
      out.append(decimal: messageLength)
      out.append(" < 12] (invalid)")
      return true
    }
    let printer = DNSLinePrinter(
      start: start, snapend: min(bytes.count, layerStart + length),
      mdns: header.service == .mdns)
    if !printer.writeMessage(bytes, length: messageLength, &out) { out.append(" [|domain]") }
    return true
  }
}

// MARK: - Building

/// A question to build: `question(name="example.com.", type=A)`.
public struct DNSQuestion: Sendable, Hashable {
  /// The name, with or without its trailing dot (`\.` for a dot inside a label).
  public var name: String
  /// The type (1 = A).
  public var type: UInt16
  /// The class (1 = IN).
  public var qclass: UInt16

  public init(name: String, type: UInt16 = 1, qclass: UInt16 = 1) {
    self.name = name
    self.type = type
    self.qclass = qclass
  }
}

/// A record's data to build, in the forms CONTRACT.md gives.
public enum DNSRecordData: Sendable, Hashable {
  /// A.
  case ipv4(IPv4Address)
  /// AAAA.
  case ipv6(IPv6Address)
  /// NS, CNAME, PTR, DNAME: a name.
  case name(String)
  /// MX: preference and exchange.
  case mx(preference: UInt16, exchange: String)
  /// TXT: character-strings.
  case txt([[UInt8]])
  /// SOA.
  case soa(
    mname: String, rname: String, serial: UInt32, refresh: UInt32, retry: UInt32,
    expire: UInt32, minimum: UInt32)
  /// SRV.
  case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
  /// Any other type (and OPT): the data as bytes.
  case bytes([UInt8])
}

/// A resource record to build: `record(name="example.com.", type=A, ttl=300, data=192.0.2.5)`.
public struct DNSRecord: Sendable, Hashable {
  public var name: String
  public var type: UInt16
  public var rclass: UInt16
  public var ttl: UInt32
  public var data: DNSRecordData

  public init(
    name: String, type: UInt16 = 1, rclass: UInt16 = 1, ttl: UInt32 = 0,
    data: DNSRecordData = .bytes([])
  ) {
    self.name = name
    self.type = type
    self.rclass = rclass
    self.ttl = ttl
    self.data = data
  }
}

/// A DNS message to build (contract layer `dns`).
///
/// Defaults as scapy's `DNS()`: id 0, flags 0x0100 (recursion desired), counts from the
/// lists unless given. Names are written whole unless `compress` (scapy's `dns_compress`,
/// reproduced byte for byte). Over TCP the message follows its 2-byte length
/// (`tcp_length`, computed unless given). `hex`, when given, is the message's bytes as they
/// are (how `read --json --hex` gives back a message whose compression it does not
/// describe).
public struct DNS: PacketLayer {
  public var id: UInt16
  /// The flags word; the bit properties below read and write it.
  public var flags: UInt16
  public var qdcount: UInt16?
  public var ancount: UInt16?
  public var nscount: UInt16?
  public var arcount: UInt16?
  public var questions: [DNSQuestion]
  public var answers: [DNSRecord]
  public var authorities: [DNSRecord]
  public var additionals: [DNSRecord]
  /// Compress names as scapy's `dns_compress` does.
  public var compress: Bool
  /// Over TCP: the length before the message; nil: computed.
  public var tcpLength: UInt16?
  /// The message's bytes as they are; nil: built from the fields.
  public var hex: [UInt8]?

  public init(
    id: UInt16 = 0, flags: UInt16 = 0x0100, questions: [DNSQuestion] = [],
    answers: [DNSRecord] = [], authorities: [DNSRecord] = [], additionals: [DNSRecord] = [],
    compress: Bool = false
  ) {
    self.id = id
    self.flags = flags
    self.questions = questions
    self.answers = answers
    self.authorities = authorities
    self.additionals = additionals
    self.compress = compress
  }

  public var stackLayer: StackLayer { .dns(self) }

  public init?(_ stackLayer: StackLayer) {
    guard case .dns(let layer) = stackLayer else { return nil }
    self = layer
  }

  mutating func setFlag(_ mask: UInt16, _ on: Bool) { flags = on ? flags | mask : flags & ~mask }

  /// Response (QR).
  public var qr: Bool {
    get { flags & 0x8000 != 0 }
    set { setFlag(0x8000, newValue) }
  }
  /// Authoritative answer.
  public var aa: Bool {
    get { flags & 0x0400 != 0 }
    set { setFlag(0x0400, newValue) }
  }
  /// Truncated.
  public var tc: Bool {
    get { flags & 0x0200 != 0 }
    set { setFlag(0x0200, newValue) }
  }
  /// Recursion desired.
  public var rd: Bool {
    get { flags & 0x0100 != 0 }
    set { setFlag(0x0100, newValue) }
  }
  /// Recursion available.
  public var ra: Bool {
    get { flags & 0x0080 != 0 }
    set { setFlag(0x0080, newValue) }
  }
  /// Opcode (4 bits).
  public var opcode: UInt8 {
    get { UInt8(flags >> 11 & 0xF) }
    set { flags = flags & ~0x7800 | UInt16(newValue & 0xF) << 11 }
  }
  /// Response code (4 bits).
  public var rcode: UInt8 {
    get { UInt8(flags & 0xF) }
    set { flags = flags & ~0xF | UInt16(newValue & 0xF) }
  }
}

/// A DNS name's wire form: labels from text (`\.`, `\\` and `\DDD` escapes), the root for
/// `.` or an empty name.
enum DNSNameText {
  /// The labels of `text`, or nil when a label is empty or longer than 63 bytes.
  static func labels(_ text: String) -> [[UInt8]]? {
    var labels: [[UInt8]] = []
    var label: [UInt8] = []
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
        let digits = bytes[(index + 1)...].prefix(3)
        if digits.count == 3, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
          let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
          guard value <= 255 else { return nil }
          label.append(UInt8(value))
          index += 4
        } else {
          label.append(bytes[index + 1])
          index += 2
        }
        continue
      }
      if byte == UInt8(ascii: ".") {
        guard !label.isEmpty else {
          if labels.isEmpty && index == bytes.count - 1 { return [] }
          return nil
        }
        labels.append(label)
        label = []
      } else {
        label.append(byte)
      }
      index += 1
    }
    if !label.isEmpty { labels.append(label) }
    guard labels.allSatisfy({ $0.count <= 63 }) else { return nil }
    return labels
  }

  /// The name written whole, ending in the root label.
  static func encode(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    for label in labels(text) ?? [] {
      out.append(UInt8(min(label.count, 63)))
      out += label.prefix(63)
    }
    out.append(0)
    return out
  }

  /// The name as scapy keeps it: with its trailing dot.
  static func normalized(_ text: String) -> String {
    text.isEmpty ? "." : text.hasSuffix(".") && !text.hasSuffix("\\.") ? text : text + "."
  }
}

/// One piece of a message being built: bytes, or a name that compression may shorten.
private enum DNSPiece {
  case bytes([UInt8])
  /// A name (normalized text); `compressible` as scapy's `field_gen` finds it.
  case name(String, compressible: Bool)
  /// The start of a record's data (its length is written here).
  case dataLength
  case dataEnd
}

extension DNS {
  /// The message (after any TCP length) as bytes.
  func message() -> [UInt8] {
    if let hex { return hex }
    var pieces: [DNSPiece] = []
    var header = ByteWriter(capacity: 12)
    header.writeBE16(id)
    header.writeBE16(flags)
    header.writeBE16(qdcount ?? UInt16(truncatingIfNeeded: questions.count))
    header.writeBE16(ancount ?? UInt16(truncatingIfNeeded: answers.count))
    header.writeBE16(nscount ?? UInt16(truncatingIfNeeded: authorities.count))
    header.writeBE16(arcount ?? UInt16(truncatingIfNeeded: additionals.count))
    pieces.append(.bytes(header.bytes))
    for question in questions {
      pieces.append(.name(DNSNameText.normalized(question.name), compressible: true))
      var fixed = ByteWriter(capacity: 4)
      fixed.writeBE16(question.type)
      fixed.writeBE16(question.qclass)
      pieces.append(.bytes(fixed.bytes))
    }
    for record in answers + authorities + additionals {
      pieces.append(.name(DNSNameText.normalized(record.name), compressible: true))
      var fixed = ByteWriter(capacity: 8)
      fixed.writeBE16(record.type)
      fixed.writeBE16(record.rclass)
      fixed.writeBE32(record.ttl)
      pieces.append(.bytes(fixed.bytes))
      pieces.append(.dataLength)
      Self.dataPieces(record.data, into: &pieces)
      pieces.append(.dataEnd)
    }
    var replacements: [Int: [UInt8]] = [:]
    if compress { replacements = Self.compression(pieces) }
    return Self.serialize(pieces, replacements)
  }

  fileprivate static func dataPieces(_ data: DNSRecordData, into pieces: inout [DNSPiece]) {
    var writer = ByteWriter()
    switch data {
    case .ipv4(let address): writer.writeBE32(address.rawValue)
    case .ipv6(let address):
      writer.writeBE64(address.high)
      writer.writeBE64(address.low)
    case .name(let name):
      return pieces.append(.name(DNSNameText.normalized(name), compressible: true))
    case .mx(let preference, let exchange):
      writer.writeBE16(preference)
      pieces.append(.bytes(writer.bytes))
      return pieces.append(.name(DNSNameText.normalized(exchange), compressible: true))
    case .txt(let strings):
      for string in strings {
        writer.writeU8(UInt8(min(string.count, 255)))
        writer.write(contentsOf: string.prefix(255))
      }
    case .soa(let mname, let rname, let serial, let refresh, let retry, let expire, let minimum):
      pieces.append(.name(DNSNameText.normalized(mname), compressible: true))
      pieces.append(.name(DNSNameText.normalized(rname), compressible: true))
      for word in [serial, refresh, retry, expire, minimum] { writer.writeBE32(word) }
    case .srv(let priority, let weight, let port, let target):
      writer.writeBE16(priority)
      writer.writeBE16(weight)
      writer.writeBE16(port)
      pieces.append(.bytes(writer.bytes))
      return pieces.append(.name(DNSNameText.normalized(target), compressible: true))
    case .bytes(let bytes): writer.write(contentsOf: bytes)
    }
    pieces.append(.bytes(writer.bytes))
  }

  /// The bytes of `pieces`, names replaced by `replacements` (by piece index), each record's
  /// data length filled in.
  private static func serialize(_ pieces: [DNSPiece], _ replacements: [Int: [UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    var lengthAt = 0
    for (index, piece) in pieces.enumerated() {
      switch piece {
      case .bytes(let bytes): out += bytes
      case .name(let name, _): out += replacements[index] ?? DNSNameText.encode(name)
      case .dataLength:
        lengthAt = out.count
        out += [0, 0]
      case .dataEnd:
        let length = out.count - lengthAt - 2
        out[lengthAt] = UInt8(truncatingIfNeeded: length >> 8)
        out[lengthAt + 1] = UInt8(truncatingIfNeeded: length)
      }
    }
    return out
  }

  /// scapy's `dns_compress`: for each compressible name in order, the name and then its
  /// suffixes (all but the last label alone) are looked up; the first time a suffix is seen
  /// its first occurrence in the message (as scapy finds it, in a copy shortened as it goes)
  /// becomes the pointer target; a later name ending in a suffix already seen is written as
  /// its other labels and that pointer.
  private static func compression(_ pieces: [DNSPiece]) -> [Int: [UInt8]] {
    var build = serialize(pieces, [:])
    var seen: [String: (pointer: [UInt8], after: Int)] = [:]
    var replacements: [Int: [UInt8]] = [:]
    for (index, piece) in pieces.enumerated() {
      guard case .name(let name, true) = piece, name != "." else { continue }
      for part in suffixes(name) {
        let encoded = DNSNameText.encode(part)
        if let first = seen[part] {
          let kept = String(name.dropLast(part.count))
          replacements[index] = DNSNameText.encode(kept).dropLast() + first.pointer
          if let found = search(encoded, in: build, from: first.after) {
            build.replaceSubrange(found..<(found + encoded.count), with: [0, 0])
          }
          break
        }
        guard let position = search(encoded, in: build, from: 0) else { continue }
        seen[part] = ([UInt8(0xC0 | (position >> 8) & 0xFF), UInt8(position & 0xFF)], position + 1)
      }
    }
    return replacements
  }

  /// `example.com.`, then `com.` for `www.example.com.`: scapy's `possible_shortens`.
  static func suffixes(_ name: String) -> [String] {
    var parts = [name]
    let dots = name.utf8.count { $0 == UInt8(ascii: ".") }
    guard dots > 1 else { return parts }
    let pieces = name.split(separator: ".", omittingEmptySubsequences: false)
    for skip in 1..<dots {
      parts.append(pieces[skip...].joined(separator: "."))
    }
    return parts
  }

  static func search(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count
    else { return nil }
    for position in start...(haystack.count - needle.count)
    where haystack[position] == needle[0]
      && haystack[position..<(position + needle.count)].elementsEqual(needle)
    {
      return position
    }
    return nil
  }

  /// The layer's bytes: the message, after its length over TCP.
  func encode(overTCP: Bool) -> [UInt8] {
    let body = message()
    guard overTCP else { return body }
    let length = tcpLength ?? UInt16(truncatingIfNeeded: body.count)
    return [UInt8(length >> 8), UInt8(length & 0xFF)] + body
  }
}

// MARK: - Expressions and --from-json

extension DNSProtocol {
  /// `dns(id=4660, rd=true, questions=[question(name="example.com.", type=A)], ...)`.
  static let schema = LayerSchema(
    name: "dns", aliases: [],
    fields: [
      spec(.tcpLength, .u16) { (l: inout DNS, v) in l.tcpLength = v.u16 },
      spec(.id, .u16) { (l: inout DNS, v) in l.id = v.u16 },
      spec(.flags, .u16) { (l: inout DNS, v) in l.flags = v.u16 },
      spec(.qr, .bool) { (l: inout DNS, v) in l.qr = v.bool },
      spec(.aa, .bool) { (l: inout DNS, v) in l.aa = v.bool },
      spec(.tc, .bool) { (l: inout DNS, v) in l.tc = v.bool },
      spec(.rd, .bool) { (l: inout DNS, v) in l.rd = v.bool },
      spec(.ra, .bool) { (l: inout DNS, v) in l.ra = v.bool },
      spec(.opcode, .integer(max: 15)) { (l: inout DNS, v) in l.opcode = v.u8 },
      spec(.rcode, .integer(max: 15)) { (l: inout DNS, v) in l.rcode = v.u8 },
      spec(.qdcount, .u16) { (l: inout DNS, v) in l.qdcount = v.u16 },
      spec(.ancount, .u16) { (l: inout DNS, v) in l.ancount = v.u16 },
      spec(.nscount, .u16) { (l: inout DNS, v) in l.nscount = v.u16 },
      spec(.arcount, .u16) { (l: inout DNS, v) in l.arcount = v.u16 },
      spec(.questions, .structured(questionsType)) { (l: inout DNS, v) in
        l.questions = v.structured([DNSQuestion].self) ?? []
      },
      spec(.answers, .structured(recordsType)) { (l: inout DNS, v) in
        l.answers = v.structured([DNSRecord].self) ?? []
      },
      spec(.authorities, .structured(recordsType)) { (l: inout DNS, v) in
        l.authorities = v.structured([DNSRecord].self) ?? []
      },
      spec(.additionals, .structured(recordsType)) { (l: inout DNS, v) in
        l.additionals = v.structured([DNSRecord].self) ?? []
      },
      spec(.compress, .bool) { (l: inout DNS, v) in l.compress = v.bool },
      spec(.hex, .bytes) { (l: inout DNS, v) in l.hex = v.bytes },
    ],
    readOnly: [],
    make: { .dns(DNS()) })

  static let questionsType = StructuredFieldType(
    description: "a list of question(name=..., type=..., class=...)",
    fromExpression: { value, conversion throws(ExpressionError) in
      var questions: [DNSQuestion] = []
      for item in conversion.items(value) {
        let fields = try callFields(item, "question", conversion)
        var question = DNSQuestion(name: ".")
        for field in fields {
          switch field.name {
          case "name": question.name = try name(field.value, conversion)
          case "type": question.type = try typeNumber(field.value, conversion)
          case "class": question.qclass = try classNumber(field.value, conversion)
          default:
            throw conversion.fail(
              field.value, "question has no field \(field.name) (name, type, class)")
          }
        }
        questions.append(question)
      }
      return StructuredValue(questions)
    },
    fromJSON: { json, layer, key throws(JSONPacketError) in
      guard case .array(let items) = json else { throw layer.fail(key, "expects a list") }
      var questions: [DNSQuestion] = []
      for item in items {
        let object = JSONLayer(name: layer.name, label: layer.label, object: item)
        guard let name = try object.string("name") else { throw layer.fail(key, "lacks a name") }
        questions.append(
          DNSQuestion(
            name: name, type: UInt16(try object.integer("type", max: 0xFFFF) ?? 1),
            qclass: UInt16(try object.integer("class", max: 0xFFFF) ?? 1)))
      }
      return StructuredValue(questions)
    })

  static let recordsType = StructuredFieldType(
    description: "a list of record(name=..., type=..., class=..., ttl=..., data=...)",
    fromExpression: { value, conversion throws(ExpressionError) in
      var records: [DNSRecord] = []
      for item in conversion.items(value) {
        let fields = try callFields(item, "record", conversion)
        var record = DNSRecord(name: ".")
        var data: ValueExpression? = nil
        for field in fields {
          switch field.name {
          case "name": record.name = try name(field.value, conversion)
          case "type": record.type = try typeNumber(field.value, conversion)
          case "class": record.rclass = try classNumber(field.value, conversion)
          case "ttl": record.ttl = UInt32(try conversion.integer(field.value, max: 0xFFFF_FFFF))
          case "data": data = field.value
          default:
            throw conversion.fail(
              field.value, "record has no field \(field.name) (name, type, class, ttl, data)")
          }
        }
        if let data { record.data = try recordData(data, type: record.type, conversion) }
        records.append(record)
      }
      return StructuredValue(records)
    },
    fromJSON: { json, layer, key throws(JSONPacketError) in
      guard case .array(let items) = json else { throw layer.fail(key, "expects a list") }
      var records: [DNSRecord] = []
      for item in items {
        let object = JSONLayer(name: layer.name, label: layer.label, object: item)
        guard let name = try object.string("name") else { throw layer.fail(key, "lacks a name") }
        var record = DNSRecord(
          name: name, type: UInt16(try object.integer("type", max: 0xFFFF) ?? 1),
          rclass: UInt16(try object.integer("class", max: 0xFFFF) ?? 1),
          ttl: UInt32(try object.integer("ttl", max: 0xFFFF_FFFF) ?? 0))
        switch object.object["data"] {
        case .string(let text)?:
          guard let data = recordData(text: text, type: record.type) else {
            throw layer.fail(key, "data \"\(text)\" does not suit type \(record.type)")
          }
          record.data = data
        case .array(let strings)?:
          var texts: [[UInt8]] = []
          for string in strings {
            guard case .string(let text) = string else {
              throw layer.fail(key, "TXT data expects strings")
            }
            texts.append(Array(text.utf8))
          }
          record.data = .txt(texts)
        case nil: break
        default: throw layer.fail(key, "data expects a string or a list of strings")
        }
        records.append(record)
      }
      return StructuredValue(records)
    })

  /// The fields of `question(...)` or `record(...)`.
  static func callFields(_ item: ValueExpression, _ expected: String, _ conversion: ValueConversion)
    throws(ExpressionError) -> [FieldExpression]
  {
    guard case .call(let called, let fields) = item.kind, called == expected else {
      throw conversion.fail(item, "expects \(expected)(...)")
    }
    return fields
  }

  static func name(_ value: ValueExpression, _ conversion: ValueConversion)
    throws(ExpressionError) -> String
  {
    let text: String
    switch value.kind {
    case .string(let bytes): text = String(decoding: bytes, as: UTF8.self)
    case .word(let word): text = word
    default: throw conversion.fail(value, "expects a name in quotes (\"example.com.\")")
    }
    guard DNSNameText.labels(text) != nil else {
      throw conversion.fail(value, "\"\(text)\" is not a DNS name (labels of 1 to 63 bytes)")
    }
    return text
  }

  static func typeNumber(_ value: ValueExpression, _ conversion: ValueConversion)
    throws(ExpressionError) -> UInt16
  {
    if case .word(let word) = value.kind {
      guard let type = DNSType.byName[word.uppercased()] else {
        throw conversion.fail(
          value,
          "unknown type \(word); types: A NS CNAME SOA PTR MX TXT AAAA SRV OPT ANY or a number")
      }
      return type
    }
    return UInt16(try conversion.integer(value, max: 0xFFFF))
  }

  static func classNumber(_ value: ValueExpression, _ conversion: ValueConversion)
    throws(ExpressionError) -> UInt16
  {
    if case .word(let word) = value.kind {
      switch word.uppercased() {
      case "IN": return 1
      case "CH", "CHAOS": return 3
      case "HS": return 4
      case "ANY": return 255
      default:
        throw conversion.fail(value, "unknown class \(word); classes: IN CH HS ANY or a number")
      }
    }
    return UInt16(try conversion.integer(value, max: 0xFFFF))
  }

  static func recordData(_ value: ValueExpression, type: UInt16, _ conversion: ValueConversion)
    throws(ExpressionError) -> DNSRecordData
  {
    switch value.kind {
    case .ipv4(let address): return .ipv4(address)
    case .ipv6(let address): return .ipv6(address)
    case .hex: return .bytes(try conversion.bytes(value))
    case .list(let items):
      var strings: [[UInt8]] = []
      for item in items {
        guard case .string(let bytes) = item.kind else {
          throw conversion.fail(item, "expects a string")
        }
        strings.append(bytes)
      }
      return .txt(strings)
    case .string(let bytes):
      if type == DNSType.txt { return .txt([bytes]) }
      let text = String(decoding: bytes, as: UTF8.self)
      guard let data = recordData(text: text, type: type) else {
        throw conversion.fail(value, "\"\(text)\" does not suit the record's type \(type)")
      }
      return data
    default:
      throw conversion.fail(
        value, "expects an address, a name in quotes, a list of strings or 0x bytes")
    }
  }

  /// Record data from its JSON text: by the record's type, or hex bytes (the form of any
  /// type's data that does not read as its type).
  static func recordData(text: String, type: UInt16) -> DNSRecordData? {
    let words = text.split(separator: " ").map(String.init)
    func isName(_ word: String) -> Bool { word.hasSuffix(".") && DNSNameText.labels(word) != nil }
    switch type {
    case DNSType.a: if let address = IPv4Address(text) { return .ipv4(address) }
    case DNSType.aaaa: if let address = IPv6Address(text) { return .ipv6(address) }
    case DNSType.ns, DNSType.cname, DNSType.ptr, DNSType.dname:
      if words.count == 1, isName(text) { return .name(text) }
    case DNSType.mx:
      if words.count == 2, let preference = UInt16(words[0]), isName(words[1]) {
        return .mx(preference: preference, exchange: words[1])
      }
    case DNSType.srv:
      if words.count == 4, let priority = UInt16(words[0]), let weight = UInt16(words[1]),
        let port = UInt16(words[2]), isName(words[3])
      {
        return .srv(priority: priority, weight: weight, port: port, target: words[3])
      }
    case DNSType.soa:
      let numbers = words.dropFirst(2).compactMap { UInt32($0) }
      if words.count == 7, isName(words[0]), isName(words[1]), numbers.count == 5 {
        return .soa(
          mname: words[0], rname: words[1], serial: numbers[0], refresh: numbers[1],
          retry: numbers[2], expire: numbers[3], minimum: numbers[4])
      }
    default: break
    }
    return HexBytes.parse(text).map { .bytes($0) }
  }
}

extension FieldValue {
  /// The value of a structured field, when it holds a `T`.
  func structured<T>(_ type: T.Type) -> T? {
    guard case .structured(let value) = self else { return nil }
    return value.as(type)
  }
}

extension PacketStack {
  /// Whether the DNS layer at `index` is carried by TCP (directly, or after other DNS
  /// messages of the same segment): it then follows a 2-byte length.
  func isDNSOverTCP(at index: Int) -> Bool {
    var below = index - 1
    while below >= 0, case .dns = layers[below] { below -= 1 }
    guard below >= 0, case .tcp = layers[below] else { return false }
    return true
  }
}

extension OneLineFormatter {
  /// tcpdump's text for a UDP payload on port 53 or 5353 too short for a DNS header (which
  /// rawtool decodes as `raw`): `domain [length 5 < 12] (invalid)`.
  func shortDNS(
    _ layers: borrowing Span<DecodedLayer>, _ index: Int, length: Int, over transport: IPProtocol,
    to out: inout TextBuffer
  ) -> Bool {
    guard transport == .udp, index > 0, length < DNSHeader.headerLength,
      case .udp(let header) = layers[index - 1].header,
      DNSService(srcPort: header.srcPort, dstPort: header.dstPort) != .llmnr,
      DNSService.isPort(header.srcPort) || DNSService.isPort(header.dstPort)
    else { return false }
    out.append("domain [length ")
    out.append(decimal: length)
    out.append(" < 12] (invalid)")
    return true
  }
}
