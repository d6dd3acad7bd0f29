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
  /// text as `read --json` prints them; hex for other types and for data that does not read
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
