import PacketKit
import Testing

/// Paris traceroute probes: one flow per trace, each probe told apart by its number, and
/// the replies routers and the destination send mapped back to it.
@Suite("Trace probes")
struct TraceProbesTests {
  static let client4 = IPv4Address(192, 0, 2, 2)
  static let router4 = IPv4Address(192, 0, 2, 1)
  static let server4 = IPv4Address(198, 51, 100, 2)
  static let client6 = IPv6Address(high: 0x2001_0db8_0001_0000, low: 2)
  static let router6 = IPv6Address(high: 0x2001_0db8_0001_0000, low: 1)
  static let server6 = IPv6Address(high: 0x2001_0db8_0002_0000, low: 2)

  static func probes(_ method: TraceProbes.Method, v6: Bool) -> TraceProbes {
    TraceProbes(
      method: method,
      endpoints: v6
        ? .ipv6(source: client6, destination: server6)
        : .ipv4(source: client4, destination: server4),
      flowIdentifier: 40_000, port: method == .tcp ? 80 : 33434)
  }

  /// An ICMP / ICMPv6 error from `from` to the client quoting `probe` whole.
  static func error(quoting probe: [UInt8], type: UInt8, code: UInt8, from: String, v6: Bool)
    -> DecodedFrame
  {
    let layers: [StackLayer] =
      v6
      ? [
        .ipv6(IPv6(src: from == "router" ? router6 : server6, dst: client6)),
        .icmpv6(ICMPv6(type: type, code: code)), .payload(Payload(probe)),
      ]
      : [
        .ipv4(IPv4(src: from == "router" ? router4 : server4, dst: client4)),
        .icmp(ICMP(type: type, code: code)), .payload(Payload(probe)),
      ]
    return FrameDecoder().decode(try! PacketStack(layers).build(), linkType: .raw)
  }

  static func decode(_ layers: [StackLayer]) -> DecodedFrame {
    FrameDecoder().decode(try! PacketStack(layers).build(), linkType: .raw)
  }

  @Test(
    "every probe of a trace has the same 5-tuple, and different probes differ",
    arguments: [
      TraceProbes.Method.udp, .tcp, .icmp,
    ])
  func oneFlow(method: TraceProbes.Method) {
    for v6 in [false, true] {
      let probes = Self.probes(method, v6: v6)
      let a = FrameDecoder().decode(probes.packet(hop: 1, number: 1), linkType: .raw)
      let b = FrameDecoder().decode(probes.packet(hop: 7, number: 2), linkType: .raw)
      #expect(a.count == b.count)
      switch (a[1].header, b[1].header) {
      case (.udp(let x), .udp(let y)):
        #expect(x.srcPort == y.srcPort && x.dstPort == y.dstPort)
        #expect(x.checksum != y.checksum)
      case (.tcp(let x), .tcp(let y)):
        #expect(x.srcPort == y.srcPort && x.dstPort == y.dstPort && x.seq != y.seq)
      case (.icmp(let x), .icmp(let y)):
        #expect(x.id == y.id && x.seq != y.seq)
        #expect(x.checksum == y.checksum, "Paris ICMP keeps the checksum constant")
      case (.icmpv6(let x), .icmpv6(let y)):
        #expect(x.rest >> 16 == y.rest >> 16 && x.rest != y.rest)
        #expect(x.checksum == y.checksum, "Paris ICMPv6 keeps the checksum constant")
      default:
        Issue.record("unexpected layers \(a.layers) \(b.layers)")
      }
      #expect(a[1].checksumValid == true && b[1].checksumValid == true)
    }
  }

