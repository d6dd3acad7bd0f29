import Testing

@testable import PacketKit

@Suite("GRE")
struct GRETests {
  typealias T = TunnelTestSupport
  static let outer =
    "eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02) / ipv4(src=192.0.2.1, dst=192.0.2.2)"
  static let inner = "ipv4(src=10.0.0.1, dst=10.0.0.2)"

  @Test("key and sequence number: fields, inner datagram, tcpdump's line")
  func keyAndSequence() throws {
    // scapy: Ether()/IP()/GRE(key_present=1, seqnum_present=1, key=7, seqence_number=5)/IP()/ICMP()
    let bytes = hex(
      "02000000000202000000000108004500003c00010000402ff68ec0000201c00002023000080000000007"
        + "000000054500001c00010000400166de0a0000010a0000020800f7fd00010001")
    #expect(
      try T.craft("\(Self.outer) / gre(key=7, seq=5) / \(Self.inner) / icmp(id=1, seq=1)") == bytes)
    let frame = T.decode(bytes)
    #expect(T.kinds(frame) == [.ethernet, .ipv4, .gre, .ipv4, .icmp])
    guard case .gre(let gre) = frame[2].header else { throw Failure.unexpected }
    #expect(gre.flags == 0x3000 && gre.version == 0 && gre.protocolType == 0x0800)
    #expect(gre.key == 7 && gre.seq == 5 && gre.length == 12)
    #expect(frame[2].range == 34..<46 && frame[2].checksumValid == nil)
    #expect(
      T.oneLine(bytes)
        == "IP 192.0.2.1 > 192.0.2.2: GREv0, key=0x7, seq 5, length 40: IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 8"
    )
    #expect(
      T.json(bytes).contains(#""gre":{"flags":12288,"version":0,"protocol":2048,"key":7,"seq":5}"#))
  }

  @Test("the C bit: checksum computed over header and payload, verified; Ethernet inside")
  func checksumAndEthernet() throws {
    let bytes = try T.craft(
      "\(Self.outer) / gre(flags=0x8000) / eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02) / "
        + "\(Self.inner) / udp(sport=7, dport=9)")
    let frame = T.decode(bytes)
    #expect(T.kinds(frame) == [.ethernet, .ipv4, .gre, .ethernet, .ipv4, .udp])
    guard case .gre(let gre) = frame[2].header else { throw Failure.unexpected }
    #expect(gre.protocolType == 0x6558 && gre.flags == 0x8000)
    #expect(frame[2].checksumValid == true && frame[5].checksumValid == true)
    #expect(
      T.oneLine(bytes)
        == "IP 192.0.2.1 > 192.0.2.2: GREv0, off 0x0, length 50: IP 10.0.0.1.7 > 10.0.0.2.9: UDP, length 0"
    )
    var wrong = bytes
    wrong[38] ^= 0xFF
    #expect(T.decode(wrong)[2].checksumValid == false)
    #expect(T.json(wrong).contains(#""checksum_valid":false"#))
  }

  @Test("a header cut inside its key is truncated, printed as tcpdump does; every prefix decodes")
  func truncated() throws {
    let bytes = try T.craft("\(Self.outer) / gre(key=1, seq=2) / \(Self.inner) / icmp()")
    let cut = Array(bytes.prefix(14 + 20 + 6))
    let frame = T.decode(cut, wireLength: bytes.count)
    #expect(T.kinds(frame) == [.ethernet, .ipv4, .gre])
    #expect(T.isTruncated(frame[2]))
    #expect(T.oneLine(cut, wireLength: bytes.count) == "IP 192.0.2.1 > 192.0.2.2: GREv0 [|gre]")
    #expect(T.everyPrefix(bytes))
  }

  @Test("an unknown protocol stays raw; a version 1 header (PPTP) prints its call")
  func otherProtocols() throws {
    let unknown = try T.craft("\(Self.outer) / gre(protocol=0x88be) / raw(0x10000001)")
    #expect(T.kinds(T.decode(unknown)) == [.ethernet, .ipv4, .gre, .raw])
    #expect(T.oneLine(unknown).hasSuffix("GREv0, length 8: gre-proto-0x88be"))
    let pptp = try T.craft("\(Self.outer) / gre(flags=0x2081, protocol=0x880b, key=5)")
    #expect(T.oneLine(pptp).hasSuffix("GREv1, call 5, ack 0, no-payload, length 12"))
  }

  @Test("builder: flags follow the fields given; MPLS and IPv6 announce their protocol")
  func builder() throws {
    #expect(GRE(key: 1).resolvedFlags == 0x2000)
    #expect(GRE(checksum: 0, seq: 1).resolvedFlags == 0x9000)
    #expect(GRE(flags: 0x8000, version: 1).resolvedFlags == 0x8001)
    let mpls = try PacketStack([.gre(GRE()), .mpls(MPLS(label: 16)), .payload(Payload([0x45]))])
      .build()
    #expect(mpls.prefix(4) == [0, 0, 0x88, 0x47])
    let ipv6 = try (GRE() / IPv6() / UDP()).build()
    #expect(ipv6.prefix(4) == [0, 0, 0x86, 0xDD])
  }

  enum Failure: Error { case unexpected }
}
