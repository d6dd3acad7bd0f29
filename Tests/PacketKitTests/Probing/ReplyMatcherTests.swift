import Testing

@testable import PacketKit

/// A packet crafted from an expression (the first one it expands to), decoded.
struct Crafted {
  let bytes: [UInt8]
  let frame: DecodedFrame

  init(_ expression: String) throws {
    bytes = try PacketCrafter.packets(from: ExpressionParser.parse(expression))[0]
    let linkType: LinkType = expression.hasPrefix("eth") ? .ethernet : .raw
    frame = FrameDecoder().decode(bytes, linkType: linkType)
  }

  init(bytes: [UInt8], linkType: LinkType) {
    self.bytes = bytes
    frame = FrameDecoder().decode(bytes, linkType: linkType)
  }

  var probeKey: ProbeKey? { ReplyMatcher.key(ofProbe: frame, bytes: bytes.span) }
  var replyKey: ProbeKey? { ReplyMatcher.key(ofReply: frame, bytes: bytes.span) }

  /// How this frame answers `probe`, or nil.
  func match(_ probe: Crafted, strictQuote: Bool = false) -> ReplyKind? {
    ReplyMatcher.match(
      reply: frame, replyBytes: bytes.span, probe: probe.frame, probeBytes: probe.bytes.span,
      strictQuote: strictQuote)
  }
}

@Suite("ReplyMatcher")
struct ReplyMatcherTests {
  static let client4 = "192.0.2.1"
  static let server4 = "192.0.2.2"
  static let router4 = "198.51.100.1"
  static let ethernet = "eth(src=02:00:00:00:00:02, dst=02:00:00:00:00:01)"
  static let synProbe =
    "ipv4(src=192.0.2.1, dst=192.0.2.2) / tcp(sport=40000, dport=80, flags=S, seq=1000)"

  /// Expects `reply` to answer `probe` as `kind`, through equal keys.
  func expectAnswer(_ reply: Crafted, _ probe: Crafted, _ kind: ReplyKind) {
    #expect(probe.probeKey != nil)
    #expect(reply.replyKey == probe.probeKey)
    #expect(reply.match(probe) == kind)
  }

  // MARK: TCP

