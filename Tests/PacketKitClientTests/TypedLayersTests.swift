import PacketKit
import Testing

/// `frame.tcp`, `frame.ipv4`, ...: the outermost layer outside an ICMP error's quote;
/// `frame.quoted` reaches the quote.
@Suite("Typed layers of a decoded frame")
struct TypedLayersTests {
  @Test("an ICMP error: the quoted UDP header only through frame.quoted")
  func quotedUDP() throws {
    // Frame 5: "ICMP 192.0.2.2 udp port 33434 unreachable".
    let frame = try CaptureFile(Fixture.path("ethernet-ipv4-icmp.pcap"))[4].frame
    #expect(frame.icmp?.type == 3 && frame.icmp?.code == 3)
    #expect(frame.udp == nil)
    #expect(frame.quoted.udp?.dstPort == 33434)
    #expect(frame.ipv4?.src == IPv4Address(192, 0, 2, 2))
    #expect(frame.quoted.ipv4?.dst == IPv4Address(192, 0, 2, 2))
    #expect(frame.quoted.ipv4?.ipProtocol == .udp)
    #expect(frame.quoted.icmp == nil)
    #expect(frame.outer.layer(.ipv4)?.checksumValid == true)
  }

  @Test("a truncated TCP header in a quote is not the frame's TCP")
  func quotedTruncatedTCP() throws {
    // Frames 6 and 9 quote 8 bytes of TCP (a time exceeded, a need-to-frag).
    let file = try CaptureFile(Fixture.path("ethernet-ipv4-icmp.pcap"))
    for index in [5, 8] {
      let frame = file[index].frame
      #expect(frame.tcp == nil, "frame \(index + 1)")
      #expect(frame.quoted.tcp != nil, "frame \(index + 1)")
      #expect(frame.quoted.layer(.tcp)?.status.isComplete == false, "frame \(index + 1)")
    }
  }

  @Test("typed fields: IP protocol, TCP flags, ARP, ICMPv6, SLL")
  func typedFields() throws {
    let tcp = try CaptureFile(Fixture.path("ethernet-ipv4-tcp.pcap"))[3].frame
    #expect(tcp.ipv4?.ipProtocol == .tcp)
    #expect(tcp.tcp?.flagSet == [.psh, .ack])
    #expect(tcp.tcp?.flags == 0x018)
    #expect(tcp.ethernet?.etherType == .ipv4)
    #expect(tcp.http != nil)

    let arp = try CaptureFile(Fixture.path("ethernet-arp.pcap"))[0].frame
    #expect(arp.arp?.op == 1)
    #expect(arp.ipv4 == nil)

    let solicitation = try CaptureFile(Fixture.path("ethernet-icmpv6.pcap"))[2]
    #expect(solicitation.frame.icmpv6?.type == 135)
    #expect(solicitation.frame.ipv6?.ipProtocol == .icmpv6)
    #expect(solicitation.stack.icmpv6?.target == IPv6Address(high: 0x2001_0db8 << 32, low: 2))

    let cooked = try CaptureFile(Fixture.path("linux-sll.pcap"))[0].frame
    #expect(cooked.sll != nil)
    #expect(cooked.ethernet == nil)
  }
}
