import Testing

@testable import PacketKit

@Suite("MPLS")
struct MPLSTests {
  typealias T = TunnelTestSupport
  static let eth = "eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02)"
  static let inner = "ipv4(src=10.0.0.1, dst=10.0.0.2)"

  @Test("a label stack: one layer an entry, then IPv4 by its version nibble")
  func stack() throws {
    // scapy: Ether()/MPLS(label=100, ttl=64)/MPLS(label=200, cos=5, ttl=63)/MPLS(label=300, ttl=1)/IP()/UDP()
    let bytes = hex(
      "020000000002020000000001884700064040000c8a3f0012c101"
        + "4500001c00010000401166ce0a0000010a000002000100020008ebd8")
    #expect(
      try T.craft(
        "\(Self.eth) / mpls(label=100, ttl=64) / mpls(label=200, tc=5, ttl=63) / mpls(label=300, ttl=1) / \(Self.inner) / udp(sport=1, dport=2)"
      ) == bytes)
    let frame = T.decode(bytes)
    #expect(T.kinds(frame) == [.ethernet, .mpls, .mpls, .mpls, .ipv4, .udp])
    guard case .mpls(let second) = frame[2].header, case .mpls(let last) = frame[3].header else {
      throw Failure.unexpected
    }
    #expect(second.label == 200 && second.tc == 5 && !second.bottomOfStack && second.ttl == 63)
    #expect(last.label == 300 && last.bottomOfStack && last.ttl == 1)
    #expect(
      T.oneLine(bytes)
        == "MPLS (label 100, tc 0, ttl 64) (label 200, tc 5, ttl 63) (label 300, tc 0, [S], ttl 1) IP 10.0.0.1.1 > 10.0.0.2.2: UDP, length 0"
    )
    #expect(
      T.json(bytes).contains(
        #""mpls":[{"label":100,"tc":0,"s":false,"ttl":64},{"label":200,"tc":5,"s":false,"ttl":63},{"label":300,"tc":0,"s":true,"ttl":1}]"#
      ))
  }

  @Test("no bottom of stack before the frame ends: malformed, tcpdump's (invalid)")
  func noBottom() throws {
    let bytes = try T.craft(
      "\(Self.eth) / mpls(label=100, s=false, ttl=64) / mpls(label=101, s=false, ttl=64)")
    let frame = T.decode(bytes)
    #expect(T.kinds(frame) == [.ethernet, .mpls, .mpls, .mpls])
    #expect(T.isMalformed(frame[3]))
    #expect(
      T.oneLine(bytes) == "MPLS (label 100, tc 0, ttl 64) (label 101, tc 0, ttl 64) (invalid)")
    #expect(T.everyPrefix(try T.craft("\(Self.eth) / mpls() / mpls() / \(Self.inner) / icmp()")))
  }

  @Test("a stack longer than the frame holds layers stops at the capacity")
  func longStack() throws {
    var bytes = hex("020000000002020000000001 8847")
    for _ in 0..<100 { bytes += [0, 0x06, 0x40, 0x40] }
    let frame = T.decode(bytes)
    #expect(frame.count == DecodedFrame.capacity)
    #expect(frame.encode(from: bytes.span).bytes == bytes)
    #expect(T.oneLine(bytes).hasPrefix("MPLS (label 100, tc 0, ttl 64) (label 100"))
  }

  @Test("builder: the bottom-of-stack bit is set on the last entry only")
  func builder() throws {
    let bytes = try (MPLS(label: 1, ttl: 2) / MPLS(label: 3, tc: 7, ttl: 4)).build()
    #expect(bytes == [0, 0, 0x10, 0x02, 0, 0, 0x3F, 0x04])
    #expect(try (MPLS(bottomOfStack: false) / Payload([1])).build() == [0, 0, 0x30, 0, 1])
  }

  enum Failure: Error { case unexpected }
}
