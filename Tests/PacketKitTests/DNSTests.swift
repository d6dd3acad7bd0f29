import Testing

@testable import PacketKit

/// DNS decoding, printing and building from real bytes, and damaged messages (loops, forward
/// pointers, huge counts, truncation). Expected one-line text is tcpdump 4.99.3's for the
/// same bytes.
@Suite("DNS")
struct DNSTests {
  /// The message of `4660+ A? example.com.` (scapy `DNS(id=4660, rd=1, qd=DNSQR(...))`).
  static let query = hex("123401000001000000000000076578616d706c6503636f6d0000010001")
  /// Its answer with the record's name compressed to a pointer at offset 12.
  static let answer = hex(
    "123481800001000100000000076578616d706c6503636f6d0000010001c00c000100010000012c0004c0000205")

  /// An IPv4 datagram from 192.0.2.1 to 192.0.2.2 carrying `message` over UDP or TCP.
  static func frame(_ message: [UInt8], udp: Bool = true, sport: UInt16 = 40000, dport: UInt16 = 53)
    throws -> [UInt8]
  {
    let payload = "raw(0x" + message.map { String($0, radix: 16).leftPadded() }.joined() + ")"
    let transport =
      udp ? "udp(sport=\(sport), dport=\(dport))" : "tcp(sport=\(sport), dport=\(dport), flags=PA)"
    let expression = "ipv4(src=192.0.2.1, dst=192.0.2.2) / \(transport) / \(payload)"
    return try PacketCrafter.packets(from: ExpressionParser.parse(expression))[0]
  }

  static func decode(_ bytes: [UInt8], wireLength: Int? = nil) -> DecodedFrame {
    FrameDecoder().decode(bytes.span, linkType: .raw, wireLength: wireLength)
  }

