import Testing

@testable import PacketKit

@Suite("VXLAN")
struct VXLANTests {
  typealias T = TunnelTestSupport
  static let eth = "eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02)"
  static let outer = "\(eth) / ipv4(src=192.0.2.1, dst=192.0.2.2)"
  static let inner = "ipv4(src=10.0.0.1, dst=10.0.0.2)"

  @Test("the inner frame decodes as further layers; tcpdump's two lines")
  func innerFrame() throws {
    // scapy: Ether()/IP()/UDP(sport=50000)/VXLAN(flags=0x08, vni=42)/Ether()/IP()/ICMP(id=2, seq=3)
    let bytes = hex(
      "02000000000202000000000108004500004e000100004011f69ac0000201c0000202c35012b5003a676d"
        + "0800000000002a00"
        + "02000000000202000000000108004500001c00010000400166de0a0000010a0000020800f7fa00020003")
    #expect(
      try T.craft(
        "\(Self.outer) / udp(sport=50000) / vxlan(vni=42) / \(Self.eth) / \(Self.inner) / icmp(id=2, seq=3)"
      ) == bytes)
    let frame = T.decode(bytes)
    #expect(T.kinds(frame) == [.ethernet, .ipv4, .udp, .vxlan, .ethernet, .ipv4, .icmp])
    guard case .vxlan(let vxlan) = frame[3].header else { throw Failure.unexpected }
    #expect(vxlan.flags == 0x08 && vxlan.vni == 42 && frame[3].range == 42..<50)
    #expect(frame[4].range == 50..<64 && frame[6].checksumValid == true)
    #expect(
      T.oneLine(bytes)
        == "IP 192.0.2.1.50000 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 42\nIP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 2, seq 3, length 8"
    )
    let json = T.json(bytes)
    #expect(json.contains(#""protocols":"eth:ipv4:udp:vxlan:eth:ipv4:icmp""#))
    #expect(json.contains(#""vxlan":{"flags":8,"vni":42}"#))
    #expect(json.contains(#""eth":[{"#))
  }

  @Test("a payload shorter than the header stays raw; a cut inner frame is truncated")
  func damaged() throws {
    let short = try T.craft("\(Self.outer) / udp(dport=4789) / raw(0x0800000000)")
    #expect(T.kinds(T.decode(short)) == [.ethernet, .ipv4, .udp, .raw])
    let bytes = try T.craft(
      "\(Self.outer) / udp() / vxlan(vni=1) / \(Self.eth) / \(Self.inner) / icmp()")
    let cut = Array(bytes.prefix(60))
    let frame = T.decode(cut, wireLength: bytes.count)
    #expect(T.kinds(frame) == [.ethernet, .ipv4, .udp, .vxlan, .ethernet])
    #expect(T.isTruncated(frame[4]))
    #expect(T.oneLine(cut, wireLength: bytes.count).hasSuffix("vni 1\n [|ether]"))
    #expect(T.everyPrefix(bytes))
  }

  @Test("builder: UDP gets ports 4789, flags 0x08")
  func builder() throws {
    let bytes = try (UDP() / VXLAN(vni: 0x123456)).build()
    #expect(bytes == [0x12, 0xB5, 0x12, 0xB5, 0, 16, 0, 0, 0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0])
  }

  enum Failure: Error { case unexpected }
}
