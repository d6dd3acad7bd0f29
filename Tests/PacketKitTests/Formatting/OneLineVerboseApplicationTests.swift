import PacketKit
import Testing

// Raw IP packets (LINKTYPE_RAW) built with `rawtool craft`, each with what `tcpdump -t -n -v`
// 4.99.3 printed for it: NTP time messages (stratum 1's reference text, 62/63's address,
// polls beyond a minute and below a second, negative deltas, key id and digests, more bytes
// after the header) and DHCPv6 options of every form tcpdump decodes (nested IA options, a
// relay message cut inside, authentication, AFTR name, NTP server, status codes, invalid
// lengths).

@Suite("OneLineFormatter -v: NTP and DHCPv6")
struct OneLineVerboseApplicationTests {
  static let vectors: [(hex: String, text: String)] = [
    (
      "6000000001b3114020010db800000000000000000000000120010db800000000000000000000000202220223"
        + "01b3b9850100123400180012076578616d706c6503636f6d00036f7267000017001020010db8000000000000"
        + "000000000001000d00020002000e000000070001ff0013000105001300010700190029000000010000000200"
        + "000003001a0019000000640000012c4020010db8000100000000000000000000000b001b0301000000000000"
        + "000001010203040506070809000a0b0c0d0e0f000b001e02010000000000000000010102030405060708090a"
        + "0b0c0d0e0f101112130040000d04616674720765786d706c6500002900094553543545445400000038002200"
        + "01001020010db8000000000000000000000099000300090474696d65036e6574000063000201020001000d00"
        + "02000000090001020304050600020003000400000100030005aa002500110000000901020304050607080910"
        + "1112130020000400000e10000800010100060003001700000400040000000a0012000c010203040506070809"
        + "0a0b0c000d00020100002d0006000d00020009002c00130120010db80000000000000000000000050000002f"
        + "001320010db8000000000000000000000006aabbcc002e000400000001001600022001",
      "IP6 (hlim 64, next-header UDP (17) payload length: 435) 2001:db8::1.546 > 2001:db8::2.547: [udp sum ok] dhcp6 solicit (xid=1234 (DNS-search-list example.com. org.) (DNS-server 2001:db8::1) (status-code NoAddrsAvail) (rapid-commit) (preference 255) (reconfigure-message for renew) (reconfigure-message for ???(07)) (IA_PD IAID:1 T1:2 T2:3 (IA_PD-prefix 2001:db8:1::/64 pltime:100 vltime:300)) (authentication proto: reconfigure, alg: HMAC-MD5, RDM: mono, RD: 0000 0000 0000 0001 ??) (authentication proto: delayed, alg: HMAC-MD5, RDM: mono, RD: 0000 0000 0000 0001 ??) (AFTR-Name aftr. ?) (POSIX-timezone EST5EDT) (NTP-server subopt:1 2001:db8::99 subopt:3 time.net.) (opt_99) (client-ID vid 0000000900010203) (server-ID type 4) (client-ID type 5) (Remote-ID 9 01020304050607080910...) (lifetime 3600) (elapsed-time ?) (option-request ?) (IA_TA IAID:10) (interface-ID 0102030405060708090a...) (status-code INVALID code) (LQ-client-data (status-code NotConfigured)) (Lease-query by-address 2001:db8::5 [|dhcp6]) (LQ-relay-data 2001:db8::6 aabbcc...) (Clt-time 1) (SIP-servers-address ?))\n"
    ),
    (
      "60000000007a114020010db800000000000000000000000120010db800000000000000000000000202230222"
        + "007aef1f07000005000b001c03010000000000000000070100112233445566778899aabbccddeeff000b0024"
        + "02010000000000000000077265616c6d0000002a00112233445566778899aabbccddeeff000b000b05020300"
        + "000000000000070018000100002a000e4575726f70652f50617269730000",
      "IP6 (hlim 64, next-header UDP (17) payload length: 122) 2001:db8::1.547 > 2001:db8::2.546: [udp sum ok] dhcp6 reply (xid=5 (authentication proto: reconfigure, alg: HMAC-MD5, RDM: mono, RD: 0000 0000 0000 0007 reconfig-key value: 00112233 44556677 8899aabb ccddeeff) (authentication proto: delayed, alg: HMAC-MD5, RDM: mono, RD: 0000 0000 0000 0007, realm: 7265616c6d, key ID: 0000002a, HMAC-MD5: 00112233 44556677 8899aabb ccddeeff) (authentication proto: 5, alg: 2, RDM: 3, RD: 0000 0000 0000 0007 ??) (DNS-search-list .) (POSIX-tz-database Europe/Paris))\n"
    ),
    (
      "60000000003e114020010db800000000000000000000000120010db800000000000000000000000202220223"
        + "003ef6d40c0120010db8000000000000000000000001fe8000000000000000000000000000010009000a0b00"
        + "0001000800020000001200026574",
      "IP6 (hlim 64, next-header UDP (17) payload length: 62) 2001:db8::1.546 > 2001:db8::2.547: [udp sum ok] dhcp6 relay-fwd (linkaddr=2001:db8::1 peeraddr=fe80::1 (relay-message (dhcp6 inf-req (xid=1 (elapsed-time 0))) (interface-ID 6574...))\n"
    ),
    (
      "600000000030114020010db800000000000000000000000120010db800000000000000000000000202220223"
        + "00305c8c0c0120010db8000000000000000000000001fe800000000000000000000000000001000900020b00",
      "IP6 (hlim 64, next-header UDP (17) payload length: 48) 2001:db8::1.546 > 2001:db8::2.547: [udp sum ok] dhcp6 relay-fwd (linkaddr=2001:db8::1 peeraddr=fe80::1 (relay-message (dhcp6 [|dhcp6]))\n"
    ),
    (
      "60000000001c114020010db800000000000000000000000120010db800000000000000000000000202220223"
        + "001c66c00d0120010db8000000000000000000000001fe80",
      "IP6 (hlim 64, next-header UDP (17) payload length: 28) 2001:db8::1.546 > 2001:db8::2.547: [udp sum ok] dhcp6 relay-reply (linkaddr=2001:db8::1 [|dhcp6]\n"
    ),
    (
      "600000000012114020010db800000000000000000000000120010db800000000000000000000000202220223"
        + "0012990207000009000300020000",
      "IP6 (hlim 64, next-header UDP (17) payload length: 18) 2001:db8::1.546 > 2001:db8::2.547: [udp sum ok] dhcp6 reply (xid=9 (IA_NA ?))\n"
    ),
    (
      "4500004c000100004011f69cc0000201c0000202007b007b0038bec12301faec00012345ffff800047505300"
        + "0000000000000000e91d7f0000000001e91d7effffffffff1000000080000000",
      "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 76)\n    192.0.2.1.123 > 192.0.2.2.123: NTPv4, Client, length 48\n\tLeap indicator:  (0), Stratum 1 (primary reference), poll -6 (1/64s), precision -20\n\tRoot Delay: 1.137771, Root dispersion: 65535.500000, Reference-ID: GPS^@\n\t  Reference Timestamp:  0.000000000\n\t  Originator Timestamp: 3911024384.000000000 (2023-12-08T11:39:44Z)\n\t  Receive Timestamp:    3911024383.999999999 (2023-12-08T11:39:43Z)\n\t  Transmit Timestamp:   268435456.500000000 (1908-07-04T21:24:16Z)\n\t    Originator - Receive Timestamp:  -0.000000000\n\t    Originator - Transmit Timestamp: -3642588927.500000000\n"
    ),
    (
      "4500004c000100004011f69cc0000201c0000202007b007b0038eef3233e030000012345ffff8000c0000201"
        + "0000000000000001000000000000000200000000000000030000000000000004",
      "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 76)\n    192.0.2.1.123 > 192.0.2.2.123: NTPv4, Client, length 48\n\tLeap indicator:  (0), Stratum 62 (reserved), poll 3 (8s), precision 0\n\tRoot Delay: 1.137771, Root dispersion: 65535.500000, Reference-ID: 192.0.2.1 INFO_QUERY\n"
    ),
    (
      "4500004c000100004011f69cc0000201c0000202007b007b0038c91a233f28d800012345ffff8000c0000201"
        + "0000000000000001000000000000000200000000000000030000000000000004",
      "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 76)\n    192.0.2.1.123 > 192.0.2.2.123: NTPv4, Client, length 48\n\tLeap indicator:  (0), Stratum 63 (reserved), poll 40, precision -40\n\tRoot Delay: 1.137771, Root dispersion: 65535.500000, Reference-ID: 192.0.2.1 INFO_REPLY\n"
    ),
    (
      "45000050000100004011f698c0000201c0000202007b007b003cce992302e10000012345ffff800001020304"
        + "000000000000000500000007000000050000000700000009000000060000000900000063",
      "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 80)\n    192.0.2.1.123 > 192.0.2.2.123: NTPv4, Client, length 52\n\tLeap indicator:  (0), Stratum 2 (secondary reference), poll -31 (1/2147483648s), precision 0\n\tRoot Delay: 1.137771, Root dispersion: 65535.500000, Reference-ID: 0x01020304\n\t  Reference Timestamp:  0.000000001\n\t  Originator Timestamp: 7.000000001 (1900-01-01T00:00:07Z)\n\t  Receive Timestamp:    7.000000002 (1900-01-01T00:00:07Z)\n\t  Transmit Timestamp:   6.000000002 (1900-01-01T00:00:06Z)\n\t    Originator - Receive Timestamp:  +0.000000000\n\t    Originator - Transmit Timestamp: -0.999999999\n\tKey id: 99\n"
    ),
    (
      "45000064000100004011f684c0000201c0000202007b007b005055132302000000012345ffff800001020304"
        + "0000000000000005000000070000000900000007000000050000000900000001000000630001020304050607"
        + "08090a0b0c0d0e0f10111213",
      "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 100)\n    192.0.2.1.123 > 192.0.2.2.123: NTPv4, Client, length 72\n\tLeap indicator:  (0), Stratum 2 (secondary reference), poll 0 (1s), precision 0\n\tRoot Delay: 1.137771, Root dispersion: 65535.500000, Reference-ID: 0x01020304\n\t  Reference Timestamp:  0.000000001\n\t  Originator Timestamp: 7.000000002 (1900-01-01T00:00:07Z)\n\t  Receive Timestamp:    7.000000001 (1900-01-01T00:00:07Z)\n\t  Transmit Timestamp:   9.000000000 (1900-01-01T00:00:09Z)\n\t    Originator - Receive Timestamp:  -0.000000000\n\t    Originator - Transmit Timestamp: +1.999999998\n\tKey id: 99\n\tAuthentication: 000102030405060708090a0b0c0d0e0f10111213\n"
    ),
    (
      "45000056000100004011f692c0000201c0000202007b007b0042aff22302000000012345ffff800001020304"
        + "000000000000000500000007000000090000000700000009000000090000000100000000000000000000",
      "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 86)\n    192.0.2.1.123 > 192.0.2.2.123: NTPv4, Client, length 58\n\tLeap indicator:  (0), Stratum 2 (secondary reference), poll 0 (1s), precision 0\n\tRoot Delay: 1.137771, Root dispersion: 65535.500000, Reference-ID: 0x01020304\n\t  Reference Timestamp:  0.000000001\n\t  Originator Timestamp: 7.000000002 (1900-01-01T00:00:07Z)\n\t  Receive Timestamp:    7.000000002 (1900-01-01T00:00:07Z)\n\t  Transmit Timestamp:   9.000000000 (1900-01-01T00:00:09Z)\n\t    Originator - Receive Timestamp:  -0.000000000\n\t    Originator - Transmit Timestamp: +1.999999998\n\t(10 more bytes after the header)\n"
    ),
  ]

  @Test("crafted packet prints tcpdump -v's text", arguments: 0..<vectors.count)
  func verboseText(_ index: Int) {
    let (hex, text) = Self.vectors[index]
    let bytes = OneLineCraftedTests.bytes(hex)
    var formatter = OneLineFormatter(timestampStyle: .none)
    formatter.verbosity = 1
    var out = TextBuffer()
    let frame = FrameDecoder(verifyChecksums: true).decode(bytes.span, linkType: .raw)
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 0, nanoseconds: 0),
      capturedLength: bytes.count, wireLength: bytes.count, linkType: .raw)
    formatter.write(frame, bytes: bytes.span, record: record, to: &out)
    #expect(out.string == text)
  }
}
