import Testing

@testable import PacketKit

/// Bytes from contiguous hex.
private func frameBytes(_ hex: String) -> [UInt8] {
  var result: [UInt8] = []
  var iterator = hex.utf8.makeIterator()
  func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
  while let high = iterator.next(), let low = iterator.next() {
    result.append(nibble(high) << 4 | nibble(low))
  }
  return result
}

/// Frames built once with scapy 2.x (`bytes(pkt).hex()`); MACs 02:00:00:00:00:01/02.
enum StatisticsVectors {
  /// Ether/IP(192.0.2.1 > 198.51.100.2, id=1)/TCP(12345 > 80, S, seq=1000)
  static let tcpSyn = frameBytes(
    "0200000000020200000000010800450000280001000040068e98c0000201c633640230390050000003e8"
      + "00000000500220006f3a0000")
  /// Ether/IP(198.51.100.2 > 192.0.2.1, id=2)/TCP(80 > 12345, SA, seq=5000, ack=1001)/"hello"
  static let tcpSynAck = frameBytes(
    "02000000000102000000000208004500002d0002000040068e92c6336402c000020100503039000013880000"
      + "03e95012200017ca000068656c6c6f")
  /// Ether/IP(192.0.2.1 > 198.51.100.2, id=3)/UDP(5353 > 53)/"abcd"
  static let udp = frameBytes(
    "0200000000020200000000010800450000200003000040118e93c0000201c633640214e90035000c39ba61626364"
  )
  /// Ether/IP(198.51.100.2 > 192.0.2.1)/ICMP(3/3 port unreachable)/IP(192.0.2.1 > 198.51.100.2)/UDP(5353 > 53)
  static let icmpError = frameBytes(
    "0200000000010200000000020800450000380005000040018e89c6336402c00002010303e94d000000004500"
      + "001c0003000040118e97c0000201c633640214e900350008fe88")
  /// Ether/IPv6(2001:db8::1 > 2001:db8::2)/TCP(40000 > 443, S)
  static let tcp6 = frameBytes(
    "02000000000202000000000186dd600000000014064020010db800000000000000000000000120010db8"
      + "0000000000000000000000029c4001bb00000000000000005002200096720000")
  /// Ether(dst=broadcast)/ARP(who-has 192.0.2.2 tell 192.0.2.1)
  static let arp = frameBytes(
    "ffffffffffff02000000000108060001080006040001020000000001c0000201000000000000c0000202")
  /// Ether/IP(192.0.2.1 > 198.51.100.2, ihl=3)/TCP(1 > 2): header_length malformed
  static let badIHL = frameBytes(
    "0200000000020200000000010800430000280001000040069098c0000201c633640200010002000000000000"
      + "000050022000a3a80000")
}

@Suite("CaptureStatistics")
struct CaptureStatisticsTests {
  /// 2024-05-01T12:00:00Z
  static let start: Int64 = 1_714_564_800

  /// Eight frames over three seconds: a TCP handshake half, UDP, an ICMP error quoting the
  /// UDP datagram, IPv6 TCP, ARP, the SYN again cut at 40 bytes, and a malformed IPv4 header.
  static func sample() -> CaptureStatistics {
    let decoder = FrameDecoder()
    var statistics = CaptureStatistics()
    let frames: [([UInt8], Int64, UInt32, Int?)] = [
      (StatisticsVectors.tcpSyn, 0, 0, nil),
      (StatisticsVectors.tcpSynAck, 0, 500_000_000, nil),
      (StatisticsVectors.udp, 1, 0, nil),
      (StatisticsVectors.icmpError, 1, 250_000_000, nil),
      (StatisticsVectors.tcp6, 1, 500_000_000, nil),
      (StatisticsVectors.arp, 2, 0, nil),
      (Array(StatisticsVectors.tcpSyn[0..<40]), 2, 1000, 54),
      (StatisticsVectors.badIHL, 3, 123_456_789, nil),
    ]
    for (bytes, seconds, nanoseconds, wire) in frames {
      let frame = decoder.decode(bytes, linkType: .ethernet, wireLength: wire)
      statistics.add(
        frame, timestampSeconds: start + seconds, nanoseconds: nanoseconds,
        capturedLength: bytes.count, wireLength: wire ?? bytes.count)
    }
    return statistics
  }

