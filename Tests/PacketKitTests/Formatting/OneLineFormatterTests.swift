import PacketKit
import Testing

// Lines from tcpdump 4.99.3 (`TZ=UTC tcpdump <flags> -nr Fixtures/<file>`), flags as named.

@Suite("OneLineFormatter options")
struct OneLineFormatterTests {
  static func lines(
    _ file: String, _ formatter: OneLineFormatter, interfaceName: String? = nil
  ) throws -> [String] {
    try FixturePcap(named: file).lines(formatter, interfaceName: interfaceName)
  }

  @Test("-e prints the Ethernet and 802.1Q headers")
  func linkLayerEthernet() throws {
    let lines = try Self.lines("ethernet-vlan.pcap", OneLineFormatter(printLinkLayer: true))
    #expect(
      lines[0]
        == "22:13:20.000001 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 802.1Q (0x8100), length 55: vlan 100, p 5, DEI, ethertype IPv4 (0x0800), 192.0.2.1 > 192.0.2.2: ICMP echo request, id 8, seq 1, length 17"
    )
    #expect(
      lines[2]
        == "22:13:20.002001 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 802.1Q-QinQ (0x88a8), length 54: vlan 200, p 3, ethertype 802.1Q (0x8100), vlan 10, p 1, DEI, ethertype IPv4 (0x0800), 192.0.2.1.6000 > 192.0.2.2.6001: UDP, length 4"
    )
    #expect(
      lines[4]
        == "22:13:20.004001 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 60: vlan 4094, p 0, ethertype ARP (0x0806), Request who-has 192.0.2.2 tell 192.0.2.1, length 42"
    )
    let arp = try Self.lines("ethernet-arp.pcap", OneLineFormatter(printLinkLayer: true))
    #expect(
      arp[4]
        == "22:13:20.004001 02:00:00:00:00:04 > ff:ff:ff:ff:ff:ff, ethertype Reverse ARP (0x8035), length 60: Reverse Request who-is 02:00:00:00:00:04 tell 02:00:00:00:00:04, length 46"
    )
    let ipip = try Self.lines("ethernet-ipip.pcap", OneLineFormatter(printLinkLayer: true))
    #expect(
      ipip[2]
        == "22:13:20.002001 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv6 (0x86dd), length 94: 2001:db8::3 > 2001:db8::4: 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1, win 1024, length 0"
    )
    let bad = try Self.lines("malformed.pcap", OneLineFormatter(printLinkLayer: true))
    #expect(
      bad[12]
        == "22:13:20.012001 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 50: IP7 (invalid)"
    )
    #expect(
      bad[13]
        == "22:13:20.013001 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv6 (0x86dd), length 64: version error: 4 != 6"
    )
  }

  @Test("-e prints SLL, SLL2, NULL and raw link headers")
  func linkLayerOthers() throws {
    let sll = try Self.lines("linux-sll.pcap", OneLineFormatter(printLinkLayer: true))
    #expect(
      sll[0]
        == "23:56:33.262001 Out 02:00:00:00:0a:01 ethertype IPv6 (0x86dd), length 112: fe80::ff:fe00:a01 > ff02::16: HBH ICMP6, multicast listener report v2, 2 group record(s), length 48"
    )
    #expect(
      sll[1]
        == "23:56:33.581958   M 02:00:00:00:0b:01 ethertype IPv6 (0x86dd), length 88: :: > ff02::1:ff00:b01: ICMP6, neighbor solicitation, who has fe80::ff:fe00:b01, length 32"
    )
    let sll2 = try Self.lines(
      "linux-sll2.pcap", OneLineFormatter(printLinkLayer: true), interfaceName: "lo")
    #expect(
      sll2[0]
        == "23:56:33.261998 lo    Out ifindex 1 02:00:00:00:0a:01 ethertype IPv6 (0x86dd), length 116: fe80::ff:fe00:a01 > ff02::16: HBH ICMP6, multicast listener report v2, 2 group record(s), length 48"
    )
    let null = try Self.lines("null-loopback.pcap", OneLineFormatter(printLinkLayer: true))
    #expect(
      null[1]
        == "22:13:20.001001 AF IPv6 (24), length 58: 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 10, seq 1, length 14"
    )
    let raw = try Self.lines("raw-ip.pcap", OneLineFormatter(printLinkLayer: true))
    #expect(
      raw[0]
        == "22:13:20.000001 ip: 192.0.2.1 > 192.0.2.2: ICMP echo request, id 10, seq 1, length 14")
  }

  static let firstLine =
    "IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7], length 0"
  static let secondLine = "IP 192.0.2.1.53000 > 192.0.2.2.53: 4660+ A? example.com. (29)"

  @Test(
    "timestamp styles (-t … -ttttt, --nano) on ns-bigendian.pcap",
    arguments: [
      (TimestampStyle.none, false, "", ""),
      (.time, false, "22:13:20.123456 ", "22:13:21.123456 "),
      (.time, true, "22:13:20.123456789 ", "22:13:21.123456790 "),
      (.epoch, false, "1700000000.123456 ", "1700000001.123456 "),
      (.epoch, true, "1700000000.123456789 ", "1700000001.123456790 "),
      (.delta, false, " 00:00:00.000000 ", " 00:00:01.000000 "),
      (.delta, true, " 00:00:00.000000000 ", " 00:00:01.000000001 "),
      (.dateTime, false, "2023-11-14 22:13:20.123456 ", "2023-11-14 22:13:21.123456 "),
      (.dateTime, true, "2023-11-14 22:13:20.123456789 ", "2023-11-14 22:13:21.123456790 "),
      (.sinceFirst, false, " 00:00:00.000000 ", " 00:00:01.000000 "),
    ])
  func timestamps(_ style: TimestampStyle, _ nano: Bool, _ first: String, _ second: String) throws {
    let lines = try Self.lines(
      "ns-bigendian.pcap", OneLineFormatter(timestampStyle: style, nanosecondPrecision: nano))
    #expect(lines[0] == first + Self.firstLine)
    #expect(lines[1] == second + Self.secondLine)
  }

  @Test("-ttt is relative to the previous packet, -ttttt to the first")
  func deltaAndSinceFirst() throws {
    let delta = try Self.lines("ns-bigendian.pcap", OneLineFormatter(timestampStyle: .delta))
    let since = try Self.lines("ns-bigendian.pcap", OneLineFormatter(timestampStyle: .sinceFirst))
    #expect(delta[3].hasPrefix(" 00:00:01.000000 IP6 "))
    #expect(since[3].hasPrefix(" 00:00:03.000000 IP6 "))
  }

  @Test("utcOffsetSeconds shifts time of day and date")
  func localTime() throws {
    let time = try Self.lines("ns-bigendian.pcap", OneLineFormatter(utcOffsetSeconds: 2 * 3600))
    #expect(time[0].hasPrefix("00:13:20.123456 IP "))
    let date = try Self.lines(
      "ns-bigendian.pcap", OneLineFormatter(timestampStyle: .dateTime, utcOffsetSeconds: 2 * 3600))
    #expect(date[0].hasPrefix("2023-11-15 00:13:20.123456 IP "))
    let west = try Self.lines(
      "ns-bigendian.pcap", OneLineFormatter(timestampStyle: .dateTime, utcOffsetSeconds: -23 * 3600)
    )
    #expect(west[0].hasPrefix("2023-11-13 23:13:20.123456 IP "))
  }

  @Test("-S prints absolute sequence numbers (SACK blocks too)")
  func absoluteSequence() throws {
    let lines = try Self.lines("ethernet-ipv4-tcp.pcap", OneLineFormatter(absoluteSequence: true))
    #expect(
      lines[2]
        == "22:13:20.002001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [.], ack 5001, win 502, options [nop,nop,TS val 101 ecr 200], length 0"
    )
    #expect(
      lines[5]
        == "22:13:20.005001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [.], ack 5044, win 501, options [nop,nop,TS val 104 ecr 203,nop,nop,sack 2 {5100:5200}{5300:5400}], length 0"
    )
  }

  @Test("reset() forgets TCP conversations and the first timestamp")
  func resetForgets() throws {
    let pcap = try FixturePcap(named: "ethernet-ipv4-tcp.pcap")
    var formatter = OneLineFormatter(timestampStyle: .none)
    var out = TextBuffer()
    let decoder = FrameDecoder()
    for packet in pcap.packets.prefix(3) {
      formatter.write(
        decoder.decode(packet.bytes.span, linkType: pcap.linkType), bytes: packet.bytes.span,
        record: packet.record, to: &out)
    }
    formatter.reset()
    out.clear()
    let packet = pcap.packets[3]
    formatter.write(
      decoder.decode(packet.bytes.span, linkType: pcap.linkType), bytes: packet.bytes.span,
      record: packet.record, to: &out)
    #expect(out.string.contains("seq 1001:1036, ack 5001,"))
  }
}