  @Test("TCP SYN probe (raw IP) is answered by SA and by RA captured with Ethernet")
  func tcpSynAnswered() throws {
    let probe = try Crafted(Self.synProbe)
    let synAck = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1) / tcp(sport=80, dport=40000, flags=SA, seq=5000, ack=1001)"
    )
    let reset = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1) / tcp(sport=80, dport=40000, flags=RA, seq=0, ack=1001)"
    )
    expectAnswer(synAck, probe, .direct)
    expectAnswer(reset, probe, .direct)
    #expect(
      probe.probeKey
        == ProbeKey(
          kind: .tcp, ipVersion: 4, local: ProbeKey.address(IPv4Address(192, 0, 2, 1)),
          remote: ProbeKey.address(IPv4Address(192, 0, 2, 2)), localPort: 40000, remotePort: 80))
  }

  @Test(
    "TCP replies that do not answer: wrong ack, swapped ports wrong, SYN without ACK, RST probe")
  func tcpNotAnswered() throws {
    let probe = try Crafted(Self.synProbe)
    let reply = "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1)"
    // Same flow, but the ack does not acknowledge the SYN: key hit, no answer.
    let wrongAck = try Crafted("\(reply) / tcp(sport=80, dport=40000, flags=SA, ack=2000)")
    #expect(wrongAck.replyKey == probe.probeKey)
    #expect(wrongAck.match(probe) == nil)
    // Other ports: another key.
    let wrongPort = try Crafted("\(reply) / tcp(sport=81, dport=40000, flags=SA, ack=1001)")
    #expect(wrongPort.replyKey != probe.probeKey)
    #expect(wrongPort.match(probe) == nil)
    let wrongLocalPort = try Crafted("\(reply) / tcp(sport=80, dport=40001, flags=SA, ack=1001)")
    #expect(wrongLocalPort.match(probe) == nil)
    // From another host.
    let otherHost = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.3, dst=192.0.2.1) / tcp(sport=80, dport=40000, flags=SA, ack=1001)"
    )
    #expect(otherHost.match(probe) == nil)
    // A SYN without ACK (a simultaneous open) answers nothing.
    let bareSyn = try Crafted("\(reply) / tcp(sport=80, dport=40000, flags=S, ack=1001)")
    #expect(bareSyn.replyKey == nil)
    #expect(bareSyn.match(probe) == nil)
    // An RST probe gets no direct answer (scapy).
    let rstProbe = try Crafted(
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / tcp(sport=40000, dport=80, flags=R, seq=1000)")
    let rstReply = try Crafted("\(reply) / tcp(sport=80, dport=40000, flags=R, seq=0)")
    #expect(rstReply.replyKey == rstProbe.probeKey)
    #expect(rstReply.match(rstProbe) == nil)
  }

  @Test("An ACK probe to a closed port is answered by an RST whose seq is the probe's ack")
  func tcpAckProbe() throws {
    let probe = try Crafted(
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / tcp(sport=40000, dport=80, flags=A, seq=1, ack=777)")
    let reset = try Crafted(
      "ipv4(src=192.0.2.2, dst=192.0.2.1) / tcp(sport=80, dport=40000, flags=R, seq=777)")
    expectAnswer(reset, probe, .direct)
    let farReset = try Crafted(
      "ipv4(src=192.0.2.2, dst=192.0.2.1) / tcp(sport=80, dport=40000, flags=R, seq=9000)")
    #expect(farReset.match(probe) == nil)
  }

  @Test("The probe seen going out is not its own reply")
  func ownCopyIsNotAReply() throws {
    let probes = [
      Self.synProbe,
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=40000, dport=53)",
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / icmp(type=8, id=7, seq=1)",
      "ipv6(src=2001:db8::1, dst=2001:db8::2) / icmpv6(type=128, id=7, seq=1)",
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / tcp(sport=40000, dport=80, flags=A, seq=1, ack=1)",
      "eth(src=02:00:00:00:00:01) / arp(op=1, sender_ip=192.0.2.1, target_ip=192.0.2.2)",
      "eth() / ipv6(src=2001:db8::1, dst=ff02::1:ff00:2) / icmpv6(type=135, target=2001:db8::2)",
    ]
    for expression in probes {
      let probe = try Crafted(expression)
      #expect(probe.probeKey != nil, "\(expression)")
      #expect(probe.replyKey != probe.probeKey, "\(expression)")
      #expect(probe.match(probe) == nil, "\(expression)")
      // The outgoing copy as captured with an Ethernet header on the way out.
      if !expression.hasPrefix("eth") {
        let copy = try Crafted("\(Self.ethernet) / \(expression)")
        #expect(copy.match(probe) == nil, "\(expression)")
      }
    }
    // Talking to itself with equal ports, the copy has the probe's key; it is still not
    // taken for a reply, since it goes the probe's way.
    let selfProbe = try Crafted("ipv4(src=127.0.0.1, dst=127.0.0.1) / udp(sport=5000, dport=5000)")
    #expect(selfProbe.replyKey == selfProbe.probeKey)
    #expect(selfProbe.match(selfProbe) == nil)
  }

  // MARK: UDP

  @Test("UDP is answered by swapped ports and addresses")
  func udpReply() throws {
    let probe = try Crafted(
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=40000, dport=53) / raw(\"question\")")
    let reply = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1) / udp(sport=53, dport=40000) / raw(\"answer\")"
    )
    expectAnswer(reply, probe, .direct)
    let otherPort = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1) / udp(sport=54, dport=40000)")
    #expect(otherPort.match(probe) == nil)
    let toOtherHost = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.9) / udp(sport=53, dport=40000)")
    #expect(toOtherHost.match(probe) == nil)
  }

  @Test("DNS over UDP: the response with the query's id and question")
  func dnsResponse() throws {
    // id 0x1234, RD, one question: example.com. A IN.
    let question = "076578616d706c6503636f6d0000010001"
    let probe = try Crafted(
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=40000, dport=53) / raw(0x123401000001000000000000\(question))"
    )
    let reply = "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1) / udp(sport=53, dport=40000)"
    // The response: QR set, one answer; the name written in another case.
    let response = try Crafted(
      "\(reply) / raw(0x123481800001000100000000076578414d706c6503636f6d0000010001c00c000100010000012c0004c0000205)"
    )
    expectAnswer(response, probe, .direct)
    let otherID = try Crafted(
      "\(reply) / raw(0x432181800001000000000000\(question))")
    #expect(otherID.replyKey == probe.probeKey)
    #expect(otherID.match(probe) == nil)
    let otherName = try Crafted(
      "\(reply) / raw(0x123481800001000000000000076578616d706c65036f72670000010001)")
    #expect(otherName.match(probe) == nil)
    // A query from the server's port is not a response.
    let query = try Crafted("\(reply) / raw(0x123401000001000000000000\(question))")
    #expect(query.match(probe) == nil)
  }

  // MARK: ICMP echo

  @Test("ICMP echo is answered by id and seq")
  func icmpEcho() throws {
    let probe = try Crafted(
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / icmp(type=8, id=7, seq=3) / raw(\"ping\")")
    let reply = "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1)"
    expectAnswer(
      try Crafted("\(reply) / icmp(type=0, id=7, seq=3) / raw(\"ping\")"), probe, .direct)
    #expect(try Crafted("\(reply) / icmp(type=0, id=8, seq=3)").match(probe) == nil)
    #expect(try Crafted("\(reply) / icmp(type=0, id=7, seq=4)").match(probe) == nil)
    // A timestamp reply with the same id and seq is not an echo reply.
    let timestamp = try Crafted("\(reply) / icmp(type=14, id=7, seq=3)")
    #expect(timestamp.replyKey == probe.probeKey)
    #expect(timestamp.match(probe) == nil)
    // An echo request from the other side answers nothing.
    #expect(try Crafted("\(reply) / icmp(type=8, id=7, seq=3)").replyKey == nil)
  }

  @Test("ICMPv6 echo is answered by id and seq, carrying the request's data")
  func icmpv6Echo() throws {
    let probe = try Crafted(
      "ipv6(src=2001:db8::1, dst=2001:db8::2) / icmpv6(type=128, id=7, seq=3) / raw(\"ping\")")
    let reply = "eth() / ipv6(src=2001:db8::2, dst=2001:db8::1)"
    expectAnswer(
      try Crafted("\(reply) / icmpv6(type=129, id=7, seq=3) / raw(\"ping\")"), probe, .direct)
    #expect(
      try Crafted("\(reply) / icmpv6(type=129, id=9, seq=3) / raw(\"ping\")").match(probe) == nil)
    #expect(
      try Crafted("\(reply) / icmpv6(type=129, id=7, seq=4) / raw(\"ping\")").match(probe) == nil)
    let otherData = try Crafted("\(reply) / icmpv6(type=129, id=7, seq=3) / raw(\"pong\")")
    #expect(otherData.replyKey == probe.probeKey)
    #expect(otherData.match(probe) == nil)
  }

  @Test("An echo to a multicast group is answered from any address, through anyRemote")
  func multicastEcho() throws {
    let probe = try Crafted(
      "ipv6(src=2001:db8::1, dst=ff02::1) / icmpv6(type=128, id=7, seq=1)")
    let reply = try Crafted(
      "eth() / ipv6(src=fe80::2, dst=2001:db8::1) / icmpv6(type=129, id=7, seq=1)")
    #expect(probe.probeKey?.remote == .unspecified)
    #expect(reply.replyKey != probe.probeKey)
    #expect(reply.replyKey?.anyRemote == probe.probeKey)
    #expect(reply.match(probe) == .direct)
  }

  // MARK: ICMP errors

  @Test("ICMP port unreachable quoting the UDP probe")
  func icmpPortUnreachable() throws {
    let probe = try Crafted(
      "ipv4(src=192.0.2.1, dst=192.0.2.2, id=99) / udp(sport=40000, dport=33434) / raw(\"x\")")
    let error = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1) / icmp(type=3, code=3) / ipv4(src=192.0.2.1, dst=192.0.2.2, id=99) / udp(sport=40000, dport=33434) / raw(\"x\")"
    )
    expectAnswer(error, probe, .unreachable(code: 3, ipVersion: 4))
    #expect(error.match(probe)?.isPortUnreachable == true)
    // The same error quoting another flow answers nothing.
    let otherFlow = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1) / icmp(type=3, code=3) / ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=40001, dport=33434)"
    )
    #expect(otherFlow.replyKey != probe.probeKey)
    #expect(otherFlow.match(probe) == nil)
    let otherDestination = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.1) / icmp(type=3, code=3) / ipv4(src=192.0.2.1, dst=192.0.2.3) / udp(sport=40000, dport=33434)"
    )
    #expect(otherDestination.match(probe) == nil)
    // An error sent to another host answers nothing even when it quotes the probe.
    let misdirected = try Crafted(
      "\(Self.ethernet) / ipv4(src=192.0.2.2, dst=192.0.2.7) / icmp(type=3, code=3) / ipv4(src=192.0.2.1, dst=192.0.2.2, id=99) / udp(sport=40000, dport=33434)"
    )
    #expect(misdirected.replyKey == probe.probeKey)
    #expect(misdirected.match(probe) == nil)
  }

  @Test("Time exceeded quoting only the first 8 bytes of a TCP SYN (RFC 792 routers)")
  func timeExceededShortQuote() throws {
    let probe = try Crafted(Self.synProbe)
    // The quote: the probe's IPv4 header, then its first 8 TCP bytes (ports and seq).
    let quoted = Array(probe.bytes[0..<28])
    let hexQuote = quoted.map {
      String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
    }.joined()
    let error = try Crafted(
      "\(Self.ethernet) / ipv4(src=198.51.100.1, dst=192.0.2.1) / icmp(type=11, code=0) / raw(0x\(hexQuote))"
    )
    #expect(error.frame.layers.map(\.kind) == [.ethernet, .ipv4, .icmp, .ipv4, .tcp])
    expectAnswer(error, probe, .timeExceeded)
    #expect(error.match(probe, strictQuote: true) == .timeExceeded)
    // Only 4 TCP bytes: ports are there, the key is there.
    let shorter = try Crafted(
      "\(Self.ethernet) / ipv4(src=198.51.100.1, dst=192.0.2.1) / icmp(type=11, code=0) / raw(0x\(hexQuote.prefix(48)))"
    )
    #expect(shorter.match(probe) == .timeExceeded)
    // 2 TCP bytes: the ports are not all there, nothing can be told.
    let tooShort = try Crafted(
      "\(Self.ethernet) / ipv4(src=198.51.100.1, dst=192.0.2.1) / icmp(type=11, code=0) / raw(0x\(hexQuote.prefix(44)))"
    )
    #expect(tooShort.replyKey == nil)
  }

  @Test("ICMPv6 port unreachable quoting the UDP probe")
  func icmpv6PortUnreachable() throws {
    let probe = try Crafted(
      "ipv6(src=2001:db8::1, dst=2001:db8::2) / udp(sport=40000, dport=33434) / raw(\"x\")")
    let error = try Crafted(
      "eth() / ipv6(src=2001:db8::2, dst=2001:db8::1) / icmpv6(type=1, code=4) / ipv6(src=2001:db8::1, dst=2001:db8::2) / udp(sport=40000, dport=33434) / raw(\"x\")"
    )
    expectAnswer(error, probe, .unreachable(code: 4, ipVersion: 6))
    #expect(error.match(probe)?.isPortUnreachable == true)
    let otherFlow = try Crafted(
      "eth() / ipv6(src=2001:db8::2, dst=2001:db8::1) / icmpv6(type=1, code=4) / ipv6(src=2001:db8::1, dst=2001:db8::2) / udp(sport=40000, dport=33435)"
    )
    #expect(otherFlow.match(probe) == nil)
  }

  @Test("IPv6 extension headers in the probe and in the quote")
  func ipv6ExtensionHeaders() throws {
    let flow =
      "ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop(), destination(), fragment(id=7)]) / udp(sport=40000, dport=33434)"
    let probe = try Crafted(flow)
    #expect(probe.probeKey?.kind == .udp)
    let timeExceeded = try Crafted(
      "eth() / ipv6(src=2001:db8:ffff::1, dst=2001:db8::1) / icmpv6(type=3, code=0) / \(flow)")
    expectAnswer(timeExceeded, probe, .timeExceeded)
    // The router's own reply may carry extension headers too.
    let withOwnHeaders = try Crafted(
      "eth() / ipv6(src=2001:db8:ffff::1, dst=2001:db8::1, extensions=[destination()]) / icmpv6(type=3, code=0) / \(flow)"
    )
    #expect(withOwnHeaders.match(probe) == .timeExceeded)
    // A direct reply (no extension headers) to a probe with them.
    let direct = try Crafted(
      "eth() / ipv6(src=2001:db8::2, dst=2001:db8::1) / udp(sport=33434, dport=40000)")
    expectAnswer(direct, probe, .direct)
    // A TCP SYN with a hop-by-hop header, answered by SA.
    let syn = try Crafted(
      "ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop()]) / tcp(sport=40000, dport=443, flags=S, seq=1)"
    )
    let synAck = try Crafted(
      "eth() / ipv6(src=2001:db8::2, dst=2001:db8::1) / tcp(sport=443, dport=40000, flags=SA, seq=9, ack=2)"
    )
    expectAnswer(synAck, syn, .direct)
  }

  @Test("A segment routing header: the final destination is the one compared")
  func segmentRouting() throws {
    // Segments [final, middle]; segments left 1: the header's destination is the middle one.
    let probe = try Crafted(
      "ipv6(src=2001:db8::1, dst=2001:db8::4, extensions=[routing(routing_type=4, segments_left=1, hex=0x00000100000020010db800000000000000000000000220010db8000000000000000000000004)]) / udp(sport=40000, dport=33434)"
    )
    #expect(probe.probeKey?.remote == IPv6Address("2001:db8::2"))
    // The destination's port unreachable quotes the datagram as it arrived: segments left 0.
    let error = try Crafted(
      "eth() / ipv6(src=2001:db8::2, dst=2001:db8::1) / icmpv6(type=1, code=4) / ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[routing(routing_type=4, segments_left=0, hex=0x00000100000020010db800000000000000000000000220010db8000000000000000000000004)]) / udp(sport=40000, dport=33434)"
    )
    expectAnswer(error, probe, .unreachable(code: 4, ipVersion: 6))
  }

  @Test("strictQuote tells apart probes of one flow by their first transport bytes")
  func strictQuote() throws {
    let first = try Crafted(
      "ipv4(src=192.0.2.1, dst=192.0.2.2, ttl=1) / udp(sport=40000, dport=33434) / raw(\"a\")")
    let second = try Crafted(
      "ipv4(src=192.0.2.1, dst=192.0.2.2, ttl=2) / udp(sport=40000, dport=33434) / raw(\"b\")")
    #expect(first.probeKey == second.probeKey)
    let error = try Crafted(
      "\(Self.ethernet) / ipv4(src=198.51.100.1, dst=192.0.2.1) / icmp(type=11) / ipv4(src=192.0.2.1, dst=192.0.2.2, ttl=1) / udp(sport=40000, dport=33434) / raw(\"a\")"
    )
    #expect(error.match(first) == .timeExceeded)
    #expect(error.match(second) == .timeExceeded)
    #expect(error.match(first, strictQuote: true) == .timeExceeded)
    #expect(error.match(second, strictQuote: true) == nil)
  }

  @Test("Errors quoting ICMP echo: by id and seq")
  func errorQuotingEcho() throws {
    let probe = try Crafted("ipv4(src=192.0.2.1, dst=203.0.113.9) / icmp(type=8, id=5, seq=6)")
    let error = try Crafted(
      "\(Self.ethernet) / ipv4(src=198.51.100.1, dst=192.0.2.1) / icmp(type=3, code=1) / ipv4(src=192.0.2.1, dst=203.0.113.9) / icmp(type=8, id=5, seq=6)"
    )
    expectAnswer(error, probe, .unreachable(code: 1, ipVersion: 4))
    let otherSeq = try Crafted(
      "\(Self.ethernet) / ipv4(src=198.51.100.1, dst=192.0.2.1) / icmp(type=11) / ipv4(src=192.0.2.1, dst=203.0.113.9) / icmp(type=8, id=5, seq=7)"
    )
    #expect(otherSeq.match(probe) == nil)
    let v6probe = try Crafted(
      "ipv6(src=2001:db8::1, dst=2001:db8:9::9) / icmpv6(type=128, id=5, seq=6)")
    let v6error = try Crafted(
      "eth() / ipv6(src=2001:db8::ff, dst=2001:db8::1) / icmpv6(type=2, rest=1280) / ipv6(src=2001:db8::1, dst=2001:db8:9::9) / icmpv6(type=128, id=5, seq=6)"
    )
    expectAnswer(v6error, v6probe, .otherError(type: 2, code: 0, ipVersion: 6))
  }

  // MARK: ARP and neighbour discovery

  @Test("ARP request answered by the reply from the asked address")
  func arpReply() throws {
    let probe = try Crafted(
      "eth(src=02:00:00:00:00:01, dst=ff:ff:ff:ff:ff:ff) / arp(op=1, sender_mac=02:00:00:00:00:01, sender_ip=192.0.2.1, target_ip=192.0.2.2)"
    )
    let reply = try Crafted(
      "eth(src=02:00:00:00:00:02, dst=02:00:00:00:00:01) / arp(op=2, sender_mac=02:00:00:00:00:02, sender_ip=192.0.2.2, target_mac=02:00:00:00:00:01, target_ip=192.0.2.1)"
    )
    expectAnswer(reply, probe, .direct)
    let otherHost = try Crafted(
      "eth() / arp(op=2, sender_mac=02:00:00:00:00:03, sender_ip=192.0.2.3, target_ip=192.0.2.1)")
    #expect(otherHost.match(probe) == nil)
    // Someone else asking for the same address is not an answer.
    let request = try Crafted("eth() / arp(op=1, sender_ip=192.0.2.9, target_ip=192.0.2.2)")
    #expect(request.replyKey == nil)
  }

  @Test("Neighbour solicitation answered by the advertisement of its target")
  func neighborDiscovery() throws {
    let probe = try Crafted(
      "eth(dst=33:33:ff:00:00:02) / ipv6(src=2001:db8::1, dst=ff02::1:ff00:2, hop_limit=255) / icmpv6(type=135, target=2001:db8::2, options=[source_mac=02:00:00:00:00:01])"
    )
    let advertisement = try Crafted(
      "eth() / ipv6(src=2001:db8::2, dst=2001:db8::1, hop_limit=255) / icmpv6(type=136, rest=0x60000000, target=2001:db8::2, options=[target_mac=02:00:00:00:00:02])"
    )
    expectAnswer(advertisement, probe, .direct)
    let otherTarget = try Crafted(
      "eth() / ipv6(src=2001:db8::3, dst=2001:db8::1, hop_limit=255) / icmpv6(type=136, target=2001:db8::3)"
    )
    #expect(otherTarget.match(probe) == nil)
    let toOtherHost = try Crafted(
      "eth() / ipv6(src=2001:db8::2, dst=2001:db8::7, hop_limit=255) / icmpv6(type=136, target=2001:db8::2)"
    )
    #expect(toOtherHost.match(probe) == nil)
  }

  // MARK: VLAN, link types

  @Test("A reply with 802.1Q and QinQ tags answers a raw-IP probe")
  func vlanReply() throws {
    let probe = try Crafted(
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / icmp(type=8, id=1, seq=1)")
    let reply = try Crafted(
      "eth() / vlan(id=10, tpid=0x88a8) / vlan(id=20) / ipv4(src=192.0.2.2, dst=192.0.2.1) / icmp(type=0, id=1, seq=1)"
    )
    expectAnswer(reply, probe, .direct)
  }

  @Test("ReplyKind classifies errors")
  func replyKinds() throws {
    let quote = "ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=1, dport=2)"
    let v4 = "ipv4(src=198.51.100.1, dst=192.0.2.1)"
    #expect(
      ReplyKind(reply: try Crafted("\(v4) / icmp(type=11) / \(quote)").frame) == .timeExceeded)
    #expect(
      ReplyKind(reply: try Crafted("\(v4) / icmp(type=3, code=13) / \(quote)").frame)
        == .unreachable(code: 13, ipVersion: 4))
    #expect(
      ReplyKind(reply: try Crafted("\(v4) / icmp(type=12) / \(quote)").frame)
        == .otherError(type: 12, code: 0, ipVersion: 4))
    #expect(ReplyKind(reply: try Crafted("\(v4) / icmp(type=0)").frame) == .direct)
    #expect(ReplyKind(reply: try Crafted("\(v4) / udp()").frame) == .direct)
    #expect(ReplyKind.unreachable(code: 3, ipVersion: 6).isPortUnreachable == false)
  }

  // MARK: Fixtures, against scapy's answers()

  /// Every (probe, reply) pair of packet numbers in a fixture for which scapy 2.8's
  /// `reply.answers(probe)` is true, from `Scripts/answers-oracle.py`.
  static let scapyPairs: [(file: String, pairs: Set<[Int]>)] = [
    (
      "ethernet-ipv4-tcp.pcap",
      [
        [1, 2], [2, 3], [2, 4], [4, 5], [5, 6], [5, 8], [6, 7], [6, 9], [7, 6], [7, 8], [8, 7],
        [8, 9], [9, 6], [9, 8], [10, 11], [14, 15], [15, 16], [16, 17],
      ]
    ),
    ("ethernet-ipv4-icmp.pcap", [[1, 2], [3, 4]]),
    ("ethernet-icmpv6.pcap", [[1, 2], [3, 4], [5, 6]]),
    ("ethernet-ipv4-udp.pcap", [[1, 2]]),
    ("ethernet-ipv6.pcap", [[1, 2]]),
    ("ethernet-vlan.pcap", [[1, 2]]),
    (
      "mixed.pcap",
      [
        // scapy also has 8 answered by 18 and 19 (fragments at offsets 48 and 96, whose
        // payload scapy leaves raw, and raw "answers" anything) and by 38 (an IPv4 header
        // with a header length of 16): rawtool answers with neither.
        [1, 2], [2, 3], [2, 4], [4, 5], [5, 6], [7, 8], [10, 11], [25, 26], [27, 28], [29, 30],
        [31, 32],
      ]
    ),
  ]

  @Test("Every pair of fixture packets: matched exactly when scapy's answers() says so")
  func fixturesAgreeWithScapy() throws {
    for (file, expected) in Self.scapyPairs {
      let packets = try PcapFixture.load(file).map {
        Crafted(bytes: $0.bytes, linkType: $0.record.linkType)
      }
      var pairs: Set<[Int]> = []
      for (probeIndex, probe) in packets.enumerated() {
        for (replyIndex, reply) in packets.enumerated() where replyIndex != probeIndex {
          guard reply.match(probe) != nil else { continue }
          pairs.insert([probeIndex + 1, replyIndex + 1])
          // Every match is found by the key lookup.
          #expect(
            reply.replyKey == probe.probeKey || reply.replyKey?.anyRemote == probe.probeKey,
            "\(file) \(probeIndex + 1) -> \(replyIndex + 1)")
        }
      }
      #expect(
        pairs == expected,
        "\(file): extra \(pairs.subtracting(expected).sorted { $0.lexicographicallyPrecedes($1) }), missing \(expected.subtracting(pairs).sorted { $0.lexicographicallyPrecedes($1) })"
      )
    }
  }

  @Test("ARP fixture: requests and their replies (RARP apart)")
  func arpFixture() throws {
    let packets = try PcapFixture.load("ethernet-arp.pcap").map {
      Crafted(bytes: $0.bytes, linkType: $0.record.linkType)
    }
    var pairs: Set<[Int]> = []
    for (probeIndex, probe) in packets.enumerated() {
      for (replyIndex, reply) in packets.enumerated() where reply.match(probe) != nil {
        pairs.insert([probeIndex + 1, replyIndex + 1])
      }
    }
    // scapy also pairs the RARP packets 5 and 6 both ways (it decodes RARP as raw bytes,
    // which "answer" any raw bytes); rawtool pairs the RARP request 5 with its reply 6 only
    // when the reply's sender is the asked address, which it is not in this capture.
    #expect(pairs == [[1, 2], [3, 4], [7, 2]])
  }
}
