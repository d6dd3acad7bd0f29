import Testing

@testable import PacketKit

@Suite("InternetChecksum")
struct InternetChecksumTests {
  // RFC 1071 §3 example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
  @Test("RFC 1071 example sum")
  func rfcExample() {
    var sum = InternetChecksum()
    sum.add([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7])
    #expect(sum.folded == 0xddf2)
  }

  @Test("Odd-length pieces carry over", arguments: 0...8)
  func splitAnywhere(split: Int) {
    let data: [UInt8] = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0x09]
    var whole = InternetChecksum()
    whole.add(data)
    var pieces = InternetChecksum()
    pieces.add(Array(data[..<split]))
    pieces.add(Array(data[split...]))
    #expect(pieces.folded == whole.folded)
  }

  // An IPv4 header captured by tcpdump (192.0.2.1 -> 192.0.2.2, checksum 0xb661 stored).
  @Test("A real IPv4 header verifies")
  func ipv4Header() {
    let header: [UInt8] = [
      0x45, 0x00, 0x00, 0x54, 0x00, 0x00, 0x40, 0x00, 0x40, 0x01, 0xb6, 0xa5,
      0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02,
    ]
    var sum = InternetChecksum()
    sum.add(header)
    #expect(sum.isValid)
  }
}
