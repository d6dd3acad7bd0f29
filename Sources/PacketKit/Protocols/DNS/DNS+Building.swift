// MARK: - Building

/// A question to build: `question(name="example.com.", type=A)`.
public struct DNSQuestion: Sendable, Hashable {
  /// The name, with or without its trailing dot (`\.` for a dot inside a label).
  public var name: String
  /// The type (1 = A).
  public var type: UInt16
  /// The class (1 = IN).
  public var qclass: UInt16

  /// A question for `name`; `type` 1 (A) and `qclass` 1 (IN) by default.
  public init(name: String, type: UInt16 = 1, qclass: UInt16 = 1) {
    self.name = name
    self.type = type
    self.qclass = qclass
  }
}

/// A record's data to build, in the forms `read --json` prints (addresses, names, TXT
/// strings, `"10 mail.example."` for MX, hex for other types).
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
  /// The owner name, dotted (`example.com.`).
  public var name: String
  /// The record type (1 A, 28 AAAA, 5 CNAME, ...).
  public var type: UInt16
  /// The record class (1 IN).
  public var rclass: UInt16
  /// Time to live, in seconds.
  public var ttl: UInt32
  /// The record's data, in the form of its type.
  public var data: DNSRecordData

  /// A record from its fields.
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
  /// The message identifier; 0 by default.
  public var id: UInt16
  /// The flags word; the bit properties below read and write it.
  public var flags: UInt16
  /// The question count; nil (the default): the number of `questions`.
  public var qdcount: UInt16?
  /// The answer count; nil (the default): the number of `answers`.
  public var ancount: UInt16?
  /// The authority count; nil (the default): the number of `authorities`.
  public var nscount: UInt16?
  /// The additional count; nil (the default): the number of `additionals`.
  public var arcount: UInt16?
  /// The questions, in order.
  public var questions: [DNSQuestion]
  /// The answer records, in order.
  public var answers: [DNSRecord]
  /// The authority records, in order.
  public var authorities: [DNSRecord]
  /// The additional records, in order.
  public var additionals: [DNSRecord]
  /// Compress names as scapy's `dns_compress` does.
  public var compress: Bool
  /// Over TCP: the length before the message; nil: computed.
  public var tcpLength: UInt16?
  /// The message's bytes as they are; nil: built from the fields.
  public var hex: [UInt8]?

  /// A message to build; the defaults are scapy's (above): id 0, recursion desired, no records.
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

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .dns(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
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