@Suite("OneLineFormatter timestamps past 2038")
struct OneLineTimestampLimitTests {
  /// `TZ=UTC tcpdump <flags> -nr` 4.99.3 on the corpus's time_2106_max.pcap (4294967295 s) and
  /// time_2106_overflow.pcapng (4294967296 s): the top bit of the 32-bit seconds makes tcpdump
  /// give up, and `-tt` prints the seconds cut to 32 bits.
  @Test(
    "absolute times follow tcpdump's 32-bit seconds",
    arguments: [
      (TimestampStyle.time, Int64(4_294_967_295), "[Error converting time] "),
      (.epoch, 4_294_967_295, "[Error converting time] "),
      (.dateTime, 4_294_967_295, "[Error converting time] "),
      (.time, 2_147_483_648, "[Error converting time] "),
      (.time, 2_147_483_647, "03:14:07.000000 "),
      (.time, 4_294_967_296, "06:28:16.000000 "),
      (.epoch, 4_294_967_296, "0.000000 "),
      (.dateTime, 4_294_967_296, "2106-02-07 06:28:16.000000 "),
      (.delta, 4_294_967_295, " 00:00:00.000000 "),
    ])
  func limits(_ style: TimestampStyle, _ seconds: Int64, _ prefix: String) {
    // OneLineCraftedTests' first frame: IPv4 protocol 200.
    let frameBytes = hex(
      "0200000000020200000000010800450000200001000040c8f611c0000201c0000202787878787878787878787878"
    )
    var formatter = OneLineFormatter(timestampStyle: style)
    var out = TextBuffer()
    let frame = FrameDecoder().decode(frameBytes.span, linkType: .ethernet)
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: seconds, nanoseconds: 0),
      capturedLength: frameBytes.count, wireLength: frameBytes.count, linkType: .ethernet)
    formatter.write(frame, bytes: frameBytes.span, record: record, to: &out)
    #expect(out.string == prefix + "IP 192.0.2.1 > 192.0.2.2:  ip-proto-200 12\n")
  }
}
