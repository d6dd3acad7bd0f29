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

  /// A header from its fields (tests and tools; the decoder reads it from the bytes).
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
    // Two loads, one bounds check each, rather than a checked read per field.
    let idAndFlags = bytes.be32(at: offset)
    let counts = bytes.be64(at: offset + 4)
    id = UInt16(truncatingIfNeeded: idAndFlags >> 16)
    flags = UInt16(truncatingIfNeeded: idAndFlags)
    qdcount = UInt16(truncatingIfNeeded: counts >> 48)
    ancount = UInt16(truncatingIfNeeded: counts >> 32)
    nscount = UInt16(truncatingIfNeeded: counts >> 16)
    arcount = UInt16(truncatingIfNeeded: counts)
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

// MARK: - Decoding

extension Walk {
  /// Decodes the DNS messages in `range` (a UDP payload, or a TCP payload of length-prefixed
  /// messages); false when the bytes are not DNS (shorter than a header).
  mutating func dns(
    _ bytes: Span<UInt8>, _ range: Range<Int>, over transport: IPProtocol, srcPort: UInt16,
    dstPort: UInt16
  ) -> Bool {
    // The carrier, the UDP or TCP layer just appended, gives the payload length it announces.
    guard frame.count > 0 else { return false }
    let declaredEnd = range.lowerBound + last.pointee.payloadLength
    let service = DNSService(srcPort: srcPort, dstPort: dstPort)
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
      guard last.pointee.status.isComplete else { return true }
      position = messageEnd
    }
    // A message's length may announce more than the segment holds while every record it
    // counts is there: the next message would start past the segment, so nothing is left.
    raw(bytes, min(position, range.upperBound)..<range.upperBound)
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
        last.pointee.status = .malformed(DNSHeader.beyondSegment(prefix))
      }
      return
    }
    var header = DNSHeader(unchecked: bytes, at: message.start, service: service)
    header.tcpLength = prefix
    var reader = DNSSectionReader(message)
    let remaining = reader.skip(
      bytes, questions: Int(header.qdcount),
      records: Int(header.ancount) + Int(header.nscount) + Int(header.arcount))
    let status: LayerStatus
    switch reader.outcome {
    case .reading, .done:
      status = .complete
    case .bad:
      status = .malformed(
        Malformation(
          field: FieldName.name.text, reason: "a compression pointer loops or points forward",
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
