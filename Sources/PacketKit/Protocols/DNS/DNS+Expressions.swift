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
          case FieldName.name.string: question.name = try name(field.value, conversion)
          case FieldName.type.string: question.type = try typeNumber(field.value, conversion)
          case FieldName.dnsClass.string: question.qclass = try classNumber(field.value, conversion)
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
        guard let name = try object.string(FieldName.name.string) else {
          throw layer.fail(key, "lacks a name")
        }
        questions.append(
          DNSQuestion(
            name: name, type: UInt16(try object.integer(FieldName.type.string, max: 0xFFFF) ?? 1),
            qclass: UInt16(try object.integer(FieldName.dnsClass.string, max: 0xFFFF) ?? 1)))
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
          case FieldName.name.string: record.name = try name(field.value, conversion)
          case FieldName.type.string: record.type = try typeNumber(field.value, conversion)
          case FieldName.dnsClass.string: record.rclass = try classNumber(field.value, conversion)
          case FieldName.ttl.string:
            record.ttl = UInt32(try conversion.integer(field.value, max: 0xFFFF_FFFF))
          case FieldName.data.string: data = field.value
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
        guard let name = try object.string(FieldName.name.string) else {
          throw layer.fail(key, "lacks a name")
        }
        var record = DNSRecord(
          name: name, type: UInt16(try object.integer(FieldName.type.string, max: 0xFFFF) ?? 1),
          rclass: UInt16(try object.integer(FieldName.dnsClass.string, max: 0xFFFF) ?? 1),
          ttl: UInt32(try object.integer(FieldName.ttl.string, max: 0xFFFF_FFFF) ?? 0))
        switch object.object[FieldName.data.string] {
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
