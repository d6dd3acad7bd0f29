/// Frames built by scapy 2.8 (Scripts/ has no generator for these: each comment gives the
/// scapy expression), used as decoder test vectors.
enum Vectors {
  // Ether(src=02:..:01, dst=02:..:02)/IP(src=192.0.2.1, dst=192.0.2.2, id=1, flags=DF)
  //   /TCP(sport=1234, dport=80, flags=S, seq=1000, window=8192, options=[MSS 1460, NOP,
  //   WScale 7, SAckOK, Timestamp (100,0), SAck (1,2), EOL])/Raw("hello")
  static let tcpSyn: [UInt8] = hex(
    "02000000000202000000000108004500004d000140004006b6a6c0000201c000020204d20050000003e800000000d0022000219e0000020405b4010303070402080a0000006400000000050a0000000100000002000068656c6c6f"
  )
  // Ether()/IPv6(src=2001:db8::1, dst=2001:db8::2, tc=0x20, fl=0x12345)/IPv6ExtHdrHopByHop()
  //   /IPv6ExtHdrFragment(m=1, id=7)/UDP(sport=5, dport=53)/Raw("abc")
  static let udp6Fragment: [UInt8] = hex(
    "02000000000202000000000186dd62012345001b004020010db800000000000000000000000120010db80000000000000000000000022c00010400000000110000010000000700050035000bdfc6616263"
  )
  // Ether()/IP(192.0.2.1 > 192.0.2.2)/ICMP(type=3, code=3)/IP(192.0.2.2 > 192.0.2.1)
  //   /UDP(sport=53, dport=999)/Raw("xyzw")
  static let icmpQuote: [UInt8] = hex(
    "02000000000202000000000108004500003c000100004001f6bcc0000201c00002020303811e0000000045000020000100004011f6c8c0000202c0000201003503e7000c84c578797a77"
  )
  // Ether(dst=broadcast, type=0x88a8)/Dot1Q(vlan=100, prio=5, id=1, type=0x8100)
  //   /Dot1Q(vlan=200)/ARP(who-has 192.0.2.2 tell 192.0.2.1)
  static let qinqARP: [UInt8] = hex(
    "ffffffffffff02000000000188a8b064810000c808060001080006040001020000000001c0000201000000000000c0000202"
  )
  // Ether()/IPv6(2001:db8::1 > ff02::1:ff00:2, hlim=255)/ICMPv6ND_NS(tgt=2001:db8::2)
  //   /ICMPv6NDOptSrcLLAddr(02:00:00:00:00:01)
  static let neighborSolicitation: [UInt8] = hex(
    "3333ff00000202000000000186dd6000000000203aff20010db8000000000000000000000001ff0200000000000000000001ff00000287001c270000000020010db80000000000000000000000020101020000000001"
  )
  // Ether()/IP(192.0.2.1 > 192.0.2.2)/ICMP(id=1, seq=2), zero-padded to 60 bytes.
  static let paddedEcho: [UInt8] = hex(
    "02000000000202000000000108004500001c000100004001f6dcc0000201c00002020800f7fc00010002000000000000000000000000000000000000"
  )

  static let all: [(String, [UInt8])] = [
    ("tcpSyn", tcpSyn), ("udp6Fragment", udp6Fragment), ("icmpQuote", icmpQuote),
    ("qinqARP", qinqARP),
    ("neighborSolicitation", neighborSolicitation), ("paddedEcho", paddedEcho),
  ]
}