  @Test("Summary counts")
  func summary() {
    let statistics = Self.sample()
    #expect(statistics.packets == 8)
    #expect(statistics.bytes == 453)
    #expect(statistics.capturedBytes == 439)
    #expect(statistics.firstTime == .init(seconds: Self.start, nanoseconds: 0))
    #expect(statistics.lastTime == .init(seconds: Self.start + 3, nanoseconds: 123_456_789))
    #expect(statistics.durationNanoseconds == 3_123_456_789)
    #expect(statistics.truncated == 1)
    #expect(statistics.malformed == 1)
    #expect(statistics.linkTypes == [.init(linkType: .ethernet, packets: 8)])
  }

  @Test("Timestamps out of order give the earliest and latest")
  func outOfOrder() {
    var statistics = CaptureStatistics()
    let frame = FrameDecoder().decode(StatisticsVectors.arp, linkType: .ethernet)
    for seconds: Int64 in [5, 3, 9, 4] {
      statistics.add(
        frame, timestampSeconds: seconds, nanoseconds: 7, capturedLength: 42, wireLength: 42)
    }
    #expect(statistics.firstTime?.seconds == 3)
    #expect(statistics.lastTime?.seconds == 9)
  }

  @Test("An empty capture reports n/a and nulls")
  func empty() {
    let statistics = CaptureStatistics()
    var json = TextBuffer()
    statistics.writeJSON(to: &json, top: 10)
    #expect(
      json.string
        == #"{"packets":0,"bytes":0,"captured_bytes":0,"first_time":null,"last_time":null,"#
        + #""duration":0.000000000,"packets_per_second":null,"bytes_per_second":null,"#
        + #""link_types":[],"protocols":[],"conversations":{"ip":[],"tcp":[],"udp":[]},"#
        + #""truncated":0,"malformed":0}"# + "\n")
    var text = TextBuffer()
    statistics.writeText(to: &text, top: 10)
    #expect(text.string.contains("First packet         n/a\n"))
  }

