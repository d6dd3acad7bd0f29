import PacketKit
import Testing

// Frames built with scapy 2.8 (Ethernet, µs), each with the line `tcpdump -t -n` 4.99.3 printed
// for it: ICMP and ICMPv6 message variants, TCP option forms, unknown IP protocols.

@Suite("OneLineFormatter crafted frames")
struct OneLineCraftedTests {
  static let vectors: [(hex: String, line: String)] = [
    (
      "0200000000020200000000010800450000200001000040c8f611c0000201c0000202787878787878787878787878",
      "IP 192.0.2.1 > 192.0.2.2:  ip-proto-200 12"
    ),
    (
      "ffffffffffff02fc0000000186dd60000000000cc84020010db800000000000000000000000120010db8000000000000000000000002787878787878787878787878",
      "IP6 2001:db8::1 > 2001:db8::2:  ip-proto-200 12"
    ),
    (
      "ffffffffffff02fc0000000186dd600000000014004020010db800000000000000000000000120010db80000000000000000000000023b00010400000000787878787878787878787878",
      "IP6 2001:db8::1 > 2001:db8::2: HBH no next header"
    ),
    (
      "ffffffffffff02fc0000000186dd6000000000003b4020010db800000000000000000000000120010db8000000000000000000000002",
      "IP6 2001:db8::1 > 2001:db8::2: no next header"
    ),
    (
      "ffffffffffff02fc00000001080045000038000100004001f6c0c0000201c00002020c007325050000004500001c000100004011f6c4c0000202c00002090035003500087b68",
      "IP 192.0.2.1 > 192.0.2.2: ICMP parameter problem - octet 5, length 36"
    ),
    (
      "ffffffffffff02fc00000001080045000044000100004001f6b4c0000201c0000202030381230000000045000028000100004006f6c3c0000202c0000209001400500000000000000000500220000b730000",
      "IP 192.0.2.1 > 192.0.2.2: ICMP 192.0.2.9 tcp port 80 unreachable, length 48"
    ),
    (
      "ffffffffffff02fc00000001080045000030000100004001f6c8c0000201c00002020302fcfd0000000045000014000100004063f67ac0000202c0000209",
      "IP 192.0.2.1 > 192.0.2.2: ICMP 192.0.2.9 protocol 99 unreachable, length 28"
    ),
    (
      "ffffffffffff02fc00000001080045000038000100004001f6c0c0000201c00002020b017924000000004500001c000100004011f6c4c0000202c00002090035003500087b68",
      "IP 192.0.2.1 > 192.0.2.2: ICMP ip reassembly time exceeded, length 36"
    ),
    (
      "ffffffffffff02fc00000001080045000038000100004001f6c0c0000201c000020204008025000000004500001c000100004011f6c4c0000202c00002090035003500087b68",
      "IP 192.0.2.1 > 192.0.2.2: ICMP source quench, length 36"
    ),
    (
      "ffffffffffff02fc0000000108004500001c000100004001f6dcc0000201c00002022a00d5ff00000000",
      "IP 192.0.2.1 > 192.0.2.2: ICMP type-#42, length 8"
    ),
    (
      "ffffffffffff02fc00000001080045000020000100004001f6d8c0000201c00002021100eeff0000000000000000",
      "IP 192.0.2.1 > 192.0.2.2: ICMP address mask request, length 12"
    ),
    (
      "ffffffffffff02fc00000001080045000020000100004001f6d8c0000201c00002021200eefe00000000ffffff00",
      "IP 192.0.2.1 > 192.0.2.2: ICMP address mask is 0xffffff00, length 12"
    ),
    (
      "ffffffffffff02fc0000000186dd6000000000303a4020010db800000000000000000000000120010db8000000000000000000000002040104b5000000286000000000003b400000000000000000000000000000000100000000000000000000000000000001",
      "IP6 2001:db8::1 > 2001:db8::2: ICMP6, parameter problem, next header - octet 40, length 48"
    ),
    (
      "ffffffffffff02fc0000000186dd6000000000383a4020010db800000000000000000000000120010db8000000000000000000000002010331e6000000006000000000081140fd00000000000000000000000000000220010db8000000000000000000000009003500350008d4af",
      "IP6 2001:db8::1 > 2001:db8::2: ICMP6, destination unreachable, unreachable address 2001:db8::9, length 56"
    ),
    (
      "ffffffffffff02fc0000000186dd6000000000383a4020010db800000000000000000000000120010db800000000000000000000000203012fe8000000006000000000081140fd00000000000000000000000000000220010db8000000000000000000000009003500350008d4af",
      "IP6 2001:db8::1 > 2001:db8::2: ICMP6, time exceeded in-transit (reassembly), length 56"
    ),
    (
      "ffffffffffff02fc0000000186dd6000000000183a0120010db800000000000000000000000120010db80000000000000000000000028200fb272710000000000000000000000000000000000000",
      "IP6 2001:db8::1 > 2001:db8::2: ICMP6, multicast listener querymax resp delay: 10000 addr: ::, length 24"
    ),
    (
      "ffffffffffff02fc0000000186dd6000000000183a0120010db800000000000000000000000120010db80000000000000000000000028400203a00000000ff0200000000000000000000000000fb",
      "IP6 2001:db8::1 > 2001:db8::2: ICMP6, multicast listener donemax resp delay: 0 addr: ff02::fb, length 24"
    ),
    (
      "ffffffffffff02fc00000001080045000038000100004006f6bbc0000201c000020200010002000000000000000090122000ab990000fd0401020606000000011c0400100000",
      "IP 192.0.2.1.1 > 192.0.2.2.2: Flags [S.], seq 0, ack 0, win 8192, options [unknown-253 0x0102,echo 1,uto 0x10 8,eol], length 0"
    ),
    (
      "ffffffffffff02fc00000001080045000028000100004006f6cbc0000201c0000202000500050000000700000000500020000bd00000",
      "IP 192.0.2.1.5 > 192.0.2.2.5: Flags [none], win 8192, length 0"
    ),
    (
      "ffffffffffff02fc00000001080045000028000120004006d6cbc0000201c0000202000500060000000700000000500220000bcd0000",
      "IP 192.0.2.1.5 > 192.0.2.2.6: Flags [S], seq 7, win 8192, length 0"
    ),
    (
      "ffffffffffff02fc00000001080045000030000100004004f6c5c0000201c00002024500001c000100004001f6d8c0000203c00002040800f7ff00000000",
      "IP 192.0.2.1 > 192.0.2.2: IP 192.0.2.3 > 192.0.2.4: ICMP echo request, id 0, seq 0, length 8"
    ),
  ]

  static func bytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      result.append(UInt8(hex[index..<next], radix: 16)!)
      index = next
    }
    return result
  }

  @Test("crafted frame prints tcpdump's line", arguments: 0..<vectors.count)
  func craftedLine(_ index: Int) {
    let (hex, line) = Self.vectors[index]
    let frameBytes = Self.bytes(hex)
    var formatter = OneLineFormatter(timestampStyle: .none)
    var out = TextBuffer()
    let frame = FrameDecoder().decode(frameBytes.span, linkType: .ethernet)
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 0, nanoseconds: 0),
      capturedLength: frameBytes.count, wireLength: frameBytes.count, linkType: .ethernet)
    formatter.write(frame, bytes: frameBytes.span, record: record, to: &out)
    #expect(out.string == line + "\n")
  }
}
