import Testing

@testable import PacketKit

/// tcpdump's relative sequence numbers over many conversations (the table's index grows
/// several times).
@Suite("TCP sequence table")
struct TCPSequenceTableTests {
  @Test("2,000 conversations keep their own initial numbers")
  func manyConversations() {
    var table = TCPSequenceTable()
    let count = 2_000
    func src(_ i: Int) -> (UInt64, UInt64) { (0, UInt64(0xC000_0200 + UInt32(i))) }
    let dst: (UInt64, UInt64) = (0, 0xC633_6401)
    // The first segment with ACK of each conversation prints absolute numbers.
    for i in 0..<count {
      let first = table.relative(
        src: src(i), dst: dst, isIPv6: false, srcPort: 80, dstPort: UInt16(40_000 + i),
        seq: UInt32(1_000 * i + 5), ack: UInt32(77 + i), syn: true)
      #expect(first.seq == UInt32(1_000 * i + 5) && first.ack == UInt32(77 + i))
    }
    #expect(table.count == count)
    for i in 0..<count {
      let later = table.relative(
        src: src(i), dst: dst, isIPv6: false, srcPort: 80, dstPort: UInt16(40_000 + i),
        seq: UInt32(1_000 * i + 15), ack: UInt32(97 + i), syn: false)
      #expect(later.seq == 10 && later.ack == 21 && !later.reversed)
      // The other direction: the same entry, read reversed.
      let back = table.relative(
        src: dst, dst: src(i), isIPv6: false, srcPort: UInt16(40_000 + i), dstPort: 80,
        seq: UInt32(97 + i), ack: UInt32(1_000 * i + 15), syn: false)
      #expect(back.seq == 21 && back.ack == 10 && back.reversed)
      // The same ports and addresses over IPv6 are another conversation.
      let other = table.relative(
        src: src(i), dst: dst, isIPv6: true, srcPort: 80, dstPort: UInt16(40_000 + i),
        seq: 9, ack: 9, syn: false)
      #expect(other.seq == 9)
    }
    #expect(table.count == 2 * count)
  }
}