  /// The one-line text after the timestamp.
  static func line(_ bytes: [UInt8], wireLength: Int? = nil) -> String {
    let frame = decode(bytes, wireLength: wireLength)
    var formatter = OneLineFormatter()
    var out = TextBuffer()
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 0), capturedLength: bytes.count,
      wireLength: wireLength ?? bytes.count, linkType: .raw)
    formatter.write(frame, bytes: bytes.span, record: record, to: &out)
    return String(out.string.dropFirst("00:00:00.000000 ".count).dropLast())
  }

  static func json(_ bytes: [UInt8], wireLength: Int? = nil) -> String {
    let frame = decode(bytes, wireLength: wireLength)
    var out = TextBuffer()
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 0), capturedLength: bytes.count,
      wireLength: wireLength ?? bytes.count, linkType: .raw)
    JSONFormatter().write(frame, bytes: bytes.span, record: record, to: &out)
    return out.string
  }

  static func kinds(_ frame: DecodedFrame) -> [String] {
    (0..<frame.count).map { frame.kind(at: $0).name.description }
  }

  @Test("a query over UDP: header fields, question, tcpdump's line")
  func query() throws {
    let bytes = try Self.frame(Self.query)
    let frame = Self.decode(bytes)
    #expect(Self.kinds(frame) == ["ipv4", "udp", "dns"])
    guard case .dns(let header) = frame[2].header else {
      Issue.record("no dns layer")
      return
    }
    #expect(header.id == 4660 && header.rd && !header.qr && header.qdcount == 1)
    #expect(header.tcpLength == nil && header.service == .dns)
    #expect(frame[2].status == .complete)
    #expect(Self.line(bytes) == "IP 192.0.2.1.40000 > 192.0.2.2.53: 4660+ A? example.com. (29)")
    #expect(
      Self.json(bytes).contains(
        #""dns":{"id":4660,"flags":256,"qr":false,"aa":false,"tc":false,"rd":true,"ra":false,"opcode":0,"rcode":0,"qdcount":1,"ancount":0,"nscount":0,"arcount":0,"questions":[{"name":"example.com.","type":1,"class":1}],"answers":[],"authorities":[],"additionals":[]}"#
      ))
  }

  @Test("an answer with a compressed name")
  func compressedAnswer() throws {
    let bytes = try Self.frame(Self.answer, sport: 53, dport: 40000)
    #expect(Self.line(bytes) == "IP 192.0.2.1.53 > 192.0.2.2.40000: 4660 1/0/0 A 192.0.2.5 (45)")
    #expect(
      Self.json(bytes).contains(
        #""answers":[{"name":"example.com.","type":1,"class":1,"ttl":300,"data":"192.0.2.5"}]"#))
  }

  @Test("over TCP: the length prefix is tcp_length; two messages in a segment are two layers")
  func overTCP() throws {
    let one = [UInt8(0), UInt8(Self.query.count)] + Self.query
    let single = try Self.frame(one, udp: false)
    #expect(Self.kinds(Self.decode(single)) == ["ipv4", "tcp", "dns"])
    #expect(Self.line(single).hasSuffix("length 31 4660+ A? example.com. (29)"))
    #expect(Self.json(single).contains(#""dns":{"tcp_length":29,"id":4660"#))
    let two = try Self.frame(one + one, udp: false)
    let frame = Self.decode(two)
    #expect(Self.kinds(frame) == ["ipv4", "tcp", "dns", "dns"])
    #expect(Self.json(two).contains(#""dns":[{"tcp_length":29"#))
    #expect(Self.line(two).hasSuffix("length 62 [prefix length(29) != length(60)] (invalid)"))
  }

  @Test("mDNS classes and LLMNR, which tcpdump prints as plain UDP")
  func multicast() throws {
    // _ipp._tcp.local. PTR? asking for a unicast reply (class 0x8001)
    let message = hex("000000000001000000000000045f697070045f746370056c6f63616c00000c8001")
    let mdns = try Self.frame(message, sport: 5353, dport: 5353)
    #expect(Self.line(mdns).hasSuffix("5353: 0 PTR (QU)? _ipp._tcp.local. (33)"))
    let llmnr = try Self.frame(Self.query, sport: 40001, dport: 5355)
    #expect(Self.kinds(Self.decode(llmnr)) == ["ipv4", "udp", "dns"])
    #expect(Self.line(llmnr).hasSuffix("5355: UDP, length 29"))
  }

  @Test("a pointer to itself, pointers to each other and a forward pointer are malformed")
  func pointerLoops() throws {
    let selfLoop = hex("001701000001000000000000c00c00010001")
    let mutual = hex("00170100000200000000000003616263c01200010001c00c00010001")
    let forward = hex("001701000001000000000000c01200010001076578616d706c6500")
    for message in [selfLoop, mutual, forward] {
      let frame = Self.decode(try Self.frame(message))
      guard case .malformed(let problem) = frame[2].status else {
        Issue.record("not malformed: \(frame[2].status)")
        continue
      }
      #expect(problem.field.description == "name")
    }
    #expect(
      Self.line(try Self.frame(selfLoop))
        == "IP 192.0.2.1.40000 > 192.0.2.2.53: 23+ A? <BAD PTR> [|domain]")
  }

  @Test("huge counts end at the message's end: malformed, quickly")
  func hugeCounts() throws {
    var message = Self.query
    message[4] = 0xFF
    message[5] = 0xFF
    message[6] = 0xFF
    message[7] = 0xFF
    let bytes = try Self.frame(message)
    let frame = Self.decode(bytes)
    guard case .malformed(let problem) = frame[2].status else {
      Issue.record("not malformed")
      return
    }
    #expect(problem.field.description == "counts")
    #expect(Self.line(bytes).hasSuffix("4660+ [65535a] [65535q] A? example.com. [|domain]"))
  }

  @Test("a capture cut inside the message is truncated; a payload shorter than a header is raw")
  func truncation() throws {
    let bytes = try Self.frame(Self.answer, sport: 53, dport: 40000)
    let cut = Array(bytes.prefix(bytes.count - 3))
    let frame = Self.decode(cut, wireLength: bytes.count)
    #expect(Self.kinds(frame) == ["ipv4", "udp", "dns"])
    if case .truncated = frame[2].status {} else { Issue.record("not truncated") }
    #expect(Self.line(cut, wireLength: bytes.count).hasSuffix("4660 1/0/0 A [|domain]"))
    let short = try Self.frame(Array(Self.query.prefix(5)))
    #expect(Self.kinds(Self.decode(short)) == ["ipv4", "udp", "raw"])
    #expect(Self.line(short).hasSuffix("53: domain [length 5 < 12] (invalid)"))
    let other = try Self.frame(Array(Self.query.prefix(5)), dport: 5355)
    #expect(Self.line(other).hasSuffix("5355: UDP, length 5"))
  }

  @Test("names keep dots and odd bytes inside labels as escapes, and build back")
  func nameEscapes() throws {
    // one label "a.b" then one label "\u{1}"
    let message = hex("1234010000010000000000000361 2e62 0101 00 0001 0001")
    let bytes = try Self.frame(message)
    #expect(Self.json(bytes).contains(#""name":"a\\.b.\\001.""#))
    #expect(DNSNameText.encode("a\\.b.\\001.") == hex("03612e62 0101 00"))
    #expect(DNSNameText.labels(String(repeating: "x", count: 64) + ".") == nil)
    #expect(DNSNameText.labels(".") == [])
  }

  @Test("record data in every contract form, read back from its text")
  func recordDataText() {
    #expect(DNSProtocol.recordData(text: "192.0.2.5", type: 1) == .ipv4(IPv4Address(192, 0, 2, 5)))
    #expect(DNSProtocol.recordData(text: "mail.example.", type: 5) == .name("mail.example."))
    #expect(
      DNSProtocol.recordData(text: "10 mail.example.", type: 15)
        == .mx(preference: 10, exchange: "mail.example."))
    #expect(
      DNSProtocol.recordData(text: "1 2 3 t.example.", type: 33)
        == .srv(priority: 1, weight: 2, port: 3, target: "t.example."))
    #expect(
      DNSProtocol.recordData(text: "a. b. 1 2 3 4 5", type: 6)
        == .soa(
          mname: "a.", rname: "b.", serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5))
    #expect(DNSProtocol.recordData(text: "c00c", type: 2) == .bytes([0xC0, 0x0C]))
    #expect(DNSProtocol.recordData(text: "", type: 41) == .bytes([]))
  }

  @Test("the Swift builder: DNS(...) over UDP gets ports 53, over TCP its length")
  func builder() throws {
    let dns = DNS(
      id: 4660, questions: [DNSQuestion(name: "example.com.")],
      answers: [
        DNSRecord(name: "example.com.", ttl: 300, data: .ipv4(IPv4Address(192, 0, 2, 5)))
      ])
    let udp = try
      (IPv4(src: IPv4Address(192, 0, 2, 1), dst: IPv4Address(192, 0, 2, 2)) / UDP()
      / dns).build()
    #expect(udp[20..<24] == [0, 53, 0, 53])
    #expect(
      Array(udp[28...]) == hex("12340100000100010000000007") + Array("example".utf8)
        + hex("03") + Array("com".utf8)
        + hex("0000010001076578616d706c6503636f6d00000100010000012c0004c0000205"))
    var compressed = dns
    compressed.compress = true
    #expect(compressed.encode(overTCP: false).count == dns.encode(overTCP: false).count - 11)
    #expect(Array(compressed.encode(overTCP: true).prefix(2)) == [0, 45])
  }

  @Test("mutated messages never crash the decoder or the printers")
  func mutations() throws {
    let seeds = [
      try Self.frame(Self.answer, sport: 53, dport: 40000),
      try Self.frame([0, UInt8(Self.query.count)] + Self.query, udp: false),
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    for round in 0..<3000 {
      var bytes = seeds[round % seeds.count]
      for _ in 0..<(1 + next() % 4) {
        let index = 28 + next() % (bytes.count - 28)
        bytes[index] = UInt8(truncatingIfNeeded: next())
      }
      let cut = Array(bytes.prefix(28 + next() % (bytes.count - 27)))
      _ = Self.line(cut, wireLength: bytes.count)
      _ = Self.json(cut, wireLength: bytes.count)
    }
  }
}

extension String {
  fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
