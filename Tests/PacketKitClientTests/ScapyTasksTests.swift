import PacketKit
import Testing

/// The five tasks a scapy user does first, each in at most scapy's line count plus two,
/// written against the public API only. The snippets between `// snippet` markers are the
/// ones the documentation and the README show.
@Suite("A test author's first five tasks")
struct ScapyTasksTests {
  let handshake = Fixture.path("ethernet-ipv4-tcp.pcap")

  @Test("open a file and iterate decoded packets (scapy: 1 line)")
  func iterate() throws {
    var ports: [UInt16] = []
    // snippet: iterate (1 line; scapy: `for p in rdpcap("f.pcap"):`)
    for packet in try CaptureFile(handshake) { ports.append(packet.frame.tcp?.dstPort ?? 0) }
    // end snippet
    #expect(ports.count == 19)
    #expect(ports.prefix(10) == [80, 40000, 80, 80, 40000, 80, 40000, 80, 40000, 81])
  }

  @Test("get TCP and check SYN (scapy: 1 line)")
  func checkSYN() throws {
    let file = try CaptureFile(handshake)
    // snippet: syn (1 line; scapy: `p[TCP].flags.S`)
    #expect(file[0].frame.tcp?.flagSet == .syn)
    // end snippet
    #expect(file[1].frame.tcp?.flagSet == [.syn, .ack])
    #expect(file[2].frame.tcp?.flagSet.contains(.syn) == false)
  }

  @Test("build Ether/IP/TCP with automatic checksums (scapy: 1 line)")
  func build() throws {
    let (mac1, mac2) = (MACAddress(2, 0, 0, 0, 0, 1), MACAddress(2, 0, 0, 0, 0, 2))
    let (ip1, ip2) = (IPv4Address(192, 0, 2, 1), IPv4Address(192, 0, 2, 2))
    // snippet: build (1 statement; scapy: `bytes(Ether(...)/IP(id=105, ...)/TCP(sport=40001, ...))`)
    let bytes = try
      (Ethernet(src: mac1, dst: mac2) / IPv4(id: 105, src: ip1, dst: ip2)
      / TCP(srcPort: 40001, dstPort: 81, seq: 7000, window: 1024)).build()
    // end snippet
    #expect(bytes == (try CaptureFile(handshake))[9].bytes)
    #expect(bytes[24...25] == [0xF6, 0x63])  // IPv4 checksum 63075
    #expect(bytes[50...51] == [0x6F, 0xF4])  // TCP checksum 28660
  }

  @Test("decode, set the TTL, rebuild with a fresh checksum (scapy: 3 lines)")
  func editTTL() throws {
    let original = try CaptureFile(handshake)[0]
    // snippet: edit (3 lines; scapy: `p[IP].ttl = 1; del p[IP].chksum; bytes(p)`)
    var stack = original.stack
    stack.ipv4?.ttl = 1
    let rebuilt = try stack.build()
    // end snippet
    let frame = FrameDecoder().decode(rebuilt, linkType: .ethernet)
    #expect(frame.ipv4?.ttl == 1)
    #expect(frame.outer.layer(.ipv4)?.checksumValid == true)
    #expect(original.frame.ipv4?.checksum == 0xB654)
    #expect(frame.ipv4?.checksum == 0xF554)  // 0xB654 with the TTL's 0x3F00 taken out
    // Only the TTL (byte 22) and the checksum's high byte (24) changed.
    let changed = rebuilt.indices.filter { rebuilt[$0] != original.bytes[$0] }
    #expect(rebuilt.count == original.bytes.count && changed == [22, 24])
  }

  @Test("write a pcap (scapy: 1 line)")
  func writePcap() throws {
    let path = Fixture.temporaryPath("write.pcap")
    let packets = try CaptureFile(handshake)
    do {
      // snippet: write (3 lines; scapy: `wrpcap("out.pcap", packets)`)
      var writer = try PcapWriter(path: path, linkType: .ethernet)
      for packet in packets { try writer.write(packet) }
      try writer.flush()
      // end snippet
    }
    let written = try CaptureFile(path)
    #expect(written.map(\.bytes) == packets.map(\.bytes))
    #expect(written.map(\.timestamp) == packets.map(\.timestamp))
    #expect(written.first?.timestamp.description == "1700000000.000001000")
  }
}