  @Test("Protocol hierarchy counts every prefix, quoted layers included")
  func hierarchy() {
    let nodes = Self.sample().protocols.nodes
    let rows = nodes.map { "\($0.path) \($0.depth) \($0.packets) \($0.bytes)" }
    #expect(
      rows == [
        "eth 0 8 453",
        "eth:ipv4 1 6 337",
        "eth:ipv4:tcp 2 3 167",
        "eth:ipv4:tcp:raw 3 1 59",
        "eth:ipv4:icmp 2 1 70",
        "eth:ipv4:icmp:ipv4 3 1 70",
        "eth:ipv4:icmp:ipv4:udp 4 1 70",
        "eth:ipv4:udp 2 1 46",
        "eth:ipv4:udp:raw 3 1 46",
        "eth:ipv6 1 1 74",
        "eth:ipv6:tcp 2 1 74",
        "eth:arp 1 1 42",
      ])
  }

  @Test(
    "IP conversations are undirected; A is the first sender; ICMP errors count on the outer pair")
  func ipConversations() {
    let statistics = Self.sample()
    let ip = statistics.conversations.top(10, of: .ip)
    #expect(ip.count == 2)
    let v4 = ip[0]
    #expect(v4.a == .v4(IPv4Address(192, 0, 2, 1)))
    #expect(v4.b == .v4(IPv4Address(198, 51, 100, 2)))
    // The SYN, the UDP datagram and the truncated SYN (its IPv4 header is complete); not
    // the frame whose IPv4 header is malformed.
    #expect(v4.packetsAToB == 3 && v4.bytesAToB == 54 + 46 + 54)
    #expect(v4.packetsBToA == 2 && v4.bytesBToA == 59 + 70)
    #expect(v4.firstTime == .init(seconds: Self.start, nanoseconds: 0))
    #expect(v4.lastTime == .init(seconds: Self.start + 2, nanoseconds: 1000))
    #expect(ip[1].a == .v6(IPv6Address("2001:db8::1")!))
    #expect(statistics.conversations.top(1, of: .ip).count == 1)
  }

  @Test("TCP and UDP conversations by 5-tuple; quoted datagrams are not conversations")
  func transportConversations() {
    let statistics = Self.sample()
    let tcp = statistics.conversations.top(10, of: .tcp)
    #expect(tcp.count == 2)
    #expect(tcp[0].a == .v4(IPv4Address(192, 0, 2, 1)) && tcp[0].aPort == 12345)
    #expect(tcp[0].b == .v4(IPv4Address(198, 51, 100, 2)) && tcp[0].bPort == 80)
    // The SYN and the SYN-ACK; not the SYN's truncated copy (incomplete TCP header).
    #expect(tcp[0].packetsAToB == 1 && tcp[0].bytesAToB == 54)
    #expect(tcp[0].packetsBToA == 1 && tcp[0].bytesBToA == 59)
    #expect(tcp[1].aPort == 40000 && tcp[1].bPort == 443)
    let udp = statistics.conversations.top(10, of: .udp)
    #expect(udp.count == 1)
    #expect(udp[0].packets == 1 && udp[0].bytes == 46)
  }

  @Test("Counting known paths and conversations again allocates no new entries")
  func stableTables() {
    var statistics = Self.sample()
    let before = (statistics.protocols.paths.count, statistics.conversations.entryCount)
    let frame = FrameDecoder().decode(StatisticsVectors.tcpSynAck, linkType: .ethernet)
    for _ in 0..<1000 {
      statistics.add(
        frame, timestampSeconds: Self.start + 4, nanoseconds: 0, capturedLength: 59,
        wireLength: 59)
    }
    #expect(before == (statistics.protocols.paths.count, statistics.conversations.entryCount))
    #expect(statistics.conversations.top(1, of: .tcp)[0].packetsBToA == 1001)
  }

  @Test("Time formats")
  func timeFormats() {
    typealias T = Timestamp
    #expect(
      CaptureStatistics.isoText(T(seconds: 1_714_564_800, nanoseconds: 123_456_789))
        == "2024-05-01T12:00:00.123456Z")
    #expect(
      CaptureStatistics.isoText(T(seconds: 0, nanoseconds: 0)) == "1970-01-01T00:00:00.000000Z")
    #expect(
      CaptureStatistics.isoText(T(seconds: 951_825_599, nanoseconds: 999_999_999))
        == "2000-02-29T11:59:59.999999Z")
    #expect(
      CaptureStatistics.isoText(T(seconds: -1, nanoseconds: 0)) == "1969-12-31T23:59:59.000000Z")
    #expect(CaptureStatistics.timeText(T(seconds: 12, nanoseconds: 5)) == "12.000000005")
    #expect(CaptureStatistics.timeText(T(seconds: -2, nanoseconds: 500_000_000)) == "-1.500000000")
    #expect(CaptureStatistics.secondsText(3_123_456_789, decimals: 6) == "3.123456")
    #expect(CaptureStatistics.fixedText(2.5, decimals: 2) == "2.50")
    #expect(CaptureStatistics.fixedText(0.005, decimals: 2) == "0.01")
  }

  @Test("JSON report")
  func json() {
    var out = TextBuffer()
    Self.sample().writeJSON(to: &out, top: 1)
    #expect(out.string == Self.expectedJSON)
  }

  @Test("Text report")
  func text() {
    var out = TextBuffer()
    Self.sample().writeText(to: &out, top: 10)
    #expect(out.string == Self.expectedText)
  }

  static let expectedJSON =
    [
      #"{"packets":8,"bytes":453,"captured_bytes":439,"first_time":"1714564800.000000000","last_time":"1714564803.123456789","duration":3.123456789,"packets_per_second":2.561,"bytes_per_second":145.032,"link_types":[{"link_type":1,"name":"EN10MB","packets":8}],"#,
      #""protocols":[{"path":"eth","packets":8,"bytes":453},"#,
      #"{"path":"eth:ipv4","packets":6,"bytes":337},"#,
      #"{"path":"eth:ipv4:tcp","packets":3,"bytes":167},"#,
      #"{"path":"eth:ipv4:tcp:raw","packets":1,"bytes":59},"#,
      #"{"path":"eth:ipv4:icmp","packets":1,"bytes":70},"#,
      #"{"path":"eth:ipv4:icmp:ipv4","packets":1,"bytes":70},"#,
      #"{"path":"eth:ipv4:icmp:ipv4:udp","packets":1,"bytes":70},"#,
      #"{"path":"eth:ipv4:udp","packets":1,"bytes":46},"#,
      #"{"path":"eth:ipv4:udp:raw","packets":1,"bytes":46},"#,
      #"{"path":"eth:ipv6","packets":1,"bytes":74},"#,
      #"{"path":"eth:ipv6:tcp","packets":1,"bytes":74},"#,
      #"{"path":"eth:arp","packets":1,"bytes":42}],"#,
      #""conversations":{"ip":[{"a":"192.0.2.1","b":"198.51.100.2","packets":5,"bytes":283,"packets_a_to_b":3,"bytes_a_to_b":154,"packets_b_to_a":2,"bytes_b_to_a":129,"first_time":"1714564800.000000000","last_time":"1714564802.000001000"}],"#,
      #""tcp":[{"a":"192.0.2.1","a_port":12345,"b":"198.51.100.2","b_port":80,"packets":2,"bytes":113,"packets_a_to_b":1,"bytes_a_to_b":54,"packets_b_to_a":1,"bytes_b_to_a":59,"first_time":"1714564800.000000000","last_time":"1714564800.500000000"}],"#,
      #""udp":[{"a":"192.0.2.1","a_port":5353,"b":"198.51.100.2","b_port":53,"packets":1,"bytes":46,"packets_a_to_b":1,"bytes_a_to_b":46,"packets_b_to_a":0,"bytes_b_to_a":0,"first_time":"1714564801.000000000","last_time":"1714564801.000000000"}]},"truncated":1,"malformed":1}"#,
    ].joined() + "\n"
  static let expectedText = #"""
    Summary
      Packets              8
      Bytes                453
      Captured bytes       439
      First packet         2024-05-01T12:00:00.000000Z
      Last packet          2024-05-01T12:00:03.123456Z
      Duration             3.123456 s
      Average packets/s    2.56
      Average bytes/s      145.03
      Average bits/s       1160.25
      Average packet size  56.63 bytes
      Truncated frames     1
      Malformed frames     1

    Link types
      Link type   Packets  Percent
      EN10MB (1)        8  100.00%

    Protocol hierarchy
      Protocol     Packets  Percent  Bytes  Percent
      eth                8  100.00%    453  100.00%
        ipv4             6   75.00%    337   74.39%
          tcp            3   37.50%    167   36.87%
            raw          1   12.50%     59   13.02%
          icmp           1   12.50%     70   15.45%
            ipv4         1   12.50%     70   15.45%
              udp        1   12.50%     70   15.45%
          udp            1   12.50%     46   10.15%
            raw          1   12.50%     46   10.15%
        ipv6             1   12.50%     74   16.34%
          tcp            1   12.50%     74   16.34%
        arp              1   12.50%     42    9.27%

    IP conversations (top 2 of 2 by bytes)
      A            B             Packets  Bytes  A->B pkts  A->B bytes  B->A pkts  B->A bytes  Rel start  Duration
      192.0.2.1    198.51.100.2        5    283          3         154          2         129   0.000000  2.000001
      2001:db8::1  2001:db8::2         1     74          1          74          0           0   1.500000  0.000000

    TCP conversations (top 2 of 2 by bytes)
      A                    B                  Packets  Bytes  A->B pkts  A->B bytes  B->A pkts  B->A bytes  Rel start  Duration
      192.0.2.1:12345      198.51.100.2:80          2    113          1          54          1          59   0.000000  0.500000
      [2001:db8::1]:40000  [2001:db8::2]:443        1     74          1          74          0           0   1.500000  0.000000

    UDP conversations (top 1 of 1 by bytes)
      A               B                Packets  Bytes  A->B pkts  A->B bytes  B->A pkts  B->A bytes  Rel start  Duration
      192.0.2.1:5353  198.51.100.2:53        1     46          1          46          0           0   1.000000  0.000000

    """#
}

@Suite("CaptureStatistics link types")
struct CaptureStatisticsLinkTypeTests {
  @Test("Several link types are counted in order of appearance; raw IP paths start at ipv4")
  func linkTypes() {
    // IP(192.0.2.1 > 198.51.100.2)/TCP(12345 > 80, S): StatisticsVectors.tcpSyn without Ethernet.
    let rawIP = Array(StatisticsVectors.tcpSyn[14...])
    let decoder = FrameDecoder()
    var statistics = CaptureStatistics()
    for (bytes, linkType) in [
      (rawIP, LinkType.raw), (StatisticsVectors.tcpSyn, .ethernet), (rawIP, .ipv4), (rawIP, .raw),
    ] {
      statistics.add(
        decoder.decode(bytes, linkType: linkType), timestampSeconds: 1, nanoseconds: 0,
        capturedLength: bytes.count, wireLength: bytes.count)
    }
    #expect(
      statistics.linkTypes == [
        .init(linkType: .raw, packets: 2), .init(linkType: .ethernet, packets: 1),
        .init(linkType: .ipv4, packets: 1),
      ])
    #expect(
      statistics.protocols.nodes.map(\.path) == [
        "ipv4", "ipv4:tcp", "eth", "eth:ipv4", "eth:ipv4:tcp",
      ])
    // One TCP conversation whatever the link type.
    #expect(statistics.conversations.top(5, of: .tcp).map(\.packets) == [4])
    var json = TextBuffer()
    statistics.writeJSON(to: &json, top: 0)
    #expect(
      json.string.contains(
        #""link_types":[{"link_type":101,"name":"RAW","packets":2},{"link_type":1,"name":"EN10MB","packets":1},{"link_type":228,"name":"IPV4","packets":1}]"#
      ))
    #expect(json.string.contains(#""conversations":{"ip":[],"tcp":[],"udp":[]}"#))
  }
}
