import Testing

@testable import PacketKit

@Suite("VerboseFormatter")
struct VerboseFormatterTests {
  static func verbose(_ file: String, _ number: Int) throws -> String {
    let packet = try PcapFixture.load(file)[number - 1]
    let frame = FrameDecoder().decode(
      packet.bytes, linkType: packet.record.linkType, wireLength: packet.record.wireLength)
    var out = TextBuffer()
    VerboseFormatter().write(frame, bytes: packet.bytes.span, record: packet.record, to: &out)
    return out.string
  }

  @Test("SYN/ACK: flags, protocol names, checksums")
  func synAck() throws {
    let text = try Self.verbose("ethernet-ipv4-tcp.pcap", 2)
    #expect(text.hasPrefix("frame 2: 74 bytes on wire, 74 captured, time 1700000000.001001000\n"))
    #expect(text.contains("\n    protocol 6 (tcp)\n"))
    #expect(text.contains("\n    flags 0x012 [ACK,SYN]\n"))
    #expect(text.contains("\n    checksum 0x1036 (correct)\n"))
    #expect(
      text.contains(
        "\n    options mss 1460, sack_permitted, timestamp 200 echo 100, nop, window_scale 7\n"))
  }

  @Test("a bad IPv4 header checksum shows the expected value")
  func badChecksum() throws {
    let packets = try PcapFixture.load("ethernet-ipv4-udp.pcap")
    let index = try #require(
      packets.firstIndex { packet in
        let frame = FrameDecoder().decode(packet.bytes, linkType: packet.record.linkType)
        return frame.first(.ipv4)?.checksumValid == false
      })
    let text = try Self.verbose("ethernet-ipv4-udp.pcap", index + 1)
    #expect(text.contains("    checksum 0xdead (incorrect, should be 0x"))
  }

  @Test("truncated layers say how much they had")
  func truncated() throws {
    let text = try Self.verbose("snaplen-truncated.pcap", 7)
    #expect(text.contains("ipv4 [truncated: 10 of 20 bytes]\n"))
    #expect(!text.contains("checksum"))
  }
}
