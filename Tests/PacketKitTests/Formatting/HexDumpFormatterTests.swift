import Testing

@testable import PacketKit

// Expected dumps are `tcpdump -nr Fixtures/FILE -x|-xx|-X|-XX` (tcpdump 4.99.3, libpcap
// 1.10.3) output, pasted; the summary line is in the comment.
@Suite("HexDumpFormatter")
struct HexDumpFormatterTests {
  static let vectors: [(file: String, number: Int, flag: String, dump: String)] = [
    // 22:13:20.000001 IP 192.0.2.1.53000 > 192.0.2.2.53: 4660+ A? example.com. (29)
    (
      "ethernet-ipv4-udp.pcap", 1, "x",
      """
      \t0x0000:  4500 0039 00c8 0000 4011 f5e8 c000 0201
      \t0x0010:  c000 0202 cf08 0035 0025 cac0 1234 0100
      \t0x0020:  0001 0000 0000 0000 0765 7861 6d70 6c65
      \t0x0030:  0363 6f6d 0000 0100 01

      """
    ),
    // 22:13:20.000001 IP 192.0.2.1.53000 > 192.0.2.2.53: 4660+ A? example.com. (29)
    (
      "ethernet-ipv4-udp.pcap", 1, "XX",
      """
      \t0x0000:  0200 0000 0002 0200 0000 0001 0800 4500  ..............E.
      \t0x0010:  0039 00c8 0000 4011 f5e8 c000 0201 c000  .9....@.........
      \t0x0020:  0202 cf08 0035 0025 cac0 1234 0100 0001  .....5.%...4....
      \t0x0030:  0000 0000 0000 0765 7861 6d70 6c65 0363  .......example.c
      \t0x0040:  6f6d 0000 0100 01                        om.....

      """
    ),
    // 22:13:20.001001 CDPv2, ttl: 180s (TLV length 24944 > 12) (invalid)
    (
      "ethernet-8023-llc.pcap", 2, "X",
      """
      \t0x0000:  02b4 0000 736e 6170 2070 6179 6c6f 6164  ....snap.payload
      \t0x0010:  0000 0000 0000 0000 0000 0000 0000 0000  ................
      \t0x0020:  0000 0000 0000                           ......

      """
    ),
    // 22:13:20.002001 IP 192.0.2.1.6000 > 192.0.2.2.6001: UDP, length 4
    (
      "ethernet-vlan.pcap", 3, "xx",
      """
      \t0x0000:  0200 0000 0002 0200 0000 0001 88a8 60c8
      \t0x0010:  8100 300a 0800 4500 0020 0322 0000 4011
      \t0x0020:  f3a7 c000 0201 c000 0202 1770 1771 000c
      \t0x0030:  6d16 7169 6e71

      """
    ),
    // 23:56:33.581956 lo    M   IP6 :: > ff02::1:ff00:b01: ICMP6, neighbor solicitation, who has fe80::ff:fe00:b01, length 32
    (
      "linux-sll2.pcap", 2, "x",
      """
      \t0x0000:  6000 0000 0020 3aff 0000 0000 0000 0000
      \t0x0010:  0000 0000 0000 0000 ff02 0000 0000 0000
      \t0x0020:  0000 0001 ff00 0b01 8700 1ad2 0000 0000
      \t0x0030:  fe80 0000 0000 0000 0000 00ff fe00 0b01
      \t0x0040:  0e01 66f1 6833 6f25

      """
    ),
    // 22:13:20.012001 IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request [|bootp]
    // (a request cut before its client hardware address: tcpdump dumps from the first byte)
    (
      "dhcp.pcap", 13, "x",
      """
      \t0x0000:  ffff ffff ffff 0200 0000 0001 0800 4500
      \t0x0010:  012e 0134 0000 4011 788c 0000 0000 ffff
      \t0x0020:  ffff 0044 0043 011a ebb0 0101 0600 1a2b
      \t0x0030:  3c4d 0000 8000 0000 0000 0000 0000

      """
    ),
    // 22:13:20.009001 IP 192.0.2.1 > 192.0.2.2:  [|icmp]
    (
      "malformed.pcap", 10, "x",
      """
      \t0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
      \t0x0010:  0018 05e3 0000 4001 f0fe c000 0201 c000
      \t0x0020:  0202 0800 f7ff

      """
    ),
  ]

  @Test("identical to tcpdump", arguments: 0..<vectors.count)
  func matchesTcpdump(index: Int) throws {
    let vector = Self.vectors[index]
    let packet = try PcapFixture.load(vector.file)[vector.number - 1]
    let frame = FrameDecoder().decode(
      packet.bytes, linkType: packet.record.linkType, wireLength: packet.record.wireLength)
    let formatter = HexDumpFormatter(
      includeLinkLayer: vector.flag.count == 2, ascii: vector.flag.first == "X")
    var out = TextBuffer()
    formatter.write(frame, bytes: packet.bytes.span, record: packet.record, to: &out)
    #expect(out.string == vector.dump, "\(vector.file) #\(vector.number) -\(vector.flag)")
  }

  @Test("offsets past 0xffff widen")
  func longOffsets() {
    let bytes = [UInt8](repeating: 0x41, count: 0x10001)
    var out = TextBuffer()
    HexDumpFormatter.dump(bytes.span.extracting(0x10000..<0x10001), ascii: false, to: &out)
    #expect(out.string == "\t0x0000:  41\n")
    out.clear()
    HexDumpFormatter.dump(bytes.span, ascii: true, to: &out)
    #expect(out.string.hasSuffix("\t0x10000:  41" + String(repeating: " ", count: 37) + "  A\n"))
  }
}
