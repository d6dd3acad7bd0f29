import PacketKit
import Testing

/// A decoded frame as builder layers: built again unchanged it gives its bytes back; edited,
/// its lengths and checksums are computed again unless a value was pinned.
@Suite("Editing decoded frames and building them again")
struct EditAndRebuildTests {
  @Test("every record of every fixture comes back byte for byte", arguments: Fixture.captureFiles)
  func unchangedRoundTrip(name: String) throws {
    let file = try CaptureFile(Fixture.path(name))
    #expect(!file.isEmpty)
    for packet in file {
      #expect(try packet.stack.build() == packet.bytes, "\(name) record \(packet.record.number)")
    }
  }

  @Test("a payload made longer: IPv4 total length and TCP checksum follow")
  func longerPayload() throws {
    // Record 4: "GET / HTTP/1.1" in 35 bytes.
    let packet = try CaptureFile(Fixture.path("ethernet-ipv4-tcp.pcap"))[3]
    var stack = packet.stack
    stack.payload?.bytes += Array("X-Test: 1\r\n".utf8)
    let frame = FrameDecoder().decode(try stack.build(), linkType: .ethernet)
    #expect(frame.ipv4?.totalLength == packet.frame.ipv4!.totalLength + 11)
    #expect(frame.outer.layer(.ipv4)?.checksumValid == true)
    #expect(frame.outer.layer(.tcp)?.checksumValid == true)
    #expect(frame.tcp?.seq == packet.frame.tcp?.seq)
  }

  @Test("a UDP port changed: the UDP checksum is computed again; a pinned one is kept")
  func pinnedChecksum() throws {
    let packet = try CaptureFile(Fixture.path("dns-udp.pcap"))[0]
    var stack = packet.stack
    #expect(stack.udp?.checksum == nil)  // valid in the file: computed
    stack.udp?.srcPort = 40000
    var frame = FrameDecoder().decode(try stack.build(), linkType: .ethernet)
    #expect(frame.udp?.srcPort == 40000)
    #expect(frame.outer.layer(.udp)?.checksumValid == true)

    stack.udp?.checksum = 0x1234  // pinned: written as is
    frame = FrameDecoder().decode(try stack.build(), linkType: .ethernet)
    #expect(frame.udp?.checksum == 0x1234)
    #expect(frame.outer.layer(.udp)?.checksumValid == false)
  }

  @Test("a wrong checksum in the file stays pinned until set to nil")
  func wrongChecksumStaysPinned() throws {
    var bytes = try CaptureFile(Fixture.path("ethernet-ipv4-tcp.pcap"))[0].bytes
    bytes[24] ^= 0xFF  // break the IPv4 checksum
    var stack = PacketStack(decoding: bytes, linkType: .ethernet)
    #expect(stack.ipv4?.checksum == UInt16(bytes[24]) << 8 | UInt16(bytes[25]))
    #expect(try stack.build() == bytes)
    stack.ipv4?.checksum = nil
    let frame = FrameDecoder().decode(try stack.build(), linkType: .ethernet)
    #expect(frame.outer.layer(.ipv4)?.checksumValid == true)
  }

  @Test("Ethernet padding is kept as the trailer, outside the lengths")
  func paddingTrailer() throws {
    // ARP requests are padded to 60 bytes.
    let packet = try CaptureFile(Fixture.path("ethernet-arp.pcap"))[0]
    let stack = packet.stack
    #expect(stack.arp?.targetIP == IPv4Address(192, 0, 2, 2))
    #expect(packet.bytes.count == 60)
    #expect(stack.trailer.count + 14 + 28 == 60)
  }

  @Test("an ICMP error's quote is the payload after the ICMP layer")
  func quoteAsPayload() throws {
    let packet = try CaptureFile(Fixture.path("ethernet-ipv4-icmp.pcap"))[4]
    var stack = packet.stack
    #expect(stack.layers.map(\.kind) == [.ethernet, .ipv4, .icmp, .raw])
    stack.icmp?.code = 1
    let frame = FrameDecoder().decode(try stack.build(), linkType: .ethernet)
    #expect(frame.icmp?.code == 1)
    #expect(frame.outer.layer(.icmp)?.checksumValid == true)
    #expect(frame.quoted.udp?.dstPort == 33434)
  }

  @Test("builder layers from decoded headers leave computed fields nil")
  func builderFromHeader() throws {
    let frame = try CaptureFile(Fixture.path("ethernet-ipv4-tcp.pcap"))[1].frame
    let ip = IPv4(try #require(frame.ipv4))
    #expect(ip.ttl == 64 && ip.id == frame.ipv4?.id && ip.checksum == nil && ip.totalLength == nil)
    let tcp = TCP(try #require(frame.tcp))
    #expect(tcp.flags == [.syn, .ack] && tcp.seq == 5000 && tcp.ack == 1001 && tcp.checksum == nil)
  }
}