  @Test(
    "a router's time exceeded quoting a probe names that probe",
    arguments: [
      TraceProbes.Method.udp, .tcp, .icmp,
    ])
  func timeExceeded(method: TraceProbes.Method) {
    for v6 in [false, true] {
      let probes = Self.probes(method, v6: v6)
      var checksums: [UInt16: UInt16] = [:]
      for number: UInt16 in 1...40 { checksums[probes.udpChecksum(of: number)] = number }
      if method == .udp { #expect(checksums.count == 40, "UDP checksums tell 40 probes apart") }
      let probe = probes.packet(hop: 1, number: 17)
      let reply = Self.error(quoting: probe, type: v6 ? 3 : 11, code: 0, from: "router", v6: v6)
      let answer = probes.reply(to: reply, checksums: checksums)
      #expect(answer?.number == 17)
      #expect(answer?.kind == .timeExceeded)
      #expect(answer?.responder == (v6 ? "2001:db8:1::1" : "192.0.2.1"))
      // Another flow's probe quoted: not ours.
      let other = TraceProbes(
        method: method, endpoints: probes.endpoints, flowIdentifier: 40_001, port: probes.port)
      let foreign = Self.error(
        quoting: other.packet(hop: 1, number: 17), type: v6 ? 3 : 11, code: 0, from: "router",
        v6: v6)
      #expect(probes.reply(to: foreign, checksums: checksums) == nil)
    }
  }

  @Test("the destination's answers: port unreachable, echo reply, SYN-ACK and RST")
  func destination() {
    for v6 in [false, true] {
      let udp = Self.probes(.udp, v6: v6)
      let checksums = [udp.udpChecksum(of: 3): UInt16(3)]
      let unreachable = Self.error(
        quoting: udp.packet(hop: 3, number: 3), type: v6 ? 1 : 3, code: v6 ? 4 : 3,
        from: "server", v6: v6)
      #expect(udp.reply(to: unreachable, checksums: checksums)?.kind == .destination)
      let hostUnreachable = Self.error(
        quoting: udp.packet(hop: 3, number: 3), type: v6 ? 1 : 3, code: v6 ? 3 : 1,
        from: "router", v6: v6)
      let host = udp.reply(to: hostUnreachable, checksums: checksums)
      #expect(host?.kind == .unreachable && host?.code == (v6 ? 3 : 1))

      let icmp = Self.probes(.icmp, v6: v6)
      let ip: StackLayer =
        v6
        ? .ipv6(IPv6(src: Self.server6, dst: Self.client6))
        : .ipv4(IPv4(src: Self.server4, dst: Self.client4))
      let echo: StackLayer =
        v6
        ? .icmpv6(ICMPv6(type: 129, id: 40_000, seq: 9))
        : .icmp(ICMP(type: 0, id: 40_000, seq: 9))
      let echoReply = icmp.reply(to: Self.decode([ip, echo]))
      #expect(echoReply?.number == 9 && echoReply?.kind == .destination)
      let wrongID: StackLayer =
        v6
        ? .icmpv6(ICMPv6(type: 129, id: 7, seq: 9)) : .icmp(ICMP(type: 0, id: 7, seq: 9))
      #expect(icmp.reply(to: Self.decode([ip, wrongID])) == nil)

      let tcp = Self.probes(.tcp, v6: v6)
      let probe = FrameDecoder().decode(tcp.packet(hop: 4, number: 5), linkType: .raw)
      guard case .tcp(let syn) = probe[1].header else {
        Issue.record("no TCP layer")
        continue
      }
      for flags in [TCPFlags(rawValue: 0x12), TCPFlags(rawValue: 0x14)] {
        let answer = tcp.reply(
          to: Self.decode([
            ip, .tcp(TCP(srcPort: 80, dstPort: 40_000, ack: syn.seq &+ 1, flags: flags)),
          ]))
        #expect(answer?.number == 5 && answer?.kind == .destination)
      }
      // A segment that acknowledges something else is not an answer.
      #expect(
        tcp.reply(
          to: Self.decode([
            ip, .tcp(TCP(srcPort: 80, dstPort: 40_000, ack: syn.seq &+ 2, flags: .ack)),
          ])) == nil)
    }
  }

  @Test("the probe itself, seen going out, answers nothing")
  func ownProbe() {
    for method in TraceProbes.Method.allCases {
      for v6 in [false, true] {
        let probes = Self.probes(method, v6: v6)
        let checksums = [probes.udpChecksum(of: 1): UInt16(1)]
        let own = FrameDecoder().decode(probes.packet(hop: 1, number: 1), linkType: .raw)
        #expect(probes.reply(to: own, checksums: checksums) == nil)
      }
    }
  }
}
